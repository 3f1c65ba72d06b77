package store

// SchemaVersion is bumped whenever the layout below changes incompatibly.
// A store with a higher version is refused rather than misread (an older
// cxtop would write records without the newer indexes); an older store is
// upgraded on its first writable open (upgrade.go).
//
//	1  records, log, queue/update/type/source/customer/feedback-ticket
//	   indexes, rollups, alerts, outbox
//	2  idx_feedback_at, idx_open_created, idx_alerts (issue 14: the rules,
//	   the automations' first pass and the alert feed read only what they
//	   judge or show)
//	3  outbox_actions and the outbox's length in meta (a console's first
//	   state read the whole outbox to mark the queue's pending actions, and
//	   walked its pages to count it: at 1M tickets, 35k follow-ups waiting
//	   for delivery made most of a first frame)
const SchemaVersion = 3

// Buckets. Record buckets map id → value, where a value is the record's
// change-log sequence (8 bytes, big endian), so sync can resume by
// sequence, followed by the record in the binary encoding (or, written
// before it, the canonical export JSON: record_value.go).
var (
	bucketMeta     = []byte("meta")
	bucketTickets  = []byte("tickets")
	bucketFeedback = []byte("feedback")
	bucketEvents   = []byte("events")
	// bucketLog maps sequence → kind byte + id: every record's latest
	// version in commit order. An update deletes the record's older entry.
	bucketLog = []byte("log")

	// Indexes (see index.go for their keys).
	bucketIdxQueue    = []byte("idx_queue")
	bucketIdxUpdated  = []byte("idx_updated")
	bucketIdxType     = []byte("idx_type")
	bucketIdxSource   = []byte("idx_source")
	bucketIdxCustomer = []byte("idx_customer")
	bucketIdxFbTicket = []byte("idx_feedback_ticket")
	// Schema 2. bucketIdxFeedbackAt: every answer by its time, so the
	// automations' first pass reads only the answers of their horizon.
	// bucketIdxOpenCreated: open tickets by creation time, so the age rules
	// read only the tickets old enough to judge.
	bucketIdxFeedbackAt  = []byte("idx_feedback_at")
	bucketIdxOpenCreated = []byte("idx_open_created")

	// bucketRollups maps metric NUL hour [suffix] → int64 (see rollup.go).
	bucketRollups = []byte("rollups")

	// bucketOutbox maps sequence → an entry for the remote (outbox.go);
	// bucketOutboxKeys maps idempotency key → sequence while pending, or
	// → "sent" once delivered, so the same key is never queued twice.
	bucketOutbox     = []byte("outbox")
	bucketOutboxKeys = []byte("outbox_keys")
	// Schema 3. bucketOutboxActions maps the sequence of each pending
	// triage action → its ticket's id (outbox_index.go).
	bucketOutboxActions = []byte("outbox_actions")
)

var allBuckets = [][]byte{
	bucketMeta, bucketTickets, bucketFeedback, bucketEvents, bucketLog,
	bucketIdxQueue, bucketIdxUpdated, bucketIdxType, bucketIdxSource, bucketIdxCustomer, bucketIdxFbTicket,
	bucketIdxFeedbackAt, bucketIdxOpenCreated,
	bucketRollups, bucketOutbox, bucketOutboxKeys, bucketOutboxActions,
	bucketReplies, bucketTombstones, bucketQuarantine, bucketContacts,
}

var indexBuckets = [][]byte{
	bucketIdxQueue, bucketIdxUpdated, bucketIdxType, bucketIdxSource, bucketIdxCustomer, bucketIdxFbTicket,
	bucketIdxFeedbackAt, bucketIdxOpenCreated,
}

// Meta keys.
var (
	metaApp       = []byte("app")
	metaSchema    = []byte("schema")
	metaSeq       = []byte("seq")
	metaOpenCount = []byte("open_tickets")
	metaCreated   = []byte("created_at")
	metaOutboxSeq = []byte("outbox_seq")
	metaOutboxLen = []byte("outbox_len") // schema 3: pending entries
	appName       = []byte("cxtop")
)

// Kind bytes used in the log and the customer index.
const (
	kindTicket   byte = 't'
	kindFeedback byte = 'f'
	kindEvent    byte = 'e'
)

// Fill percents: ids and sequences arrive in ascending order, so record
// buckets and the log split pages nearly full; indexes take random keys.
const (
	fillAppend = 0.9
	fillRandom = 0.5
)

// indexFill is the fill percent of an index bucket: the ones keyed by a
// time first take keys in near-ascending order, the others anywhere.
func indexFill(bucket []byte) float64 {
	switch string(bucket) {
	case string(bucketIdxUpdated), string(bucketIdxFeedbackAt), string(bucketIdxOpenCreated):
		return fillAppend
	}
	return fillRandom
}
