package alert

// Inputs says which kinds of records a rule reads, so an incremental
// evaluator re-runs only the rules a committed batch can have changed.
type Inputs uint8

// Record kinds a rule may read.
const (
	ReadsTickets Inputs = 1 << iota
	ReadsFeedback
	ReadsEvents
	ReadsAll = ReadsTickets | ReadsFeedback | ReadsEvents
)

// kpiInputs maps the KPIs of model/kpi onto the records their rollups
// come from. A KPI missing here (a new one) reads everything: a rule on it
// is evaluated after every batch, which is slower but never stale.
var kpiInputs = map[string]Inputs{
	"csat": ReadsFeedback, "nps": ReadsFeedback, "bot_csat": ReadsFeedback, "ces": ReadsFeedback,
	"sla_compliance": ReadsTickets, "handling_time_h": ReadsTickets, "first_response_h": ReadsTickets,
	"resolution_rate": ReadsTickets, "backlog": ReadsTickets,
	"order_processing_h": ReadsEvents, "form_abandonment": ReadsEvents, "digital_revenue_growth": ReadsEvents,
	TicketAgeDays: ReadsTickets, FollowUpWaitHours: ReadsTickets, BotStars: ReadsFeedback,
}

// Reads returns the record kinds rule r depends on.
func (r Rule) Reads() Inputs {
	if in, ok := kpiInputs[r.KPI]; ok {
		return in
	}
	return ReadsAll
}

// TimeBased reports whether r can change state with no new data, only
// because time passes: it is evaluated on a timer too. KPI windows slide
// with time as well, so only the chatbot rule (fired by its answer) is not.
func (r Rule) TimeBased() bool { return r.KPI != BotStars }
