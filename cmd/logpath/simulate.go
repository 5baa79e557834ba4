package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"slices"
	"sort"
	"strings"

	"github.com/logpath/logpath/fix"
	"github.com/logpath/logpath/internal/cli"
	"github.com/logpath/logpath/internal/simulate"
	"github.com/logpath/logpath/policy"
)

const simulateUsage = `logpath simulate evaluates one request, or a batch of them, against AWS
policies the way AWS does, and says which statement decided.

Usage:
    logpath simulate --principal P --action A --resource ARN [policies] [flags]
    logpath simulate --cases FILE

Request:
    --principal P          an ARN, a 12-digit account ID (its root user), a service
                           principal such as delivery.logs.amazonaws.com, or anonymous
    --action A             service:Action, e.g. kms:GenerateDataKey
    --resource ARN         the resource's ARN
    --context KEY=VALUE    a condition key; repeat a key for a multivalued key
    --resource-account ID  the resource's account (default: from the ARN)
    --principal-account ID the principal's account (default: from its ARN)

Policies (JSON files):
    --resource-policy FILE the resource's policy (bucket policy, key policy, ...)
    --identity-policy FILE a policy attached to the principal (repeatable)
    --boundary FILE        the principal's permissions boundary (repeatable)
    --session-policy FILE  the session policy
    --scp FILE             an SCP; each file is one level of the organization (repeatable)
    --rcp FILE             an RCP; each file is one level (repeatable)

Output:
    --explain              trace every statement: applies, or which element did not match
    --format text|json     (default text)

Batch:
    --cases FILE           a JSON array or JSON lines of cases (docs/simulate-cases.md);
                           - reads standard input. Prints one JSON line per case.

When the request is implicitly denied, simulate proposes the least-privilege
statement that allows it, after checking with the same engine that it does.

Examples:
    # Why does Network Firewall never deliver logs into my SSE-KMS bucket?
    logpath simulate --resource-policy examples/seed/key-policy.json \
        --principal delivery.logs.amazonaws.com --action kms:GenerateDataKey \
        --resource arn:aws:kms:ap-northeast-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab \
        --context aws:SourceAccount=111122223333

    # Many requests at once:
    logpath simulate --cases policy/testdata/corpus/kms.json
`

