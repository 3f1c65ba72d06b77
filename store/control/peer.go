package control

import (
	"fmt"
	"net"
	"os/user"
	"strconv"

	"golang.org/x/sys/unix"
)

// Peer is who is on the other end of a connection, from the kernel's
// SO_PEERCRED (not from anything the client says).
type Peer struct {
	UID, GID uint32
	PID      int32
	User     string // the user name of UID, or "uid N" when it has none
}

// peerCred reads the connecting process's credentials.
func peerCred(c *net.UnixConn) (*unix.Ucred, error) {
	raw, err := c.SyscallConn()
	if err != nil {
		return nil, err
	}
	var cred *unix.Ucred
	var credErr error
	if err := raw.Control(func(fd uintptr) {
		cred, credErr = unix.GetsockoptUcred(int(fd), unix.SOL_SOCKET, unix.SO_PEERCRED)
	}); err != nil {
		return nil, err
	}
	return cred, credErr
}

// checkPeer admits only the user the server runs as: the socket's mode
// already keeps others out, and this holds even if the mode is loosened
// or the socket is reached through a directory with other rules. Root
// gets no exception: a store's commands run as its owner.
func checkPeer(cred *unix.Ucred, uid int) (Peer, error) {
	if cred == nil {
		return Peer{}, fmt.Errorf("refused: the peer's credentials are unknown")
	}
	p := Peer{UID: cred.Uid, GID: cred.Gid, PID: cred.Pid, User: UserName(cred.Uid)}
	if int64(cred.Uid) != int64(uid) {
		return p, fmt.Errorf("refused: user %s (uid %d) may not use the control socket of a store owned by uid %d", p.User, cred.Uid, uid)
	}
	return p, nil
}

// UserName is the name of the user uid, or "uid N" when it has none.
func UserName(uid uint32) string {
	id := strconv.FormatUint(uint64(uid), 10)
	if u, err := user.LookupId(id); err == nil && u.Username != "" {
		return u.Username
	}
	return "uid " + id
}
