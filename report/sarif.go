package report

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"path/filepath"
	"sort"
	"strings"
	"unicode"

	"github.com/logpath/logpath/delivery"
)

// SARIF 2.1.0 as GitHub code scanning reads it: the properties it requires
// and the ones it uses are listed in "SARIF support for code scanning",
// https://docs.github.com/en/code-security/reference/code-scanning/sarif-files/sarif-support-for-code-scanning
// (docs/sarif.md says how findings map to it).
const (
	sarifSchema  = "https://json.schemastore.org/sarif-2.1.0.json"
	sarifVersion = "2.1.0"
	// sarifFingerprint names logpath's partial fingerprint: the identity of
	// a finding (gate, source, log type, destination, resource), which does
	// not change when lines move.
	sarifFingerprint = "logpath/v1"
	// srcRoot is the uriBaseId of relative artifact URIs: the root of the
	// repository, which is what GitHub resolves relative URIs against.
	srcRoot = "%SRCROOT%"
)

// SARIFOptions says how to write a SARIF report.
type SARIFOptions struct {
	// ToolVersion is logpath's version (tool.driver.version).
	ToolVersion string
	// Root is the directory that artifact URIs are relative to: the
	// repository root. A file outside it gets an absolute file:// URI.
	// Empty means the working directory.
	Root string
}

