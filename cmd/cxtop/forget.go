package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/cxtop/cxtop/model"
	"github.com/cxtop/cxtop/model/privacy"
)

// forgetCommand applies the right to erasure to one customer.
func (a *app) forgetCommand() *cobra.Command {
	var customer string
	cmd := &cobra.Command{
		Use:   "forget",
		Short: "Erase a customer's personal data, keeping the anonymous counts the KPIs need",
		Long: `Apply the right to erasure to one customer: every ticket, survey answer and event of the
customer gets a random id in place of theirs (the same on all of them, so distinct-customer
counts stay), and every free text of those records (subjects, descriptions, notes, survey
comments) is replaced with "[erased]". Statuses, types, times, scores and amounts stay, so every
KPI reads the same. Contact requests still queued for the customer are cancelled. Run it on the
hub (or source) the replicas sync from: they receive the erased versions. Erase the customer at
the helpdesk (Zendesk) too, or its next export brings the data back.`,
		Example: "  cxtop forget --db cx.db --customer C000042",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if customer == "" {
				return usagef("--customer is required: the id of the customer to forget")
			}
			if !model.Printable(customer) {
				return usagef("--customer %q is not a printable id", model.Sanitize(customer))
			}
			anon, err := privacy.ErasedCustomer()
			if err != nil {
				return err
			}
			st, err := a.openStore(true)
			if err != nil {
				return err
			}
			defer st.Close()
			n, err := st.ForgetCustomer(customer, func(r model.Record) { privacy.Erase(r, anon) })
			if err != nil {
				return err
			}
			if n == 0 {
				return fmt.Errorf("forget: customer %s has no records in %s", model.Sanitize(customer), a.dbPath)
			}
			cancelled, err := cancelContacts(st.Store, customer, anon)
			if err != nil {
				return err
			}
			fmt.Fprintf(a.io.out, "cxtop forget: customer %s erased from %d records (now %s); %d contact requests cancelled\n", model.Sanitize(customer), n, anon, cancelled)
			return nil
		},
	}
	cmd.Flags().StringVar(&customer, "customer", "", "the id of the customer to forget")
	return cmd
}
