package deliver

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"strings"
)

// Recipient is how a customer is reached.
type Recipient struct {
	CustomerID string `json:"customer_id"`
	Name       string `json:"name,omitempty"`
	Email      string `json:"email,omitempty"`
	Phone      string `json:"phone,omitempty"`
}

// Directory finds a customer's addresses. The store keeps no personal
// data: the addresses come from a file the CRM exports.
type Directory map[string]Recipient

// maxDirectory bounds the customers a directory file may hold.
const maxDirectory = 5_000_000

// LoadDirectory reads a JSON Lines file, one
// {"customer_id", "name", "email", "phone"} object a line.
func LoadDirectory(path string) (Directory, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("contacts directory %s: %w", path, err)
	}
	defer f.Close()
	d := Directory{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 64<<10)
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimSpace(sc.Text())
		if text == "" {
			continue
		}
		var r Recipient
		dec := json.NewDecoder(strings.NewReader(text))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&r); err != nil {
			return nil, fmt.Errorf("contacts directory %s: line %d: %v: want {\"customer_id\", \"name\", \"email\", \"phone\"}", path, line, err)
		}
		if r.CustomerID == "" {
			return nil, fmt.Errorf("contacts directory %s: line %d: customer_id is empty", path, line)
		}
		if len(d) >= maxDirectory {
			return nil, fmt.Errorf("contacts directory %s: more than %d customers", path, maxDirectory)
		}
		d[r.CustomerID] = r
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("contacts directory %s: %w", path, err)
	}
	return d, nil
}
