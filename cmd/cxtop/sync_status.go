package main

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/cxtop/cxtop/model"
	"github.com/cxtop/cxtop/store/replica"
)

// syncStatusCommand prints the stored sync state: where from, how far, what
// is pending, conflicting, deleted and quarantined.
func (a *app) syncStatusCommand() *cobra.Command {
	var (
		asJSON bool
		list   int
	)
	cmd := &cobra.Command{
		Use:   "status",
		Short: "Show the sync state of the store: lag, pending actions, conflicts, deletions, quarantine",
		Long: `Show the sync state the last sync stored with its pages: the remote, when it last caught
up, records pulled, actions pending and pushed, conflicts, records deleted at the source, and the
records held in quarantine because they could not be mapped (with the reason; re-apply them
after an upgrade with 'cxtop sync retry-quarantine').`,
		Example: "  cxtop sync status --db cx.db\n  cxtop sync status --db cx.db --json",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if list < 0 || list > 1000 {
				return usagef("--list %d is out of range: use 0 to 1000", list)
			}
			st, err := a.openStore(false)
			if err != nil {
				return err
			}
			defer st.Close()
			s, err := replica.ReadStatus(st.Store)
			if err != nil {
				return err
			}
			q, err := st.QuarantineList(list)
			if err != nil {
				return err
			}
			if asJSON {
				out := struct {
					replica.Status
					QuarantineList any `json:"quarantine_list"`
				}{s, q}
				b, err := json.MarshalIndent(out, "", "  ")
				if err != nil {
					return err
				}
				fmt.Fprintln(a.io.out, string(b))
				return nil
			}
			w := a.io.out
			when := func(t time.Time) string {
				if t.IsZero() {
					return "never"
				}
				return t.UTC().Format(time.RFC3339)
			}
			fmt.Fprintf(w, "source       %s %s\n", orDash(s.Source), orDash(model.Sanitize(s.Remote)))
			fmt.Fprintf(w, "caught up    %s\n", when(s.CaughtUpAt))
			fmt.Fprintf(w, "last success %s\n", when(s.LastSuccess))
			fmt.Fprintf(w, "records      %d pulled, %d deleted at the source\n", s.Records, s.Deleted)
			fmt.Fprintf(w, "actions      %d pending, %d pushed, %d conflicts\n", s.Pending, s.Pushed, s.Conflicts)
			if s.LastConflict != "" {
				fmt.Fprintf(w, "last conflict %s\n", model.Sanitize(s.LastConflict))
			}
			fmt.Fprintf(w, "quarantined  %d\n", s.Quarantined)
			for _, e := range q {
				fmt.Fprintf(w, "  %s %s %s: %s\n", e.Source, e.Kind, model.Sanitize(e.ID), model.Sanitize(e.Reason))
			}
			if s.LastError != "" {
				fmt.Fprintf(w, "last error   %s (%s)\n", model.Sanitize(s.LastError), when(s.LastErrorAt))
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the state as JSON")
	cmd.Flags().IntVar(&list, "list", 20, "list up to this many quarantined records (0–1000)")
	return cmd
}

// syncRetryQuarantineCommand maps the quarantined records again.
func (a *app) syncRetryQuarantineCommand() *cobra.Command {
	var set syncSettings
	cmd := &cobra.Command{
		Use:   "retry-quarantine",
		Short: "Map the quarantined records again and apply those that now map",
		Long: `Re-apply the records a sync kept in quarantine because it could not map them (a value this
version did not understand, a record the taxonomy refused). Run it after upgrading cxtop or
changing the taxonomy: records that now map land in the store, the others stay with their new
reason. It needs no network: the raw records are kept in the store.`,
		Example: "  cxtop sync retry-quarantine --db cx.db --source zendesk",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			set = a.fillSyncTarget(set, true)
			if set.remote == "" {
				// Remapping reads no network; the adapter only needs a URL to exist.
				set.remote = "http://127.0.0.1"
			}
			remote, err := a.newRemote(set)
			if err != nil {
				return err
			}
			st, err := a.openStore(true)
			if err != nil {
				return err
			}
			defer st.Close()
			c := replica.New(st.Store, remote, replica.Options{Source: set.source, Taxonomy: a.cfg.Taxonomy})
			res, err := c.RetryQuarantine()
			if err != nil {
				return err
			}
			fmt.Fprintf(a.io.out, "cxtop sync retry-quarantine: %d applied, %d still quarantined\n", res.Applied, res.Left)
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&set.remote, "remote", "", "the remote's URL (default $CXTOP_REMOTE or [sync] remote)")
	fl.StringVar(&set.source, "source", "", "hub or zendesk (default [sync] source or hub)")
	return cmd
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
