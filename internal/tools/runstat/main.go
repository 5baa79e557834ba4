//go:build unix

// Command runstat runs a command and writes its wall-clock time, its
// maximum resident set size and its user and system CPU time, as the kernel
// reports them to wait4(2), to a file: "SECONDS KILOBYTES USER SYSTEM" on
// one line, like GNU time's -f '%e %M %U %S' but to 0.1 ms, where GNU time
// gives 10 ms.
// scripts/bench-check.sh uses it where /usr/bin/time is not GNU time.
//
// Usage:
//
//	runstat -o FILE COMMAND [ARG...]
//
// The command's standard input, output and error are runstat's; runstat
// exits with the command's exit code.
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"syscall"
	"time"
)

func main() {
	out := flag.String("o", "", "file to write \"SECONDS KILOBYTES USER SYSTEM\" to")
	flag.Parse()
	if *out == "" || flag.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "usage: runstat -o FILE COMMAND [ARG...]")
		os.Exit(2)
	}
	cmd := exec.Command(flag.Arg(0), flag.Args()[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		fmt.Fprintln(os.Stderr, "runstat:", err)
		os.Exit(2)
	}
	// ru_maxrss is in kilobytes on Linux (getrusage(2)).
	var maxRSS int64
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		maxRSS = int64(ru.Maxrss)
	}
	line := fmt.Appendf(nil, "%.4f %d %.4f %.4f\n", wall.Seconds(), maxRSS, cmd.ProcessState.UserTime().Seconds(), cmd.ProcessState.SystemTime().Seconds())
	if err := os.WriteFile(*out, line, 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "runstat:", err)
		os.Exit(2)
	}
	os.Exit(cmd.ProcessState.ExitCode())
}
