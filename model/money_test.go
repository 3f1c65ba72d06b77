package model

import "testing"

func TestCurrencyFormat(t *testing.T) {
	usd, _ := CurrencyOf("usd")
	for _, tc := range []struct {
		c     Currency
		minor int64
		want  string
	}{
		// The nps-revenue bug: 9,209,000 đồng was shown as 92090.00.
		{DefaultCurrency, 9_209_000, "9,209,000 VND"},
		{DefaultCurrency, 0, "0 VND"},
		{DefaultCurrency, 999, "999 VND"},
		{DefaultCurrency, 1000, "1,000 VND"},
		{DefaultCurrency, -1_234_567, "-1,234,567 VND"},
		{Currency{}, 5_000_000_000, "5,000,000,000 VND"},
		{usd, 123_456, "1,234.56 USD"},
		{usd, -5, "-0.05 USD"},
	} {
		if got := tc.c.Format(tc.minor); got != tc.want {
			t.Errorf("%+v.Format(%d) = %q, want %q", tc.c, tc.minor, got, tc.want)
		}
	}
	if got := DefaultCurrency.FormatFloat(92_090.4); got != "92,090" {
		t.Errorf("a mean of 92,090.4 đồng reads %q, want 92,090 (no decimals in VND)", got)
	}
	if _, err := CurrencyOf("XYZ"); err == nil {
		t.Error("an unknown currency code is accepted")
	}
}

func TestParseTime(t *testing.T) {
	day, err := ParseTime("2026-11-01")
	if err != nil || day.Format("2006-01-02T15:04:05Z07:00") != "2026-11-01T00:00:00Z" {
		t.Errorf("a date reads %v, %v; want midnight UTC", day, err)
	}
	at, err := ParseTime("2026-11-01T16:00:00+07:00")
	if err != nil || !at.Equal(day.Add(9*3600e9)) || at.Location().String() != "UTC" {
		t.Errorf("an RFC 3339 time with an offset reads %v, %v", at, err)
	}
	for _, bad := range []string{"", "yesterday", "2026-13-01", "01/11/2026"} {
		if _, err := ParseTime(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}
