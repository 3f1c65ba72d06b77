package sim

import (
	"math"
	"strings"

	"github.com/cxtop/cxtop/model"
)

// problem is a journey problem and how it shows up as a ticket.
type problem struct {
	typ, sub    string
	weight      float64
	touchpoints []string
	channels    []string // sources this problem is raised on more often
	incident    float64  // weight multiplier during a delivery incident
	urgency     float64  // > 0 more urgent priorities, < 0 less

	label      string // the sub-type (or type) in words
	text       ticketText
	sourcePick picker
	prioPick   [2]picker // [0] others, [1] VIP customers
	dept       string
	agents     []string
	escalate   float64 // chance an agent escalates the ticket
}

// journeyProblems are the default taxonomy's sub-types with the skew of a
// retailer's contact reasons: late deliveries and "where is my order" lead,
// suggestions are rare.
var journeyProblems = []problem{
	{typ: "complaint", sub: "late_delivery", weight: 13, touchpoints: []string{"delivery"}, channels: []string{"hotline", "zalo_oa"}, incident: 3.5, urgency: 0.3},
	{typ: "complaint", sub: "staff_attitude", weight: 5, touchpoints: []string{"store_visit", "after_sales"}, channels: []string{"store", "hotline", "facebook"}, incident: 1, urgency: 0.2},
	{typ: "complaint", sub: "product_quality", weight: 6, touchpoints: []string{"after_sales", "delivery"}, channels: []string{"zalo_oa", "marketplace", "email"}, incident: 1, urgency: 0.2},
	{typ: "complaint", sub: "billing_error", weight: 4, touchpoints: []string{"checkout", "promotion", "payment"}, channels: []string{"hotline", "email"}, incident: 1, urgency: 0.4},
	{typ: "suggestion", sub: "product_idea", weight: 2, touchpoints: []string{"store_visit", "website"}, channels: []string{"facebook", "email", "web_form"}, incident: 1, urgency: -1.2},
	{typ: "suggestion", sub: "service_improvement", weight: 2, touchpoints: []string{"store_visit", "after_sales"}, channels: []string{"web_form", "email"}, incident: 1, urgency: -1.2},
	{typ: "suggestion", sub: "app_feature", weight: 2, touchpoints: []string{"app"}, channels: []string{"mobile_app", "web_form"}, incident: 1, urgency: -1.2},
	{typ: "technical_support", sub: "login_issue", weight: 4, touchpoints: []string{"app", "website"}, channels: []string{"mobile_app", "chatbot"}, incident: 1, urgency: 0},
	{typ: "technical_support", sub: "payment_failure", weight: 6, touchpoints: []string{"payment", "checkout"}, channels: []string{"hotline", "chatbot", "mobile_app"}, incident: 1.2, urgency: 0.6},
	{typ: "technical_support", sub: "app_bug", weight: 4, touchpoints: []string{"app"}, channels: []string{"mobile_app", "chatbot"}, incident: 1, urgency: 0},
	{typ: "technical_support", sub: "account_access", weight: 3, touchpoints: []string{"app", "website"}, channels: []string{"hotline", "chatbot"}, incident: 1, urgency: 0.1},
	{typ: "information_request", sub: "order_status", weight: 12, touchpoints: []string{"delivery"}, channels: []string{"chatbot", "zalo_oa", "website_chat"}, incident: 2.2, urgency: -0.4},
	{typ: "information_request", sub: "promotion_info", weight: 7, touchpoints: []string{"promotion"}, channels: []string{"chatbot", "facebook", "zalo_oa"}, incident: 1, urgency: -0.4},
	{typ: "information_request", sub: "store_info", weight: 4, touchpoints: []string{"store_visit"}, channels: []string{"chatbot", "facebook", "website_chat"}, incident: 1, urgency: -0.6},
	{typ: "return_exchange", sub: "return_request", weight: 6, touchpoints: []string{"after_sales"}, channels: []string{"website_chat", "hotline", "store"}, incident: 1.2, urgency: 0},
	{typ: "return_exchange", sub: "exchange_request", weight: 4, touchpoints: []string{"after_sales", "store_visit"}, channels: []string{"store", "zalo_oa"}, incident: 1, urgency: 0},
	{typ: "return_exchange", sub: "refund_status", weight: 4, touchpoints: []string{"payment", "after_sales"}, channels: []string{"hotline", "email"}, incident: 1.3, urgency: 0.1},
}

