package sim

import (
	"cmp"
	"math"
	"slices"

	"github.com/cxtop/cxtop/model"
)

// Steps of a ticket's life after its creation, in the order they happen
// when two fall on the same second.
const (
	stepAssign   = iota // routed to an agent
	stepBotEscal        // a low chatbot rating escalated it automatically
	stepRespond         // first response: new → working status
	stepReclass         // the agent corrected the sub-type
	stepEscalate        // the agent escalated it
	stepResolve         // done
)

type planStep struct {
	at   int64
	kind uint8
}

// ticketPlan is a ticket's whole life, decided when it is created: the
// history generator renders it as of the end of the period, the live one
// step by step.
type ticketPlan struct {
	tk       model.Ticket // fields that never change (sub-type: the final one)
	firstSub string       // the sub-type before reclassification
	assignee string
	created  int64
	steps    [6]planStep
	nSteps   int
	resAt    int64
	// How it went, in real (unscaled) time, for its surveys.
	resSec    float64
	breached  bool
	escalated bool
	cust      customer
}

// Per priority rank (urgent, high, normal, low): first response and
// resolution medians in seconds, and the resolution spread.
var (
	frMedian  = [4]float64{6 * 60, 15 * 60, 35 * 60, 60 * 60}
	resMedian = [4]float64{1.5 * 3600, 6 * 3600, 16 * 3600, 20 * 3600}
	resSigma  = [4]float64{0.6, 0.8, 0.9, 0.9}
)

// digitalSources are channels a customer uses while signed in to the app or
// website.
var digitalSources = []string{"mobile_app", "website_chat", "chatbot", "web_form"}

// planTicket creates a ticket arriving at created and schedules what it
// brings along (sign-in, chatbot rating, surveys) through w.put.
func (w *world) planTicket(created int64) *ticketPlan {
	r := w.r
	c := w.cust.pick(r, &ticketActivity, 0)
	pick := w.problemPick
	if w.inc.active(created) {
		pick = w.incidentPick
	}
	pr := &w.problems[pick.pick(r)]
	src := w.tax.Sources[pr.sourcePick.pick(r)]
	vip := 0
	if c.seg == segVIP {
		vip = 1
	}
	pi := pr.prioPick[vip].pick(r)
	rank := priorityRank(pi, len(w.tax.Priorities))
	w.nT++
	id := formatID(w.prefix, 'T', w.nT, ticketWidth)
	p := &ticketPlan{created: created, cust: c, assignee: oneOf(r, pr.agents)}
	p.tk = model.Ticket{
		ID: id, System: "sim", ExternalID: id,
		Type: pr.typ, SubType: pr.sub, Source: src, Priority: w.tax.Priorities[pi],
		Department: pr.dept, CustomerID: w.cust.id(c), Segment: segmentNames[c.seg],
		Touchpoint: oneOf(r, pr.touchpoints), CreatedAt: unixTime(created),
	}
	p.tk.SLADueAt = w.tax.SLADue(p.tk.Priority, p.tk.CreatedAt)
	w.ticketText(p, pr)

	// Real-time delays in seconds.
	ops := w.opsFactor(created)
	assignD := math.Min(math.Max(lognormal(r, 180, 0.8), 10), 3*3600)
	if src == "chatbot" {
		assignD = float64(5 + r.IntN(55))
	}
	frD := lognormal(r, frMedian[rank], 1.0) * ops
	if h := localHour(created); src != "chatbot" && (h >= 22 || h < 7) {
		frD += float64(secondsToMorning(created))
	}
	frD = math.Max(frD, assignD+30)
	resD := lognormal(r, resMedian[rank], resSigma[rank]) * ops
	if chance(r, 0.005) { // stuck: waits on a supplier, a courier, a refund
		resD = (10 + 15*r.Float64()) * 86400
	}

	// A chatbot hand-over may come with the conversation's rating; below 3
	// stars the ticket is escalated to a human at once.
	var botRating *model.Feedback
	botEscal := false
	var ratingD float64
	if src == "chatbot" && chance(r, 0.35) {
		ratingD = float64(5 + r.IntN(55))
		botRating = w.botFeedback(c, created, true, p.tk.Touchpoint)
		botRating.TicketID = id
		botEscal = botRating.Score < 3
	}
	agentEscal := false
	if !botEscal {
		pe := pr.escalate
		if vip == 1 {
			pe *= 1.5
		}
		if rank == 0 {
			pe *= 2
		}
		agentEscal = chance(r, pe)
	}
	if botEscal || agentEscal {
		resD *= 1.6
		p.escalated = true
	}
	if resD < frD+300 { // answered late (at night, say): the work starts then
		resD = frD + math.Max(lognormal(r, resMedian[rank]/4, 0.8), 120)
	}

	assignAt := w.later(created, assignD, 0)
	frAt := w.later(created, frD, 1)
	p.resAt = w.later(created, resD, 1)
	p.add(assignAt, stepAssign)
	p.add(frAt, stepRespond)
	if botEscal {
		p.add(w.later(created, ratingD+30, 1), stepBotEscal)
	}
	if agentEscal {
		p.add(frAt+int64(float64(p.resAt-frAt)*(0.1+0.5*r.Float64())), stepEscalate)
	}
	if tt, ok := w.tax.Type(pr.typ); ok && pr.sub != "" && chance(r, 0.04) {
		if first := oneOf(r, tt.SubTypes); first != pr.sub {
			p.firstSub = first
			d := min(w.later(0, lognormal(r, 600, 1), 1), (p.resAt-frAt)/2)
			p.add(frAt+d, stepReclass)
		}
	}
	p.add(p.resAt, stepResolve)
	slices.SortStableFunc(p.steps[:p.nSteps], func(a, b planStep) int {
		return cmp.Or(cmp.Compare(a.at, b.at), cmp.Compare(a.kind, b.kind))
	})
	p.resSec = resD
	if !p.tk.SLADueAt.IsZero() {
		p.breached = resD > p.tk.SLADueAt.Sub(p.tk.CreatedAt).Seconds()
	}

	// What the ticket brings along.
	if contains(digitalSources, src) {
		w.maybeLogin(c, created, 1, 1)
	} else {
		w.maybeLogin(c, created, 0, 0.6)
	}
	if botRating != nil {
		w.put(w.later(created, ratingD, 1), model.Record{Feedback: botRating})
	}
	w.ticketSurveys(p)
	return p
}

