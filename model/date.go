package model

import (
	"fmt"
	"time"
)

// ParseTime reads a time given by a person: an RFC 3339 time
// ("2026-11-01T09:00:00Z", "2026-11-01T16:00:00+07:00") or a date
// ("2026-11-01", midnight UTC). The result is in UTC.
func ParseTime(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC(), nil
	}
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, nil
	}
	return time.Time{}, fmt.Errorf("%q is not a date (2026-11-01) or an RFC 3339 time (2026-11-01T09:00:00Z)", s)
}

// Date is a time in the config file, written as a TOML date (2026-09-01),
// a TOML date-time, or a string ParseTime reads.
type Date struct{ time.Time }

// UnmarshalTOML reads a TOML date, date-time or string.
func (d *Date) UnmarshalTOML(v any) error {
	switch v := v.(type) {
	case time.Time:
		// A TOML local date carries no zone: take it as the UTC day.
		y, m, day := v.Date()
		if v.Location() != time.UTC && v.Hour() == 0 && v.Minute() == 0 && v.Second() == 0 {
			d.Time = time.Date(y, m, day, 0, 0, 0, 0, time.UTC)
			return nil
		}
		d.Time = v.UTC()
		return nil
	case string:
		t, err := ParseTime(v)
		if err != nil {
			return err
		}
		d.Time = t
		return nil
	}
	return fmt.Errorf("%v is not a date: write it like 2026-09-01", v)
}
