package model

import (
	"math"
	"unicode/utf8"
)

// Bounds on what a record may hold. Everything from outside is bounded, so
// one record can neither grow a store without limit nor become a line
// that import refuses: the largest ticket these allow (MaxRecordBytes)
// exports as a line import reads back.
const (
	MaxSubjectLen     = 1 << 10  // bytes of a subject
	MaxDescriptionLen = 64 << 10 // bytes of a description or a comment
	MaxNoteLen        = 4 << 10  // bytes of a triage note, and of any history value
	MaxHistory        = 1000     // entries of one ticket's history
	MaxTags           = 100      // tags on a ticket
	// MaxRecordBytes bounds one exported line. A ticket at every limit
	// above, with every character escaped, stays under it.
	MaxRecordBytes = 64 << 20
	// MaxAmount bounds one purchase, in minor units: 10 billion in a
	// currency with cents, a trillion đồng. Sums of millions of purchases
	// then stay far inside int64 (an amount near its end once turned
	// revenue growth into -8798408887591.1%).
	MaxAmount = 1_000_000_000_000
)

// AddSat adds without wrapping around: past the ends of int64 the sum
// stays at the end, so a sum read from rollups never changes sign.
func AddSat(a, b int64) int64 {
	s := a + b
	switch {
	case a > 0 && b > 0 && s < 0:
		return math.MaxInt64
	case a < 0 && b < 0 && s >= 0:
		return math.MinInt64
	}
	return s
}

// Clip cuts s to at most n bytes on a character boundary, ending it with
// "…" when it was cut: how adapters fit a remote's long free text (a
// Zendesk description holding a whole email thread) into the bounds
// instead of refusing the record.
func Clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	const more = "…"
	cut := n - len(more)
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:max(cut, 0)] + more
}