// SARIF writes the report as a SARIF 2.1.0 log for GitHub code scanning:
// one rule per gate of delivery.Catalog and one result per gate that is
// not OK, located at the file and line of the resource that must change.
func SARIF(w io.Writer, ds []delivery.Delivery, o SARIFOptions) error {
	root, err := filepath.Abs(o.Root)
	if err != nil {
		return err
	}
	ruleIndex := make(map[string]int, len(delivery.Catalog))
	rules := make([]sarifRule, 0, len(delivery.Catalog))
	for i, g := range delivery.Catalog {
		ruleIndex[g.ID] = i
		rules = append(rules, ruleOf(&g))
	}
	run := sarifRun{
		Tool:    sarifTool{Driver: sarifDriver{Name: "logpath", InformationURI: "https://github.com/logpath/logpath", Version: o.ToolVersion, Rules: rules}},
		Results: []sarifResult{},
	}
	var notes []sarifNotification
	seen := map[string]int{}
	for i := range ds {
		d := &ds[i]
		for j := range d.Gates {
			g := &d.Gates[j]
			if g.Verdict == delivery.OK {
				continue
			}
			idx, ok := ruleIndex[g.ID]
			if !ok {
				return fmt.Errorf("report: gate %q is not in delivery.Catalog", g.ID)
			}
			msg := sarifText{Text: resultMessage(d, g)}
			loc, ok := resultLocation(d, g, root)
			if !ok {
				// GitHub rejects the whole file if one result has no
				// physical location, so a finding with no file at all
				// (read from standard input) becomes a notification.
				notes = append(notes, sarifNotification{Level: sarifLevel(g.Verdict), Message: msg, AssociatedRule: sarifRuleRef{ID: g.ID, Index: idx}})
				continue
			}
			fp := fingerprint(d, g)
			seen[fp]++
			if n := seen[fp]; n > 1 {
				fp = fmt.Sprintf("%s:%d", fp, n)
			}
			res := sarifResult{
				RuleID:              g.ID,
				RuleIndex:           idx,
				Level:               sarifLevel(g.Verdict),
				Message:             msg,
				Locations:           []sarifLocation{loc},
				PartialFingerprints: map[string]string{sarifFingerprint: fp},
				Properties:          sarifResultProperties{Verdict: g.Verdict.String()},
			}
			if sup := g.Suppressed; sup != nil {
				// Comments and Metadata name the resource they are on;
				// a .logpath.yaml entry does not.
				kind := "inSource"
				if sup.At.ID == "" {
					kind = "external"
				}
				res.Suppressions = []sarifSuppression{{Kind: kind, Justification: sup.Reason}}
			}
			run.Results = append(run.Results, res)
		}
	}
	if len(notes) > 0 {
		run.Invocations = []sarifInvocation{{ExecutionSuccessful: true, ToolExecutionNotifications: notes}}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(sarifLog{Schema: sarifSchema, Version: sarifVersion, Runs: []sarifRun{run}})
}

// ruleOf describes a gate as a SARIF rule (reportingDescriptor).
func ruleOf(g *delivery.Gate) sarifRule {
	help := fmt.Sprintf("%s\n\nDestinations: %s.\nAWS documentation: %s", g.Checks, g.Applies, g.Doc)
	// GitHub would take <bucket> for an HTML tag and drop it.
	esc := func(s string) string { return strings.ReplaceAll(mdEscape(s), "*", `\*`) }
	md := fmt.Sprintf("**%s.** %s\n\nDestinations: %s.\n\n[AWS documentation](%s)", esc(g.Title), esc(g.Checks), g.Applies, g.Doc)
	service, _, _ := strings.Cut(g.ID, ".")
	return sarifRule{
		ID:                   g.ID,
		Name:                 pascalCase(g.ID),
		ShortDescription:     sarifText{Text: g.Title},
		FullDescription:      sarifText{Text: g.Checks},
		HelpURI:              g.Doc,
		Help:                 sarifText{Text: help, Markdown: md},
		DefaultConfiguration: sarifConfiguration{Level: "error"},
		Properties: sarifRuleProperties{
			// CWE-778, Insufficient Logging: a log that is not delivered
			// is a security event that is not recorded.
			Tags:            []string{"aws", "logging", service, "external/cwe/cwe-778"},
			Precision:       "high",
			ProblemSeverity: "error",
		},
	}
}

// pascalCase turns a gate ID into the single identifier SARIF suggests
// for a rule's name: kms.key-policy -> KmsKeyPolicy.
func pascalCase(id string) string {
	var b strings.Builder
	for _, part := range strings.FieldsFunc(id, func(r rune) bool { return r == '.' || r == '-' }) {
		r := []rune(part)
		r[0] = unicode.ToUpper(r[0])
		b.WriteString(string(r))
	}
	return b.String()
}

// sarifLevel maps a verdict to a result level. OK is never a result.
func sarifLevel(v delivery.Verdict) string {
	switch v {
	case delivery.FAIL:
		return "error"
	case delivery.WARN:
		return "warning"
	}
	return "note"
}

// resultMessage is the whole finding as text: GitHub shows the first
// sentence as the alert's title and the rest below it.
func resultMessage(d *delivery.Delivery, g *delivery.GateResult) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s -> %s %s at %s: %s", g.Verdict, sourceLine(d), d.Destination.Type, d.Destination.Name, g.ID, g.Reason)
	if !strings.HasSuffix(g.Reason, ".") {
		b.WriteString(".")
	}
	b.WriteString("\n")
	if r := g.Request; r != nil {
		fmt.Fprintf(&b, "\nRequest: principal %s, action %s, resource %s\n", r.Principal, r.Action, r.Resource)
		keys := make([]string, 0, len(r.Context))
		for k := range r.Context {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			fmt.Fprintf(&b, "  %s = %s\n", k, strings.Join(r.Context[k], ", "))
		}
	}
	if s := g.Deciding; s != nil {
		label := fmt.Sprintf("#%d", s.Index)
		if s.Sid != "" {
			label = fmt.Sprintf("%q", s.Sid)
		}
		fmt.Fprintf(&b, "\nDecided by: %s statement %s of the %s", s.Effect, label, s.Policy)
		if s.File != "" {
			fmt.Fprintf(&b, " at %s:%d", s.File, s.Line)
		}
		b.WriteString("\n")
	}
	if f := g.Fix; f != nil {
		fmt.Fprintf(&b, "\nFix: %s\n", f.Summary)
		for _, st := range f.Statements {
			js, _ := json.MarshalIndent(st, "", "  ")
			fmt.Fprintf(&b, "%s\n", js)
		}
	}
	fmt.Fprintf(&b, "\nAWS documentation: %s", g.Doc)
	return b.String()
}

