package policy

import (
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// requestReadable is what a request says, in a form that compares.
func requestReadable(r *Request) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%+v %s %s account %q\n", r.Principal, r.Action, r.Resource, r.ResourceAccount)
	keys := r.Context.Keys()
	slices.Sort(keys)
	for _, k := range keys {
		v, _ := r.Context.Get(k)
		lv, _ := r.Context.Get(strings.ToUpper(k))
		fmt.Fprintf(&b, "%s=%q %q\n", k, v, lv)
	}
	return b.String()
}

// One Request, Init'ed again and again with requests of every kind (a
// context indexed or not, keys that differ only in case, errors), is each
// time the request NewRequest makes, and decides as it does.
func TestRequestInitReusesMemoryAndMatchesNewRequest(t *testing.T) {
	key := "arn:aws:kms:ap-northeast-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
	many := map[string][]string{}
	for i := range 40 {
		many[fmt.Sprintf("aws:PrincipalTag/Key%d", i)] = []string{fmt.Sprint(i)}
	}
	many["aws:SourceAccount"] = []string{"111122223333"}
	type spec struct {
		principal, action, resource string
		ctx                         map[string][]string
	}
	specs := []spec{
		{"delivery.logs.amazonaws.com", "kms:GenerateDataKey", key, map[string][]string{"aws:SourceAccount": {"111122223333"}, "kms:ViaService": {"s3.ap-northeast-1.amazonaws.com"}}},
		{"arn:aws:iam::111122223333:role/App", "kms:Decrypt", key, many},
		{"arn:aws:sts::444455556666:assumed-role/App/s", "kms:Decrypt", key, map[string][]string{"aws:PrincipalArn": {"x"}}},
		{"111122223333", "kms:ScheduleKeyDeletion", key, nil},
		{"anonymous", "s3:GetObject", "arn:aws:s3:::b/k", map[string][]string{"aws:SourceIp": {"203.0.113.7"}}},
		{"arn:aws:iam::111122223333:user/bob", "s3:GetObject", "arn:aws:s3:::b/k", map[string][]string{"aws:SourceAccount": {"1"}, "AWS:SOURCEACCOUNT": {"2"}}},
		{"arn:aws:iam::111122223333:user/bob", "GetObject", "arn:aws:s3:::b/k", nil},
		{"not a principal", "s3:GetObject", "arn:aws:s3:::b/k", nil},
		{"arn:aws:sts::111122223333:federated-user/carol", "sts:AssumeRole", "arn:aws:iam::111122223333:role/Admin", maps.Clone(many)},
		{"arn:aws:iam::111122223333:root", "kms:Encrypt", key, map[string][]string{"Kms:EncryptionContext:Aws:S3:Arn": {"arn:aws:s3:::b"}, "é:Key": {"v"}}},
	}
	p, err := Parse([]byte(`{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*","Condition":{"StringEquals":{"aws:SourceAccount":"111122223333"}}},
		{"Effect":"Deny","Principal":"*","Action":"kms:ScheduleKeyDeletion","Resource":"*","Condition":{"StringLike":{"aws:PrincipalArn":"*:root"}}}]}`),
		Options{Kind: KindResource})
	if err != nil {
		t.Fatal(err)
	}
	var reused Request
	for round := range 3 {
		for i := range specs {
			s := specs[(i*(round+1))%len(specs)] // another order each round
			want, wantErr := NewRequest(s.principal, s.action, s.resource, s.ctx)
			err := reused.Init(s.principal, s.action, s.resource, s.ctx)
			if fmt.Sprint(err) != fmt.Sprint(wantErr) {
				t.Fatalf("Init(%s, %v): error %v, NewRequest: %v", s.principal, s.ctx, err, wantErr)
			}
			if err != nil {
				continue
			}
			if got, want := requestReadable(&reused), requestReadable(want); got != want {
				t.Fatalf("round %d, Init:\n%s\nNewRequest:\n%s", round, got, want)
			}
			for k, v := range s.ctx {
				for _, spelling := range []string{k, strings.ToLower(k), strings.ToUpper(k)} {
					if got, ok := reused.Context.Get(spelling); !ok || !slices.Equal(got, v) {
						t.Fatalf("round %d: Get(%q) = %q, %v; want %q", round, spelling, got, ok, v)
					}
				}
			}
			set := Set{Resource: p}
			if g, w := Evaluate(&reused, &set), Evaluate(want, &set); !reflect.DeepEqual(fuzzResult(g), fuzzResult(w)) {
				t.Fatalf("round %d, %s: Init decides %s, NewRequest %s", round, s.principal, fuzzResult(g), fuzzResult(w))
			}
		}
	}
	// Once its memory is large enough, Init allocates only the lower-cased
	// keys.
	s := specs[0]
	if allocs := testing.AllocsPerRun(100, func() {
		if err := reused.Init(s.principal, s.action, s.resource, s.ctx); err != nil {
			t.Fatal(err)
		}
	}); allocs > 1 {
		t.Errorf("Init allocates %.0f times, want at most 1", allocs)
	}
}

// IsKMSKey follows the Resource, whether Init saw it or it was set later.
func TestIsKMSKey(t *testing.T) {
	const key = "arn:aws:kms:ap-northeast-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
	r, err := NewRequest("delivery.logs.amazonaws.com", "kms:GenerateDataKey", key, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !r.IsKMSKey() {
		t.Error("a key ARN from Init: not a KMS key")
	}
	r.Resource = "arn:aws:s3:::amzn-s3-demo-bucket/AWSLogs/111122223333/x"
	if r.IsKMSKey() {
		t.Error("a bucket set after Init: a KMS key")
	}
	if lit := (&Request{Resource: key}); !lit.IsKMSKey() {
		t.Error("a key ARN without Init: not a KMS key")
	}
	if err := r.Init("delivery.logs.amazonaws.com", "s3:PutObject", "arn:aws:s3:::amzn-s3-demo-bucket/x", nil); err != nil || r.IsKMSKey() {
		t.Errorf("a bucket from Init after a key: KMS key %v (%v)", r.IsKMSKey(), err)
	}
}
