package fakeaws

import (
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

func slicesContains(s []string, v string) bool { return slices.Contains(s, v) }
func sortStrings(s []string)                   { sort.Strings(s) }
func itoa(i int) string                        { return strconv.Itoa(i) }

// nfwKey is where Network Firewall writes a log file delivered at t, as
// the developer guide's example shows it: a YYYY/MM/DD/HH/ folder of the
// event time (taken as ten minutes before delivery) and a file name with
// YYYYMMDDHHmm. It is written here again, apart from logpath's own code,
// so that a mistake there is not repeated here.
// https://docs.aws.amazon.com/network-firewall/latest/developerguide/logging-s3.html
func nfwKey(l *NFWLogs, t time.Time, n int) string {
	ev := t.Add(-10 * time.Minute).UTC()
	lt := strings.ToLower(l.LogType)
	key := "AWSLogs/" + l.Account + "/network-firewall/" + lt + "/" + l.Region + "/" + l.Firewall + "/" + ev.Format("2006/01/02/15") + "/" +
		l.Account + "_network-firewall_" + lt + "_" + l.Region + "_" + l.Firewall + "_" + ev.Format("200601021504") + "_" + strconv.Itoa(10000000+n) + ".log.gz"
	if l.Prefix != "" {
		key = strings.TrimSuffix(l.Prefix, "/") + "/" + key
	}
	return key
}

// objects lists a bucket's objects, sorted by key as S3 lists them.
func (sc *Scenario) objects(b *Bucket) []object {
	var out []object
	for _, o := range b.Objects {
		out = append(out, object{o.Key, sc.Now.Add(-time.Duration(o.Age))})
	}
	for _, l := range b.NFWLogs {
		for i, age := range l.Ages {
			t := sc.Now.Add(-time.Duration(age))
			out = append(out, object{nfwKey(l, t, i), t})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].key < out[j].key })
	return out
}

type stream struct {
	name     string
	ingested time.Time
}

// streams lists a log group's streams with a name prefix, sorted by name
// (DescribeLogStreams' default order).
// https://docs.aws.amazon.com/network-firewall/latest/developerguide/logging-cw-logs.html
func (sc *Scenario) streams(g *LogGroup, prefix string) []stream {
	byName := map[string]time.Time{}
	add := func(name string, t time.Time) {
		if t.After(byName[name]) {
			byName[name] = t
		}
	}
	for _, st := range g.Streams {
		add(st.Name, sc.Now.Add(-time.Duration(st.Ingested)))
	}
	for _, l := range g.NFWStreams {
		lt := strings.ToLower(l.LogType)
		for _, age := range l.Ages {
			t := sc.Now.Add(-time.Duration(age))
			if lt == "tls" {
				add("/aws/network-firewall/tls/"+l.Firewall, t)
				continue
			}
			add("/aws/network-firewall/"+lt+"/"+l.Firewall+"_"+t.UTC().Format("2006-01-02-15"), t)
		}
	}
	var out []stream
	for name, t := range byName {
		if strings.HasPrefix(name, prefix) {
			out = append(out, stream{name, t})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out
}
