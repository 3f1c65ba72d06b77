package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/cxtop/cxtop/model"
	"github.com/cxtop/cxtop/store"
	"github.com/cxtop/cxtop/store/replica"
)

func (a *app) snapshotCommand() *cobra.Command {
	var (
		out  string
		mask bool
	)
	cmd := &cobra.Command{
		Use:   "snapshot",
		Short: "Write a consistent copy of the store, to review offline",
		Long: `Copy the store at --db in one read transaction (writers carry on meanwhile) to --out,
mode 0600: written under a temporary name, synced, then renamed, so the file is whole or
absent. The snapshot records inside itself when it was taken, from which store, its sync
remote and cursor, its record counts and the cxtop version; 'cxtop open' shows them.
The default --out is snapshots/<store>-<time>.db beside the store.

--mask replaces customers' and staff's personal data (customer ids, names, emails, phone
numbers, and free text holding them) with stable pseudonyms under a key that is thrown away,
for snapshots that leave the team: every KPI reads the same, nobody can map a pseudonym back.
It rewrites every record of the copy (a million-ticket store takes minutes).`,
		Example: "  cxtop snapshot --db cx.db --out monday.db\n  cxtop open monday.db",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			s, err := a.openStore(false)
			if err != nil {
				return err
			}
			defer s.Close()
			if out == "" {
				out = snapshotName(filepath.Join(filepath.Dir(a.dbPath), "snapshots"), a.dbPath, time.Now())
				if err := os.MkdirAll(filepath.Dir(a.file(out)), 0o700); err != nil {
					return fmt.Errorf("snapshot directory: %w", err)
				}
			}
			res, err := takeSnapshot(s.Store, a.file(out), mask)
			if err != nil {
				return err
			}
			return printSnapshot(cmd.OutOrStdout(), out, res)
		},
	}
	cmd.Flags().StringVar(&out, "out", "", "the snapshot file to write (must not exist)")
	cmd.Flags().BoolVar(&mask, "mask", false, "replace personal data with pseudonyms, for a snapshot that leaves the team")
	return cmd
}

// takeSnapshot writes the snapshot with what every snapshot records.
func takeSnapshot(s *store.Store, out string, mask bool) (store.SnapshotResult, error) {
	return s.Snapshot(out, store.SnapshotOptions{Version: version, Prepare: func(cp *store.Store, info *store.SnapshotInfo) error {
		st, err := replica.ReadStatus(cp)
		if err != nil {
			return err
		}
		info.Source, info.Remote = st.Source, st.Remote
		if info.Cursor, err = replica.ReadCursor(cp); err != nil || !mask {
			return err
		}
		return maskCopy(cp, info)
	}})
}

// snapshotName is dir/<store name>-<UTC time>.db: names sort by time.
func snapshotName(dir, dbPath string, at time.Time) string {
	stem := strings.TrimSuffix(filepath.Base(dbPath), filepath.Ext(dbPath))
	return filepath.Join(dir, stem+"-"+at.UTC().Format(snapshotTimeLayout)+".db")
}

const snapshotTimeLayout = "20060102T150405Z"

func printSnapshot(out io.Writer, path string, res store.SnapshotResult) error {
	mb := float64(res.Bytes) / 1e6
	rate := mb / max(res.Copy.Seconds(), 1e-6)
	_, err := fmt.Fprintf(out, "snapshot %s: %.1f MB in %s (%.0f MB/s), %d tickets, %d feedback, %d events, %d alerts, taken %s\n",
		model.Sanitize(path), mb, res.Copy.Round(time.Millisecond), rate, res.Info.Tickets, res.Info.Feedback, res.Info.Events, res.Info.Alerts,
		res.Info.TakenAt.Format(time.RFC3339))
	return err
}

// snapshotLine says what a snapshot is: when, from where, by which cxtop.
func snapshotLine(info store.SnapshotInfo) string {
	from := "never synced"
	if info.Remote != "" {
		from = fmt.Sprintf("synced from %s, cursor %q", info.Remote, info.Cursor)
	}
	masked := ""
	if info.Masked {
		masked = ", personal data masked"
	}
	return model.Sanitize(fmt.Sprintf("snapshot of %s taken %s by cxtop %s (%s; change %d)%s",
		info.From, info.TakenAt.Format(time.RFC3339), info.Version, from, info.Seq, masked))
}