// resultLocation is where the finding is shown: the resource that must
// change, as precisely as the input says. In order: the statement that
// decided (a Deny to remove or narrow), the resource the gate is about
// (the policy document, the key, the bucket), the resource the fix
// changes, and when none of those is in a file, the log source. ok is false
// when nothing is in a file.
func resultLocation(d *delivery.Delivery, g *delivery.GateResult, root string) (loc sarifLocation, ok bool) {
	id := g.Location.ID
	if id == "" && g.Fix != nil {
		id = g.Fix.Location.ID
	}
	if id != "" {
		loc.LogicalLocations = []sarifLogicalLocation{{Name: id, Kind: "resource"}}
	}
	type candidate struct {
		file string
		line int
	}
	var candidates []candidate
	if s := g.Deciding; s != nil && s.Line > 0 {
		candidates = append(candidates, candidate{s.File, s.Line})
	}
	candidates = append(candidates, candidate{g.Location.File, g.Location.Line})
	if g.Fix != nil {
		candidates = append(candidates, candidate{g.Fix.Location.File, g.Fix.Location.Line})
	}
	for _, c := range candidates {
		if art, ok := artifactOf(c.file, root); ok {
			loc.PhysicalLocation = &sarifPhysicalLocation{ArtifactLocation: art, Region: lineRegion(c.line)}
			return loc, true
		}
	}
	if art, ok := artifactOf(d.Source.File, root); ok {
		what := "the resource to change"
		if id != "" {
			what += ", " + id + ","
		}
		loc.Message = &sarifText{Text: what + " is not defined in a file; shown at the log source " + sourceName(d)}
		loc.PhysicalLocation = &sarifPhysicalLocation{ArtifactLocation: art, Region: lineRegion(d.Source.Line)}
		return loc, true
	}
	// A live account (logpath audit): the resource to change is known by
	// its ARN, which is a URI of its own; the whole "file" is the resource.
	for _, arn := range []string{id, g.Location.ID, d.Source.ARN} {
		if strings.HasPrefix(arn, "arn:") {
			loc.PhysicalLocation = &sarifPhysicalLocation{ArtifactLocation: sarifArtifactLocation{URI: arn}, Region: lineRegion(1)}
			return loc, true
		}
	}
	return loc, false
}

// lineRegion is a whole line. GitHub requires startLine; a resource
// whose line is unknown is shown at the top of its file.
func lineRegion(line int) sarifRegion {
	line = max(line, 1)
	return sarifRegion{StartLine: line, StartColumn: 1, EndLine: line}
}

// artifactOf turns a file name from the input into an artifact location:
// relative to the repository root when the file is inside it, with
// forward slashes; an absolute file:// URI otherwise. A name in angle
// brackets (<stdin>) is not a file.
func artifactOf(file, root string) (sarifArtifactLocation, bool) {
	if file == "" || strings.HasPrefix(file, "<") {
		return sarifArtifactLocation{}, false
	}
	abs, err := filepath.Abs(file)
	if err != nil {
		return sarifArtifactLocation{}, false
	}
	if rel, err := filepath.Rel(root, abs); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		u := url.URL{Path: filepath.ToSlash(rel)}
		return sarifArtifactLocation{URI: u.String(), URIBaseID: srcRoot}, true
	}
	p := filepath.ToSlash(abs)
	if !strings.HasPrefix(p, "/") {
		p = "/" + p // a Windows drive: file:///C:/...
	}
	u := url.URL{Scheme: "file", Path: p}
	return sarifArtifactLocation{URI: u.String()}, true
}

