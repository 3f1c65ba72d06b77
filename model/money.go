package model

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Currency says how amounts are written. Amounts are stored as integers in
// the currency's minor unit: đồng for VND (which has none smaller), cents
// for USD. Every table, the console and the reports format money through
// Format, so a figure reads the same everywhere.
type Currency struct {
	Code   string // ISO 4217, like "VND"
	Digits int    // minor-unit digits: 0 for VND, 2 for USD
}

// DefaultCurrency is the currency when the config names none.
var DefaultCurrency = Currency{Code: "VND", Digits: 0}

// currencies are the ISO 4217 codes cxtop knows, with their minor-unit
// digits.
var currencies = map[string]int{
	"VND": 0, "JPY": 0, "KRW": 0, "IDR": 2, "THB": 2, "USD": 2, "EUR": 2, "GBP": 2, "SGD": 2, "AUD": 2, "CNY": 2, "PHP": 2, "MYR": 2,
}

// CurrencyOf is the currency with an ISO 4217 code ("" is the default).
func CurrencyOf(code string) (Currency, error) {
	if code == "" {
		return DefaultCurrency, nil
	}
	code = strings.ToUpper(code)
	d, ok := currencies[code]
	if !ok {
		return Currency{}, fmt.Errorf("currency %q is not known: use an ISO 4217 code like VND, USD or EUR", code)
	}
	return Currency{Code: code, Digits: d}, nil
}

// Format writes an amount in minor units as "9,209,000 VND" or
// "1,234.50 USD": thousands separated by commas, the currency's own number
// of decimals, the code after.
func (c Currency) Format(minor int64) string {
	return c.FormatFloat(float64(minor)) + " " + c.code()
}

// FormatFloat writes an amount in minor units without the code (for table
// columns whose header names it), rounded to the currency's decimals: a
// mean revenue per customer of 92,090.4 đồng is "92,090".
func (c Currency) FormatFloat(minor float64) string {
	if math.IsNaN(minor) || math.IsInf(minor, 0) {
		return "-"
	}
	major := minor / math.Pow10(c.Digits)
	s := strconv.FormatFloat(math.Abs(major), 'f', c.Digits, 64)
	whole, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	if major < 0 && strings.Trim(s, "0.") != "" {
		b.WriteByte('-')
	}
	for i, r := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if frac != "" {
		b.WriteByte('.')
		b.WriteString(frac)
	}
	return b.String()
}

func (c Currency) code() string {
	if c.Code == "" {
		return DefaultCurrency.Code
	}
	return c.Code
}

// Unit is the currency's code, for a column header: "REVENUE (VND)".
func (c Currency) Unit() string { return c.code() }
