package delivery

import (
	"strings"

	"github.com/logpath/logpath/model"
)

// A log source, as the gates see it.
//
// What AWS does differently for each type of source (who writes, where the
// files go, what aws:SourceArn holds) is data: one sourceType value per
// type, in the file named after it (source_nfw.go, source_flowlogs.go). The
// gates (s3.go, logs.go, firehose.go, kms.go, org.go, iam.go) read it from
// the source they are given and name no source type themselves.
//
// Adding a source type (source_flowlogs.go is the model to follow):
//  1. model: the resource with every field a model.Value, read by the
//     snapshot (model/snapshot.go, docs/snapshot.md) and the loaders.
//  2. source_<name>.go: a sourceType with the writer of each destination
//     it supports (nil for the others), its S3 key layout, the key
//     pattern a bucket policy must grant, its log stream, its gate docs;
//     add it to sourceTypes. A writer that is a service principal other
//     than delivery.logs gives its own sourceArn (CloudTrail: the trail's
//     ARN); one that is a role sets role, roleActions and sourceArnGrant.
//  3. A function that turns the resource into sources and targets, checks
//     what only this source has (its config gate, in Catalog), calls
//     a.deliver, and is called from Analyze.
//  4. Scenario tests (scenarios_<name>_test.go, added to allScenarios) so
//     that every gate the source reaches is decided and every fix proven.

// sourceType is what AWS documents for one type of log source.
type sourceType struct {
	// name is Source.Type in reports: "network-firewall".
	name string
	// label names the service in reasons: "Network Firewall writes only to ...".
	label string
	// noun names one source in reasons: "the firewall's account".
	noun string
	// configGate is the gate that reads the source's logging configuration.
	configGate string
	// Writers by destination type; nil when the source cannot deliver there.
	s3, logs, firehose *writer
	// objectKey is the S3 key of one log file the source writes under the
	// prefix (a representative file: the policy engine needs one key).
	objectKey func(s *source, prefix string) string
	// grantedKeys is the key pattern AWS's own bucket policy statement
	// grants under the prefix, which a fix grants too.
	grantedKeys func(s *source, prefix string) string
	// logStream is the name of a log stream the source writes to.
	logStream func(s *source) string
	// notes are what the source's own documentation says against a gate's
	// verdict, by gate ID: added to the reason of that gate when it is not
	// OK, so that the finding names the pages that disagree.
	notes map[string]string
	// docs are the source's own AWS pages for gates, shown instead of the
	// catalog's.
	docs map[string]string
	// otherWrites are further S3 writes a bucket policy must allow besides
	// the one of objectKey (an organization trail's files of member
	// accounts); nil for none.
	otherWrites func(s *source, prefix string) []otherWrite
}

// otherWrite is one more S3 object a source writes, what it is, and the
// context keys AWS does not document for its request.
type otherWrite struct {
	key      string
	variants []variant
	// what names the object in reasons: "a member account's log file".
	what string
}

// sourceTypes are the source types by Source.Type.
var sourceTypes = map[string]*sourceType{
	nfwSource.name:      nfwSource,
	flowLogsSource.name: flowLogsSource,
	resolverSource.name: resolverSource,
	wafRegional.name:    wafRegional,
	trailSource.name:    trailSource,
}

