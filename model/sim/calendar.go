package sim

import "math"

// The streams of primary activity a history is made of. Each is spread over
// the hours of the period by its own intensity; what follows from an item
// (a ticket's survey, an order's processing) is scheduled by the item.
const (
	stTickets = iota
	stBotOnly // chatbot conversations the bot settled alone
	stNPS     // relationship NPS answers
	stForms   // form sessions
	stOrders  // orders: placed, paid, processed
	stStore   // in-store purchases
	stLogins  // app and website sign-ins
	nStreams
)

// streamRatio is each stream's volume per ticket. With what the items bring
// along this gives events ≈ 2.5× and feedback ≈ 0.85× the tickets.
var streamRatio = [nStreams]float64{1, 0.12, 0.15, 0.25, 0.32, 0.15, 0.04}

// Local time is Vietnam's, UTC+7.
const tzOffset = 7 * 3600

func localHour(t int64) int { return int((floorDiv(t+tzOffset, 3600)%24 + 24) % 24) }

func localDay(t int64) int64 { return floorDiv(t+tzOffset, 86400) }

// weekday of t in local time, 0 = Sunday (1970-01-01 was a Thursday).
func weekday(t int64) int { return int(((localDay(t)+4)%7 + 7) % 7) }

// hourWeight: contacts peak 9–11h and 19–21h, almost none at night.
var hourWeight = [24]float64{
	0.25, 0.14, 0.09, 0.07, 0.08, 0.15, 0.35, 0.6, 0.9, 1.25, 1.35, 1.2,
	0.95, 0.85, 0.9, 0.95, 0.95, 0.9, 1.0, 1.25, 1.35, 1.2, 0.8, 0.5,
}

// storeHourWeight: stores open 8–22h, busiest at lunch and after work.
var storeHourWeight = [24]float64{
	0, 0, 0, 0, 0, 0, 0, 0, 0.5, 0.8, 1.0, 1.1,
	1.2, 1.0, 0.9, 0.9, 1.0, 1.2, 1.4, 1.5, 1.4, 1.1, 0.4, 0,
}

// Day of week (0 = Sunday): support is busiest on Monday and quiet at the
// weekend; shopping is the other way round.
var (
	dayWeightCare = [7]float64{0.68, 1.12, 1.05, 1.0, 1.0, 0.97, 0.78}
	dayWeightShop = [7]float64{1.15, 0.95, 0.92, 0.95, 0.97, 1.05, 1.2}
)

// incident is a delivery breakdown: more late-delivery contacts, slower
// handling, lower satisfaction. The zero value is no incident.
type incident struct{ from, to int64 }

func (i incident) active(t int64) bool { return t >= i.from && t < i.to }

// calendar hands out, hour by hour, how many items of each stream start in
// that hour: exact totals, spread by hour-of-day, weekday, trend, incident
// and some day-to-day and hour-to-hour noise.
type calendar struct {
	seed   uint64
	start  int64
	hours  int
	inc    incident
	target [nStreams]float64
	total  [nStreams]float64
	cum    [nStreams]float64
	given  [nStreams]int
}

func newCalendar(seed uint64, start int64, days, tickets int, inc incident) *calendar {
	c := &calendar{seed: seed, start: start, hours: days * 24, inc: inc}
	for s := range nStreams {
		c.target[s] = math.Round(streamRatio[s] * float64(tickets))
		for k := range c.hours {
			c.total[s] += c.weight(s, k)
		}
	}
	return c
}

// weight is the relative intensity of stream s in hour k of the period.
func (c *calendar) weight(s, k int) float64 {
	t := c.start + int64(k)*3600 + 1800
	h, wd := localHour(t), weekday(t)
	p := float64(k) / float64(c.hours)
	w := hourWeight[h] * dayWeightShop[wd]
	switch s {
	case stTickets:
		w = hourWeight[h] * dayWeightCare[wd] * (0.97 + 0.06*p)
		if c.inc.active(t) {
			w *= 1.35
		}
	case stBotOnly:
		w = hourWeight[h] * dayWeightCare[wd] * (0.9 + 0.2*p)
	case stNPS:
		w = hourWeight[h]
	case stOrders:
		w *= 0.9 + 0.2*p
	case stStore:
		w = storeHourWeight[h] * dayWeightShop[wd]
	}
	day := uint64(localDay(t))
	noise := 0.08*normalOf(hash3(c.seed, uint64(s)<<32|0xda7, day)) +
		0.12*normalOf(hash3(c.seed, uint64(s)<<32|0x404, uint64(k)))
	return w * math.Exp(noise)
}

// next gives the counts of hour k; it must be called for k = 0, 1, 2, ...
func (c *calendar) next(k int) [nStreams]int {
	var n [nStreams]int
	for s := range nStreams {
		if c.total[s] == 0 {
			continue
		}
		c.cum[s] += c.weight(s, k)
		upto := int(math.Floor(c.target[s]*c.cum[s]/c.total[s] + 0.5))
		if k == c.hours-1 {
			upto = int(c.target[s])
		}
		n[s] = max(0, upto-c.given[s])
		c.given[s] += n[s]
	}
	return n
}
