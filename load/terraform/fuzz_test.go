package terraform

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/logpath/logpath/delivery"
)

// FuzzLoad: no input makes Load panic, every error is an *Error, and a
// model it returns can be analyzed.
func FuzzLoad(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.json"))
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	for _, s := range []string{
		``, `{}`, `[]`, `null`, `{"format_version":"1.0"}`,
		`{"format_version":"1.2","planned_values":{"root_module":{"child_modules":[{"address":"module.a[\"x\"]"}]}}}`,
		`{"format_version":"1.2","planned_values":{"root_module":{"resources":[{"address":"aws_wafv2_web_acl_logging_configuration.l","mode":"managed","type":"aws_wafv2_web_acl_logging_configuration","name":"l","values":{"log_destination_configs":["arn:aws:s3:::b/p",null]}},{"address":"aws_route53_resolver_query_log_config.q","mode":"managed","type":"aws_route53_resolver_query_log_config","name":"q","values":{"destination_arn":"arn:aws:logs:r:a:log-group:"}}]}}}`,
		`{"format_version":"1.2","planned_values":{"root_module":{"resources":[{"address":"aws_s3_bucket.b","mode":"managed","type":"aws_s3_bucket","name":"b","values":{"server_side_encryption_configuration":[{"rule":7}]}}]}},"resource_changes":[{"address":"aws_s3_bucket.b","change":{"after_unknown":{"policy":[true]}}}]}`,
		`{"format_version":"1.2","planned_values":{"root_module":{"resources":[{"address":"aws_cloudtrail.t","mode":"managed","type":"aws_cloudtrail","name":"t","values":{"name":"t","is_organization_trail":true,"cloud_watch_logs_group_arn":"arn:aws:s3:::b","kms_key_id":"alias/aws/s3"}}]}}}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := Load("fuzz.json", data, Options{Account: "111122223333", Region: "eu-west-1"})
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %v is a %T, not an *Error", err, err)
			}
			return
		}
		delivery.Analyze(m)
	})
}
