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

// maxLine bounds one JSON line: the largest record the model allows
// (model.MaxRecordBytes), so whatever cxtop exports, it imports.
const maxLine = model.MaxRecordBytes

func (a *app) importCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "import FILE",
		Short: "Read records written by export into the store (all or nothing)",
		Long: `Read JSON Lines written by 'cxtop export' (FILE, or - for stdin) into the store.
Every line is checked as it is written, in one transaction: a bad line stops the import with
"line N: ..." and the store is left exactly as it was (a store the import created is removed).
Records whose id already exists are replaced, except a ticket the store holds in a newer
version, which is kept (the rule sync follows).`,
		Example: "  cxtop import --db new.db backup.jsonl",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			in, err := openImportInput(args[0], a.io.in)
			if err != nil {
				return err
			}
			defer in.Close()
			_, statErr := os.Stat(a.dbPath)
			created := errors.Is(statErr, os.ErrNotExist)
			s, err := a.openStore(true)
			if err != nil {
				return err
			}
			// A file's size says how much is read; stdin's is unknown.
			var size int64 = -1
			if f, ok := in.(*os.File); ok {
				if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() {
					size = fi.Size()
				}
			}
			prog := a.progress("import", "records")
			counted := &countingReader{r: in}
			n, kept, res, err := importRecords(s.Store, counted, &a.cfg.Taxonomy, func(n int) {
				frac := -1.0
				if size > 0 {
					frac = float64(counted.n) / float64(size)
				}
				prog.Update(frac, int64(n))
			})
			prog.Done()
			s.Close()
			if err != nil {
				if created {
					os.Remove(a.dbPath) // an import that wrote nothing leaves no empty store behind
				}
				return fmt.Errorf("import %s: %w (nothing was written)", args[0], err)
			}
			fmt.Fprintf(a.io.err, "imported %d records into %s: %d new, %d updated, %d unchanged, %d older than the store's and kept\n",
				n, a.dbPath, res.Inserted, res.Updated, res.Unchanged, kept)
			return nil
		},
	}
}

// openImportInput opens the file, or stdin for "-". Stdin is read as a
// stream, never copied to a temporary file, so a killed import leaves no
// copy of the data behind.
func openImportInput(name string, stdin io.Reader) (io.ReadCloser, error) {
	if name == "-" {
		return io.NopCloser(stdin), nil
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, fmt.Errorf("import %s: %w", name, unwrapPathError(err))
	}
	if fi, err := f.Stat(); err == nil && fi.IsDir() {
		f.Close()
		return nil, fmt.Errorf("import %s: is a directory, want a JSON Lines file", name)
	}
	return f, nil
}

// eachLine calls fn with every non-blank line and its 1-based number.
func eachLine(in io.Reader, fn func(n int, line []byte) error) error {
	sc := bufio.NewScanner(in)
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

// importRecords reads, checks and writes every line in one pass and one
// transaction: what is validated is exactly what is written, and either the
// whole input lands or, on any failure, none of it. It returns the records
// read and the tickets kept because the store's version is newer. Into a
// store that holds no record it is a bulk load (store.BeginBulkLoad): the
// transaction writes the records and their log entries only, and the
// indexes, rollups and spans are built from them after it, in key order;
// a failed import leaves nothing to build.
func importRecords(s *store.Store, in io.Reader, tax *model.Taxonomy, progress func(n int)) (n, kept int, res store.WriteResult, err error) {
	bulk, err := s.BeginBulkLoad()
	if err != nil {
		return 0, 0, res, err
	}
	if bulk {
		defer func() {
			if ferr := s.FinishBulkLoad(); err == nil {
				err = ferr
			}
		}()
	}
	res, err = s.Update(func(w *store.Writer) error {
		return eachLine(in, func(line int, text []byte) error {
			r, err := model.ParseRecord(text)
			if err == nil {
				err = tax.Validate(r)
			}
			var written bool
			if err == nil {
				written, err = w.PutNewer(r)
			}
			if err != nil {
				return fmt.Errorf("line %d: %w", line, err)
			}
			n++
			if !written {
				kept++
			}
			if progress != nil && n%1000 == 0 {
				progress(n)
			}
			return nil
		})
	})
	return n, kept, res, err
}

// countingReader counts the bytes read through it, for import's progress.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}
