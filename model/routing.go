package model

import (
	"fmt"
	"slices"
)

// Route sends tickets to a department. Empty match fields match anything;
// SubType is the sub-type's name within Type (Type is then required). The
// first route that matches wins.
type Route struct {
	Type       string `toml:"type"`
	SubType    string `toml:"subtype"`
	Source     string `toml:"source"`
	Segment    string `toml:"segment"`
	Department string `toml:"department"`
}

// Matches reports whether the route applies to t.
func (r Route) Matches(t *Ticket) bool {
	return (r.Type == "" || r.Type == t.Type) &&
		(r.SubType == "" || r.SubType == t.SubType) &&
		(r.Source == "" || r.Source == t.Source) &&
		(r.Segment == "" || r.Segment == t.Segment)
}

// FallbackDepartment takes what no route matched.
const FallbackDepartment = "customer_care"

// DefaultRoutes give every default sub-type a department: delivery and
// returns to logistics, technical problems to IT support, ideas to
// product, the rest to customer care — the teams the playbook names.
func DefaultRoutes() []Route {
	by := map[string]string{
		"complaint/late_delivery": "logistics", "complaint/staff_attitude": "customer_care",
		"complaint/product_quality": "customer_care", "complaint/billing_error": "customer_care",
		"suggestion/product_idea": "product", "suggestion/service_improvement": "product",
		"suggestion/app_feature":        "product",
		"technical_support/login_issue": "it_support", "technical_support/payment_failure": "it_support",
		"technical_support/app_bug": "it_support", "technical_support/account_access": "it_support",
		"information_request/order_status": "customer_care", "information_request/promotion_info": "customer_care",
		"information_request/store_info": "customer_care",
		"return_exchange/return_request": "logistics", "return_exchange/exchange_request": "logistics",
		"return_exchange/refund_status": "logistics",
	}
	var out []Route
	for _, tt := range DefaultTaxonomy().Types {
		for _, sub := range tt.SubTypes {
			out = append(out, Route{Type: tt.Name, SubType: sub, Department: by[tt.Name+"/"+sub]})
		}
	}
	// A type without (or with an unlisted) sub-type.
	for _, typ := range []struct{ name, dept string }{
		{"complaint", "customer_care"}, {"suggestion", "product"}, {"technical_support", "it_support"},
		{"information_request", "customer_care"}, {"return_exchange", "logistics"},
	} {
		out = append(out, Route{Type: typ.name, Department: typ.dept})
	}
	return out
}

// RouteTicket is the department the first matching route gives t:
// configured routes, then the defaults, then FallbackDepartment.
func RouteTicket(routes []Route, t *Ticket) string {
	for _, r := range routes {
		if r.Matches(t) {
			return r.Department
		}
	}
	for _, r := range DefaultRoutes() {
		if r.Matches(t) {
			return r.Department
		}
	}
	return FallbackDepartment
}

// CheckRoute reports what is wrong with the i-th configured route, naming
// it and the key, against the taxonomy.
func (tx *Taxonomy) CheckRoute(i int, r Route) error {
	name := fmt.Sprintf("alerts route %d", i+1)
	switch {
	case r.Department == "":
		return fmt.Errorf("%s: department is required", name)
	case checkKey("route", "", "department", r.Department, true) != nil:
		return fmt.Errorf("%s: department %q cannot be stored (at most %d bytes, no NUL)", name, r.Department, MaxKeyLen)
	case r.SubType != "" && r.Type == "":
		return fmt.Errorf("%s: subtype %q needs a type", name, r.SubType)
	case r.Source != "" && !tx.HasSource(r.Source):
		return fmt.Errorf("%s: source %q is not in the taxonomy", name, r.Source)
	}
	if r.Type != "" {
		tt, ok := tx.Type(r.Type)
		if !ok {
			return fmt.Errorf("%s: type %q is not in the taxonomy", name, r.Type)
		}
		found := r.SubType == ""
		for _, s := range tt.SubTypes {
			found = found || s == r.SubType
		}
		if !found {
			return fmt.Errorf("%s: %q is not a sub-type of %s", name, r.SubType, r.Type)
		}
	}
	return nil
}

// Departments are the departments tickets can go to: those the routes
// (configured ones, then the defaults) name, and the fallback, sorted. A
// lead assigning a ticket picks one of them.
func Departments(routes []Route) []string {
	seen := map[string]bool{FallbackDepartment: true}
	for _, r := range append(slices.Clone(routes), DefaultRoutes()...) {
		if r.Department != "" {
			seen[r.Department] = true
		}
	}
	out := make([]string, 0, len(seen))
	for d := range seen {
		out = append(out, d)
	}
	slices.Sort(out)
	return out
}
