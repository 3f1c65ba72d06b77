package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/cxtop/cxtop/model"
)

func (a *app) checkCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "check",
		Short: "Verify the store file, its indexes and its rollups",
		Long: `Verify the store: bbolt's page check, then that every index entry and every rollup
counter equals what the records give. Exits 1 and lists the problems when anything disagrees.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			s, err := a.openStore(false)
			if err != nil {
				return err
			}
			defer s.Close()
			rep, err := s.CheckContext(cmd.Context()) // a socket client that leaves ends it
			if err != nil {
				return err
			}
			if info, ok, err := s.SnapshotInfo(); err != nil {
				return err
			} else if ok {
				fmt.Fprintln(cmd.OutOrStdout(), snapshotLine(info))
			}
			fmt.Fprint(cmd.OutOrStdout(), model.SanitizeLines(rep.String()))
			if !rep.OK() {
				return fmt.Errorf("check %s: %d problems found: restore from a snapshot, or re-import an export into a new store", a.dbPath, len(rep.Problems)+rep.Omitted)
			}
			return nil
		},
	}
}
