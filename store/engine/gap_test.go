package engine

import (
	"testing"
	"time"
)

func TestComputeGapKeepsComputingToAThirdOfACore(t *testing.T) {
	ms := time.Millisecond
	for _, c := range []struct{ coalesce, cost, want time.Duration }{
		{250 * ms, 0, 250 * ms},        // a cheap state: the configured coalescing
		{250 * ms, 100 * ms, 250 * ms}, // still under it
		{250 * ms, 200 * ms, 400 * ms}, // a costly state: twice its cost
		{250 * ms, 2 * time.Second, 4 * time.Second},
	} {
		if got := computeGap(c.coalesce, c.cost); got != c.want {
			t.Errorf("computeGap(%v, %v) = %v, want %v", c.coalesce, c.cost, got, c.want)
		}
	}
}