// sourceWeight is how often customers use each default channel.
var sourceWeight = map[string]float64{
	"zalo_oa": 20, "facebook": 13, "email": 7, "hotline": 16, "website_chat": 13,
	"chatbot": 14, "mobile_app": 8, "store": 2.5, "web_form": 5, "marketplace": 2.5,
}

// priorityWeight is the default priority mix.
var priorityWeight = map[string]float64{
	model.PriorityUrgent: 5, model.PriorityHigh: 20, model.PriorityNormal: 55, model.PriorityLow: 20,
}

// departments by ticket type, and who works there.
var (
	typeDepartment = map[string]string{
		"complaint": "customer_care", "information_request": "customer_care",
		"technical_support": "it_support", "return_exchange": "logistics", "suggestion": "product",
	}
	departmentAgents = map[string][]string{
		"customer_care": {"Nguyen Thi Lan", "Tran Van Minh", "Le Thu Ha", "Pham Quoc Bao", "Vo Ngoc Anh", "Hoang Duc Huy"},
		"it_support":    {"Dang Minh Khoa", "Bui Thanh Tung", "Do Thi Mai"},
		"logistics":     {"Ngo Van Hai", "Duong Thi Hong", "Ly Quang Vinh"},
		"product":       {"Trinh Bao Ngoc", "Phan Gia Huy"},
	}
	typeEscalation = map[string]float64{
		"complaint": 0.03, "technical_support": 0.015, "return_exchange": 0.015,
		"information_request": 0.004, "suggestion": 0.002,
	}
)

// buildProblems lists the problems tickets are drawn from. A taxonomy whose
// every (type, sub-type) is a default one uses the realistic table (minus
// what it dropped); any other falls back to a uniform choice of type, then
// of sub-type.
func buildProblems(tax *model.Taxonomy) []problem {
	known := true
	for _, tt := range tax.Types {
		if len(tt.SubTypes) == 0 {
			known = false
		}
		for _, st := range tt.SubTypes {
			if !hasProblem(tt.Name, st) {
				known = false
			}
		}
	}
	var ps []problem
	if known {
		for _, p := range journeyProblems {
			if tt, ok := tax.Type(p.typ); ok && contains(tt.SubTypes, p.sub) {
				ps = append(ps, p)
			}
		}
	} else {
		for _, tt := range tax.Types {
			subs := tt.SubTypes
			if len(subs) == 0 {
				subs = []string{""}
			}
			for _, st := range subs {
				ps = append(ps, problem{
					typ: tt.Name, sub: st, weight: 1 / float64(len(tax.Types)*len(subs)),
					touchpoints: touchpoints, incident: 1,
				})
			}
		}
	}
	for i := range ps {
		finishProblem(&ps[i], tax)
	}
	return ps
}

func hasProblem(typ, sub string) bool {
	for _, p := range journeyProblems {
		if p.typ == typ && p.sub == sub {
			return true
		}
	}
	return false
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// finishProblem precomputes a problem's pickers and texts for a taxonomy.
func finishProblem(p *problem, tax *model.Taxonomy) {
	label := p.sub
	if label == "" {
		label = p.typ
	}
	p.label = words(label)
	p.text = textFor("") // the generic texts
	if hasProblem(p.typ, p.sub) {
		p.text = textFor(p.sub)
	}
	sw := make([]float64, len(tax.Sources))
	for i, s := range tax.Sources {
		w, ok := sourceWeight[s]
		if !ok {
			w = 8
		}
		if contains(p.channels, s) {
			w *= 2.5
		}
		sw[i] = w
	}
	p.sourcePick = newPicker(sw)
	n := len(tax.Priorities)
	center := float64(n-1) / 2
	for vip := range 2 {
		u := p.urgency
		if vip == 1 {
			u += 0.5
		}
		pw := make([]float64, n)
		for i, name := range tax.Priorities {
			base, ok := priorityWeight[name]
			if !ok {
				base = 100 / float64(n)
			}
			pw[i] = base * math.Exp(u*(center-float64(i))*0.7)
		}
		p.prioPick[vip] = newPicker(pw)
	}
	p.dept = typeDepartment[p.typ]
	if p.dept == "" {
		p.dept = "customer_care"
	}
	p.agents = departmentAgents[p.dept]
	p.escalate = typeEscalation[p.typ]
	if p.escalate == 0 {
		p.escalate = 0.02
	}
}

// words turns a sub-type name into words: "late_delivery" → "late delivery".
func words(s string) string { return strings.ReplaceAll(s, "_", " ") }
