package control

import (
	"encoding/json"
	"fmt"
	"path/filepath"
)

// hello is the client's first frame.
type hello struct {
	Protocol int    `json:"protocol"`
	Cxtop    string `json:"cxtop"` // the client's version, for messages
}

// Welcome is the server's answer to a hello it accepts.
type Welcome struct {
	Protocol int    `json:"protocol"`
	Cxtop    string `json:"cxtop"`
	Store    string `json:"store"` // the absolute path of the held store
	PID      int    `json:"pid"`
}

// Request is one command line, resolved on the client so that it means
// the same in the server's process: Args are the arguments after the
// program name; Dir is the client's working directory, against which the
// server resolves the relative paths in Args (it cannot change its own);
// Env holds the variables of the client the command reads.
type Request struct {
	Args []string          `json:"args"`
	Dir  string            `json:"dir"`
	Env  map[string]string `json:"env,omitempty"`
}

// maxArgs and maxEnv bound a request beyond its frame's size.
const (
	maxArgs = 256
	maxEnv  = 64
)

func decodeJSON(payload []byte, v any, what string) error {
	if err := json.Unmarshal(payload, v); err != nil {
		return fmt.Errorf("%w: %s: %v", ErrFrame, what, err)
	}
	return nil
}

func (r Request) validate() error {
	if len(r.Args) > maxArgs || len(r.Env) > maxEnv {
		return fmt.Errorf("%w: request of %d arguments and %d variables is over the limit (%d, %d)", ErrFrame, len(r.Args), len(r.Env), maxArgs, maxEnv)
	}
	if !filepath.IsAbs(r.Dir) {
		return fmt.Errorf("%w: request: the working directory %q is not absolute", ErrFrame, r.Dir)
	}
	return nil
}

// mismatch is the refusal of a peer of another protocol version.
func mismatch(server, client int, clientVersion string) string {
	return fmt.Sprintf("control protocol mismatch: the cxtop holding the store speaks v%d, this cxtop (%s) v%d: run the same cxtop version as the process holding the store", server, clientVersion, client)
}
