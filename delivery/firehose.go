package delivery

import (
	"fmt"
	"strings"

	"github.com/logpath/logpath/fix"
	"github.com/logpath/logpath/model"
)

// https://docs.aws.amazon.com/network-firewall/latest/developerguide/logging-kinesis.html
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/AWS-logs-infrastructure-Firehose.html
//
// Firehose has no resource policy: the service-linked role
// AWSServiceRoleForLogDelivery writes, and only to streams tagged
// LogDeliveryEnabled=true. AWS creates the role when logging is set up; a
// failure to create it fails the set-up call, so it is not a silent gate.
// The role is exempt from RCPs.
func (a *analyzer) firehose(d *Delivery, src *source, t *target) {
	name, nameKnown := t.stream.Get()
	s, elsewhere := locate(t.ref, a.streamsByRef, t.stream, a.streamsByName, src,
		func(s *model.DeliveryStream) (model.Value[string], model.Value[string]) { return s.Account, s.Region })
	if s != nil && !nameKnown {
		name, nameKnown = s.Name.Get()
	}
	d.Destination = Destination{Type: model.DestFirehose, Name: name}
	if nameKnown && len(src.missing) == 0 {
		d.Destination.ARN = "arn:aws:firehose:" + src.region + ":" + src.account + ":deliverystream/" + name
	}
	switch {
	case s == nil && elsewhere != nil:
		d.add(GateResult{ID: "firehose.stream", Verdict: FAIL, Location: elsewhere.Origin,
			Reason: fmt.Sprintf("delivery stream %s is in account %s, %s; %s writes only to a stream in its own account and Region (%s, %s)", name, elsewhere.Account.Or("?"), elsewhere.Region.Or("?"), src.typ.label, src.account, src.region)})
		return
	case s == nil && !nameKnown:
		d.add(GateResult{ID: "firehose.stream", Verdict: UNKNOWN, Location: t.loc, Reason: "the delivery stream name is unknown: " + t.stream.Reason()})
		return
	case s == nil:
		d.add(GateResult{ID: "firehose.stream", Verdict: UNKNOWN, Location: t.loc,
			Reason: fmt.Sprintf("delivery stream %s is not defined in the input, so its type and tags cannot be checked", name)})
		return
	}
	if len(src.missing) > 0 {
		d.add(GateResult{ID: "firehose.stream", Verdict: UNKNOWN, Location: s.Origin,
			Reason: "whether the stream is in " + src.its("account") + " and Region cannot be told: " + strings.Join(src.missing, "; ")})
	} else {
		d.add(a.streamGate(src, s, name))
	}
	if src.typ.firehose.streamTag != "" {
		d.add(a.streamTag(s, name))
	}
	a.streamEncryption(d, src, s)
}

func (a *analyzer) streamGate(src *source, s *model.DeliveryStream, name string) GateResult {
	g := GateResult{ID: "firehose.stream", Verdict: OK, Location: s.Origin}
	if sa, ok := s.Account.Get(); ok && src.account != "" && sa != src.account {
		g.Verdict, g.Reason = FAIL, fmt.Sprintf("delivery stream %s is in account %s; %s writes only to its own account %s", name, sa, src.typ.label, src.account)
		return g
	}
	if sr, ok := s.Region.Get(); ok && src.region != "" && sr != src.region {
		g.Verdict, g.Reason = FAIL, fmt.Sprintf("delivery stream %s is in %s; %s writes only to its own Region %s", name, sr, src.typ.label, src.region)
		return g
	}
	switch t, ok := s.Type.Get(); {
	case !ok:
		g.Verdict, g.Reason = UNKNOWN, "the stream's source type is unknown: "+s.Type.Reason()
	case t != "DirectPut":
		g.Verdict, g.Reason = FAIL, fmt.Sprintf("delivery stream %s has source type %s; %s needs Direct PUT", name, t, src.typ.label)
		g.Fix = &Fix{Summary: "use a delivery stream with source type DirectPut", Target: "delivery stream " + name, Location: s.Origin}
	default:
		g.Reason = fmt.Sprintf("delivery stream %s accepts Direct PUT, in %s and Region", name, src.its("account"))
	}
	return g
}

const logDeliveryTag = "LogDeliveryEnabled"

// streamTag decides firehose.tag.
func (a *analyzer) streamTag(s *model.DeliveryStream, name string) GateResult {
	g := streamTagOnce(s, name, a.m.Deployed)
	if g.Verdict == FAIL || g.Verdict == UNKNOWN && s.Tags.Known() {
		// Prove: the same stream with the tag declared passes.
		fixed := *s
		tags := map[string]string{logDeliveryTag: "true"}
		for k, v := range s.Tags.Or(nil) {
			if k != logDeliveryTag {
				tags[k] = v
			}
		}
		fixed.Tags = model.Known(tags)
		if streamTagOnce(&fixed, name, a.m.Deployed).Verdict == OK {
			g.Fix = &Fix{Summary: "declare the tag LogDeliveryEnabled=true on the delivery stream (or have the code ignore tag changes)", Target: "delivery stream " + name,
				Statements: nil, Location: s.Origin}
		}
	}
	return g
}