func (p *ticketPlan) add(at int64, kind uint8) {
	p.steps[p.nSteps] = planStep{at: at, kind: kind}
	p.nSteps++
}

// priorityRank maps position i of n priorities onto urgent(0)..low(3).
func priorityRank(i, n int) int {
	switch {
	case n == 4:
		return i
	case n == 1:
		return 2
	}
	return min(3, int(math.Round(float64(i)*3/float64(n-1))))
}

// secondsToMorning is the wait from t until 07:30 local time.
func secondsToMorning(t int64) int64 {
	sod := ((t+tzOffset)%86400 + 86400) % 86400
	const morning = 7*3600 + 1800
	if sod < morning {
		return morning - sod
	}
	return 86400 - sod + morning
}

// ticketText fills the subject, description and tags.
func (w *world) ticketText(p *ticketPlan, pr *problem) {
	r := w.r
	v := newTextVars(r, pr.label)
	i := r.IntN(len(pr.text.subjects))
	b := pr.text.subjects[i].append(w.scratch[:0], &v)
	p.tk.Subject = string(b)
	b = pr.text.descriptions[i].append(b[:0], &v)
	if cl := oneOf(r, closingTemplates); len(cl) > 0 {
		b = cl.append(append(b, ' '), &v)
	}
	p.tk.Description = string(b)
	w.scratch = b
	n := 0
	switch x := r.Float64(); {
	case x < 0.10:
		n = 2
	case x < 0.45:
		n = 1
	}
	if n > 0 {
		p.tk.Tags = make([]string, 0, n)
		for len(p.tk.Tags) < n {
			if t := oneOf(r, ticketTags); !contains(p.tk.Tags, t) {
				p.tk.Tags = append(p.tk.Tags, t)
			}
		}
	}
}

// ticketAsOf renders the plan as the ticket stands at t (t >= created).
func (w *world) ticketAsOf(p *ticketPlan, t int64) *model.Ticket {
	tk := new(model.Ticket)
	*tk = p.tk
	if p.firstSub != "" {
		tk.SubType = p.firstSub
	}
	hist := make([]model.Change, 1, 1+p.nSteps)
	hist[0] = model.Change{At: tk.CreatedAt, By: "system", Field: "status", New: model.StatusNew}
	status := model.StatusNew
	for _, s := range p.steps[:p.nSteps] {
		if s.at > t {
			break
		}
		at := unixTime(s.at)
		switch s.kind {
		case stepAssign:
			tk.Assignee = p.assignee
			hist = append(hist, model.Change{At: at, By: "system", Field: "assignee", New: p.assignee})
		case stepBotEscal:
			tk.Escalated = true
			hist = append(hist, model.Change{At: at, By: "system", Field: "escalated", Old: "false", New: "true"})
		case stepRespond:
			tk.FirstResponseAt = at
			if w.statusMid != "" {
				hist = append(hist, model.Change{At: at, By: p.assignee, Field: "status", Old: status, New: w.statusMid})
				status = w.statusMid
			}
		case stepReclass:
			tk.SubType = p.tk.SubType
			hist = append(hist, model.Change{At: at, By: p.assignee, Field: "subtype", Old: p.firstSub, New: p.tk.SubType})
		case stepEscalate:
			tk.Escalated = true
			hist = append(hist, model.Change{At: at, By: p.assignee, Field: "escalated", Old: "false", New: "true"})
		case stepResolve:
			tk.ResolvedAt = at
			hist = append(hist, model.Change{At: at, By: p.assignee, Field: "status", Old: status, New: model.StatusDone})
			status = model.StatusDone
		}
	}
	tk.Status = status
	tk.History = hist
	tk.Version = uint64(len(hist))
	tk.UpdatedAt = hist[len(hist)-1].At
	return tk
}
