package tfhcl

import (
	"strings"
	"testing"
)

// Resources that name a bucket or key by a string instead of a reference
// find it by name, the first bucket of that name and the last key of that
// ID or ARN, and one outside the configuration is made once.
func TestByNameLookups(t *testing.T) {
	m := load(t, writeDir(t, map[string]string{"main.tf": `
resource "aws_s3_bucket" "logs" {
  bucket = "amzn-s3-demo-logs"
}
resource "aws_s3_bucket_ownership_controls" "logs" {
  bucket = "amzn-s3-demo-logs"
  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}
resource "aws_s3_bucket_ownership_controls" "elsewhere" {
  bucket = "amzn-s3-demo-elsewhere"
  rule {
    object_ownership = "ObjectWriter"
  }
}
resource "aws_s3_bucket_policy" "elsewhere" {
  bucket = "amzn-s3-demo-elsewhere"
  policy = jsonencode({ Version = "2012-10-17", Statement = [] })
}
resource "aws_kms_key_policy" "a" {
  key_id = "1234abcd-12ab-34cd-56ef-1234567890ab"
  policy = jsonencode({ Version = "2012-10-17", Id = "first", Statement = [] })
}
resource "aws_kms_key_policy" "b" {
  key_id = "1234abcd-12ab-34cd-56ef-1234567890ab"
  policy = jsonencode({ Version = "2012-10-17", Id = "second", Statement = [] })
}
resource "aws_kms_key_policy" "c" {
  key_id = "arn:aws:kms:ap-northeast-1:111122223333:key/0987dcba-09fe-87dc-65ba-ab0987654321"
  policy = jsonencode({ Version = "2012-10-17", Id = "third", Statement = [] })
}
resource "aws_kms_key_policy" "d" {
  key_id = "arn:aws:kms:ap-northeast-1:111122223333:key/0987dcba-09fe-87dc-65ba-ab0987654321"
  policy = jsonencode({ Version = "2012-10-17", Id = "fourth", Statement = [] })
}
`}), seedOpts)
	if len(m.Buckets) != 2 {
		t.Fatalf("%d buckets, want the configured one and one outside", len(m.Buckets))
	}
	if got := m.Buckets[0].Ownership.Or("?"); m.Buckets[0].ID != "aws_s3_bucket.logs" || got != "BucketOwnerEnforced" {
		t.Errorf("bucket 0 = %s with ownership %q, want aws_s3_bucket.logs with BucketOwnerEnforced", m.Buckets[0].ID, got)
	}
	other := m.Buckets[1]
	if other.Name.Or("") != "amzn-s3-demo-elsewhere" || other.Ownership.Or("?") != "ObjectWriter" {
		t.Errorf("bucket outside = %+v", other)
	}
	if doc, ok := other.Policy.Get(); !ok || doc == nil {
		t.Errorf("the second resource naming the bucket outside did not find it: policy %+v", other.Policy)
	}
	if len(m.Keys) != 2 {
		t.Fatalf("%d keys, want two outside the configuration", len(m.Keys))
	}
	for i, want := range []string{`"Id":"second"`, `"Id":"fourth"`} {
		doc, ok := m.Keys[i].Policy.Get()
		if !ok || doc == nil || !strings.Contains(doc.JSON.Or(""), want) {
			t.Errorf("key %d policy = %+v, want the last one (%s)", i, m.Keys[i].Policy, want)
		}
	}
}
