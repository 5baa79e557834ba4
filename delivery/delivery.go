// Package delivery knows how AWS delivers vended logs: for each log source
// and destination in a model, the requests AWS makes on the way, the gates
// those requests must pass (bucket policy, key policy, key state, log
// resource policy, Firehose tag, RCPs, ...), and a verdict per gate
// decided with the policy engine.
//
// Each gate is one entry of Catalog and one function in this package; the
// file named after the destination holds its gates (s3.go, logs.go,
// firehose.go, kms.go, org.go). What AWS documents for each type of log
// source (who writes, the S3 key layout, the log stream, aws:SourceArn) is
// data in the file named after the source (source_nfw.go, ...); source.go
// says how a source is described to the gates.
package delivery

import (
	"github.com/logpath/logpath/fix"
	"github.com/logpath/logpath/model"
)

// Verdict is a gate's or a delivery's outcome.
type Verdict uint8

const (
	// OK: AWS will deliver through this gate.
	OK Verdict = iota
	// WARN: it works in the common case; a documented risk remains.
	WARN
	// UNKNOWN: the input does not hold what is needed to decide.
	UNKNOWN
	// FAIL: AWS will not deliver.
	FAIL
)

func (v Verdict) String() string {
	switch v {
	case OK:
		return "OK"
	case WARN:
		return "WARN"
	case UNKNOWN:
		return "UNKNOWN"
	}
	return "FAIL"
}

// MarshalText writes the verdict's name.
func (v Verdict) MarshalText() ([]byte, error) { return []byte(v.String()), nil }

// worse returns the worse of two verdicts: FAIL > UNKNOWN > WARN > OK.
func worse(a, b Verdict) Verdict { return max(a, b) }

// Source is where logs come from.
type Source struct {
	Type string `json:"type"` // network-firewall
	// Name is the name AWS knows the source by (FirewallName).
	Name    string `json:"name"`
	ID      string `json:"id,omitempty"`
	ARN     string `json:"arn,omitempty"`
	LogType string `json:"logType"`
	Account string `json:"account,omitempty"`
	Region  string `json:"region,omitempty"`
	// File and Line are where the source is defined.
	File   string       `json:"file,omitempty"`
	Line   int          `json:"line,omitempty"`
	Origin model.Origin `json:"-"`
}

// Destination is where the logs go.
type Destination struct {
	Type string `json:"type"` // S3, CloudWatchLogs, KinesisDataFirehose
	Name string `json:"name"`
	ARN  string `json:"arn,omitempty"`
}

// Request is a request AWS makes on the way, as the policy engine saw it.
type Request struct {
	Principal string              `json:"principal"`
	Action    string              `json:"action"`
	Resource  string              `json:"resource"`
	Context   map[string][]string `json:"context,omitempty"`
}

// Statement is the policy statement that decided a gate.
type Statement struct {
	Policy string `json:"policy"`
	Sid    string `json:"sid,omitempty"`
	Index  int    `json:"index"`
	Effect string `json:"effect"`
	File   string `json:"file,omitempty"`
	Line   int    `json:"line,omitempty"`
	Column int    `json:"column,omitempty"`
}

// Fix is a proven change: applying it makes the gate OK.
type Fix struct {
	// Summary says what to do, in one sentence.
	Summary string `json:"summary"`
	// Target names the policy or resource to change.
	Target string `json:"target"`
	// Statements to add to the target policy, if the fix is a policy change.
	Statements []fix.Statement `json:"statements,omitempty"`
	// Policy is the whole target policy with the statements added.
	Policy string `json:"policy,omitempty"`
	// Location is where the target is defined.
	Location model.Origin `json:"location"`
}

// GateResult is one gate's verdict for one delivery.
type GateResult struct {
	ID      string  `json:"id"`
	Verdict Verdict `json:"verdict"`
	Reason  string  `json:"reason"`
	// Request is the request the gate evaluated; for FAIL, the one AWS
	// would deny.
	Request *Request `json:"request,omitempty"`
	// Deciding is the statement that decided, nil when none did (an
	// implicit deny, or a gate that is not about a policy).
	Deciding *Statement `json:"decidingStatement,omitempty"`
	Doc      string     `json:"doc"`
	Fix      *Fix       `json:"fix,omitempty"`
	// Location is the resource this gate is about, where a change is made.
	Location model.Origin `json:"location"`
	// Suppressed is set when the user accepted this finding.
	Suppressed *Suppressed `json:"suppressed,omitempty"`
}

// Delivery is one log type of one source going to one destination.
type Delivery struct {
	Source      Source      `json:"source"`
	Destination Destination `json:"destination"`
	// Verdict is the worst verdict of the gates, suppressed or not.
	Verdict Verdict `json:"verdict"`
	// Effective is the worst verdict of the gates that are not
	// suppressed: what --fail-on compares.
	Effective Verdict      `json:"effectiveVerdict"`
	Gates     []GateResult `json:"gates"`
	// Evidence is what a live account shows: logs arriving or not, and
	// AWS's own delivery status (logpath audit).
	Evidence *Evidence `json:"evidence,omitempty"`
}

func (d *Delivery) add(g GateResult) {
	if g.Doc == "" {
		g.Doc = gateDoc(d.Source.Type, g.ID)
	}
	d.Gates = append(d.Gates, g)
	d.Verdict = worse(d.Verdict, g.Verdict)
	d.Effective = worse(d.Effective, g.Verdict)
}
