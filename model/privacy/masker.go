package privacy

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"hash"
	"sync"
)

// KeySize is the length of a masking key in bytes.
const KeySize = 32

// Masker pseudonymises and masks with one key. It is safe for concurrent
// use; pseudonyms are cached, so masking a million records of a hundred
// thousand customers computes each pseudonym once.
type Masker struct {
	mu    sync.Mutex
	mac   hash.Hash
	cache map[string]string
	known *Names // names every Text masks (KnowNames), nil for none
}

// KnowNames makes every later Text mask the names of ns too, wherever they
// appear: call it before masking starts, with the names of every record
// to be masked (a snapshot's), and do not change ns afterwards.
func (m *Masker) KnowNames(ns *Names) { m.known = ns }

// NewKey returns a fresh random key.
func NewKey() ([]byte, error) {
	k := make([]byte, KeySize)
	if _, err := rand.Read(k); err != nil {
		return nil, err
	}
	return k, nil
}

// New returns a masker for key, which must be KeySize bytes of secret
// randomness (see NewKey).
func New(key []byte) (*Masker, error) {
	if len(key) != KeySize {
		return nil, errors.New("privacy: a masking key is 32 bytes")
	}
	return &Masker{mac: hmac.New(sha256.New, key), cache: map[string]string{}}, nil
}

// cacheLimit bounds the pseudonym cache; past it the cache starts over.
const cacheLimit = 1 << 20

// pseudonym is prefix + 16 hex digits of HMAC(kind, value): 64 bits, so a
// million customers collide with a probability under 1 in 10 million and
// distinct counts stay exact in practice.
func (m *Masker) pseudonym(kind, prefix, v string) string {
	if v == "" {
		return ""
	}
	ck := kind + "\x00" + v
	m.mu.Lock()
	defer m.mu.Unlock()
	if p, ok := m.cache[ck]; ok {
		return p
	}
	m.mac.Reset()
	m.mac.Write([]byte(ck))
	var sum [sha256.Size]byte
	p := prefix + hex.EncodeToString(m.mac.Sum(sum[:0])[:8])
	if len(m.cache) >= cacheLimit {
		clear(m.cache)
	}
	m.cache[ck] = p
	return p
}

// Customer is the pseudonym of a customer id ("cust-…").
func (m *Masker) Customer(id string) string { return m.pseudonym("customer", "cust-", id) }

// Staff is the pseudonym of a member of staff ("staff-…"). The names
// automations and the system write as are not people and stay.
func (m *Masker) Staff(name string) string {
	if NotAPerson(name) {
		return name
	}
	return m.pseudonym("staff", "staff-", name)
}

// NotAPerson reports whether an actor name is one of the machine actors
// cxtop and its remotes write as.
func NotAPerson(name string) bool {
	switch name {
	case "", "system", "automation", "cxtop", "hub", "sim", "zendesk":
		return true
	}
	return false
}
