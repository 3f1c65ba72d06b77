package config

import (
	"strings"
	"testing"
)

func TestPrivacySection(t *testing.T) {
	s, err := Parse("c.toml", []byte(""))
	if err != nil || !s.Privacy.Masked(false) || s.Privacy.Masked(true) {
		t.Fatalf("defaults: viewers masked, leads not: %+v %v", s.Privacy, err)
	}
	s, err = Parse("c.toml", []byte("[privacy]\nviewers = \"unmasked\"\nleads = \"masked\"\n"))
	if err != nil || s.Privacy.Masked(false) || !s.Privacy.Masked(true) {
		t.Fatalf("both turned round: %+v %v", s.Privacy, err)
	}
	_, err = Parse("c.toml", []byte("[privacy]\nviewers = \"partly\"\n"))
	if err == nil || !strings.Contains(err.Error(), `config c.toml: privacy.viewers "partly": use "masked" or "unmasked"`) {
		t.Fatalf("a bad value: %v", err)
	}
}
