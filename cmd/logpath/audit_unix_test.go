//go:build unix

package main

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// A signal sent to logpath alone (a CI runner's timeout, kill) reaches
// logpath-audit, and logpath exits as it does.
func TestAuditPassesSignalsOn(t *testing.T) {
	bin := buildAlone(t)
	standIn(t, filepath.Dir(bin), `trap 'echo stopped by TERM; exit 7' TERM
echo ready
while :; do sleep 0.01; done
`)
	cmd := exec.Command(bin, "audit")
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} // for the timer below
	cmd.Env = []string{"PATH=" + filepath.Dir(mustLookPath(t, "sh")) + string(os.PathListSeparator) + filepath.Dir(mustLookPath(t, "sleep"))}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := bufio.NewScanner(out)
	if !lines.Scan() || lines.Text() != "ready" {
		t.Fatalf("the stand-in did not start: %q", lines.Text())
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	// Should the signal not arrive, the stand-in would hold the pipe open
	// for ever: end the whole process group.
	timer := time.AfterFunc(30*time.Second, func() { syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) })
	defer timer.Stop()
	var rest []string
	for lines.Scan() {
		rest = append(rest, lines.Text())
	}
	err = cmd.Wait()
	ee, ok := err.(*exec.ExitError)
	if !ok || ee.ExitCode() != 7 || strings.Join(rest, "\n") != "stopped by TERM" {
		t.Errorf("after SIGTERM to logpath: %v, output %q; want exit 7 and %q", err, rest, "stopped by TERM")
	}
}
