package delivery

import (
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/logpath/logpath/model"
)

var update = flag.Bool("update", false, "rewrite docs/gates.md")

func TestGatesDocIsCurrent(t *testing.T) {
	path := filepath.Join("..", "docs", "gates.md")
	want := GatesMarkdown()
	if *update {
		if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Error("docs/gates.md is out of date: run go test ./delivery -update")
	}
}

func TestCatalogIsComplete(t *testing.T) {
	seen := map[string]bool{}
	for _, g := range Catalog {
		if seen[g.ID] {
			t.Errorf("duplicate gate %s", g.ID)
		}
		seen[g.ID] = true
		if g.Title == "" || g.Checks == "" || g.Applies == "" {
			t.Errorf("gate %s is incomplete", g.ID)
		}
		if len(g.Doc) < 30 || g.Doc[:8] != "https://" {
			t.Errorf("gate %s: doc %q", g.ID, g.Doc)
		}
	}
	// Every gate the analysis can emit is in the catalog.
	models := []*model.Model{seed()}
	for _, sc := range allScenarios() {
		models = append(models, sc.build())
	}
	for _, m := range models {
		for _, d := range Analyze(m) {
			for _, g := range d.Gates {
				if !seen[g.ID] {
					t.Errorf("gate %s is emitted but not in the catalog", g.ID)
				}
			}
		}
	}
}
