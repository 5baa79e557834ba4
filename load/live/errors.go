package live

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/aws/smithy-go"
)

// accessDeniedCodes are the error codes AWS services answer a call the
// caller's policies do not allow with.
var accessDeniedCodes = map[string]bool{
	"AccessDenied": true, "AccessDeniedException": true, "UnauthorizedOperation": true,
	"AuthorizationError": true, "AuthorizationErrorException": true, "Forbidden": true,
}

// apiCode returns an AWS error's code and message, if err is one.
func apiCode(err error) (code, msg string, ok bool) {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode(), ae.ErrorMessage(), true
	}
	return "", "", false
}

func isCode(err error, codes ...string) bool {
	code, _, ok := apiCode(err)
	if !ok {
		return false
	}
	for _, c := range codes {
		if code == c {
			return true
		}
	}
	return false
}

// isAccessDenied reports whether AWS refused a call for lack of
// permission.
func isAccessDenied(err error) bool {
	code, _, ok := apiCode(err)
	return ok && accessDeniedCodes[code]
}

// readFailure says why a read failed, naming the IAM action, so that the
// gate it leaves UNKNOWN tells the user what to grant
// (docs/iam-policy.json).
func readFailure(action string, err error) string {
	code, msg, ok := apiCode(err)
	switch {
	case ok && accessDeniedCodes[code]:
		return fmt.Sprintf("access denied on %s (%s: %s); grant %s to the auditing identity (docs/iam-policy.json)", action, code, oneLine(msg), action)
	case ok && (strings.Contains(code, "Throttl") || code == "SlowDown" || code == "RequestLimitExceeded"):
		return fmt.Sprintf("%s was still throttled after the retries (%s)", action, code)
	case ok:
		return fmt.Sprintf("%s failed: %s: %s", action, code, oneLine(msg))
	}
	return fmt.Sprintf("%s failed: %s", action, oneLine(err.Error()))
}

// oneLine keeps an error message on one line and short.
func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 300 {
		s = s[:297] + "..."
	}
	return s
}

// SetupError is a failure before any account could be read: no or expired
// credentials, no Region, an organization that cannot be listed. The
// command reports it in one line and exits 2.
type SetupError struct{ Msg string }

func (e *SetupError) Error() string { return e.Msg }

// credentialsError explains a failed sts:GetCallerIdentity, which needs
// no permission: it fails only when the credentials themselves do.
func credentialsError(err error) error {
	if code, msg, ok := apiCode(err); ok {
		return &SetupError{fmt.Sprintf("the AWS credentials were refused by sts:GetCallerIdentity (%s: %s); check --profile, AWS_PROFILE or the environment, and sign in again if they expired", code, oneLine(msg))}
	}
	s := err.Error()
	if strings.Contains(s, "credentials") {
		return &SetupError{"no usable AWS credentials (looked in the environment, the shared config and credentials files, SSO and the instance role); set AWS_PROFILE or --profile, or sign in with aws sso login"}
	}
	return &SetupError{"cannot reach AWS STS to identify the caller: " + oneLine(s)}
}

// listFailure says why the list call of a source failed in a Region. A
// service AWS does not offer in a Region has no endpoint there, so the
// call fails before AWS answers anything (a DNS or connection error);
// that is reported as such, and the audit goes on.
func listFailure(action, region string, err error) string {
	if _, _, ok := apiCode(err); !ok && !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded) {
		return fmt.Sprintf("no endpoint answered %s in %s, so the service may not be offered in that Region (%s)", action, region, oneLine(err.Error()))
	}
	return readFailure(action, err)
}