func streamTagOnce(s *model.DeliveryStream, name string, deployed bool) GateResult {
	g := GateResult{ID: "firehose.tag", Verdict: OK, Location: s.Origin}
	tags, ok := s.Tags.Get()
	if !ok {
		g.Verdict, g.Reason = UNKNOWN, "the stream's tags are unknown: "+s.Tags.Reason()
		return g
	}
	v, has := tags[logDeliveryTag]
	switch {
	case has && v == "true":
		g.Reason = "the stream is tagged LogDeliveryEnabled=true"
	case has:
		g.Verdict = FAIL
		g.Reason = fmt.Sprintf("the stream is tagged LogDeliveryEnabled=%q; the log delivery role writes only to streams tagged \"true\"", v)
	case deployed:
		g.Verdict = FAIL
		g.Reason = fmt.Sprintf("logging is set up but delivery stream %s is not tagged LogDeliveryEnabled=true, so the log delivery role may not write to it", name)
	case s.TagsManaged && !s.TagsIgnored && s.TagsIgnoredUnknown != "":
		g.Verdict = UNKNOWN
		g.Reason = fmt.Sprintf("delivery stream %s does not declare LogDeliveryEnabled=true, and whether the code ignores tag changes is not known (%s): if it does not, the next deploy removes the tag AWS adds when logging is set up", name, s.TagsIgnoredUnknown)
	case s.TagsManaged && !s.TagsIgnored:
		g.Verdict = FAIL
		g.Reason = fmt.Sprintf("delivery stream %s does not declare LogDeliveryEnabled=true; AWS adds the tag when logging is set up, and the next deploy, which manages the stream's tags, removes it", name)
	case s.TagsIgnored:
		g.Reason = "the tag LogDeliveryEnabled=true is not declared, but tag changes are ignored, so the tag AWS adds when logging is set up stays"
	default:
		g.Reason = "the tag LogDeliveryEnabled=true is not declared; AWS adds it when logging is set up, and nothing here manages the stream's tags"
	}
	return g
}

// streamEncryption decides firehose.encryption.
// https://docs.aws.amazon.com/firehose/latest/APIReference/API_DeliveryStreamEncryptionConfigurationInput.html
func (a *analyzer) streamEncryption(d *Delivery, src *source, s *model.DeliveryStream) {
	kt, ok := s.KeyType.Get()
	if ok && kt != "CUSTOMER_MANAGED_CMK" {
		return
	}
	if !ok && s.KeyType.IsZero() {
		return
	}
	if !ok {
		d.add(GateResult{ID: "firehose.encryption", Verdict: UNKNOWN, Location: s.Origin, Reason: "the stream's encryption is unknown: " + s.KeyType.Reason()})
		return
	}
	r := a.resolveKey(s.KeyARN, s.KeyRef, "arn", s.Account.Or(src.account), s.Region.Or(src.region), s.Scope)
	if r.key == nil {
		d.add(GateResult{ID: "firehose.encryption", Verdict: UNKNOWN, Location: s.Origin, Reason: r.unknown + ", so its state and policy cannot be checked"})
		return
	}
	d.add(keyState(r.key, s.Region.Or(src.region)))
	w := src.typ.firehose
	if w.streamKeyGrant == "" {
		return
	}
	if len(src.missing) > 0 {
		d.add(GateResult{ID: "firehose.encryption", Verdict: UNKNOWN, Location: r.key.Origin,
			Reason: "the request AWS makes cannot be built: " + strings.Join(src.missing, "; ")})
		return
	}
	sourceArn, sourceArnVariants := w.sourceArn(src)
	grant := fix.Statement{Sid: "AllowLogDeliveryToEncrypt", Effect: "Allow", Principal: map[string]string{"Service": w.principal},
		Action: fix.Strings{"kms:GenerateDataKey*"}, Resource: fix.Strings{"*"},
		Condition: map[string]map[string]any{"StringEquals": {"aws:SourceAccount": src.account}}}
	d.add(a.keyPolicy(keyPolicyCheck{
		gate: "firehose.encryption", key: r.key, principal: w.principal,
		actions: []keyAction{{action: "kms:GenerateDataKey",
			why: w.streamKeyGrant}},
		context:  map[string][]string{"aws:SourceAccount": {src.account}, "aws:SourceArn": {sourceArn}},
		variants: sourceArnVariants,
		grant:    grant,
	}))
}