// writer is who makes a destination's requests for a source, and what AWS
// sends with them.
type writer struct {
	// principal is the service principal that makes the requests; with
	// role set, the service principal that assumes the role.
	principal string
	// role: an IAM role the source names makes the requests.
	role bool
	// sourceArn is the aws:SourceArn AWS documents for the requests, and
	// the variants to evaluate because its exact value is not documented.
	sourceArn func(s *source) (string, []variant)
	// streamTag is the tag a Firehose stream must carry, set to "true",
	// for the writer to put records; "" when its policy names none.
	streamTag string
	// streamKeyGrant, when set, says why a statement letting principal
	// use a Firehose stream's KMS key is asked for; its absence is then a
	// WARN. Without it only the key's state is checked.
	streamKeyGrant string
	// sourceArnGrant is the aws:SourceArn pattern a fix grants; nil when
	// it is sourceArn's value itself.
	sourceArnGrant func(s *source) string
	// roleActions are what a writing role's policies must allow.
	roleActions []roleAction
	// manualPolicy, when set, says that the service does not add its
	// bucket policy statements when logging is set up, and why the
	// bucket policy must already allow it (CloudTrail outside its
	// console); empty for the log delivery service, which adds them.
	manualPolicy string
	// grantSids are the Sids of the ACL-check and write statements a
	// bucket policy fix adds; the log delivery service's when empty.
	grantSids [2]string
	// orgWriteSid, when set, is the Sid of the write statement for a
	// source that writes for an organization (an organization trail).
	orgWriteSid string
	// grantBySourceArn: the statements a bucket policy fix adds condition
	// on aws:SourceArn alone, as the service's own statements do; else on
	// aws:SourceAccount and an ArnLike aws:SourceArn.
	grantBySourceArn bool
	// encryption, when set, decides the S3 encryption gates instead of
	// the vended-log rules for the bucket's default encryption, and
	// returns the KMS key the requests use (nil for none): a writer that
	// may name its own key (a trail's KMSKeyId). Set in an init function:
	// it adds gates, whose docs read sourceTypes.
	encryption func(a *analyzer, d *Delivery, src *source, b *model.Bucket, name, prefix string, missing []string) *model.Key
}

// grantedSourceArn is the aws:SourceArn a fix's condition names.
func (w *writer) grantedSourceArn(s *source) string {
	if w.sourceArnGrant != nil {
		return w.sourceArnGrant(s)
	}
	arn, _ := w.sourceArn(s)
	return arn
}

// roleAction is an action the policies of a writing role must allow.
type roleAction struct {
	action string
	// scope is the resource the action is evaluated on: a log stream of the
	// group (scopeStream), the group (scopeGroup), or every group of the
	// account and Region (scopeAccount).
	scope string
	// required: denying it is a FAIL; otherwise a WARN, with why.
	required bool
	why      string
}

const (
	scopeStream  = "stream"
	scopeGroup   = "group"
	scopeAccount = "account"
)

// vendedLogsV1 is the log delivery service writing "V1" vended logs: the
// requests carry aws:SourceAccount (the source's account) and an
// aws:SourceArn that AWS documents only as arn:aws:logs:<region>:<account>:*.
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/AWS-logs-infrastructure-S3.html
//
// Its Firehose writer is the service-linked role
// AWSServiceRoleForLogDelivery, whose policy allows streams tagged
// LogDeliveryEnabled=true only.
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/AWS-logs-infrastructure-Firehose.html
var vendedLogsV1 = &writer{principal: deliveryService, sourceArn: func(s *source) (string, []variant) {
	return sourceArnBaseline(s.region, s.account), []variant{sourceArnVariant(s.region, s.account)}
}, streamTag: logDeliveryTag, streamKeyGrant: nfwStreamKeyGrant}

// nfwStreamKeyGrant: Network Firewall's page asks for a delivery.logs
// statement on a stream's key; Firehose documents only its own grant.
// https://docs.aws.amazon.com/network-firewall/latest/developerguide/firewall-logging-encrypt-kms.html
const nfwStreamKeyGrant = "Network Firewall's documentation asks for this statement on a stream's key; Firehose's documents only its own grant, so this is a WARN"

// awsLogsKeys is the key pattern of AWS's AWSLogDeliveryWrite statement:
// <prefix>/AWSLogs/<source account>/*.
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/AWS-logs-infrastructure-S3.html
func awsLogsKeys(s *source, prefix string) string {
	return underPrefix(prefix, "AWSLogs/"+s.account+"/*")
}

