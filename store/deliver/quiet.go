package deliver

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// QuietHours is a daily window, in a time zone, when no message is sent
// ("21:00-08:00" crosses midnight). The zero value has none.
type QuietHours struct {
	From, To time.Duration // since local midnight
	Loc      *time.Location
}

// ParseQuietHours reads "HH:MM-HH:MM" ("" is none).
func ParseQuietHours(s string, loc *time.Location) (QuietHours, error) {
	if s == "" {
		return QuietHours{}, nil
	}
	a, b, ok := strings.Cut(s, "-")
	from, err1 := clock(a)
	to, err2 := clock(b)
	if !ok || err1 != nil || err2 != nil || from == to {
		return QuietHours{}, fmt.Errorf("quiet_hours %q: want HH:MM-HH:MM, such as 21:00-08:00", s)
	}
	if loc == nil {
		loc = time.UTC
	}
	return QuietHours{From: from, To: to, Loc: loc}, nil
}

func clock(s string) (time.Duration, error) {
	h, m, ok := strings.Cut(strings.TrimSpace(s), ":")
	hh, err1 := strconv.Atoi(h)
	mm, err2 := strconv.Atoi(m)
	if !ok || err1 != nil || err2 != nil || hh < 0 || hh > 23 || mm < 0 || mm > 59 {
		return 0, fmt.Errorf("bad clock %q", s)
	}
	return time.Duration(hh)*time.Hour + time.Duration(mm)*time.Minute, nil
}

// Until reports whether t is inside the quiet hours, and when they end.
func (q QuietHours) Until(t time.Time) (time.Time, bool) {
	if q.Loc == nil || q.From == q.To {
		return time.Time{}, false
	}
	lt := t.In(q.Loc)
	midnight := time.Date(lt.Year(), lt.Month(), lt.Day(), 0, 0, 0, 0, q.Loc)
	since := lt.Sub(midnight)
	switch {
	case q.From < q.To && since >= q.From && since < q.To:
		return midnight.Add(q.To).UTC(), true
	case q.From > q.To && since >= q.From:
		return midnight.AddDate(0, 0, 1).Add(q.To).UTC(), true
	case q.From > q.To && since < q.To:
		return midnight.Add(q.To).UTC(), true
	}
	return time.Time{}, false
}
