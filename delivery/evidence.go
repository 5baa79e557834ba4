package delivery

import (
	"fmt"
	"strings"
	"time"

	"github.com/logpath/logpath/model"
)

// Evidence is what AWS showed about a delivery in a live account, next to
// the verdict its policies give (docs/json-output.md). The gate
// evidence.logs carries what it does to the verdict.
type Evidence struct {
	// State is one of:
	//   arriving  logs were delivered within the lookback
	//   stopped   logs were delivered before the lookback, none within it
	//   none      no log was found at all
	//   unread    whether logs arrive could not be read
	State string `json:"state"`
	// Summary says, in one sentence, what the evidence shows and what
	// it does to the verdict.
	Summary string `json:"summary"`
	// Where is what was looked at.
	Where string `json:"where,omitempty"`
	// Newest is when the newest log was delivered, if any was found.
	Newest *time.Time `json:"newest,omitempty"`
	// Since is the start of the lookback.
	Since time.Time `json:"since"`
	// Failure is a delivery failure AWS reports, verbatim.
	Failure string `json:"failure,omitempty"`
	// Traffic is what the source handled within the lookback, when
	// metrics were read.
	Traffic *float64 `json:"traffic,omitempty"`
	// Contradiction is set when the logs arrive although the policies
	// say they cannot: the FAIL stands, and one of the two is wrong.
	Contradiction bool `json:"contradiction,omitempty"`
}

// Evidence states.
const (
	EvidenceArriving = "arriving"
	EvidenceStopped  = "stopped"
	EvidenceNone     = "none"
	EvidenceUnread   = "unread"
)

// NFWObjectPrefix is the S3 key prefix under which Network Firewall writes
// one firewall's logs of one type:
// [<prefix>/]AWSLogs/<account>/network-firewall/<log-type>/<Region>/<firewall>/,
// then the time (YYYY/MM/DD/HH/ in the page's example). A prefix that
// starts with "/" gives a double slash, as AWS writes it.
// https://docs.aws.amazon.com/network-firewall/latest/developerguide/logging-s3.html
func NFWObjectPrefix(prefix, account, logType, region, firewall string) string {
	p := "AWSLogs/" + account + "/network-firewall/" + strings.ToLower(logType) + "/" + region + "/" + firewall + "/"
	if prefix == "" {
		return p
	}
	return strings.TrimSuffix(prefix, "/") + "/" + p
}

// NFWLogStreamPrefix is the prefix of the CloudWatch Logs streams Network
// Firewall writes one firewall's logs of one type to: one stream an hour,
// /aws/network-firewall/<alert|flow>/<firewall>_YYYY-MM-DD-HH, and one
// stream /aws/network-firewall/tls/<firewall> for TLS logs. Firewall names
// have no "_", so the prefix names one firewall's streams.
// https://docs.aws.amazon.com/network-firewall/latest/developerguide/logging-cw-logs.html
func NFWLogStreamPrefix(logType, firewall string) (prefix string, exact bool) {
	lt := strings.ToLower(logType)
	if lt == "tls" {
		return "/aws/network-firewall/tls/" + firewall, true
	}
	return "/aws/network-firewall/" + lt + "/" + firewall + "_", false
}

