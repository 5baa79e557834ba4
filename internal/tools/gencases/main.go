// Command gencases writes a synthetic case file for `logpath simulate
// --cases`: JSON lines, one case per line, each with its own KMS key policy
// of four to six statements with conditions and, depending on the case,
// identity policies, a permissions boundary, a session policy, SCPs and RCPs.
// The requests mix service principals, role sessions, IAM users, root users
// and anonymous callers, within the key's account and across accounts. The
// generation logic is package internal/gencases; the simulate benchmark
// (cmd/logpath, BenchmarkSimulateCases10k) calls it directly.
//
// Usage:
//
//	go run ./internal/tools/gencases [-n N] [-seed S] [-o FILE]
//
// Flags:
//
//	-n N       number of cases (default 10000)
//	-seed S    math/rand seed; the same seed gives the same file (default 1)
//	-distinct  end every statement's Sid with the case's number, so that no
//	           statement repeats across cases
//	-o FILE    output file; "-" is standard output (default "-")
//
// Example:
//
//	go run ./internal/tools/gencases -n 10000 -o bench/cases10k.jsonl
//	logpath simulate --cases bench/cases10k.jsonl
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/logpath/logpath/internal/gencases"
)

func main() {
	n := flag.Int("n", 10000, "number of cases")
	seed := flag.Int64("seed", 1, "math/rand seed; the same seed gives the same file")
	distinct := flag.Bool("distinct", false, "end every statement's Sid with the case's number, so that no statement repeats across cases")
	out := flag.String("o", "-", `output file ("-" for standard output)`)
	flag.Parse()
	if flag.NArg() > 0 || *n < 0 {
		fmt.Fprintln(os.Stderr, "usage: gencases [-n N] [-seed S] [-o FILE]")
		os.Exit(2)
	}
	if err := run(*out, gencases.Options{N: *n, Seed: *seed, Distinct: *distinct}); err != nil {
		fmt.Fprintln(os.Stderr, "gencases:", err)
		os.Exit(1)
	}
}

func run(path string, opts gencases.Options) error {
	if path == "-" {
		return gencases.Write(os.Stdout, opts)
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := gencases.Write(f, opts); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
