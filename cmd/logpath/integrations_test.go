package main

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// The GitHub Action and the pre-commit hook call logpath check with flags;
// these tests keep them valid YAML and in step with the flags check has.

func checkFlags(t *testing.T) map[string]bool {
	t.Helper()
	flags := map[string]bool{}
	for _, m := range regexp.MustCompile(`(?m)^\s+--([a-z-]+)`).FindAllStringSubmatch(checkUsage, -1) {
		flags[m[1]] = true
	}
	if !flags["format"] || !flags["fail-on"] {
		t.Fatalf("could not read the flags from checkUsage: %v", flags)
	}
	return flags
}

func TestPreCommitHook(t *testing.T) {
	data, err := os.ReadFile("../../.pre-commit-hooks.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var hooks []struct {
		ID            string `yaml:"id"`
		Entry         string `yaml:"entry"`
		Language      string `yaml:"language"`
		PassFilenames *bool  `yaml:"pass_filenames"`
		Files         string `yaml:"files"`
	}
	if err := yaml.Unmarshal(data, &hooks); err != nil {
		t.Fatal(err)
	}
	if len(hooks) != 1 || hooks[0].ID != "logpath" || hooks[0].Language != "golang" {
		t.Fatalf("hooks = %+v", hooks)
	}
	h := hooks[0]
	if !strings.HasPrefix(h.Entry, "logpath check") {
		t.Errorf("entry %q does not run logpath check", h.Entry)
	}
	if h.PassFilenames == nil || *h.PassFilenames {
		t.Error("the hook must check the whole repository (pass_filenames: false): a delivery spans files")
	}
	files := regexp.MustCompile(h.Files)
	for _, f := range []string{"template.yaml", "stack.yml", "main.tf", "prod.tfvars", "plan.json"} {
		if !files.MatchString(f) {
			t.Errorf("files %q does not match %s", h.Files, f)
		}
	}
}

func TestGitHubAction(t *testing.T) {
	data, err := os.ReadFile("../../action.yml")
	if err != nil {
		t.Fatal(err)
	}
	var action struct {
		Inputs map[string]struct {
			Default string `yaml:"default"`
		} `yaml:"inputs"`
		Runs struct {
			Using string `yaml:"using"`
			Steps []struct {
				Run string `yaml:"run"`
			} `yaml:"steps"`
		} `yaml:"runs"`
	}
	if err := yaml.Unmarshal(data, &action); err != nil {
		t.Fatal(err)
	}
	if action.Runs.Using != "composite" {
		t.Errorf("runs.using = %q", action.Runs.Using)
	}
	flags := checkFlags(t)
	var script strings.Builder
	for _, s := range action.Runs.Steps {
		script.WriteString(s.Run)
	}
	for _, m := range regexp.MustCompile(`--([a-z-]+)`).FindAllStringSubmatch(script.String(), -1) {
		if m[1] != "format" && !flags[m[1]] && m[1] != "o" {
			t.Errorf("action.yml passes --%s, which logpath check does not have", m[1])
		}
	}
	for _, in := range []string{"format", "fail-on"} {
		if _, ok := action.Inputs[in]; !ok {
			t.Errorf("action.yml has no input %q", in)
		}
	}
	if f := action.Inputs["format"].Default; f != "text" {
		t.Errorf("default format %q", f)
	}
}
