package replica

import (
	"encoding/json"
	"strconv"
	"strings"
	"sync"
)

// zendeskDirectory names Zendesk's users and groups, learnt from the
// export's side-loads, so departments and assignees show as "Billing" and
// "Lan Nguyen" rather than numbers, and a triage action naming them can be
// sent back as ids. It is kept in the store with each page (the client's
// remote state), so a restart that pushes before it pulls still knows them.
type zendeskDirectory struct {
	mu      sync.Mutex
	Users   map[string]string `json:"users"`  // id → name
	Groups  map[string]string `json:"groups"` // id → name
	changed bool
}

func newZendeskDirectory() *zendeskDirectory {
	return &zendeskDirectory{Users: map[string]string{}, Groups: map[string]string{}}
}

// maxDirectory bounds what the directory keeps (a remote cannot grow it
// without limit); past it, new names fall back to ids.
const maxDirectory = 200_000

func (d *zendeskDirectory) learn(users []zendeskUser, groups []zendeskGroup) {
	d.mu.Lock()
	defer d.mu.Unlock()
	put := func(m map[string]string, id zdID, name zdText) {
		n := strings.TrimSpace(string(name))
		if !id.set() || n == "" || m[id.String()] == n || len(m) >= maxDirectory {
			return
		}
		m[id.String()] = n
		d.changed = true
	}
	for _, u := range users {
		put(d.Users, u.ID, u.Name)
	}
	for _, g := range groups {
		put(d.Groups, g.ID, g.Name)
	}
}

// user and group name an id, or fall back to a stable made-up name.
func (d *zendeskDirectory) user(id zdID) string {
	d.mu.Lock()
	defer d.mu.Unlock()
	if n, ok := d.Users[id.String()]; ok {
		return n
	}
	return "zd-agent-" + id.String()
}

func (d *zendeskDirectory) group(id zdID) string {
	d.mu.Lock()
	defer d.mu.Unlock()
	if n, ok := d.Groups[id.String()]; ok {
		return n
	}
	return "zd-group-" + id.String()
}

// userID and groupID find the id of a name (or of a fallback name).
func (d *zendeskDirectory) userID(name string) (int64, bool) {
	return d.lookup(d.Users, "zd-agent-", name)
}

func (d *zendeskDirectory) groupID(name string) (int64, bool) {
	return d.lookup(d.Groups, "zd-group-", name)
}

func (d *zendeskDirectory) lookup(m map[string]string, prefix, name string) (int64, bool) {
	if rest, ok := strings.CutPrefix(name, prefix); ok {
		if n, err := strconv.ParseInt(rest, 10, 64); err == nil {
			return n, true
		}
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	var found int64
	for id, n := range m {
		if n == name {
			v, err := strconv.ParseInt(id, 10, 64)
			if err != nil {
				continue
			}
			if found != 0 && found != v {
				return 0, false // two with this name: ambiguous
			}
			found = v
		}
	}
	return found, found != 0
}

// State returns the directory to keep with the next page, when it changed.
func (d *zendeskDirectory) State() ([]byte, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if !d.changed {
		return nil, false
	}
	b, err := json.Marshal(d)
	if err != nil {
		return nil, false
	}
	d.changed = false
	return b, true
}

// Restore loads a kept directory.
func (d *zendeskDirectory) Restore(b []byte) error {
	var kept struct {
		Users  map[string]string `json:"users"`
		Groups map[string]string `json:"groups"`
	}
	if err := json.Unmarshal(b, &kept); err != nil {
		return err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	for k, v := range kept.Users {
		d.Users[k] = v
	}
	for k, v := range kept.Groups {
		d.Groups[k] = v
	}
	return nil
}
