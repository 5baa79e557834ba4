package main

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/logpath/logpath/load/cloudformation"
	"github.com/logpath/logpath/load/terraform"
)

// inputKind is how check reads an input.
type inputKind uint8

const (
	inFile          inputKind = iota // a template, a plan, a snapshot, or "-"
	inTerraformDir                   // a directory of .tf files: a root module
	inCloudAssembly                  // a cdk.out directory
)

type input struct {
	kind inputKind
	path string
}

// discover turns a path given to check into inputs. A file is read as it
// is; a directory of .tf files is a Terraform root module; a directory with
// manifest.json is a CDK cloud assembly; any other directory is searched
// for all three, and for templates, plans and snapshots by their content.
func discover(path string) ([]input, error) {
	st, err := os.Stat(path)
	if path == "-" || (err == nil && !st.IsDir()) {
		return []input{{inFile, path}}, nil
	}
	if err != nil {
		return nil, err
	}
	if hasTF(path) {
		return []input{{inTerraformDir, path}}, nil
	}
	if cloudformation.IsCloudAssembly(path) {
		return []input{{inCloudAssembly, path}}, nil
	}
	return walk(path)
}

// skipDir are directories a search does not enter: version control, tool
// caches, dependencies, and Go test data (which holds broken inputs on
// purpose).
func skipDir(name string) bool {
	return (strings.HasPrefix(name, ".") && name != "." && name != "..") ||
		name == "node_modules" || name == "vendor" || name == "testdata"
}

func walk(root string) ([]input, error) {
	var out []input
	var tfDirs []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if p != root && skipDir(d.Name()) {
				return filepath.SkipDir
			}
			if cloudformation.IsCloudAssembly(p) {
				out = append(out, input{inCloudAssembly, p})
				return filepath.SkipDir
			}
			if hasTF(p) {
				tfDirs = append(tfDirs, p)
			}
			return nil
		}
		switch strings.ToLower(filepath.Ext(p)) {
		case ".yaml", ".yml", ".json", ".template":
		default:
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if looksReadable(data) {
			out = append(out, input{inFile, p})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	modules := localModules(tfDirs)
	for _, d := range tfDirs {
		if !modules[filepath.Clean(d)] {
			out = append(out, input{inTerraformDir, d})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].path < out[j].path })
	return out, nil
}

func hasTF(dir string) bool {
	files, _ := filepath.Glob(filepath.Join(dir, "*.tf"))
	return len(files) > 0
}

// topLevelResources is a YAML template's Resources section.
var topLevelResources = regexp.MustCompile(`(?m)^["']?Resources["']?[ \t]*:`)

// looksReadable says whether a file found by a search is an input: a
// CloudFormation template, a Terraform plan or state, or a logpath
// snapshot. Other YAML and JSON files (CI workflows, package.json) are
// left alone.
func looksReadable(data []byte) bool {
	if terraform.IsShowJSON(data) {
		return true
	}
	if t := bytes.TrimLeft(data, " \t\r\n"); len(t) > 0 && t[0] == '{' {
		var top map[string]json.RawMessage
		if json.Unmarshal(data, &top) != nil {
			return false
		}
		if _, ok := top["Resources"]; ok {
			return cloudformation.IsTemplate(data)
		}
		return isSnapshotKeys(top)
	}
	return topLevelResources.Match(data) && cloudformation.IsTemplate(data)
}

// isSnapshotKeys says whether a JSON object's keys are a logpath snapshot's.
func isSnapshotKeys(top map[string]json.RawMessage) bool {
	if _, ok := top["version"]; !ok || len(top) < 2 {
		return false
	}
	for k := range top {
		switch k {
		case "version", "firewalls", "buckets", "keys", "aliases", "logGroups", "logResourcePolicies",
			"deliveryStreams", "organizationPolicies", "organization", "suppressions", "deployed":
		case "flowLogs", "iamRoles", "managedPolicies":
		case "trails":
		default:
			return false
		}
	}
	return true
}

// moduleSource is a local module call's source.
var moduleSource = regexp.MustCompile(`(?m)^\s*source\s*=\s*"(\.\.?/[^"]*)"`)

// localModules returns the directories that other Terraform directories
// call as local modules: those are not root modules of their own.
func localModules(dirs []string) map[string]bool {
	out := map[string]bool{}
	for _, d := range dirs {
		files, _ := filepath.Glob(filepath.Join(d, "*.tf"))
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				continue
			}
			for _, m := range moduleSource.FindAllSubmatch(data, -1) {
				out[filepath.Clean(filepath.Join(d, string(m[1])))] = true
			}
		}
	}
	return out
}
