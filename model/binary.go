package model

// The binary record encoding is how the store keeps records: the same
// values as the export JSON (AppendRecord), in about a third of the bytes
// and a fraction of the time to write and read. The export, the sync feed
// and every other outside format stay JSON; this encoding never leaves the
// store file, but a file outlives the program, so it is a format: what is
// written here must decode the same way in every later version.
//
// A value starts with one format byte: BinaryTicket, BinaryFeedback or
// BinaryEvent (a stored JSON object starts with '{', so both can live in
// one store). The fields follow in a fixed order per kind (binary_encode.go),
// each one of:
//
//	string  uvarint h, then: h even: a literal of h/2 bytes;
//	        h odd: reference (h-1)/2 — the static dictionary below first,
//	        then the literals already written in this value, in order
//	        (the first maxBackRefs of them), so an assignee repeated in the
//	        history or an external id equal to the id costs one byte.
//	time    uvarint h: 0 is the zero time; otherwise h-1 = zigzag(seconds −
//	        base)<<1 | (nanoseconds ≠ 0), and the nanoseconds follow as a
//	        uvarint when set. The base of a record's first time is
//	        binaryEpoch; the others are relative to it (a ticket's times to
//	        its creation, an event's placed_at to its time).
//	int     zigzag varint; uint: uvarint; flags: one byte.
//
// The encoding is canonical, like the JSON: a record has exactly one
// encoding (a dictionary string is always a reference, a repeated one a
// back reference, a float in its shortest form), so equal records have
// equal bytes and the store can skip a rewrite by comparing them. Strings
// are written as the JSON would read back: invalid UTF-8 becomes U+FFFD.

// Format bytes of binary values.
const (
	BinaryTicket   byte = 0x01
	BinaryFeedback byte = 0x02
	BinaryEvent    byte = 0x03
)

// binaryEpoch is the base of a record's first time (2026-01-01T00:00:00Z),
// so the seconds of the years around it take four bytes, not five.
const binaryEpoch = 1767225600

// maxBackRefs bounds the literals a value may refer back to, so encoding a
// long history stays linear.
const maxBackRefs = 64

// binaryDictionary holds the strings most records repeat: the default
// taxonomy, the simulator's and the playbook's dimension values, the
// surveys, kinds and event types, the history's usual fields. Its order is
// the format: entries may be appended, never changed, removed or moved
// (TestBinaryDictionaryIsFrozen pins them).
var binaryDictionary = []string{
	// Statuses and priorities.
	StatusNew, StatusInProgress, StatusDone,
	PriorityUrgent, PriorityHigh, PriorityNormal, PriorityLow,
	// Types and sub-types.
	"complaint", "late_delivery", "staff_attitude", "product_quality", "billing_error",
	"suggestion", "product_idea", "service_improvement", "app_feature",
	"technical_support", "login_issue", "payment_failure", "app_bug", "account_access",
	"information_request", "order_status", "promotion_info", "store_info",
	"return_exchange", "return_request", "exchange_request", "refund_status",
	// Sources (and feedback channels).
	"zalo_oa", "facebook", "email", "hotline", "website_chat",
	"chatbot", "mobile_app", "store", "web_form", "marketplace",
	// Departments, segments, touchpoints.
	"customer_care", "it_support", "logistics", "product",
	"regular", "loyal", "vip",
	"delivery", "after_sales", "app", "store_visit", "promotion", "payment", "website", "checkout",
	// Surveys and feedback kinds.
	SurveyCSAT, SurveyNPS, SurveyCES, SurveyBot,
	KindTransactional, KindRelationship, KindPostResolution,
	// Event types and form variants.
	EventFormStarted, EventFormCompleted, EventFormAbandoned,
	EventOrderPlaced, EventOrderProcessed, EventPurchase, EventDigitalLogin,
	"A", "B",
	// Systems, and what a history entry usually says.
	"sim", "hub", "zendesk", "system",
	"status", "assignee", "subtype", "type", "priority", "escalated", "department", "note", "source",
	"true", "false",
	"follow_up", "delivery_partner", "app_v5", "refund", "repeat_contact", "voucher", "priority_customer", "social_media",
}

// dictionaryTable finds a dictionary entry's reference without a map
// lookup (a map was half the encoder's time): entries are spread over 256
// slots by a hash of their length and first and last bytes, each slot
// listing its few entries.
var dictionaryTable, dictionaryMaxLen = func() (t [256][]uint16, maxLen int) {
	for i, s := range binaryDictionary {
		h := dictionarySlot(s)
		t[h] = append(t[h], uint16(i))
		maxLen = max(maxLen, len(s))
	}
	return t, maxLen
}()

func dictionarySlot(s string) uint8 {
	return uint8(len(s)*31 + int(s[0])*7 + int(s[len(s)-1]))
}

// dictionaryRef is s's index in the dictionary.
func dictionaryRef(s string) (uint64, bool) {
	if len(s) == 0 || len(s) > dictionaryMaxLen {
		return 0, false
	}
	for _, i := range dictionaryTable[dictionarySlot(s)] {
		if binaryDictionary[i] == s {
			return uint64(i), true
		}
	}
	return 0, false
}

// IsBinaryRecord reports whether a stored value (after its sequence) is in
// the binary encoding rather than JSON.
func IsBinaryRecord(v []byte) bool {
	return len(v) > 0 && (v[0] == BinaryTicket || v[0] == BinaryFeedback || v[0] == BinaryEvent)
}
