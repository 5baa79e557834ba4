// Package config reads .logpath.yaml: defaults for logpath check's flags,
// and the findings a project accepts.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"

	"github.com/logpath/logpath/model"
	"gopkg.in/yaml.v3"
)

// File is the file check reads its defaults from, in the directory it
// runs in.
const File = ".logpath.yaml"

// config is .logpath.yaml: defaults for check's flags, and the findings the
// project accepts. Flags on the command line win over it.
type Config struct {
	Format  string `yaml:"format"`
	FailOn  string `yaml:"fail-on"`
	Explain bool   `yaml:"explain"`
	Account string `yaml:"account"`
	Region  string `yaml:"region"`
	// OrganizationID is --organization-id.
	OrganizationID string            `yaml:"organization-id"`
	Params         map[string]string `yaml:"params"`
	Vars           map[string]string `yaml:"vars"`
	VarFiles       []string          `yaml:"var-files"`
	Ignore         []struct {
		Gate     string `yaml:"gate"`
		Resource string `yaml:"resource"`
		File     string `yaml:"file"`
		Reason   string `yaml:"reason"`
		line     int
	} `yaml:"ignore"`
}

var unknownField = regexp.MustCompile(`field (\S+) not found in type \S+`)

// Read reads path; a missing file is no error when the path was not
// asked for.
func Read(path string, asked bool) (*Config, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) && !asked {
		return &Config{}, nil
	}
	if err != nil {
		return nil, err
	}
	var c Config
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&c); err != nil && !errors.Is(err, io.EOF) {
		// yaml.v3: "yaml: unmarshal errors:\n  line 3: field x not found".
		msg := strings.Join(strings.Fields(strings.TrimPrefix(err.Error(), "yaml: ")), " ")
		msg = unknownField.ReplaceAllString(msg, `unknown key "$1" (README, "Configuration")`)
		return nil, fmt.Errorf("%s: %s", path, msg)
	}
	// Lines of the ignore entries, for the reports and for errors.
	var doc yaml.Node
	if yaml.Unmarshal(data, &doc) == nil && len(doc.Content) == 1 {
		top := doc.Content[0]
		for i := 0; i+1 < len(top.Content); i += 2 {
			if top.Content[i].Value == "ignore" && top.Content[i+1].Kind == yaml.SequenceNode {
				for j, n := range top.Content[i+1].Content {
					if j < len(c.Ignore) {
						c.Ignore[j].line = n.Line
					}
				}
			}
		}
	}
	for _, ig := range c.Ignore {
		if ig.Gate == "" {
			return nil, fmt.Errorf("%s:%d: an ignore entry needs a gate", path, ig.line)
		}
	}
	return &c, nil
}

// Suppressions are the config's ignore entries for the model.
func (c *Config) Suppressions(path string) []model.Suppression {
	var out []model.Suppression
	for _, ig := range c.Ignore {
		gates := strings.Split(ig.Gate, ",")
		for i := range gates {
			gates[i] = strings.TrimSpace(gates[i])
		}
		out = append(out, model.Suppression{Gates: gates, Reason: ig.Reason, Resource: ig.Resource, File: ig.File,
			At: model.Origin{File: path, Line: ig.line, Column: 1}})
	}
	return out
}

// Pairs turns a map into KEY=VALUE strings, as flags give them.
func Pairs(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k, v := range m {
		out = append(out, k+"="+v)
	}
	return out
}
