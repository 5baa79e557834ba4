package live

import (
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/firehose"
	fhtypes "github.com/aws/aws-sdk-go-v2/service/firehose/types"

	"github.com/logpath/logpath/model"
)

// streamRead is a delivery stream as read once per run.
type streamRead struct {
	s *model.DeliveryStream // nil: the stream does not exist
	// failure is what Firehose itself reports as failed, verbatim.
	failure string
}

// deliveryStream reads a Firehose stream once per run: type, encryption,
// tags, and the failures Firehose reports.
// https://docs.aws.amazon.com/firehose/latest/APIReference/API_DeliveryStreamDescription.html
func (a *auditor) deliveryStream(ctx context.Context, ac *account, region, name string) *streamRead {
	return cached(&a.cache, "firehose:"+ac.id+"/"+region+"/"+name, func() *streamRead {
		cl := ac.in(region).firehose
		arn := "arn:" + a.partition + ":firehose:" + region + ":" + ac.id + ":deliverystream/" + name
		s := &model.DeliveryStream{Origin: model.Origin{ID: arn}, Name: model.Known(name), Account: model.Known(ac.id), Region: model.Known(region)}
		r := &streamRead{s: s}
		out, err := cl.DescribeDeliveryStream(ctx, &firehose.DescribeDeliveryStreamInput{DeliveryStreamName: aws.String(name)})
		switch {
		case isCode(err, "ResourceNotFoundException"):
			return &streamRead{}
		case err != nil:
			why := readFailure("firehose:DescribeDeliveryStream", err)
			s.Type, s.KeyType = model.Unknown[string]("%s", why), model.Unknown[string]("%s", why)
		default:
			d := out.DeliveryStreamDescription
			s.Type = model.Known(string(d.DeliveryStreamType))
			s.KeyType = model.Known("")
			if enc := d.DeliveryStreamEncryptionConfiguration; enc != nil && enc.Status != fhtypes.DeliveryStreamEncryptionStatusDisabled {
				s.KeyType = model.Known(string(enc.KeyType))
				s.KeyARN = model.Known(aws.ToString(enc.KeyARN))
				if enc.KeyType == fhtypes.KeyTypeCustomerManagedCmk && enc.KeyARN != nil {
					a.keyRef(ctx, aws.ToString(enc.KeyARN), ac.id, region, ac)
				}
			}
			r.failure = streamFailure(d)
		}
		s.Tags = a.streamTags(ctx, cl, name)
		a.add(func(m *model.Model) { m.DeliveryStreams = append(m.DeliveryStreams, s) })
		return r
	})
}

// streamFailure quotes what Firehose reports as failed: a failed status
// and the FailureDescription of the stream and of its encryption.
// https://docs.aws.amazon.com/firehose/latest/APIReference/API_FailureDescription.html
func streamFailure(d *fhtypes.DeliveryStreamDescription) string {
	var parts []string
	if strings.HasSuffix(string(d.DeliveryStreamStatus), "_FAILED") {
		parts = append(parts, "DeliveryStreamStatus "+string(d.DeliveryStreamStatus))
	}
	if f := d.FailureDescription; f != nil {
		parts = append(parts, fmt.Sprintf("FailureDescription %s: %q", f.Type, aws.ToString(f.Details)))
	}
	if enc := d.DeliveryStreamEncryptionConfiguration; enc != nil {
		if strings.HasSuffix(string(enc.Status), "_FAILED") {
			parts = append(parts, "encryption Status "+string(enc.Status))
		}
		if f := enc.FailureDescription; f != nil {
			parts = append(parts, fmt.Sprintf("encryption FailureDescription %s: %q", f.Type, aws.ToString(f.Details)))
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return "Firehose reports " + strings.Join(parts, "; ")
}

// streamTags reads a stream's tags; ListTagsForDeliveryStream has no
// paginator.
func (a *auditor) streamTags(ctx context.Context, cl *firehose.Client, name string) model.Value[map[string]string] {
	tags := map[string]string{}
	var start *string
	for {
		out, err := cl.ListTagsForDeliveryStream(ctx, &firehose.ListTagsForDeliveryStreamInput{DeliveryStreamName: aws.String(name), ExclusiveStartTagKey: start})
		if err != nil {
			return model.Unknown[map[string]string]("%s", readFailure("firehose:ListTagsForDeliveryStream", err))
		}
		for _, t := range out.Tags {
			tags[aws.ToString(t.Key)] = aws.ToString(t.Value)
			start = t.Key
		}
		if !aws.ToBool(out.HasMoreTags) || len(out.Tags) == 0 {
			return model.Known(tags)
		}
	}
}
