package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/logpath/logpath/internal/cli"
	"github.com/logpath/logpath/internal/fakeaws"
)

const scenarios = "../../internal/fakeaws/testdata/"

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// exeSuffix ends the name of an executable that go build writes.
var exeSuffix = map[bool]string{true: ".exe"}[runtime.GOOS == "windows"]

var built struct {
	sync.Once
	dir, bin string
	err      error
}

// buildLogpath builds logpath and logpath-audit into one directory, once for
// the package's tests, and returns logpath's path: logpath audit finds
// logpath-audit beside itself, as after go install.
func buildLogpath(t *testing.T) string {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("the go tool is not on PATH; cannot build logpath")
	}
	built.Do(func() {
		if built.dir, built.err = os.MkdirTemp("", "logpath-audit-test"); built.err != nil {
			return
		}
		built.bin = filepath.Join(built.dir, "logpath"+exeSuffix)
		if out, err := exec.Command(goTool, "build", "-o", built.dir+string(filepath.Separator), "../logpath", ".").CombinedOutput(); err != nil {
			built.err = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if built.err != nil {
		t.Fatal(built.err)
	}
	return built.bin
}

func TestMain(m *testing.M) {
	code := m.Run()
	if built.dir != "" {
		os.RemoveAll(built.dir)
	}
	os.Exit(code)
}

// runBinary runs the built logpath with only the given environment.
func runBinary(t *testing.T, bin string, env []string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = append([]string{"HOME=" + t.TempDir(), "PATH=" + os.Getenv("PATH"), "NO_COLOR=1"}, env...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	code = 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return out.String(), errOut.String(), code
}

var stamps = regexp.MustCompile(`\d{4}-\d{2}-\d{2} \d{2}:\d{2}Z`)

// The built binary audits the fake through AWS_ENDPOINT_URL and static
// credentials from the environment, as a user's shell would point it at a
// LocalStack-style endpoint; its snapshot gives check the same verdicts.
func TestAuditEndToEnd(t *testing.T) {
	bin := buildLogpath(t)
	for _, tt := range []struct {
		scenario string
		code     int
	}{
		{"seed-broken", 1},
		{"seed-fixed", 0},
	} {
		t.Run(tt.scenario, func(t *testing.T) {
			srv := fakeaws.StartNow(t, scenarios+tt.scenario+".yaml")
			snap := filepath.Join(t.TempDir(), "snapshot.json")
			stdout, stderr, code := runBinary(t, bin, srv.Env("111122223333", "ap-northeast-1"), "audit", "--snapshot-out", snap)
			if code != tt.code {
				t.Fatalf("exit %d, want %d\n%s%s", code, tt.code, stdout, stderr)
			}
			got := stamps.ReplaceAllString(stdout, "<time>")
			compareGolden(t, "audit-"+tt.scenario+".txt", got)
			// check on the snapshot: the same verdict lines.
			checked, stderr, code := runBinary(t, bin, nil, "check", snap)
			if code != tt.code {
				t.Fatalf("check on the snapshot: exit %d, want %d\n%s%s", code, tt.code, checked, stderr)
			}
			if first(stdout, 2) != first(checked, 2) {
				t.Errorf("check on the snapshot differs:\n%s\nvs audit:\n%s", first(checked, 2), first(stdout, 2))
			}
			if u := srv.Unexpected(); len(u) > 0 {
				t.Errorf("unexpected calls: %v", u)
			}
		})
	}
}

func first(s string, n int) string {
	lines := strings.SplitN(s, "\n", n+1)
	return strings.Join(lines[:min(n, len(lines))], "\n")
}

// Credentials that are refused, or none at all: one line, exit 2.
func TestAuditCredentials(t *testing.T) {
	bin := buildLogpath(t)
	srv := fakeaws.StartNow(t, scenarios+"seed-fixed.yaml")
	env := srv.Env("999999999999", "ap-northeast-1") // a key the fake does not know
	_, stderr, code := runBinary(t, bin, env, "audit")
	if code != 2 || strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, "credentials were refused") {
		t.Errorf("refused: exit %d, stderr %q", code, stderr)
	}
	var noKeys []string
	for _, kv := range env {
		if !strings.HasPrefix(kv, "AWS_ACCESS_KEY_ID=") && !strings.HasPrefix(kv, "AWS_SECRET_ACCESS_KEY=") {
			noKeys = append(noKeys, kv)
		}
	}
	_, stderr, code = runBinary(t, bin, noKeys, "audit")
	if code != 2 || strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, "no usable AWS credentials") {
		t.Errorf("none: exit %d, stderr %q", code, stderr)
	}
}

func compareGolden(t *testing.T, name, got string) {
	t.Helper()
	golden := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test ./cmd/logpath-audit -update)", err)
	}
	if got != string(want) {
		t.Errorf("output differs from %s (run with -update after checking):\n--- got\n%s\n--- want\n%s", golden, got, want)
	}
}

// Bad audit flags: a one-line error and exit 2, before any call to AWS.
func TestAuditUsage(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--evidence", "all"}, "--evidence must be none, objects or metrics"},
		{[]string{"--lookback", "5m"}, "--lookback 5m0s is too short"},
		{[]string{"--org"}, "--org needs --role-name"},
		{[]string{"--accounts", "12345", "--role-name", "R"}, `"12345" is not a 12-digit account ID`},
		{[]string{"--ou", "ou-ab12-11111111"}, "--ou needs --org"},
		{[]string{"--role-arn", "arn:aws:iam::111122223333:role/R", "--org", "--role-name", "R"}, "exclude each other"},
		{[]string{"--format", "xml"}, "--format must be"},
		{[]string{"file.json"}, "unexpected argument"},
	} {
		var stdout, stderr bytes.Buffer
		code := run(tt.args, &stdout, &stderr)
		if code != 2 || !strings.Contains(stderr.String(), tt.want) || strings.Count(stderr.String(), "\n") != 1 {
			t.Errorf("%v: exit %d, stderr %q, want %q", tt.args, code, stderr.String(), tt.want)
		}
	}
}

// --help prints the usage that logpath help audit prints, and exits 0.
func TestAuditHelp(t *testing.T) {
	for _, flag := range []string{"-h", "--help"} {
		var stdout, stderr bytes.Buffer
		if code := run([]string{flag}, &stdout, &stderr); code != 0 || stdout.String() != cli.AuditUsage || stderr.Len() != 0 {
			t.Errorf("%s: exit %d, stderr %q, usage printed: %v", flag, code, stderr.String(), stdout.String() == cli.AuditUsage)
		}
	}
}
