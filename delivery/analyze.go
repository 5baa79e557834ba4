package delivery

import (
	"fmt"
	"strings"

	"github.com/logpath/logpath/model"
	"github.com/logpath/logpath/policy"
)

// analyzer holds one run's indexes and caches. Lookups are maps, so a run
// is linear in the number of resources.
type analyzer struct {
	m *model.Model

	bucketsByRef, bucketsByName map[string]*model.Bucket
	keysByRef, keysByARN        map[string]*model.Key
	keysByID                    map[string]*model.Key // account/region/key-id
	aliasesByRef                map[string]*model.Alias
	aliasesByName               map[string]*model.Alias // account/region/alias/name
	groupsByRef                 map[string]*model.LogGroup
	groupsByName                map[string][]*model.LogGroup
	streamsByRef                map[string]*model.DeliveryStream
	streamsByName               map[string][]*model.DeliveryStream
	accountPolicies             map[string][]*model.LogResourcePolicy // account/region
	groupLevelPolicies          []*model.LogResourcePolicy

	parsed map[*model.PolicyDocument]parsedPolicy
	docOf  map[*policy.Policy]*model.PolicyDocument
	// patched replaces a resource's policy while a fix is proven.
	patched map[any]*model.PolicyDocument
	proving bool
	// defaults holds the default key policy of keys that have none.
	defaults map[*model.Key]*model.PolicyDocument
	// rcpCache holds the RCP levels of each account, built once a run.
	rcpCache map[string]rcpLevelsResult
}

func scoped(account, region, name string) string { return account + "/" + region + "/" + name }

func newAnalyzer(m *model.Model) *analyzer {
	a := &analyzer{
		m:               m,
		bucketsByRef:    map[string]*model.Bucket{},
		bucketsByName:   map[string]*model.Bucket{},
		keysByRef:       map[string]*model.Key{},
		keysByARN:       map[string]*model.Key{},
		keysByID:        map[string]*model.Key{},
		aliasesByRef:    map[string]*model.Alias{},
		aliasesByName:   map[string]*model.Alias{},
		groupsByRef:     map[string]*model.LogGroup{},
		groupsByName:    map[string][]*model.LogGroup{},
		streamsByRef:    map[string]*model.DeliveryStream{},
		streamsByName:   map[string][]*model.DeliveryStream{},
		accountPolicies: map[string][]*model.LogResourcePolicy{},
		parsed:          map[*model.PolicyDocument]parsedPolicy{},
		docOf:           map[*policy.Policy]*model.PolicyDocument{},
		patched:         map[any]*model.PolicyDocument{},
		defaults:        map[*model.Key]*model.PolicyDocument{},
		rcpCache:        map[string]rcpLevelsResult{},
	}
	for _, b := range m.Buckets {
		if b.ID != "" {
			a.bucketsByRef[b.RefKey()] = b
		}
		if n, ok := b.Name.Get(); ok {
			a.bucketsByName[n] = b
		}
	}
	for _, k := range m.Keys {
		if k.ID != "" {
			a.keysByRef[k.RefKey()] = k
		}
		if arn, ok := k.ARN.Get(); ok {
			a.keysByARN[arn] = k
		}
		if id, ok := k.KeyID.Get(); ok {
			a.keysByID[scoped(k.Account.Or(""), k.Region.Or(""), id)] = k
		}
	}
	for _, al := range m.Aliases {
		if al.ID != "" {
			a.aliasesByRef[al.RefKey()] = al
		}
		if n, ok := al.Name.Get(); ok {
			a.aliasesByName[scoped(al.Account.Or(""), al.Region.Or(""), n)] = al
		}
	}
	for _, g := range m.LogGroups {
		if g.ID != "" {
			a.groupsByRef[g.RefKey()] = g
		}
		if n, ok := g.Name.Get(); ok {
			a.groupsByName[n] = append(a.groupsByName[n], g)
		}
	}
	for _, s := range m.DeliveryStreams {
		if s.ID != "" {
			a.streamsByRef[s.RefKey()] = s
		}
		if n, ok := s.Name.Get(); ok {
			a.streamsByName[n] = append(a.streamsByName[n], s)
		}
	}
	for _, p := range m.LogResourcePolicies {
		if arn, ok := p.LogGroupARN.Get(); (ok && arn != "") || p.LogGroupRef != "" {
			a.groupLevelPolicies = append(a.groupLevelPolicies, p)
			continue
		}
		k := scoped(p.Account.Or(""), p.Region.Or(""), "")
		a.accountPolicies[k] = append(a.accountPolicies[k], p)
	}
	return a
}

// Analyze lists every log delivery in the model and decides each gate.
func Analyze(m *model.Model) []Delivery {
	a := newAnalyzer(m)
	var out []Delivery
	for _, fw := range m.Firewalls {
		out = append(out, a.firewall(fw)...)
	}
	out = append(out, gapDeliveries(m.Gaps)...)
	applySuppressions(out, m.Suppressions)
	return out
}

