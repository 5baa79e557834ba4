package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"syscall"

	"github.com/logpath/logpath/internal/cli"
)

// auditBinary is the program that does logpath audit. The audit reads AWS
// through the AWS SDK, which logpath itself does not link so that check and
// simulate start in milliseconds and hold no AWS client (package
// internal/cli says more).
const auditBinary = "logpath-audit"

// auditCommand is logpath audit: it runs logpath-audit with the same
// arguments, standard input, output and error, passes on the signals that
// stop a program, and exits as it exits.
func auditCommand(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	bin, err := findAuditBinary()
	if err != nil {
		return cli.Usagef("audit: %v", err)
	}
	cmd := exec.Command(bin, args...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = stdin, stdout, stderr
	// Ctrl-C reaches both processes (they share the terminal's process
	// group); a signal sent to logpath alone is passed on. Either way
	// logpath waits for logpath-audit to end and takes its exit code.
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	defer signal.Stop(sigs)
	if err := cmd.Start(); err != nil {
		return cli.Usagef("audit: running %s: %v", bin, err)
	}
	waited := make(chan error, 1)
	go func() { waited <- cmd.Wait() }()
	for {
		select {
		case s := <-sigs:
			cmd.Process.Signal(s) // an error means it has ended: Wait says how
		case err := <-waited:
			return auditExit(bin, err)
		}
	}
}

// auditExit turns the end of logpath-audit into logpath's: its exit code,
// which it has explained on standard error, or 128 plus the signal that
// ended it, as a shell reports it.
func auditExit(bin string, err error) error {
	var ee *exec.ExitError
	if !errors.As(err, &ee) {
		if err != nil {
			return cli.Usagef("audit: running %s: %v", bin, err)
		}
		return nil
	}
	if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return &cli.ExitError{Code: 128 + int(ws.Signal())}
	}
	return &cli.ExitError{Code: ee.ExitCode()}
}

// findAuditBinary looks for logpath-audit beside logpath (where go install
// and a release archive put both, so that their versions match), then on
// PATH.
func findAuditBinary() (string, error) {
	name := auditBinary
	if runtime.GOOS == "windows" {
		name += ".exe"
	}
	var dirs []string
	if exe, err := os.Executable(); err == nil {
		dirs = append(dirs, filepath.Dir(exe))
		// A symbolic link to logpath (a package manager's bin directory)
		// may sit apart from the directory that holds both binaries.
		if real, err := filepath.EvalSymlinks(exe); err == nil && filepath.Dir(real) != dirs[0] {
			dirs = append(dirs, filepath.Dir(real))
		}
	}
	for _, dir := range dirs {
		p := filepath.Join(dir, name)
		if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() {
			return p, nil
		}
	}
	if p, err := exec.LookPath(auditBinary); err == nil {
		return p, nil
	}
	return "", fmt.Errorf("logpath audit runs %s, which is neither beside logpath nor on PATH: install both with "+
		"go install github.com/logpath/logpath/cmd/...@latest (in a clone: go install ./cmd/..., or go run ./cmd/logpath-audit FLAGS)", auditBinary)
}