// fingerprint identifies a finding across runs whatever its line: the
// gate, the source, the log type, the destination and the resource the
// gate is about.
func fingerprint(d *delivery.Delivery, g *delivery.GateResult) string {
	source := d.Source.ID
	if source == "" {
		source = d.Source.Name
	}
	h := sha256.Sum256([]byte(strings.Join([]string{g.ID, d.Source.Type, source, d.Source.LogType, d.Destination.Type, d.Destination.Name, g.Location.ID}, "\x00")))
	return hex.EncodeToString(h[:16])
}

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool        sarifTool         `json:"tool"`
	Invocations []sarifInvocation `json:"invocations,omitempty"`
	Results     []sarifResult     `json:"results"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	InformationURI string      `json:"informationUri"`
	Version        string      `json:"version,omitempty"`
	Rules          []sarifRule `json:"rules"`
}

type sarifRule struct {
	ID                   string              `json:"id"`
	Name                 string              `json:"name"`
	ShortDescription     sarifText           `json:"shortDescription"`
	FullDescription      sarifText           `json:"fullDescription"`
	HelpURI              string              `json:"helpUri"`
	Help                 sarifText           `json:"help"`
	DefaultConfiguration sarifConfiguration  `json:"defaultConfiguration"`
	Properties           sarifRuleProperties `json:"properties"`
}

type sarifConfiguration struct {
	Level string `json:"level"`
}

type sarifRuleProperties struct {
	Tags            []string `json:"tags"`
	Precision       string   `json:"precision"`
	ProblemSeverity string   `json:"problem.severity"`
}

// sarifText is a message or a multiformatMessageString.
type sarifText struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown,omitempty"`
}

type sarifResult struct {
	RuleID              string                `json:"ruleId"`
	RuleIndex           int                   `json:"ruleIndex"`
	Level               string                `json:"level"`
	Message             sarifText             `json:"message"`
	Locations           []sarifLocation       `json:"locations"`
	PartialFingerprints map[string]string     `json:"partialFingerprints"`
	Properties          sarifResultProperties `json:"properties"`
	// Suppressions: a suppressed finding is still a result; code scanning
	// shows it as dismissed.
	Suppressions []sarifSuppression `json:"suppressions,omitempty"`
}

type sarifSuppression struct {
	// Kind is "inSource" for a logpath:ignore comment or CloudFormation
	// Metadata, "external" for .logpath.yaml.
	Kind          string `json:"kind"`
	Justification string `json:"justification,omitempty"`
}

type sarifResultProperties struct {
	// Verdict keeps UNKNOWN apart from WARN, which levels do not.
	Verdict string `json:"verdict"`
}

type sarifLocation struct {
	PhysicalLocation *sarifPhysicalLocation `json:"physicalLocation,omitempty"`
	LogicalLocations []sarifLogicalLocation `json:"logicalLocations,omitempty"`
	Message          *sarifText             `json:"message,omitempty"`
}

type sarifPhysicalLocation struct {
	ArtifactLocation sarifArtifactLocation `json:"artifactLocation"`
	Region           sarifRegion           `json:"region"`
}

type sarifArtifactLocation struct {
	URI       string `json:"uri"`
	URIBaseID string `json:"uriBaseId,omitempty"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn"`
	EndLine     int `json:"endLine"`
}

type sarifLogicalLocation struct {
	Name string `json:"name"`
	Kind string `json:"kind"`
}

type sarifInvocation struct {
	ExecutionSuccessful        bool                `json:"executionSuccessful"`
	ToolExecutionNotifications []sarifNotification `json:"toolExecutionNotifications"`
}

type sarifNotification struct {
	Level          string       `json:"level"`
	Message        sarifText    `json:"message"`
	AssociatedRule sarifRuleRef `json:"associatedRule"`
}

type sarifRuleRef struct {
	ID    string `json:"id"`
	Index int    `json:"index"`
}
