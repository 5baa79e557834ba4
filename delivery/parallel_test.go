package delivery

import (
	"reflect"
	"testing"

	"github.com/logpath/logpath/model"
)

// Sources decided on several workers, each with its own analyzer, come out
// as from one analyzer: the caches only memoize and the model is only read.
// The model is every scenario at once, so workers share buckets, keys, log
// groups, streams, roles and organization policies (go test -race checks
// that they only read them).
func TestParallelAnalyzeMatchesSequential(t *testing.T) {
	m := &model.Model{}
	for _, scs := range [][]scenario{s3PolicyScenarios(), s3EncryptionScenarios(), keyScenarios(), unknownScenarios(),
		logsScenarios(), firehoseScenarios(), rcpScenarios(), trailS3Scenarios(), trailLogsScenarios(),
		flowLogS3Scenarios(), flowLogLogsScenarios(), flowLogFirehoseScenarios(), resolverScenarios(), wafScenarios()} {
		for _, sc := range scs {
			m.Merge(sc.build())
		}
	}
	want := analyze(m, 1)
	if len(want) < 100 {
		t.Fatalf("only %d deliveries; the test needs many sources", len(want))
	}
	for _, workers := range []int{2, 3, 8} {
		got := analyze(m, workers)
		if len(got) != len(want) {
			t.Fatalf("%d workers: %d deliveries, want %d", workers, len(got), len(want))
		}
		for i := range want {
			if !reflect.DeepEqual(got[i], want[i]) {
				t.Errorf("%d workers: delivery %d (%s %s -> %s) differs:\n got %+v\nwant %+v", workers, i,
					want[i].Source.Name, want[i].Source.LogType, want[i].Destination.Name, got[i], want[i])
				break
			}
		}
	}
}
