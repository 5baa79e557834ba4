// Package live reads AWS accounts as they are, with aws-sdk-go-v2, into
// the same model the infrastructure-as-code loaders build, and attaches
// what AWS shows about each delivery (docs: README "Audit a live account").
//
// It only reads: every call is a Describe*, Get* or List* in
// docs/iam-policy.json (TestEveryCallIsAReadInThePolicy). A read that is
// denied leaves the model fields it would fill unknown, naming the
// missing IAM action, so that the gates that need them are UNKNOWN and
// never OK. Each bucket, key, log group and stream is read once per run.
//
// Sources are one file each (nfw.go, flowlogs.go, resolver.go, waf.go,
// cloudtrail.go),
// registered in sources; destinations are shared (s3.go, kms.go, logs.go,
// firehose.go, destinations.go for those named by ARN), and so are IAM
// roles and policies (iam.go); evidence.go looks for delivered logs.
package live

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/logpath/logpath/internal/crash"
	"github.com/logpath/logpath/model"
)

// EvidenceMode says how much evidence of delivery to read.
type EvidenceMode int

const (
	// EvidenceObjects lists delivered S3 objects and log streams (no
	// object is read or downloaded).
	EvidenceObjects EvidenceMode = iota
	// EvidenceNone reads only the configuration.
	EvidenceNone
	// EvidenceMetrics also reads CloudWatch traffic metrics, which AWS
	// bills (GetMetricData).
	EvidenceMetrics
)

// Options say what to audit and how.
type Options struct {
	// Profile is a shared-config profile; "" for the default chain.
	Profile string
	// Regions to read; none: the configured Region. AllRegions reads
	// every Region enabled in each account (ec2:DescribeRegions).
	Regions    []string
	AllRegions bool
	// RoleARN audits the account behind that role (with ExternalID).
	RoleARN    string
	ExternalID string
	// Accounts audits these accounts through RoleName in each; Org
	// audits every active account of the organization (under OU).
	// The caller's own account needs no role.
	Accounts []string
	Org      bool
	OU       string
	RoleName string
	// SessionName names the assumed-role sessions; default "logpath".
	SessionName string
	Evidence    EvidenceMode
	// Lookback is how far back logs count as arriving; default 24h.
	Lookback time.Duration
	// ParallelAccounts is how many accounts are read at once (default
	// 4); RequestsPerAccount how many requests are in flight with one
	// account's credentials (default 16).
	ParallelAccounts   int
	RequestsPerAccount int
	// MaxAttempts and MaxBackoff bound the adaptive retryer (default 5
	// attempts, 20s); AWS_MAX_ATTEMPTS overrides MaxAttempts.
	MaxAttempts int
	MaxBackoff  time.Duration
	// Now is the clock; default time.Now.
	Now func() time.Time
}

// account is an account in scope: the caller's own, or one entered
// through a role.
type account struct {
	id   string
	cfg  aws.Config
	role string // the role ARN used; "" for the caller's credentials
	// unreadable says why the account could not be entered.
	unreadable string
	regions    []string

	mu      sync.Mutex
	clients map[string]*clients

	orgOnce sync.Once
	orgID   model.Value[string] // see organizationID
}

func (ac *account) in(region string) *clients {
	ac.mu.Lock()
	defer ac.mu.Unlock()
	if c := ac.clients[region]; c != nil {
		return c
	}
	c := newClients(ac.cfg, region)
	ac.clients[region] = c
	return c
}

// auditor is one run.
type auditor struct {
	o         Options
	now       time.Time
	base      aws.Config
	caller    string
	partition string
	accounts  map[string]*account
	cache     cache
	transport *http.Transport

	mu sync.Mutex
	m  *model.Model
}

// Read audits the accounts the options name and returns the model, with
// Deployed set and every part that could not be read as a Gap.
func Read(ctx context.Context, o Options) (*model.Model, error) {
	if o.Lookback <= 0 {
		o.Lookback = 24 * time.Hour
	}
	if o.ParallelAccounts <= 0 {
		o.ParallelAccounts = 4
	}
	if o.RequestsPerAccount <= 0 {
		o.RequestsPerAccount = 16
	}
	if o.MaxAttempts <= 0 {
		o.MaxAttempts = 5
	}
	if o.MaxBackoff <= 0 {
		o.MaxBackoff = 20 * time.Second
	}
	if o.SessionName == "" {
		o.SessionName = "logpath"
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	base, err := loadConfig(ctx, &o)
	if err != nil {
		return nil, &SetupError{"cannot load the AWS configuration: " + oneLine(err.Error())}
	}
	if base.Region == "" {
		return nil, &SetupError{"no AWS Region: pass --region, or set AWS_REGION or region in the profile"}
	}
	a := &auditor{o: o, now: o.Now().UTC(), base: base, accounts: map[string]*account{}, m: &model.Model{Deployed: true}}
	a.transport = newTransport(o.ParallelAccounts * o.RequestsPerAccount)
	a.base.HTTPClient = newLimitedClient(a.transport, o.RequestsPerAccount)
	id, err := sts.NewFromConfig(a.base).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		return nil, credentialsError(err)
	}
	a.caller = aws.ToString(id.Account)
	a.partition = "aws"
	if parts := strings.SplitN(aws.ToString(id.Arn), ":", 3); len(parts) == 3 {
		a.partition = parts[1]
	}
	targets, err := a.targets(ctx)
	if err != nil {
		return nil, err
	}
	a.enter(ctx, targets)
	a.forEachAccount(targets, func(ac *account) { a.audit(ctx, ac) })
	a.readOrganization(ctx, targets)
	a.sortModel()
	a.transport.CloseIdleConnections()
	return a.m, nil
}

