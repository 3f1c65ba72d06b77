package sim

import (
	"math"
	"math/rand/v2"
)

// pcgStream is the second PCG word ("cxtopsim"): with the user's seed as the
// first it names the generator's one random stream.
const pcgStream = 0x6378746f7073696d

func newRand(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, pcgStream)) }

// splitmix is SplitMix64's finaliser: a fast, well-mixed hash of x.
func splitmix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// hash3 mixes three words; used where a value must be a pure function of
// its inputs (a customer's traits, an hour's noise) rather than of how much
// of the random stream was consumed before.
func hash3(a, b, c uint64) uint64 { return splitmix(splitmix(splitmix(a)^b) ^ c) }

// unitOf maps 64 random bits to [0, 1).
func unitOf(h uint64) float64 { return float64(h>>11) * 0x1p-53 }

// normalOf maps 64 random bits to an approximately standard normal value:
// the Irwin–Hall sum of four 16-bit uniforms, rescaled to unit variance.
func normalOf(h uint64) float64 {
	s := float64(h&0xffff) + float64(h>>16&0xffff) + float64(h>>32&0xffff) + float64(h>>48)
	return (s/65535 - 2) * math.Sqrt(3)
}

// lognormal draws a log-normal value with the given median.
func lognormal(r *rand.Rand, median, sigma float64) float64 {
	return median * math.Exp(sigma*r.NormFloat64())
}

func chance(r *rand.Rand, p float64) bool { return r.Float64() < p }

func clamp(x, lo, hi float64) float64 { return math.Max(lo, math.Min(hi, x)) }

// poisson draws a Poisson count: Knuth's product method for small means,
// a rounded normal for large ones.
func poisson(r *rand.Rand, mean float64) int {
	switch {
	case !(mean > 0):
		return 0
	case mean < 30:
		limit, p, n := math.Exp(-mean), r.Float64(), 0
		for p > limit {
			p *= r.Float64()
			n++
		}
		return n
	}
	return max(0, int(math.Round(mean+math.Sqrt(mean)*r.NormFloat64())))
}

// picker draws an index with probability proportional to its weight.
type picker struct{ cum []float64 }

func newPicker(weights []float64) picker {
	cum := make([]float64, len(weights))
	s := 0.0
	for i, w := range weights {
		s += max(w, 0)
		cum[i] = s
	}
	return picker{cum: cum}
}

func (p picker) pick(r *rand.Rand) int {
	x := r.Float64() * p.cum[len(p.cum)-1]
	for i, c := range p.cum {
		if x < c {
			return i
		}
	}
	return len(p.cum) - 1
}

// oneOf picks an element uniformly.
func oneOf[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}