// nfw is one firewall log type, as the gates see it.
type nfw struct {
	fw      *model.Firewall
	name    string
	account string
	region  string
	logType string
	// missing says which of name, account, region are unknown, and why.
	missing []string
}

func (s *nfw) source() Source {
	return Source{Type: "network-firewall", Name: s.name, ID: s.fw.ID, ARN: s.fw.ARN.Or(""), LogType: s.logType, Account: s.account, Region: s.region,
		File: s.fw.File, Line: s.fw.Line, Origin: s.fw.Origin}
}

func (a *analyzer) firewall(fw *model.Firewall) []Delivery {
	if fw.Logging == nil {
		return nil
	}
	base := nfw{fw: fw}
	var ok bool
	if base.name, ok = fw.Name.Get(); !ok {
		base.name = fw.ID
		base.missing = append(base.missing, "the firewall name is unknown: "+fw.Name.Reason())
	}
	if base.account, ok = fw.Account.Get(); !ok {
		base.missing = append(base.missing, "the firewall's account is unknown: "+fw.Account.Reason())
	}
	if base.region, ok = fw.Region.Get(); !ok {
		base.missing = append(base.missing, "the firewall's Region is unknown: "+fw.Region.Reason())
	}
	if fw.Logging.Unknown != "" {
		d := Delivery{Source: base.source()}
		d.Source.LogType = "?"
		d.add(GateResult{ID: "nfw.logging-config", Verdict: UNKNOWN, Reason: "the logging configuration cannot be read: " + fw.Logging.Unknown, Location: fw.Logging.Origin})
		return []Delivery{d}
	}
	var out []Delivery
	for i := range fw.Logging.Destinations {
		dest := &fw.Logging.Destinations[i]
		src := base
		src.logType = dest.LogType.Or("?")
		d := Delivery{Source: src.source()}
		a.destination(&d, &src, dest)
		applyEvidence(&d, dest.Evidence)
		out = append(out, d)
	}
	return out
}

func (a *analyzer) destination(d *Delivery, src *nfw, dest *model.LogDestination) {
	loc := dest.Origin
	if loc.File == "" {
		loc = src.fw.Logging.Origin
	}
	var problems []string
	if _, ok := dest.LogType.Get(); !ok {
		problems = append(problems, "the log type is unknown: "+dest.LogType.Reason())
	}
	typ, ok := dest.Type.Get()
	if !ok {
		problems = append(problems, "the destination type is unknown: "+dest.Type.Reason())
	}
	if len(problems) > 0 {
		d.Destination = Destination{Type: typ, Name: "?"}
		d.add(GateResult{ID: "nfw.logging-config", Verdict: UNKNOWN, Reason: strings.Join(problems, "; "), Location: loc})
		return
	}
	defer func() {
		if d.Destination.Name == "" {
			d.Destination.Name = "(name unknown)"
		}
	}()
	switch typ {
	case model.DestS3:
		a.s3(d, src, dest, loc)
	case model.DestLogs:
		a.logs(d, src, dest, loc)
	case model.DestFirehose:
		a.firehose(d, src, dest, loc)
	default:
		d.Destination = Destination{Type: typ, Name: "?"}
		d.add(GateResult{ID: "nfw.logging-config", Verdict: FAIL, Location: loc,
			Reason: fmt.Sprintf("unknown destination type %q (expected S3, CloudWatchLogs or KinesisDataFirehose)", typ)})
	}
}

// policyOf returns a resource's policy, or the replacement a fix is being
// proven with.
func (a *analyzer) policyOf(owner any, v model.Value[*model.PolicyDocument]) model.Value[*model.PolicyDocument] {
	if p, ok := a.patched[owner]; ok {
		return model.Known(p)
	}
	return v
}

// locate finds a destination by model reference, else by name among those
// in the source's account and Region (an unknown account or Region on
// either side does not rule a candidate out). elsewhere is a resource of
// that name found only in another account or Region.
func locate[T any](ref string, byRef map[string]*T, name model.Value[string], byName map[string][]*T, src *nfw,
	where func(*T) (account, region model.Value[string])) (found, elsewhere *T) {
	if ref != "" {
		if found = byRef[ref]; found != nil {
			return found, nil
		}
	}
	n, ok := name.Get()
	if !ok {
		return nil, nil
	}
	for _, cand := range byName[n] {
		acct, region := where(cand)
		ca, okA := acct.Get()
		cr, okR := region.Get()
		if (!okA || src.account == "" || ca == src.account) && (!okR || src.region == "" || cr == src.region) {
			return cand, nil
		}
		elsewhere = cand
	}
	return nil, elsewhere
}
