package hub

import (
	"net"
	"sync"
)

// Connection bounds. Every open HTTP connection holds a file descriptor
// and a goroutine, and silent ones are held until the header timeout:
// without a bound, a flood of them filled the process's file table and
// a legitimate sync waited behind it. Past a bound a new connection is
// closed at once, so the accept queue keeps draining and a client within
// its bounds is served without waiting behind the flood.
const (
	DefaultMaxConns = 512
	// MaxConnsPerAddr bounds one address (IPv6: one /64): one host cannot
	// take every slot. Consoles behind one NAT share it; each keeps one or
	// two connections alive.
	MaxConnsPerAddr = 64
	// fdReserve is what the bound leaves of the process's open-file limit.
	fdReserve = 64
)

// ConnLimits bound the connections a Listener holds.
type ConnLimits struct {
	Total, PerAddr int
	// Refused, when set, is called with the address of each connection
	// closed at accept, and why.
	Refused func(addr, why string)
}

// limitListener closes, at accept, the connections past its bounds, and
// counts the others until they close.
type limitListener struct {
	net.Listener
	lim    ConnLimits
	mu     sync.Mutex
	total  int
	perKey map[string]int
}

// LimitListener bounds the connections ln hands to a server, in all and per
// client address.
func LimitListener(ln net.Listener, lim ConnLimits) net.Listener {
	if lim.Total < 1 {
		lim.Total = DefaultMaxConns
	}
	// The bound must leave the process files to spare (its store, logs,
	// its own remote): connections refused at accept cost nothing, a store
	// that cannot open a file fails.
	if n := openFileLimit(); n > 0 && lim.Total > n-fdReserve {
		lim.Total = max(n-fdReserve, 1)
	}
	if lim.PerAddr < 1 || lim.PerAddr > lim.Total {
		lim.PerAddr = min(MaxConnsPerAddr, lim.Total)
	}
	return &limitListener{Listener: ln, lim: lim, perKey: map[string]int{}}
}

func (l *limitListener) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		key := addrKey(hostOf(c.RemoteAddr()))
		why := l.admit(key)
		if why == "" {
			return &countedConn{Conn: c, l: l, key: key}, nil
		}
		c.Close()
		if l.lim.Refused != nil {
			l.lim.Refused(key, why)
		}
	}
}

// admit counts a connection from key, or says why it is refused.
func (l *limitListener) admit(key string) string {
	l.mu.Lock()
	defer l.mu.Unlock()
	switch {
	case l.perKey[key] >= l.lim.PerAddr:
		return "too many connections from this address"
	case l.total >= l.lim.Total:
		return "too many connections"
	}
	l.perKey[key]++
	l.total++
	return ""
}

func (l *limitListener) release(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.total--
	if l.perKey[key]--; l.perKey[key] <= 0 {
		delete(l.perKey, key)
	}
}

// countedConn gives its slot back once, however often it is closed.
type countedConn struct {
	net.Conn
	l    *limitListener
	key  string
	once sync.Once
}

func (c *countedConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(func() { c.l.release(c.key) })
	return err
}

func hostOf(a net.Addr) string {
	if a == nil {
		return ""
	}
	host, _, err := net.SplitHostPort(a.String())
	if err != nil {
		return a.String()
	}
	return host
}

// addrKey is what a limit counts a client address as: an IPv4 address
// itself, an IPv6 address its /64 (one host is commonly given a whole
// /64, so counting its addresses one by one would bound nothing).
func addrKey(host string) string {
	ip := net.ParseIP(host)
	if ip == nil || ip.To4() != nil {
		return host
	}
	return ip.Mask(net.CIDRMask(64, 128)).String() + "/64"
}