func simulateCommand(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("simulate", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var (
		principal, action, resource    = fs.String("principal", "", ""), fs.String("action", "", ""), fs.String("resource", "", "")
		resourceAccount                = fs.String("resource-account", "", "")
		principalAccount               = fs.String("principal-account", "", "")
		resourcePolicy, sessionPolicy  = fs.String("resource-policy", "", ""), fs.String("session-policy", "", "")
		cases                          = fs.String("cases", "", "")
		format                         = fs.String("format", "text", "")
		explain                        = fs.Bool("explain", false, "")
		contexts, identities, boundary listFlag
		scps, rcps                     listFlag
	)
	fs.Var(&contexts, "context", "")
	fs.Var(&identities, "identity-policy", "")
	fs.Var(&boundary, "boundary", "")
	fs.Var(&scps, "scp", "")
	fs.Var(&rcps, "rcp", "")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stdout, simulateUsage)
			return err
		}
		return cli.Usagef("simulate: %v; run \"logpath help simulate\"", err)
	}
	if fs.NArg() > 0 {
		return cli.Usagef("simulate: unexpected argument %q; run \"logpath help simulate\"", fs.Arg(0))
	}
	if *format != "text" && *format != "json" {
		return cli.Usagef("simulate: --format must be text or json, not %q", *format)
	}

	if *cases != "" {
		if *principal != "" || *action != "" || *resource != "" || *resourcePolicy != "" || len(identities) > 0 {
			return cli.Usagef("simulate: --cases takes the requests and policies from the file; drop the other flags")
		}
		return runCases(*cases, stdin, stdout)
	}

	for _, f := range []struct{ name, v string }{{"--principal", *principal}, {"--action", *action}, {"--resource", *resource}} {
		if f.v == "" {
			return cli.Usagef("simulate: %s is required (or use --cases FILE); run \"logpath help simulate\"", f.name)
		}
	}
	ctx := map[string][]string{}
	for _, kv := range contexts {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return cli.Usagef("simulate: --context %q: expected KEY=VALUE", kv)
		}
		ctx[k] = append(ctx[k], v)
	}
	req, err := policy.NewRequest(*principal, *action, *resource, ctx)
	if err != nil {
		return cli.Usagef("simulate: %v", err)
	}
	if *resourceAccount != "" {
		req.ResourceAccount = *resourceAccount
	}
	if *principalAccount != "" {
		req.SetPrincipalAccount(*principalAccount)
	}

	var set policy.Set
	var resourceSrc []byte
	var all []*policy.Policy
	load := func(path string, kind policy.Kind) (*policy.Policy, []byte, error) {
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, nil, cli.Fail(err)
		}
		p, err := policy.Parse(data, policy.Options{Name: path, Kind: kind})
		if err != nil {
			return nil, nil, cli.Fail(err)
		}
		all = append(all, p)
		return p, data, nil
	}
	if *resourcePolicy != "" {
		if set.Resource, resourceSrc, err = load(*resourcePolicy, policy.KindResource); err != nil {
			return err
		}
	}
	for _, f := range identities {
		p, _, err := load(f, policy.KindIdentity)
		if err != nil {
			return err
		}
		set.Identity = append(set.Identity, p)
	}
	for _, f := range boundary {
		p, _, err := load(f, policy.KindIdentity)
		if err != nil {
			return err
		}
		set.Boundary = append(set.Boundary, p)
	}
	if *sessionPolicy != "" {
		if set.Session, _, err = load(*sessionPolicy, policy.KindIdentity); err != nil {
			return err
		}
	}
	for _, f := range scps {
		p, _, err := load(f, policy.KindSCP)
		if err != nil {
			return err
		}
		set.SCPs = append(set.SCPs, policy.OrgLevel{ID: f, Policies: []*policy.Policy{p}})
	}
	for _, f := range rcps {
		p, _, err := load(f, policy.KindRCP)
		if err != nil {
			return err
		}
		set.RCPs = append(set.RCPs, policy.OrgLevel{ID: f, Policies: []*policy.Policy{p}})
	}

	ex := policy.Explain(req, &set)
	var proposed *fix.Fix
	var unfixable string
	if ex.Result.Decision != policy.Allowed {
		f, err := fix.ForImplicitDeny(req, &set, resourceSrc)
		var u *fix.Unfixable
		switch {
		case errors.As(err, &u):
			unfixable = u.Reason
		case err != nil:
			unfixable = err.Error()
		default:
			proposed = f
		}
	}
	if *format == "json" {
		return writeSimulateJSON(stdout, req, &ex, all, proposed, unfixable, *explain)
	}
	writeSimulateText(stdout, req, &ex, all, proposed, unfixable, *explain)
	return nil
}

func runCases(name string, stdin io.Reader, stdout io.Writer) error {
	in := stdin
	if name == "-" {
		name = "<stdin>"
	} else {
		f, err := os.Open(name)
		if err != nil {
			return cli.Fail(err)
		}
		defer f.Close()
		in = f
	}
	// The garbage collector is tuned for the form of the input, which its
	// first byte that is not white space tells. Batch reads what was read
	// for it first.
	head, err := readUntilNonSpace(in)
	if err != nil {
		return cli.Fail(err)
	}
	trimmed := bytes.TrimLeft(head, " \t\r\n")
	defer casesMemoryLimit(len(trimmed) == 0 || trimmed[0] == '[')()
	w := bufio.NewWriterSize(stdout, 1<<16)
	if err := simulate.Batch(w, name, io.MultiReader(bytes.NewReader(head), in), runtime.GOMAXPROCS(0)); err != nil {
		var ie *simulate.InputError
		if errors.As(err, &ie) {
			return &cli.ExitError{Code: 2, Msg: ie.Msg}
		}
		return cli.Fail(err)
	}
	return w.Flush()
}

// readUntilNonSpace reads from in, as much as each Read gives, until what
// it has read holds a byte that is not JSON white space, or in ends.
func readUntilNonSpace(in io.Reader) ([]byte, error) {
	head := make([]byte, 0, 4096)
	for {
		if len(head) == cap(head) {
			head = slices.Grow(head, len(head))
		}
		n, err := in.Read(head[len(head):cap(head)])
		head = head[:len(head)+n]
		if len(bytes.TrimLeft(head, " \t\r\n")) > 0 || err == io.EOF {
			return head, nil
		}
		if err != nil {
			return nil, err
		}
	}
}