// targets lists the accounts to audit.
func (a *auditor) targets(ctx context.Context) ([]string, error) {
	switch {
	case a.o.RoleARN != "":
		parts := strings.SplitN(a.o.RoleARN, ":", 6)
		if len(parts) != 6 || parts[2] != "iam" || !isAccountID(parts[4]) || !strings.HasPrefix(parts[5], "role/") {
			return nil, &SetupError{fmt.Sprintf("--role-arn %q is not an IAM role ARN (arn:aws:iam::111122223333:role/NAME)", a.o.RoleARN)}
		}
		return []string{parts[4]}, nil
	case a.o.Org:
		ids, err := a.orgAccounts(ctx)
		if err != nil {
			return nil, err
		}
		return ids, nil
	case len(a.o.Accounts) > 0:
		var ids []string
		for _, id := range a.o.Accounts {
			if !isAccountID(id) {
				return nil, &SetupError{fmt.Sprintf("--accounts: %q is not a 12-digit account ID", id)}
			}
			if !slices.Contains(ids, id) {
				ids = append(ids, id)
			}
		}
		return ids, nil
	}
	return []string{a.caller}, nil
}

// roleFor is the role that enters an account; "" for the caller's own.
func (a *auditor) roleFor(id string) string {
	switch {
	case a.o.RoleARN != "":
		return a.o.RoleARN
	case id == a.caller:
		return ""
	case a.o.RoleName != "":
		return "arn:" + a.partition + ":iam::" + id + ":role/" + a.o.RoleName
	}
	return ""
}

// enter sets up every target account's credentials and checks them with
// sts:GetCallerIdentity; an account that cannot be entered becomes a Gap
// and the others go on.
func (a *auditor) enter(ctx context.Context, ids []string) {
	for _, id := range ids {
		ac := &account{id: id, cfg: a.base.Copy(), role: a.roleFor(id), clients: map[string]*clients{}}
		ac.cfg.HTTPClient = newLimitedClient(a.transport, a.o.RequestsPerAccount)
		if id != a.caller && ac.role == "" {
			ac.unreadable = fmt.Sprintf("account %s is not the caller's account (%s), and no --role-name or --role-arn says how to enter it", id, a.caller)
		}
		if ac.role != "" {
			ext := a.o.ExternalID
			ac.cfg.Credentials = aws.NewCredentialsCache(stscreds.NewAssumeRoleProvider(sts.NewFromConfig(a.base), ac.role, func(p *stscreds.AssumeRoleOptions) {
				p.RoleSessionName = a.o.SessionName
				if ext != "" {
					p.ExternalID = aws.String(ext)
				}
			}))
		}
		a.accounts[id] = ac
	}
	a.forEachAccount(ids, func(ac *account) {
		if ac.unreadable != "" || ac.role == "" {
			return
		}
		id, err := ac.in(ac.cfg.Region).sts.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
		switch {
		case err != nil:
			ac.unreadable = fmt.Sprintf("cannot assume %s: %s", ac.role, readFailure("sts:AssumeRole", err))
		case aws.ToString(id.Account) != ac.id:
			ac.unreadable = fmt.Sprintf("role %s answers as account %s, not %s", ac.role, aws.ToString(id.Account), ac.id)
		}
	})
}

// forEachAccount runs fn for the accounts, ParallelAccounts at a time.
func (a *auditor) forEachAccount(ids []string, fn func(*account)) {
	slots := make(chan struct{}, a.o.ParallelAccounts)
	var wg sync.WaitGroup
	for _, id := range ids {
		ac := a.accounts[id]
		wg.Add(1)
		slots <- struct{}{}
		go func() {
			defer crash.Guard()
			defer func() { <-slots; wg.Done() }()
			fn(ac)
		}()
	}
	wg.Wait()
}

// sources are the log sources the audit reads, one reader file each.
var sources = []struct {
	name string
	read func(a *auditor, ctx context.Context, ac *account, region string)
}{
	{"network-firewall", (*auditor).readNetworkFirewall},
	{"vpc-flow-logs", (*auditor).readFlowLogs},
	{"route53-resolver", (*auditor).readResolver},
	{"waf", (*auditor).readWAF},
	{"cloudtrail", (*auditor).readCloudTrail},
}