// applyEvidence compares what AWS shows with the policy verdict, following
// shared/reference/aws-live-audit.md §3.3: an AWS-reported failure is never
// OK; a FAIL with logs arriving is a contradiction, shown and not flipped;
// an OK with nothing delivered while the source sees traffic, or with logs
// that stopped arriving (Network Firewall: FLOW logs), is a WARN; Network
// Firewall's ALERT and TLS logs may rightly be empty. The verdict of the
// other gates is never lowered.
// https://docs.aws.amazon.com/network-firewall/latest/developerguide/firewall-logging-timing.html
func applyEvidence(d *Delivery, ev *model.Evidence) {
	if ev == nil {
		return
	}
	policyVerdict := d.Verdict
	e := &Evidence{Where: ev.Where, Failure: ev.Failure}
	d.Evidence = e
	g := GateResult{ID: "evidence.logs", Verdict: OK, Location: d.Source.Origin}
	lookback, err := time.ParseDuration(ev.Lookback)
	if err != nil || lookback <= 0 {
		e.State, e.Summary = EvidenceUnread, fmt.Sprintf("the evidence has no valid lookback (%q)", ev.Lookback)
		return
	}
	e.Since = ev.ObservedAt.Add(-lookback)
	if t, ok := ev.Traffic.Get(); ok {
		e.Traffic = &t
	}
	where := ""
	if ev.Where != "" {
		where = " under " + ev.Where
	}
	newest, known := ev.Newest.Get()
	switch {
	case !known:
		e.State = EvidenceUnread
		e.Summary = "whether logs arrive could not be read: " + ev.Newest.Reason()
	case newest == nil:
		e.State = EvidenceNone
		e.Summary = "no log was found" + where
	case !newest.Before(e.Since):
		e.State, e.Newest = EvidenceArriving, newest
		e.Summary = fmt.Sprintf("logs are arriving%s: the newest at %s, within the last %s", where, stamp(*newest), lookbackText(lookback))
	default:
		e.State, e.Newest = EvidenceStopped, newest
		e.Summary = fmt.Sprintf("no log within the last %s%s; the newest is from %s", lookbackText(lookback), where, stamp(*newest))
	}
	var notes []string
	raise := func(v Verdict, note string) {
		g.Verdict = worse(g.Verdict, v)
		notes = append(notes, note)
	}
	if ev.Failure != "" {
		raise(WARN, "AWS reports a delivery failure: "+ev.Failure)
	}
	traffic, trafficKnown := ev.Traffic.Get()
	// Network Firewall writes ALERT and TLS logs only for some traffic;
	// the other sources log whatever they see (every flow, query or
	// request), like its FLOW logs.
	nfw := d.Source.Type == nfwSource.name
	expected := !nfw || strings.EqualFold(d.Source.LogType, model.LogTypeFlow)
	noun := "source"
	if t := sourceTypes[d.Source.Type]; t != nil {
		noun = t.noun
	}
	// What the policies say, for the notes below: with an UNKNOWN gate
	// they have not been shown to allow delivery.
	policies := "the policies allow delivery"
	if policyVerdict == UNKNOWN {
		policies = "no gate logpath could decide fails"
	}
	switch {
	case e.State == EvidenceUnread:
	case e.State == EvidenceArriving && policyVerdict == FAIL:
		e.Contradiction = true
		raise(WARN, "CONTRADICTION: logs arrive although the policies say AWS cannot deliver them; the FAIL stands. A cause AWS documents is an S3 Bucket Key that cached a data key before the key policy changed; otherwise logpath's model misses something, and the report is worth filing")
	case e.State == EvidenceArriving && policyVerdict == UNKNOWN:
		notes = append(notes, "logs arriving suggest the unknown gates pass, but the verdict stays UNKNOWN")
	case e.State == EvidenceArriving:
		notes = append(notes, "this confirms the policy verdict")
	case policyVerdict == FAIL:
		notes = append(notes, "this agrees with the FAIL")
	case !expected:
		notes = append(notes, strings.ToUpper(d.Source.LogType)+" logs may rightly be empty (no alerting rule matched, no TLS event)")
	case trafficKnown && traffic > 0:
		raise(WARN, fmt.Sprintf("%s, but nothing was delivered while the firewall received %.0f packets: AWS is not delivering", policies, traffic))
	case trafficKnown:
		notes = append(notes, "the firewall received no traffic in that time, so no FLOW log is expected")
	case e.State == EvidenceStopped && nfw:
		raise(WARN, "FLOW logs stopped arriving although "+policies+": either the firewall saw no traffic since, or delivery broke (--evidence metrics tells the two apart)")
	case e.State == EvidenceStopped:
		raise(WARN, fmt.Sprintf("logs stopped arriving although %s: either the %s had nothing to log since, or delivery broke", policies, noun))
	case nfw:
		notes = append(notes, "without traffic metrics (--evidence metrics) an idle firewall cannot be told from a broken delivery")
	default:
		notes = append(notes, fmt.Sprintf("logpath reads no traffic metric for a %s, so one with nothing to log cannot be told from a broken delivery", noun))
	}
	if len(notes) > 0 {
		e.Summary += "; " + strings.Join(notes, "; ")
	}
	g.Reason = e.Summary
	d.add(g)
}

func stamp(t time.Time) string { return t.UTC().Format("2006-01-02 15:04Z") }

func lookbackText(d time.Duration) string {
	s := d.String()
	s = strings.TrimSuffix(s, "0s")
	return strings.TrimSuffix(s, "0m")
}

// gapDeliveries turns the parts of an account that could not be read into
// UNKNOWN entries, so that a report never shows an unread account as
// having no broken delivery.
func gapDeliveries(gaps []*model.Gap) []Delivery {
	var out []Delivery
	for _, gp := range gaps {
		src := Source{Type: gp.Source, Name: "every source in " + gp.Account, LogType: "*", Account: gp.Account, Region: gp.Region}
		if gp.Source == "" {
			src.Type = "account"
		}
		if gp.Region != "" {
			src.Name += " " + gp.Region
		}
		d := Delivery{Source: src, Destination: Destination{Type: "?", Name: "(not read)"}}
		d.add(GateResult{ID: "audit.read", Verdict: UNKNOWN, Reason: gp.Reason})
		out = append(out, d)
	}
	return out
}
