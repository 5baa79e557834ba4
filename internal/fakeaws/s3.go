package fakeaws

import (
	"encoding/xml"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// serveS3 answers the restXml S3 reads with path-style addressing:
// GET /<bucket>?policy, ?encryption, ?ownershipControls, ?location,
// ?list-type=2, and GET / (ListBuckets).
func (s *Server) serveS3(w http.ResponseWriter, r *http.Request, c *caller) {
	q := r.URL.Query()
	bucket, rest, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/")
	op := ""
	switch {
	case r.Method != http.MethodGet || rest != "":
	case bucket == "":
		op = "ListBuckets"
	case q.Has("policy"):
		op = "GetBucketPolicy"
	case q.Has("encryption"):
		op = "GetBucketEncryption"
	case q.Has("ownershipControls"):
		op = "GetBucketOwnershipControls"
	case q.Has("location"):
		op = "GetBucketLocation"
	case q.Get("list-type") == "2":
		op = "ListObjectsV2"
	}
	if op == "" {
		s.record("s3:?", "")
		s.writeErr(w, protoS3, s.refuse("s3:"+r.Method+" "+r.URL.String(), "not an operation logpath reads"))
		return
	}
	op = "s3:" + op
	if e := s.admit(c, op, bucket, protoS3); e != nil {
		s.writeErr(w, protoS3, e)
		return
	}
	body, e := s.s3Op(c, op, bucket, r)
	if e != nil {
		s.writeErr(w, protoS3, e)
		return
	}
	if op == "s3:GetBucketPolicy" {
		w.Header().Set("Content-Type", "application/json")
	} else {
		w.Header().Set("Content-Type", "application/xml")
	}
	w.Write(body)
}

func (s *Server) s3Op(c *caller, op, bucket string, r *http.Request) ([]byte, *apiErr) {
	if op == "s3:ListBuckets" {
		return s.listBuckets(c), nil
	}
	be := s.buckets[bucket]
	if be == nil {
		return nil, errf(404, "NoSuchBucket", "The specified bucket does not exist")
	}
	b := be.b
	owner := be.owner == c.account
	// Only the owner's identities may read the policy: another account's
	// gets 405 even with permission.
	// https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketPolicy.html
	if op == "s3:GetBucketPolicy" && !owner {
		return nil, errf(405, "MethodNotAllowed", "The specified method is not allowed against this resource.")
	}
	if !owner && !slicesContains(b.Readers, c.account.ID) {
		return nil, errf(403, "AccessDenied", "Access Denied")
	}
	if op == "s3:GetBucketLocation" {
		loc := b.Region
		if loc == "us-east-1" {
			loc = ""
		}
		return []byte(`<?xml version="1.0" encoding="UTF-8"?><LocationConstraint xmlns="http://s3.amazonaws.com/doc/2006-03-01/">` + loc + `</LocationConstraint>`), nil
	}
	if c.region != b.Region {
		e := errf(301, "PermanentRedirect", "The bucket you are attempting to access must be addressed using the specified endpoint.")
		e.header = map[string]string{"x-amz-bucket-region": b.Region}
		return nil, e
	}
	switch op {
	case "s3:GetBucketPolicy":
		if b.Policy.Text == "" {
			return nil, errf(404, "NoSuchBucketPolicy", "The bucket policy does not exist")
		}
		return []byte(b.Policy.Text), nil
	case "s3:GetBucketEncryption":
		enc := b.Encryption
		if enc == nil {
			// Since January 2023 every bucket has SSE-S3 at least.
			enc = &BucketEncryption{Algorithm: "AES256"}
		}
		key := ""
		if enc.KMSKeyID != "" {
			key = "<KMSMasterKeyID>" + xmlText(enc.KMSKeyID) + "</KMSMasterKeyID>"
		}
		return []byte(fmt.Sprintf(`<?xml version="1.0" encoding="UTF-8"?><ServerSideEncryptionConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>%s</SSEAlgorithm>%s</ApplyServerSideEncryptionByDefault><BucketKeyEnabled>%t</BucketKeyEnabled></Rule></ServerSideEncryptionConfiguration>`,
			xmlText(enc.Algorithm), key, enc.BucketKeyEnabled)), nil
	case "s3:GetBucketOwnershipControls":
		if b.Ownership == "" {
			return nil, errf(404, "OwnershipControlsNotFoundError", "The bucket ownership controls were not found")
		}
		return []byte(`<?xml version="1.0" encoding="UTF-8"?><OwnershipControls xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Rule><ObjectOwnership>` + xmlText(b.Ownership) + `</ObjectOwnership></Rule></OwnershipControls>`), nil
	}
	return s.listObjects(be, r)
}

type listResult struct {
	XMLName               xml.Name `xml:"ListBucketResult"`
	Xmlns                 string   `xml:"xmlns,attr"`
	Name                  string
	Prefix                string
	Delimiter             string `xml:",omitempty"`
	StartAfter            string `xml:",omitempty"`
	MaxKeys               int
	KeyCount              int
	IsTruncated           bool
	ContinuationToken     string `xml:",omitempty"`
	NextContinuationToken string `xml:",omitempty"`
	Contents              []listObject
	CommonPrefixes        []struct{ Prefix string }
}

type listObject struct {
	Key          string
	LastModified string
	ETag         string
	Size         int
	StorageClass string
}

// listObjects is ListObjectsV2: keys in order, after start-after or the
// continuation token, under the prefix, with common prefixes for a
// delimiter.
func (s *Server) listObjects(be *bucketEntry, r *http.Request) ([]byte, *apiErr) {
	q := r.URL.Query()
	prefix, delim := q.Get("prefix"), q.Get("delimiter")
	after := q.Get("start-after")
	if tok := q.Get("continuation-token"); tok != "" {
		after = tok
	}
	max := 1000
	if m, err := strconv.Atoi(q.Get("max-keys")); err == nil && m >= 0 && m < max {
		max = m
	}
	if p := s.sc.Faults.PageSize; p > 0 && p < max {
		max = p
	}
	res := listResult{Xmlns: "http://s3.amazonaws.com/doc/2006-03-01/", Name: be.b.Name, Prefix: prefix, Delimiter: delim, StartAfter: q.Get("start-after"), MaxKeys: max, ContinuationToken: q.Get("continuation-token")}
	seen := map[string]bool{}
	last := ""
	for _, o := range be.objects {
		if !strings.HasPrefix(o.key, prefix) || o.key <= after {
			continue
		}
		entry, isPrefix := o.key, false
		if delim != "" {
			if i := strings.Index(o.key[len(prefix):], delim); i >= 0 {
				entry, isPrefix = o.key[:len(prefix)+i+len(delim)], true
				if entry <= after || seen[entry] {
					continue
				}
			}
		}
		if res.KeyCount == max {
			res.IsTruncated = true
			res.NextContinuationToken = last
			break
		}
		res.KeyCount++
		if isPrefix {
			seen[entry] = true
			res.CommonPrefixes = append(res.CommonPrefixes, struct{ Prefix string }{entry})
			// Continue after every key under this common prefix.
			last = entry + "\uffff"
			continue
		}
		last = o.key
		res.Contents = append(res.Contents, listObject{Key: o.key, LastModified: o.modified.UTC().Format("2006-01-02T15:04:05.000Z"),
			ETag: `"0123456789abcdef0123456789abcdef"`, Size: 1024, StorageClass: "STANDARD"})
	}
	out, err := xml.Marshal(res)
	if err != nil {
		return nil, errf(500, "InternalError", "%v", err)
	}
	return append([]byte(xml.Header), out...), nil
}

// listBuckets lists the buckets the caller's account owns.
func (s *Server) listBuckets(c *caller) []byte {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?><ListAllMyBucketsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Owner><ID>owner-` + c.account.ID + `</ID></Owner><Buckets>`)
	for _, bk := range c.account.Buckets {
		fmt.Fprintf(&b, `<Bucket><Name>%s</Name><CreationDate>%s</CreationDate><BucketRegion>%s</BucketRegion></Bucket>`, xmlText(bk.Name), time.Unix(1.7e9, 0).UTC().Format(time.RFC3339), xmlText(bk.Region))
	}
	b.WriteString(`</Buckets></ListAllMyBucketsResult>`)
	return []byte(b.String())
}