// audit reads one account: every source in every Region.
func (a *auditor) audit(ctx context.Context, ac *account) {
	if ac.unreadable != "" {
		a.gap(&model.Gap{Account: ac.id, Reason: ac.unreadable})
		return
	}
	regions, err := a.regions(ctx, ac)
	if err != "" {
		a.gap(&model.Gap{Account: ac.id, Reason: err})
		return
	}
	ac.regions = regions
	var wg sync.WaitGroup
	for _, region := range regions {
		for _, src := range sources {
			wg.Add(1)
			go func() {
				defer crash.Guard()
				defer wg.Done()
				src.read(a, ctx, ac, region)
			}()
		}
	}
	wg.Wait()
}

// regions lists the Regions to read in an account.
func (a *auditor) regions(ctx context.Context, ac *account) ([]string, string) {
	if !a.o.AllRegions {
		if len(a.o.Regions) > 0 {
			return a.o.Regions, ""
		}
		return []string{a.base.Region}, ""
	}
	out, err := ac.in(a.base.Region).ec2.DescribeRegions(ctx, &ec2.DescribeRegionsInput{})
	if err != nil {
		return nil, "cannot list the account's Regions for --all-regions: " + readFailure("ec2:DescribeRegions", err)
	}
	var rs []string
	for _, r := range out.Regions {
		rs = append(rs, aws.ToString(r.RegionName))
	}
	sort.Strings(rs)
	return rs, ""
}

func (a *auditor) gap(g *model.Gap) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.m.Gaps = append(a.m.Gaps, g)
}

// add appends resources to the model.
func (a *auditor) add(fn func(m *model.Model)) {
	a.mu.Lock()
	defer a.mu.Unlock()
	fn(a.m)
}

// sortModel orders the model so that reports do not depend on which read
// finished first.
func (a *auditor) sortModel() {
	m := a.m
	sort.Slice(m.Firewalls, func(i, j int) bool { return m.Firewalls[i].ID < m.Firewalls[j].ID })
	sort.Slice(m.FlowLogs, func(i, j int) bool { return m.FlowLogs[i].ID < m.FlowLogs[j].ID })
	sort.Slice(m.Roles, func(i, j int) bool { return m.Roles[i].ID < m.Roles[j].ID })
	sort.Slice(m.ManagedPolicies, func(i, j int) bool { return m.ManagedPolicies[i].ID < m.ManagedPolicies[j].ID })
	sort.Slice(m.ResolverQueryLogConfigs, func(i, j int) bool { return m.ResolverQueryLogConfigs[i].ID < m.ResolverQueryLogConfigs[j].ID })
	sort.Slice(m.ResolverQueryLogAssociations, func(i, j int) bool {
		return m.ResolverQueryLogAssociations[i].ID < m.ResolverQueryLogAssociations[j].ID
	})
	sort.Slice(m.Trails, func(i, j int) bool { return m.Trails[i].ID < m.Trails[j].ID })
	sort.Slice(m.WebACLs, func(i, j int) bool { return m.WebACLs[i].ID < m.WebACLs[j].ID })
	sort.Slice(m.WAFLoggingConfigurations, func(i, j int) bool { return m.WAFLoggingConfigurations[i].ID < m.WAFLoggingConfigurations[j].ID })
	sort.Slice(m.Buckets, func(i, j int) bool { return m.Buckets[i].Name.Or("") < m.Buckets[j].Name.Or("") })
	sort.Slice(m.Keys, func(i, j int) bool { return m.Keys[i].ID < m.Keys[j].ID })
	sort.Slice(m.Aliases, func(i, j int) bool { return m.Aliases[i].ID < m.Aliases[j].ID })
	sort.Slice(m.LogGroups, func(i, j int) bool { return m.LogGroups[i].ID < m.LogGroups[j].ID })
	sort.Slice(m.LogResourcePolicies, func(i, j int) bool { return m.LogResourcePolicies[i].ID < m.LogResourcePolicies[j].ID })
	sort.Slice(m.DeliveryStreams, func(i, j int) bool { return m.DeliveryStreams[i].ID < m.DeliveryStreams[j].ID })
	sort.Slice(m.OrgPolicies, func(i, j int) bool { return m.OrgPolicies[i].ID < m.OrgPolicies[j].ID })
	sort.Slice(m.Gaps, func(i, j int) bool {
		gi, gj := m.Gaps[i], m.Gaps[j]
		return gi.Account+"/"+gi.Region+"/"+gi.Source < gj.Account+"/"+gj.Region+"/"+gj.Source
	})
}

func isAccountID(s string) bool {
	return len(s) == 12 && strings.Trim(s, "0123456789") == ""
}

// settleWith says what would let logpath read an owner-only setting in
// another account.
func (a *auditor) settleWith(owner string) string {
	if owner == "" {
		return "audit the owning account too (--accounts or --org with --role-name)"
	}
	if a.o.RoleName != "" {
		return fmt.Sprintf("audit account %s too, through the role arn:%s:iam::%s:role/%s (--accounts %s --role-name %s)", owner, a.partition, owner, a.o.RoleName, owner, a.o.RoleName)
	}
	return fmt.Sprintf("audit account %s too, through a read-only role there (--accounts %s --role-name NAME)", owner, owner)
}
