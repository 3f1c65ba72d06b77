package model

import (
	"strings"
	"testing"
	"time"
)

func TestSyncConfigSection(t *testing.T) {
	cfg, err := ParseConfig("c.toml", []byte("[sync]\nremote = \"http://127.0.0.1:7080\"\nsource = \"hub\"\ntoken = \"abc\"\ninterval = \"10s\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Sync.Remote != "http://127.0.0.1:7080" || cfg.Sync.Token != "abc" || cfg.Sync.Interval.Duration != 10*time.Second {
		t.Fatalf("%+v", cfg.Sync)
	}
	if _, err := ParseConfig("c.toml", []byte("[sync]\nremot = \"x\"\n")); err == nil || !strings.Contains(err.Error(), "sync.remot") {
		t.Fatalf("unknown key: %v", err)
	}
}