// underPrefix puts a key under an optional prefix; a prefix that starts
// with "/" gives a double slash, as AWS writes it.
func underPrefix(prefix, key string) string {
	if prefix == "" {
		return key
	}
	return strings.TrimSuffix(prefix, "/") + "/" + key
}

// source is one log type of one source, as the gates see it.
type source struct {
	typ *sourceType
	// origin is where the source is defined; arn its ARN when known.
	origin model.Origin
	arn    string
	// name is the name AWS knows the source by, or its origin ID.
	name    string
	account string
	region  string
	logType string
	// missing says which of name, account, region are unknown, and why.
	missing []string
	// sourceID is the ID AWS gives the source when it is created (a flow
	// log's fl-...), "" while it is not known.
	sourceID string
	// S3 layout options of sources that have them (VPC Flow Logs'
	// destination options): Hive-compatible key=value folders, an hour
	// folder, and the file name's extension.
	hivePaths, perHour bool
	fileExt            string
	// role is the IAM role the source names to write to a destination
	// whose writer is a role (VPC Flow Logs' DeliverLogsPermissionArn), and
	// roleRef the role's Origin.ID when it is named by reference.
	role    model.Value[string]
	roleRef string
	// orgID is the organization a source writes for (an organization
	// trail's o-...), "" for a source of one account.
	orgID string
	// key is the KMS key the source itself names for its S3 objects (a
	// trail's KMSKeyId), and keyRef its Origin.ID when named by
	// reference; the zero Value when the source names none.
	key    model.Value[string]
	keyRef string
	// putContext is what the source's S3 PUT requests carry besides the
	// context of its writer (a trail's SSE-KMS headers).
	putContext map[string][]string
}

// report is the source as reports show it.
func (s *source) report() Source {
	return Source{Type: s.typ.name, Name: s.name, ID: s.origin.ID, ARN: s.arn, LogType: s.logType, Account: s.account, Region: s.region,
		File: s.origin.File, Line: s.origin.Line, Origin: s.origin}
}

// identify sets the source's name (else the fallback, an origin ID),
// account and Region, and records in missing which are unknown and why.
func (s *source) identify(name, account, region model.Value[string], fallback string) {
	var ok bool
	if s.name, ok = name.Get(); !ok {
		s.name = fallback
		s.missing = append(s.missing, s.its("name")+" is unknown: "+name.Reason())
	}
	if s.account, ok = account.Get(); !ok {
		s.missing = append(s.missing, s.its("account")+" is unknown: "+account.Reason())
	}
	if s.region, ok = region.Get(); !ok {
		s.missing = append(s.missing, s.its("Region")+" is unknown: "+region.Reason())
	}
}

// its names a property of the source for a reason: its("account") is
// "the firewall's account".
func (s *source) its(what string) string { return "the " + s.typ.noun + "'s " + what }

// target is the destination a source's configuration names for one
// delivery, whatever form the source names it in.
type target struct {
	// typ is model.DestS3, model.DestLogs or model.DestFirehose.
	typ            string
	bucket, prefix model.Value[string]
	logGroup       model.Value[string]
	stream         model.Value[string]
	// ref is the Origin.ID of the destination resource when the source
	// names it by reference.
	ref string
	// loc is where the source's configuration names the destination.
	loc model.Origin
}

// deliver decides the gates of one delivery to a destination of a type
// the source supports.
func (a *analyzer) deliver(d *Delivery, src *source, t *target) {
	defer func() {
		if d.Destination.Name == "" {
			d.Destination.Name = "(name unknown)"
		}
		for i := range d.Gates {
			if note := src.typ.notes[d.Gates[i].ID]; note != "" && d.Gates[i].Verdict != OK {
				d.Gates[i].Reason += "; " + note
			}
		}
	}()
	switch t.typ {
	case model.DestS3:
		a.s3(d, src, t)
	case model.DestLogs:
		a.logs(d, src, t)
	case model.DestFirehose:
		a.firehose(d, src, t)
	}
}
