package live

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/firehose"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/networkfirewall"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	"github.com/aws/aws-sdk-go-v2/service/route53resolver"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/aws-sdk-go-v2/service/wafv2"
)

// sdkClients are the SDK clients the reader uses, by Go package name, with
// the service prefix of their IAM actions.
var sdkClients = map[string]struct {
	client any
	prefix string
}{
	"sts":             {&sts.Client{}, "sts"},
	"networkfirewall": {&networkfirewall.Client{}, "network-firewall"},
	"s3":              {&s3.Client{}, "s3"},
	"kms":             {&kms.Client{}, "kms"},
	"cloudwatchlogs":  {&cloudwatchlogs.Client{}, "logs"},
	"firehose":        {&firehose.Client{}, "firehose"},
	"cloudwatch":      {&cloudwatch.Client{}, "cloudwatch"},
	"ec2":             {&ec2.Client{}, "ec2"},
	"organizations":   {&organizations.Client{}, "organizations"},
	"iam":             {&iam.Client{}, "iam"},
	"route53resolver": {&route53resolver.Client{}, "route53resolver"},
	"wafv2":           {&wafv2.Client{}, "wafv2"},
	"cloudtrail":      {&cloudtrail.Client{}, "cloudtrail"},
}

// iamAction is the IAM action that allows an operation, where it is not
// the operation's own name.
// https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html
var iamAction = map[string]string{
	"s3:GetBucketEncryption": "s3:GetEncryptionConfiguration",
	"s3:ListObjectsV2":       "s3:ListBucket",
	"s3:ListBuckets":         "s3:ListAllMyBuckets",
}

// calledOperations finds every AWS operation the reader's code can call:
// each call of a method of an SDK client, and each paginator it builds.
func calledOperations(t *testing.T) map[string]string {
	t.Helper()
	methods := map[string][]string{} // method name -> packages whose client has it
	for pkg, c := range sdkClients {
		typ := reflect.TypeOf(c.client)
		for i := range typ.NumMethod() {
			if name := typ.Method(i).Name; name != "Options" {
				methods[name] = append(methods[name], pkg)
			}
		}
	}
	files, _ := filepath.Glob("*.go")
	ops := map[string]string{} // "pkg.Op" -> where
	fset := token.NewFileSet()
	paginator := regexp.MustCompile(`^New(\w+)Paginator$`)
	for _, file := range files {
		if strings.HasSuffix(file, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, file, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			where := fset.Position(call.Pos()).String()
			if id, ok := sel.X.(*ast.Ident); ok {
				if _, isPkg := sdkClients[id.Name]; isPkg {
					if m := paginator.FindStringSubmatch(sel.Sel.Name); m != nil {
						ops[id.Name+"."+m[1]] = where
					}
					return true
				}
			}
			pkgs := methods[sel.Sel.Name]
			switch len(pkgs) {
			case 0:
			case 1:
				ops[pkgs[0]+"."+sel.Sel.Name] = where
			default:
				t.Errorf("%s: %s is a method of several SDK clients (%v); this test cannot tell which is called", where, sel.Sel.Name, pkgs)
			}
			return true
		})
	}
	return ops
}

func readPolicyActions(t *testing.T) map[string]bool {
	t.Helper()
	data, err := os.ReadFile("../../docs/iam-policy.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Statement []struct {
			Effect   string
			Action   []string
			Resource string
		}
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatalf("docs/iam-policy.json: %v", err)
	}
	actions := map[string]bool{}
	for _, st := range doc.Statement {
		if st.Effect != "Allow" {
			t.Errorf("docs/iam-policy.json: a statement with Effect %q", st.Effect)
		}
		for _, a := range st.Action {
			actions[a] = true
		}
	}
	return actions
}

// isRead says whether an IAM action or operation name only reads.
func isRead(name string) bool {
	_, op, _ := strings.Cut(name, ":")
	return strings.HasPrefix(op, "Describe") || strings.HasPrefix(op, "Get") || strings.HasPrefix(op, "List")
}

// TestEveryCallIsAReadInThePolicy: every operation the reader's code can
// call is a read (Describe*, Get*, List*) and is allowed by
// docs/iam-policy.json, and the policy allows nothing the code does not
// call (least privilege). sts:AssumeRole, which the SDK calls to enter a
// role, is the caller's permission, not the audited account's.
func TestEveryCallIsAReadInThePolicy(t *testing.T) {
	policy := readPolicyActions(t)
	ops := calledOperations(t)
	// The scan must see calls on fields, on variables, and paginators.
	for _, must := range []string{"s3.GetBucketPolicy", "s3.GetBucketOwnershipControls", "kms.ListAliases", "networkfirewall.ListFirewalls",
		"cloudwatch.GetMetricData", "organizations.ListParents", "sts.GetCallerIdentity", "firehose.ListTagsForDeliveryStream",
		"ec2.DescribeFlowLogs", "iam.GetPolicyVersion", "iam.ListAttachedRolePolicies", "route53resolver.ListResolverQueryLogConfigAssociations", "wafv2.ListLoggingConfigurations", "cloudtrail.GetTrailStatus"} {
		if ops[must] == "" {
			t.Errorf("the scan did not find %s: it is broken", must)
		}
	}
	used := map[string]bool{}
	var names []string
	for op := range ops {
		names = append(names, op)
	}
	sort.Strings(names)
	for _, op := range names {
		pkg, name, _ := strings.Cut(op, ".")
		full := sdkClients[pkg].prefix + ":" + name
		if !isRead(full) {
			t.Errorf("%s: %s is not a read (Describe*, Get*, List*)", ops[op], full)
		}
		action := full
		if a, ok := iamAction[full]; ok {
			action = a
		}
		used[action] = true
		if !policy[action] {
			t.Errorf("%s: %s (IAM action %s) is not in docs/iam-policy.json", ops[op], full, action)
		}
	}
	for a := range policy {
		if !isRead(a) {
			t.Errorf("docs/iam-policy.json allows %s, which is not a read", a)
		}
		if !used[a] {
			t.Errorf("docs/iam-policy.json allows %s, which logpath never calls", a)
		}
	}
}
