package store

import (
	"bytes"
	"fmt"

	"github.com/cxtop/cxtop/model"
)

// A record's stored value is its change-log sequence (8 bytes, big endian)
// followed by the record: in the binary encoding (model/binary.go) since
// issue 14, as canonical export JSON before. A value's first byte after
// the sequence says which ('{' is JSON), so stores written before still
// read, and an old value is rewritten in binary only when its record
// changes.

// storedValue is r's value with an empty sequence slot.
func storedValue(r model.Record) []byte {
	return model.AppendBinary(make([]byte, 8, 256), r)
}

func decodeStored(v []byte) (model.Record, error) {
	if len(v) <= 8 {
		return model.Record{}, fmt.Errorf("value too short")
	}
	if v[8] == '{' {
		return model.ParseRecord(v[8:])
	}
	return model.ParseBinary(v[8:])
}

// exportLine appends the export JSON of a stored value to dst. A JSON
// value is written as stored, so an old store exports byte for byte as
// before; a binary one is the canonical JSON of its record.
func exportLine(dst, v []byte) ([]byte, error) {
	if len(v) <= 8 {
		return dst, fmt.Errorf("value too short")
	}
	if v[8] == '{' {
		return append(dst, v[8:]...), nil
	}
	r, err := model.ParseBinary(v[8:])
	if err != nil {
		return dst, err
	}
	return model.AppendRecord(dst, r), nil
}

// canonicalValue reports whether v (after the sequence) is the one encoding
// of r in its format.
func canonicalValue(v []byte, r model.Record) bool {
	if v[8] == '{' {
		return bytes.Equal(model.AppendRecord(nil, r), v[8:])
	}
	return bytes.Equal(model.AppendBinary(nil, r), v[8:])
}
