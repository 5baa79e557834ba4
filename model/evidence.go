package model

import "time"

// Evidence is what a live account shows about one delivery, next to what
// its policies say: AWS's own delivery status where the service reports
// one, whether logs arrive, and (when metrics were read) whether the
// source saw traffic. The live audit (load/live) fills it; infrastructure
// as code has none. delivery decides what it means for the verdict.
type Evidence struct {
	// ObservedAt is when the account was read, and Lookback how far back
	// from then logs count as arriving (a Go duration, "24h0m0s").
	ObservedAt time.Time `json:"observedAt"`
	Lookback   string    `json:"lookback"`
	// Where is what was looked at: the S3 prefix AWS writes to
	// (s3://bucket/prefix/AWSLogs/...), or a log group's streams.
	Where string `json:"where,omitempty"`
	// Newest is when the newest log there was delivered (object
	// LastModified, log stream lastIngestionTime): Known(nil) when none was
	// found at all, unknown when it could not be read.
	Newest Value[*time.Time] `json:"newest"`
	// Failure is a delivery failure AWS itself reports, quoted verbatim
	// with the field it comes from; "" when AWS reports none or the
	// service has no such field (Network Firewall).
	Failure string `json:"failure,omitempty"`
	// Traffic is what the source handled within the lookback (Network
	// Firewall ReceivedPackets, from CloudWatch metrics); unknown when
	// metrics were not read.
	Traffic Value[float64] `json:"traffic,omitzero"`
}

// Gap is a part of an account that could not be read at all: a whole
// account (a role that cannot be assumed) or one source service in one
// Region (access denied on the list call, a Region without the service).
// Its deliveries are unknown, and a report must say so rather than show
// fewer deliveries.
type Gap struct {
	Account string `json:"account"`
	// Region is "" for the whole account.
	Region string `json:"region,omitempty"`
	// Source is the source type that could not be listed
	// ("network-firewall"); "" for everything in Account/Region.
	Source string `json:"source,omitempty"`
	Reason string `json:"reason"`
}
