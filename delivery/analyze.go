package delivery

import (
	"runtime"
	"strings"

	"github.com/logpath/logpath/internal/parallel"
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
	rolesByRef, rolesByARN      map[string]*model.IAMRole
	rolesByName                 map[string]*model.IAMRole // account/name
	managedByRef, managedByARN  map[string]*model.ManagedPolicy
	// groupPolicyIndex finds groupLevelPolicies by "ref:" and the log
	// group's reference, or "arn:" and its ARN, as indexes into them.
	groupPolicyIndex map[string][]int

	parsed map[*model.PolicyDocument]parsedPolicy
	docOf  map[*policy.Policy]*model.PolicyDocument
	// patched replaces a resource's policy while a fix is proven.
	patched map[any]*model.PolicyDocument
	proving bool
	// patchedInline adds an inline policy to a role while a fix is proven.
	patchedInline map[*model.IAMRole]*model.PolicyDocument
	// defaults holds the default key policy of keys that have none.
	defaults map[*model.Key]*model.PolicyDocument
	// rcpCache holds the RCP levels of each account, built once a run.
	rcpCache map[string]rcpLevelsResult
	// anySCP and anyRCP say whether the input holds an SCP or an RCP (or
	// an organization policy of unknown type).
	anySCP, anyRCP bool
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
		rolesByRef:      map[string]*model.IAMRole{},
		rolesByARN:      map[string]*model.IAMRole{},
		rolesByName:     map[string]*model.IAMRole{},
		managedByRef:    map[string]*model.ManagedPolicy{},
		managedByARN:    map[string]*model.ManagedPolicy{},
		patchedInline:   map[*model.IAMRole]*model.PolicyDocument{},
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
			a.bucketsByName[b.Scope+"\x00"+n] = b
		}
	}
	for _, k := range m.Keys {
		if k.ID != "" {
			a.keysByRef[k.RefKey()] = k
		}
		if arn, ok := k.ARN.Get(); ok {
			a.keysByARN[arn] = k
			a.keysByARN[k.Scope+"\x00"+arn] = k
		}
		if id, ok := k.KeyID.Get(); ok {
			a.keysByID[scoped(k.Account.Or(""), k.Region.Or(""), id)] = k
			a.keysByID[k.Scope+"\x00"+scoped(k.Account.Or(""), k.Region.Or(""), id)] = k
		}
	}
	for _, al := range m.Aliases {
		if al.ID != "" {
			a.aliasesByRef[al.RefKey()] = al
		}
		if n, ok := al.Name.Get(); ok {
			a.aliasesByName[scoped(al.Account.Or(""), al.Region.Or(""), n)] = al
			a.aliasesByName[al.Scope+"\x00"+scoped(al.Account.Or(""), al.Region.Or(""), n)] = al
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
	for _, r := range m.Roles {
		if r.ID != "" {
			a.rolesByRef[r.RefKey()] = r
		}
		if arn, ok := r.ARN.Get(); ok {
			a.rolesByARN[arn] = r
		}
		if n, ok := r.Name.Get(); ok {
			a.rolesByName[r.Account.Or("")+"/"+n] = r
		}
	}
	for _, p := range m.ManagedPolicies {
		if p.ID != "" {
			a.managedByRef[p.RefKey()] = p
		}
		if arn, ok := p.ARN.Get(); ok {
			a.managedByARN[arn] = p
		}
	}
	for _, op := range m.OrgPolicies {
		t, ok := op.Type.Get()
		a.anySCP = a.anySCP || !ok || t == model.SCPType
		a.anyRCP = a.anyRCP || !ok || t == model.RCPType
	}
	a.groupPolicyIndex = map[string][]int{}
	for _, p := range m.LogResourcePolicies {
		if arn, ok := p.LogGroupARN.Get(); (ok && arn != "") || p.LogGroupRef != "" {
			i := len(a.groupLevelPolicies)
			a.groupLevelPolicies = append(a.groupLevelPolicies, p)
			if p.LogGroupRef != "" {
				a.groupPolicyIndex["ref:"+p.LogGroupRef] = append(a.groupPolicyIndex["ref:"+p.LogGroupRef], i)
			}
			k := "arn:" + strings.TrimSuffix(p.LogGroupARN.Or(""), ":*")
			a.groupPolicyIndex[k] = append(a.groupPolicyIndex[k], i)
			continue
		}
		k := scoped(p.Account.Or(""), p.Region.Or(""), "")
		a.accountPolicies[k] = append(a.accountPolicies[k], p)
	}
	return a
}

// Analyze lists every log delivery in the model and decides each gate.
func Analyze(m *model.Model) []Delivery {
	sources := len(m.Firewalls) + len(m.FlowLogs) + len(m.Trails)
	out := analyze(m, min(runtime.GOMAXPROCS(0), sources/sourcesPerWorker))
	applySuppressions(out, m.Suppressions)
	return out
}

// sourcesPerWorker is the fewest sources worth a worker of their own: each
// worker builds its own indexes of the model.
const sourcesPerWorker = 64

// analyze decides the model's sources on a number of workers, each with
// its own analyzer. The model is only read and an analyzer's caches only
// memoize, so the deliveries are the same as from one analyzer, in the
// same order: firewalls, flow logs, Resolver query logging, WAF, trails,
// then the inputs that could not be read.
func analyze(m *model.Model, workers int) []Delivery {
	var jobs []func(*analyzer) []Delivery
	for _, fw := range m.Firewalls {
		jobs = append(jobs, func(a *analyzer) []Delivery { return a.firewall(fw) })
	}
	for _, fl := range m.FlowLogs {
		jobs = append(jobs, func(a *analyzer) []Delivery { return a.flowLog(fl) })
	}
	jobs = append(jobs, (*analyzer).resolverConfigs, (*analyzer).wafLogging)
	for _, t := range m.Trails {
		jobs = append(jobs, func(a *analyzer) []Delivery { return a.trail(t) })
	}
	byJob := make([][]Delivery, len(jobs))
	parallel.For(len(jobs), workers, func() *analyzer { return newAnalyzer(m) }, func(a *analyzer, i int) {
		byJob[i] = jobs[i](a)
	})
	var out []Delivery
	for _, ds := range byJob {
		out = append(out, ds...)
	}
	return append(out, gapDeliveries(m.Gaps)...)
}

// policyOf returns a resource's policy, or the replacement a fix is being
// proven with.
func (a *analyzer) policyOf(owner any, v model.Value[*model.PolicyDocument]) model.Value[*model.PolicyDocument] {
	if p, ok := a.patched[owner]; ok {
		return model.Known(p)
	}
	return v
}

// bucketNamed finds a bucket by name, in the source's own input first:
// two inputs may both define amzn-s3-demo-logs.
func (a *analyzer) bucketNamed(name string, src *source) *model.Bucket {
	if b := a.bucketsByName[src.origin.Scope+"\x00"+name]; b != nil {
		return b
	}
	return a.bucketsByName[name]
}

// locate finds a destination by model reference, else by name among those
// in the source's account and Region (an unknown account or Region on
// either side does not rule a candidate out). elsewhere is a resource of
// that name found only in another account or Region.
func locate[T any](ref string, byRef map[string]*T, name model.Value[string], byName map[string][]*T, src *source,
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
	// A resource of the source's own input (template, Terraform root) is
	// preferred: two inputs may both name a bucket amzn-s3-demo-logs.
	var other *T
	for _, cand := range byName[n] {
		acct, region := where(cand)
		ca, okA := acct.Get()
		cr, okR := region.Get()
		if (!okA || src.account == "" || ca == src.account) && (!okR || src.region == "" || cr == src.region) {
			if s, ok := any(cand).(interface{ InputScope() string }); !ok || s.InputScope() == src.origin.Scope {
				return cand, nil
			}
			if other == nil {
				other = cand
			}
			continue
		}
		elsewhere = cand
	}
	if other != nil {
		return other, nil
	}
	return nil, elsewhere
}
