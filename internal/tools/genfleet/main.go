// Command genfleet writes a fleet of AWS Network Firewalls as infrastructure
// as code, for measuring `logpath check` at scale: each firewall sends FLOW
// and ALERT logs to its own S3 bucket (with a bucket policy), encrypted with
// SSE-KMS under its own customer managed key. Seven of every ten firewalls
// are set up correctly; the others have a key policy without the log
// delivery statement (FAIL), a bucket naming its key by ID (FAIL), or a key
// policy that requires kms:ViaService (WARN) (package internal/genfleet,
// FlawOf). The
// benchmark script scripts/bench-check.sh and the check benchmarks
// (cmd/logpath, BenchmarkCheckFleet) use it.
//
// Usage:
//
//	go run ./internal/tools/genfleet [-n N] [-format cloudformation|terraform] -o PATH
//
// Flags:
//
//	-n N         number of firewalls (default 1000)
//	-format F    cloudformation (a YAML template) or terraform (a directory
//	             of .tf files) (default cloudformation)
//	-o PATH      the template file ("-" is standard output) or the Terraform
//	             directory, created if needed; it must not hold .tf files
//
// Example:
//
//	go run ./internal/tools/genfleet -n 1000 -o bench/fleet.yaml
//	logpath check --account 111122223333 --region ap-northeast-1 bench/fleet.yaml
//	go run ./internal/tools/genfleet -n 1000 -format terraform -o bench/fleet-tf
//	logpath check --account 111122223333 --region ap-northeast-1 bench/fleet-tf
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/logpath/logpath/internal/genfleet"
)

func main() {
	n := flag.Int("n", 1000, "number of firewalls")
	format := flag.String("format", "cloudformation", "cloudformation or terraform")
	out := flag.String("o", "", `output: a template file ("-" for standard output) or a Terraform directory`)
	flag.Parse()
	if flag.NArg() > 0 || *n < 0 || *out == "" || (*format != "cloudformation" && *format != "terraform") ||
		(*format == "terraform" && *out == "-") {
		fmt.Fprintln(os.Stderr, "usage: genfleet [-n N] [-format cloudformation|terraform] -o PATH")
		os.Exit(2)
	}
	if err := run(*format, *out, *n); err != nil {
		fmt.Fprintln(os.Stderr, "genfleet:", err)
		os.Exit(1)
	}
}

func run(format, path string, n int) error {
	if format == "terraform" {
		return genfleet.WriteTerraform(path, n)
	}
	if path == "-" {
		return genfleet.WriteCloudFormation(os.Stdout, n)
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := genfleet.WriteCloudFormation(f, n); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
