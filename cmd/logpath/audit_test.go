package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
)

// logpath audit runs logpath-audit (cmd/logpath-audit's tests audit the
// fake AWS through it). These tests put a stand-in logpath-audit, a shell
// script, beside a built logpath or on PATH, and check what logpath passes
// to it and takes from it.

// buildAlone builds logpath into a directory of its own.
func buildAlone(t *testing.T) string {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("the go tool is not on PATH; cannot build logpath")
	}
	bin := filepath.Join(t.TempDir(), "logpath")
	if out, err := exec.Command(goTool, "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// standIn writes a logpath-audit made of a shell script into dir.
func standIn(t *testing.T, dir, script string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, auditBinary), []byte("#!/bin/sh\n"+script), 0o755); err != nil {
		t.Fatal(err)
	}
}

func TestAuditRunsAuditBinary(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("the stand-in is a shell script")
	}
	bin := buildAlone(t)
	dir := filepath.Dir(bin)
	elsewhere := t.TempDir()
	noAudit := "PATH=" + filepath.Dir(mustLookPath(t, "sh")) // no logpath-audit on it

	tests := []struct {
		name     string
		besideIt string // the stand-in beside logpath, if any
		onPath   string // the stand-in in a directory on PATH, if any
		args     []string
		stdin    string
		code     int
		stdout   string
		stderr   string
	}{
		{
			name:     "arguments, input and output pass through",
			besideIt: `printf 'args:'; printf ' [%s]' "$@"; echo; cat; echo 'to stderr' >&2; exit 0`,
			args:     []string{"--region", "ap-northeast-1", "--format", "json", "a b"},
			stdin:    "from stdin\n",
			stdout:   "args: [--region] [ap-northeast-1] [--format] [json] [a b]\nfrom stdin\n",
			stderr:   "to stderr\n",
		},
		{name: "exit 1 is passed on", besideIt: "exit 1", code: 1},
		{name: "exit 2 and its message", besideIt: "echo 'logpath: audit: --org needs --role-name' >&2; exit 2", code: 2,
			stderr: "logpath: audit: --org needs --role-name\n"},
		{name: "ended by a signal", besideIt: "kill -KILL $$", code: 128 + int(syscall.SIGKILL)},
		{name: "found on PATH", onPath: "echo on path", stdout: "on path\n"},
		{name: "beside logpath comes before PATH", besideIt: "echo beside", onPath: "echo on path", stdout: "beside\n"},
		{name: "not installed", code: 2,
			stderr: "logpath: audit: logpath audit runs logpath-audit, which is neither beside logpath nor on PATH: install both with go install github.com/logpath/logpath/cmd/...@latest (in a clone: go install ./cmd/..., or go run ./cmd/logpath-audit FLAGS)\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			os.Remove(filepath.Join(dir, auditBinary))
			os.Remove(filepath.Join(elsewhere, auditBinary))
			env := []string{noAudit}
			if tt.besideIt != "" {
				standIn(t, dir, tt.besideIt)
			}
			if tt.onPath != "" {
				standIn(t, elsewhere, tt.onPath)
				env = []string{noAudit + string(os.PathListSeparator) + elsewhere}
			}
			cmd := exec.Command(bin, append([]string{"audit"}, tt.args...)...)
			cmd.Env = env
			cmd.Stdin = strings.NewReader(tt.stdin)
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			err := cmd.Run()
			code := 0
			if ee, ok := err.(*exec.ExitError); ok {
				code = ee.ExitCode()
			} else if err != nil {
				t.Fatal(err)
			}
			if code != tt.code || stdout.String() != tt.stdout || stderr.String() != tt.stderr {
				t.Errorf("exit %d, stdout %q, stderr %q;\nwant exit %d, stdout %q, stderr %q", code, stdout.String(), stderr.String(), tt.code, tt.stdout, tt.stderr)
			}
		})
	}
}

func mustLookPath(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		t.Skipf("%s is not on PATH", name)
	}
	return p
}

// logpath links no AWS client: the SDK's package initialisation would cost
// every start about 12 ms again (docs/benchmarks.md, fifth round), and the
// offline checker could call AWS. Only logpath-audit may link it.
func TestLogpathLinksNoAWSSDK(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("the go tool is not on PATH")
	}
	out, err := exec.Command(goTool, "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	for _, pkg := range strings.Fields(string(out)) {
		if strings.HasPrefix(pkg, "github.com/aws/") || pkg == "github.com/logpath/logpath/load/live" {
			t.Errorf("logpath depends on %s; only cmd/logpath-audit may", pkg)
		}
	}
}
