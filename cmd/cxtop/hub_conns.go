package main

import (
	"sync"
	"time"
)

// refusedConns logs the connections the hub closes at accept without
// letting a flood flood the log: the first refusal, then at most one line
// a minute with how many were refused since and the last address.
func refusedConns(logf func(string, ...any)) func(addr, why string) {
	var (
		mu     sync.Mutex
		last   time.Time
		missed int
	)
	return func(addr, why string) {
		mu.Lock()
		defer mu.Unlock()
		now := time.Now()
		if !last.IsZero() && now.Sub(last) < time.Minute {
			missed++
			return
		}
		logf("connection from %s closed: %s (%d more closed in the last minute; see --max-conns)", addr, why, missed)
		last, missed = now, 0
	}
}
