package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/cxtop/cxtop/model"
	"github.com/cxtop/cxtop/store"
)

// maxLine bounds one JSON line (a ticket with a long history).
const maxLine = 16 << 20

func (a *app) importCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "import FILE",
		Short: "Read records written by export into the store (all or nothing)",
		Long: `Read JSON Lines written by 'cxtop export' (FILE, or - for stdin) into the store.
Every line is checked first; a bad line stops the import with "line N: ..." and the store is
left exactly as it was. Records whose id already exists are replaced.`,
		Example: "  cxtop import --db new.db backup.jsonl",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			path, cleanup, err := spoolInput(args[0], a.io.in)
			if err != nil {
				return err
			}
			defer cleanup()
			n, err := a.validateImport(args[0], path)
			if err != nil {
				return err
			}
			s, err := a.openStore(true)
			if err != nil {
				return err
			}
			defer s.Close()
			res, err := writeImport(s.Store, path)
			if err != nil {
				return fmt.Errorf("import %s: %w (nothing was written)", args[0], err)
			}
			fmt.Fprintf(a.io.err, "imported %d records into %s: %d new, %d updated, %d unchanged\n",
				n, a.dbPath, res.Inserted, res.Updated, res.Unchanged)
			return nil
		},
	}
}

// spoolInput returns a path to read twice: the file itself, or stdin copied
// to a temporary file.
func spoolInput(name string, stdin io.Reader) (string, func(), error) {
	if name != "-" {
		fi, err := os.Stat(name)
		if err != nil {
			return "", nil, fmt.Errorf("import %s: %w", name, unwrapPathError(err))
		}
		if fi.IsDir() {
			return "", nil, fmt.Errorf("import %s: is a directory, want a JSON Lines file", name)
		}
		return name, func() {}, nil
	}
	f, err := os.CreateTemp("", "cxtop-import-*.jsonl")
	if err != nil {
		return "", nil, fmt.Errorf("import from stdin: %w", err)
	}
	cleanup := func() { f.Close(); os.Remove(f.Name()) }
	if _, err := io.Copy(f, stdin); err != nil {
		cleanup()
		return "", nil, fmt.Errorf("import from stdin: %w", err)
	}
	return f.Name(), cleanup, nil
}

// eachLine calls fn with every non-blank line and its 1-based number.
func eachLine(path string, fn func(n int, line []byte) error) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), maxLine)
	n := 0
	for sc.Scan() {
		n++
		if len(sc.Bytes()) == 0 {
			continue
		}
		if err := fn(n, sc.Bytes()); err != nil {
			return err
		}
	}
	if errors.Is(sc.Err(), bufio.ErrTooLong) {
		return fmt.Errorf("line %d: longer than %d MiB", n+1, maxLine>>20)
	}
	return sc.Err()
}

// validateImport reads the whole input once, so a bad line is found before
// anything is written.
func (a *app) validateImport(name, path string) (int, error) {
	count := 0
	err := eachLine(path, func(n int, line []byte) error {
		r, err := model.ParseRecord(line)
		if err == nil {
			err = a.cfg.Taxonomy.Validate(r)
		}
		if err != nil {
			return fmt.Errorf("line %d: %w", n, err)
		}
		count++
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("import %s: %w (nothing was written)", name, err)
	}
	return count, nil
}

// writeImport writes every record in one transaction: either the whole file
// lands or, on any failure, none of it.
func writeImport(s *store.Store, path string) (store.WriteResult, error) {
	return s.Update(func(w *store.Writer) error {
		return eachLine(path, func(n int, line []byte) error {
			r, err := model.ParseRecord(line)
			if err == nil {
				err = w.Put(r)
			}
			if err != nil {
				return fmt.Errorf("line %d: %w", n, err)
			}
			return nil
		})
	})
}
