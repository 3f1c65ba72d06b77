package main

import (
	"fmt"
	"log"
	"time"

	"github.com/cxtop/cxtop/model/privacy"
)

// sessionMask is the masker of a console or SSH session, or nil when it
// may see personal data: [privacy] decides per role (viewers masked, leads
// not, by default), and a lead may lift its mask with --unmask, which is
// logged. The key is new for each process: pseudonyms stay the same for
// the whole session and for every session of a server, and cannot be
// linked across runs.
func (a *app) sessionMask(lead, unmask bool) (*privacy.Masker, error) {
	if !a.cfg.Privacy.Masked(lead) {
		return nil, nil
	}
	if unmask {
		if !lead {
			return nil, usagef("--unmask is for lead sessions: a viewer's mask is [privacy] viewers in the config")
		}
		log.Printf("privacy: %s unmasked personal data in a lead session on %s at %s", a.user(), a.dbPath, time.Now().UTC().Format(time.RFC3339))
		return nil, nil
	}
	key, err := privacy.NewKey()
	if err != nil {
		return nil, fmt.Errorf("privacy: %w", err)
	}
	return privacy.New(key)
}