func statementRef(s *policy.Statement) string {
	pos := s.Position()
	return fmt.Sprintf("statement %s (%s:%d:%d)", s.Label(), s.Policy().Name, pos.Line, pos.Column)
}

func contextLines(req *policy.Request) []string {
	keys := req.Context.Keys()
	sort.Strings(keys)
	var out []string
	for _, k := range keys {
		v, _ := req.Context.Get(k)
		out = append(out, fmt.Sprintf("%s=%s", k, strings.Join(v, ",")))
	}
	return out
}

func writeSimulateText(w io.Writer, req *policy.Request, ex *policy.Explanation, all []*policy.Policy, f *fix.Fix, unfixable string, explain bool) {
	res := &ex.Result
	fmt.Fprintf(w, "Decision: %s\n", res.Decision)
	fmt.Fprintf(w, "  %s %s %s on %s\n", principalText(&req.Principal), verb(res.Decision), req.Action, req.Resource)
	switch res.Decision {
	case policy.ExplicitlyDenied:
		for _, m := range res.Deciding() {
			fmt.Fprintf(w, "  Denied by %s (%s)\n", statementRef(m.Statement), typeText(m))
		}
	case policy.Allowed:
		for _, m := range res.Deciding() {
			fmt.Fprintf(w, "  Allowed by %s (%s)\n", statementRef(m.Statement), typeText(m))
		}
		if res.RootUser {
			fmt.Fprintln(w, "  Allowed because the account root user has full access to its own account")
		}
	default:
		why := res.Gap.String()
		if res.Level != "" {
			why += " (level " + res.Level + ")"
		}
		fmt.Fprintf(w, "  Why: %s\n", why)
	}
	fmt.Fprintln(w, "\nRequest")
	fmt.Fprintf(w, "  principal  %s\n", principalText(&req.Principal))
	fmt.Fprintf(w, "  action     %s\n", req.Action)
	fmt.Fprintf(w, "  resource   %s\n", req.Resource)
	for i, c := range contextLines(req) {
		label := "           "
		if i == 0 {
			label = "context    "
		}
		fmt.Fprintf(w, "  %s%s\n", label, c)
	}
	if explain {
		fmt.Fprintln(w, "\nStatements")
		for _, pt := range ex.Policies {
			head := fmt.Sprintf("%s %s", pt.Type, pt.Policy.Name)
			if pt.Level != "" {
				head += " (level " + pt.Level + ")"
			}
			if pt.Skipped != "" {
				fmt.Fprintf(w, "  %s: skipped, %s\n", head, pt.Skipped)
				continue
			}
			fmt.Fprintf(w, "  %s\n", head)
			for _, st := range pt.Statements {
				pos := st.Statement.Position()
				if st.Applies {
					note := ""
					if st.Note != "" {
						note = "; " + st.Note
					}
					fmt.Fprintf(w, "    %-5s %s (line %d): applies%s\n", st.Statement.Effect, st.Statement.Label(), pos.Line, note)
				} else {
					fmt.Fprintf(w, "    %-5s %s (line %d): does not apply: %s\n", st.Statement.Effect, st.Statement.Label(), pos.Line, st.Mismatch)
				}
			}
		}
	}
	var warnings []string
	for _, p := range all {
		for _, wn := range p.Warnings {
			warnings = append(warnings, fmt.Sprintf("%s:%d:%d (%s): %s [%s]", p.Name, wn.Pos.Line, wn.Pos.Column, wn.Path, wn.Message, wn.Code))
		}
	}
	if len(warnings) > 0 {
		fmt.Fprintln(w, "\nWarnings")
		for _, s := range warnings {
			fmt.Fprintf(w, "  %s\n", s)
		}
	}
	if f != nil {
		b, _ := json.MarshalIndent(f.Statement, "  ", "  ")
		fmt.Fprintf(w, "\nFix: add this statement to the %s (checked: the request is then Allowed)\n  %s\n", f.Target, b)
	} else if unfixable != "" && res.Decision != policy.Allowed {
		fmt.Fprintf(w, "\nNo automatic fix: %s\n", unfixable)
	}
}

func verb(d policy.Decision) string {
	if d == policy.Allowed {
		return "may"
	}
	return "may not"
}

