package fakeaws

import (
	"net/http"
	"regexp"
	"strings"

	"github.com/aws/smithy-go/encoding/cbor"
)

// serveCBOR answers CloudWatch GetMetricData, which current SDKs speak as
// Smithy RPC v2 CBOR: POST /service/GraniteServiceVersion20100801/operation/<Op>.
func (s *Server) serveCBOR(w http.ResponseWriter, r *http.Request, c *caller, body []byte) {
	name := r.URL.Path[strings.LastIndex(r.URL.Path, "/")+1:]
	op := "cloudwatch:" + name
	if op != "cloudwatch:GetMetricData" {
		s.record(op, "")
		s.writeErr(w, protoCBOR, s.refuse(op, "not an operation logpath reads"))
		return
	}
	if e := s.admit(c, op, "", protoCBOR); e != nil {
		s.writeErr(w, protoCBOR, e)
		return
	}
	in, err := cbor.Decode(body)
	req, ok := in.(cbor.Map)
	if err != nil || !ok {
		s.writeErr(w, protoCBOR, errf(400, "SerializationException", "the request is not a CBOR map"))
		return
	}
	end := req["EndTime"]
	var results cbor.List
	queries, _ := req["MetricDataQueries"].(cbor.List)
	for _, q := range queries {
		qm, _ := q.(cbor.Map)
		id, _ := qm["Id"].(cbor.String)
		expr, _ := qm["Expression"].(cbor.String)
		res := cbor.Map{"Id": id, "Label": id, "StatusCode": cbor.String("Complete"), "Timestamps": cbor.List{}, "Values": cbor.List{}}
		if packets, ok := s.packets(c, string(expr)); ok && end != nil {
			res["Timestamps"] = cbor.List{end}
			res["Values"] = cbor.List{cbor.Float64(packets)}
		}
		results = append(results, res)
	}
	w.Header().Set("Content-Type", "application/cbor")
	w.Header().Set("Smithy-Protocol", "rpc-v2-cbor")
	w.Write(cbor.Encode(cbor.Map{"MetricDataResults": results, "Messages": cbor.List{}}))
}

var firewallNameInSearch = regexp.MustCompile(`FirewallName="([^"]+)"`)

// packets answers a SEARCH for a firewall's ReceivedPackets; a firewall
// without traffic has no datapoint, as CloudWatch answers.
func (s *Server) packets(c *caller, expr string) (float64, bool) {
	m := firewallNameInSearch.FindStringSubmatch(expr)
	if m == nil || !strings.Contains(expr, "AWS/NetworkFirewall") || !strings.Contains(expr, "ReceivedPackets") {
		return 0, false
	}
	for _, fw := range c.account.region(c.region).Firewalls {
		if fw.Name == m[1] && fw.Packets > 0 {
			return fw.Packets, true
		}
	}
	return 0, false
}

func writeCBORError(w http.ResponseWriter, e *apiErr) {
	w.Header().Set("Content-Type", "application/cbor")
	w.Header().Set("Smithy-Protocol", "rpc-v2-cbor")
	w.WriteHeader(e.status)
	w.Write(cbor.Encode(cbor.Map{"__type": cbor.String(e.code), "message": cbor.String(e.msg)}))
}
