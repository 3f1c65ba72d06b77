package main

import (
	"github.com/spf13/cobra"
)

func (a *app) exportCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "export",
		Short: "Write every record as JSON Lines on stdout",
		Long: `Write every ticket, feedback answer and event of the store as JSON Lines on stdout,
one object per line with a "kind" of ticket, feedback or event (see docs/export-format.md).
The output is canonical: export → import → export gives the same bytes.`,
		Example: "  cxtop export --db cx.db > backup.jsonl",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			s, err := a.openStore(false)
			if err != nil {
				return err
			}
			defer s.Close()
			return s.ExportContext(cmd.Context(), cmd.OutOrStdout()) // a socket client that leaves ends it
		},
	}
}