func principalText(p *policy.Principal) string {
	switch p.Kind {
	case policy.Anonymous:
		return "anonymous"
	case policy.ServicePrincipal:
		return p.ARN + " (service principal)"
	}
	return p.ARN
}

func typeText(m policy.Match) string {
	if m.Level != "" {
		return fmt.Sprintf("%s, level %s", m.Type, m.Level)
	}
	return m.Type.String()
}

type jsonStatementRef struct {
	Type   string `json:"type"`
	Level  string `json:"level,omitempty"`
	Policy string `json:"policy"`
	Sid    string `json:"sid,omitempty"`
	Index  int    `json:"index"`
	Effect string `json:"effect"`
	Line   int    `json:"line"`
	Column int    `json:"column"`
}

func refJSON(t policy.PolicyType, level string, s *policy.Statement) jsonStatementRef {
	pos := s.Position()
	return jsonStatementRef{Type: t.String(), Level: level, Policy: s.Policy().Name, Sid: s.Sid, Index: s.Index, Effect: s.Effect.String(), Line: pos.Line, Column: pos.Column}
}

func writeSimulateJSON(w io.Writer, req *policy.Request, ex *policy.Explanation, all []*policy.Policy, f *fix.Fix, unfixable string, explain bool) error {
	type warning struct {
		Policy  string `json:"policy"`
		Code    string `json:"code"`
		Message string `json:"message"`
		Path    string `json:"path"`
		Line    int    `json:"line"`
		Column  int    `json:"column"`
	}
	type trace struct {
		jsonStatementRef
		Applies  bool   `json:"applies"`
		Mismatch string `json:"mismatch,omitempty"`
		Note     string `json:"note,omitempty"`
		Skipped  string `json:"skipped,omitempty"`
	}
	type fixJSON struct {
		Target    string          `json:"target"`
		Statement fix.Statement   `json:"statement"`
		Policy    json.RawMessage `json:"policy"`
	}
	out := struct {
		Decision    string             `json:"decision"`
		Reason      string             `json:"reason,omitempty"`
		Level       string             `json:"level,omitempty"`
		RootUser    bool               `json:"rootUser,omitempty"`
		Request     map[string]any     `json:"request"`
		Deciding    []jsonStatementRef `json:"deciding"`
		Warnings    []warning          `json:"warnings"`
		Explanation []trace            `json:"explanation,omitempty"`
		Fix         *fixJSON           `json:"fix,omitempty"`
		NoFix       string             `json:"noFix,omitempty"`
	}{
		Decision: ex.Result.Decision.String(),
		Reason:   ex.Result.Gap.String(),
		Level:    ex.Result.Level,
		RootUser: ex.Result.RootUser,
		Deciding: []jsonStatementRef{},
		Warnings: []warning{},
	}
	ctx := map[string][]string{}
	for _, k := range req.Context.Keys() {
		ctx[k], _ = req.Context.Get(k)
	}
	out.Request = map[string]any{"principal": req.Principal.ARN, "principalType": req.Principal.Kind.String(), "action": req.Action, "resource": req.Resource, "context": ctx}
	for _, m := range ex.Result.Deciding() {
		out.Deciding = append(out.Deciding, refJSON(m.Type, m.Level, m.Statement))
	}
	for _, p := range all {
		for _, wn := range p.Warnings {
			out.Warnings = append(out.Warnings, warning{p.Name, wn.Code, wn.Message, wn.Path, wn.Pos.Line, wn.Pos.Column})
		}
	}
	if explain {
		for _, pt := range ex.Policies {
			if pt.Skipped != "" {
				out.Explanation = append(out.Explanation, trace{jsonStatementRef: jsonStatementRef{Type: pt.Type.String(), Level: pt.Level, Policy: pt.Policy.Name, Index: -1}, Skipped: pt.Skipped})
				continue
			}
			for _, st := range pt.Statements {
				out.Explanation = append(out.Explanation, trace{refJSON(pt.Type, pt.Level, st.Statement), st.Applies, st.Mismatch, st.Note, ""})
			}
		}
	}
	if f != nil {
		out.Fix = &fixJSON{Target: string(f.Target), Statement: f.Statement, Policy: f.Policy}
	} else if ex.Result.Decision != policy.Allowed {
		out.NoFix = unfixable
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
