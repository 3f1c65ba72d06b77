package main

import (
	"fmt"
	"runtime"

	"github.com/spf13/cobra"

	"github.com/cxtop/cxtop/store"
)

func (a *app) versionCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version of cxtop and of its store schema",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			_, err := fmt.Fprintf(cmd.OutOrStdout(), "cxtop %s (store schema v%d, %s %s/%s)\n",
				version, store.SchemaVersion, runtime.Version(), runtime.GOOS, runtime.GOARCH)
			return err
		},
	}
}
