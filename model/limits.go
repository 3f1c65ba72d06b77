package model

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
)
