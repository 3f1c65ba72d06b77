package sim

import (
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"time"

	"github.com/cxtop/cxtop/model"
	"github.com/cxtop/cxtop/model/alert"
)

// The closed loop on detractors: customer care calls most of them back
// within the day; some wait longer (a busy week, a customer who does not
// pick up). Real-time delays in seconds: the median call-back is 5 hours,
// so about 94% are contacted within the 24 hours the rule allows; 3 in 100
// are not reached for days.
const (
	followUpContactMedian = 5 * 3600
	followUpContactSigma  = 1.0
	followUpCallMedian    = 30 * 60
	// followUpDue is the default detractor rule's limit (24h).
	followUpDue = 24 * time.Hour
)

// followUp plans the follow-up ticket of a detractor's answer f, just
// stamped, or nil when f is no detractor. Its id is the one the
// automation derives (alert.FollowUpPrefix + the answer's id), so a store
// synced from a simulated hub does not get a second one. It draws from
// its own stream, seeded by the answer, so adding follow-ups left every
// other simulated record as it was.
func (w *world) followUp(f *model.Feedback) *ticketPlan {
	if f.Survey != model.SurveyNPS || model.NPSCategory(f.Score) != "detractor" {
		return nil
	}
	h := fnv.New64a()
	h.Write([]byte(f.ID))
	r := rand.New(rand.NewPCG(hash3(w.cust.seed, 0xf011, h.Sum64()), pcgStream))
	created := f.At.Unix()
	typ := "complaint"
	if _, ok := w.tax.Type(typ); !ok {
		typ = w.tax.Types[0].Name
	}
	src := f.Channel
	if !w.tax.HasSource(src) {
		src = w.tax.Sources[0]
	}
	prio := model.PriorityHigh
	if w.tax.PriorityRank(prio) >= len(w.tax.Priorities) {
		prio = w.tax.Priorities[0]
	}
	id := alert.FollowUpPrefix + f.ID
	tp := f.Touchpoint
	if tp == "" {
		tp = "after_sales" // a relationship answer: the call-back is after-sales care
	}
	desc := fmt.Sprintf("Customer answered %d to \"How likely are you to recommend us?\": call back within the day.", f.Score)
	if f.Comment != "" {
		desc += " Comment: " + f.Comment
	}
	p := &ticketPlan{created: created, assignee: oneOf(r, departmentAgents["customer_care"])}
	p.tk = model.Ticket{
		ID: id, System: "sim", ExternalID: id,
		Subject:     fmt.Sprintf("Follow up: NPS %d", f.Score),
		Description: desc,
		Type:        typ, Source: src, Priority: prio, Department: "customer_care",
		CustomerID: f.CustomerID, Segment: f.Segment, Touchpoint: tp,
		CreatedAt: f.At, SLADueAt: f.At.Add(followUpDue),
		Tags: []string{"follow_up"},
	}
	contact := lognormal(r, followUpContactMedian, followUpContactSigma)
	if chance(r, 0.03) {
		contact = (2 + 10*r.Float64()) * 86400
	}
	assignAt := w.later(created, float64(120+r.IntN(600)), 1)
	frAt := max(w.later(created, contact, 1), assignAt+1)
	p.resAt = frAt + max(w.later(0, lognormal(r, followUpCallMedian, 0.8), 1), 1)
	p.add(assignAt, stepAssign)
	p.add(frAt, stepRespond)
	p.add(p.resAt, stepResolve)
	return p
}
