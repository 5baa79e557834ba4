// Package model is logpath's normalized description of an AWS account: the
// log sources, destinations, keys and policies that decide whether logs are
// delivered, independent of where they were read from (CloudFormation,
// Terraform, a live account, a snapshot).
//
// Every field is either known or unknown with a reason, and every resource
// remembers where it was defined, so that a verdict can be UNKNOWN with a
// cause instead of OK by assumption.
package model

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// Value is a field that is either known or unknown with a reason.
// The zero Value is unknown with no reason; loaders should always say why.
type Value[T any] struct {
	v      T
	known  bool
	reason string
}

// Known returns a known value.
func Known[T any](v T) Value[T] { return Value[T]{v: v, known: true} }

// Unknown returns an unknown value and why it is unknown, for example
// "bucket name comes from parameter LogBucket, which has no default".
func Unknown[T any](format string, args ...any) Value[T] {
	return Value[T]{reason: fmt.Sprintf(format, args...)}
}

// Get returns the value and whether it is known.
func (v Value[T]) Get() (T, bool) { return v.v, v.known }

// Known reports whether the value is known.
func (v Value[T]) Known() bool { return v.known }

// Or returns the value, or def when it is unknown.
func (v Value[T]) Or(def T) T {
	if v.known {
		return v.v
	}
	return def
}

// Reason says why the value is unknown; empty when it is known.
func (v Value[T]) Reason() string {
	if v.known {
		return ""
	}
	if v.reason == "" {
		return "not given"
	}
	return v.reason
}

// unknownJSON is how an unknown value is written in a snapshot.
type unknownJSON struct {
	Unknown string `json:"unknown"`
}

// MarshalJSON writes a known value as itself and an unknown one as
// {"unknown": "<reason>"}.
func (v Value[T]) MarshalJSON() ([]byte, error) {
	if v.known {
		return json.Marshal(v.v)
	}
	return json.Marshal(unknownJSON{Unknown: v.Reason()})
}

// UnmarshalJSON reads what MarshalJSON writes.
func (v *Value[T]) UnmarshalJSON(b []byte) error {
	var u struct {
		Unknown *string `json:"unknown"`
	}
	if len(b) > 0 && b[0] == '{' {
		if err := json.Unmarshal(b, &u); err == nil && u.Unknown != nil {
			*v = Value[T]{reason: *u.Unknown}
			if v.reason == "" {
				v.reason = "unknown in the snapshot"
			}
			return nil
		}
	}
	var t T
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&t); err != nil {
		return err
	}
	*v = Known(t)
	return nil
}

// IsZero lets encoding/json's omitzero skip fields that were never set.
func (v Value[T]) IsZero() bool { return !v.known && v.reason == "" }
