package sim

import (
	"math"
	"math/rand/v2"
)

// Segments, from the most to the least valuable.
type segment uint8

const (
	segVIP segment = iota
	segLoyal
	segRegular
	segNew
)

var segmentNames = [4]string{"vip", "loyal", "regular", "new"}

// segmentShare is the make-up of the customer base.
var segmentShare = [4]float64{0.05, 0.20, 0.50, 0.25}

// segmentAffinity is the mean digital affinity of a segment: new customers
// come through the app more, VIPs are served in store and by phone more.
var segmentAffinity = [4]float64{0.56, 0.70, 0.62, 0.76}

// Relative activity per segment for what a customer does.
var (
	ticketActivity   = [4]float64{2.0, 1.4, 1.0, 1.2}
	purchaseActivity = [4]float64{4.0, 2.5, 1.0, 0.8}
	uniformActivity  = [4]float64{1, 1, 1, 1}
)

// customer is one member of the pool. Its traits are a pure function of the
// seed and its index, so the pool costs no memory and a Live generator with
// the same seed sees the same customers as the history.
type customer struct {
	idx      int
	seg      segment
	affinity float64 // 0..1: how much the customer uses the app and website
	loyalty  float64 // latent attitude, about N(0,1): drives NPS and spending
}

type customerPool struct {
	seed uint64
	n    int
	ids  []string // formatted lazily
}

func newCustomerPool(seed uint64, n int) *customerPool {
	return &customerPool{seed: seed, n: n, ids: make([]string, n)}
}

// poolSize is the number of customers behind a history of n tickets.
func poolSize(tickets int) int {
	return min(max(200, tickets/3), 999_999)
}

func (p *customerPool) get(i int) customer {
	h := hash3(p.seed, 0xc057, uint64(i))
	u := unitOf(h)
	seg := segNew
	acc := 0.0
	for s, share := range segmentShare {
		acc += share
		if u < acc {
			seg = segment(s)
			break
		}
	}
	h = splitmix(h)
	aff := clamp(segmentAffinity[seg]+(unitOf(h)-0.5)*0.7, 0.03, 0.97)
	h = splitmix(h)
	return customer{idx: i, seg: seg, affinity: aff, loyalty: normalOf(h)}
}

// id is the customer's id, "C" + 6 digits.
func (p *customerPool) id(c customer) string {
	if s := p.ids[c.idx]; s != "" {
		return s
	}
	s := formatID("", 'C', uint64(c.idx+1), customerWidth)
	p.ids[c.idx] = s
	return s
}

// pick draws a customer with probability proportional to weight[segment],
// times min(e^(lift·loyalty), 2) when lift is set (loyal customers buy more).
func (p *customerPool) pick(r *rand.Rand, weight *[4]float64, lift float64) customer {
	top := max(weight[0], weight[1], weight[2], weight[3])
	if lift != 0 {
		top *= 2
	}
	var c customer
	for range 64 {
		c = p.get(r.IntN(p.n))
		w := weight[c.seg]
		if lift != 0 {
			w *= math.Min(math.Exp(lift*c.loyalty), 2)
		}
		if r.Float64()*top < w {
			break
		}
	}
	return c
}
