package sim

import (
	"math"

	"github.com/cxtop/cxtop/model"
)

// How a segment rates a service (VIPs expect more, loyal customers forgive
// more) and how it recommends the brand.
var (
	segCSAT = [4]float64{-0.15, 0.2, 0, -0.1}
	segNPS  = [4]float64{0.55, 0.4, 0, -0.25}
)

// csatOf maps a satisfaction latent (about N(mu, 1)) to a 1–5 score.
func csatOf(x float64) int {
	switch {
	case x < -1.0:
		return 1
	case x < -0.4:
		return 2
	case x < 0.1:
		return 3
	case x < 1.0:
		return 4
	}
	return 5
}

// starsOf maps a chatbot conversation's latent to 1–5 stars.
func starsOf(x float64) int {
	switch {
	case x < -0.9:
		return 1
	case x < -0.2:
		return 2
	case x < 0.4:
		return 3
	case x < 1.3:
		return 4
	}
	return 5
}

func (w *world) feedback(survey, kind string, score int, c customer, touchpoint, channel string) *model.Feedback {
	return &model.Feedback{
		Survey: survey, Kind: kind, Score: score,
		CustomerID: w.cust.id(c), Segment: segmentNames[c.seg],
		Touchpoint: touchpoint, Channel: w.channel(channel),
	}
}

// comment adds, with probability p, a short comment to a clearly bad or
// clearly good answer, with the sentiment a text analysis would give it.
func (w *world) comment(f *model.Feedback, bad, good bool, badTexts, goodTexts []string, p float64) {
	if !(bad || good) || !chance(w.r, p) {
		return
	}
	s := 0.35 + 0.55*w.r.Float64()
	if bad {
		f.Comment, s = oneOf(w.r, badTexts), -s
	} else {
		f.Comment = oneOf(w.r, goodTexts)
	}
	f.Sentiment = sentiment(s)
}

// sentiment rounds s to hundredths inside −1..1.
func sentiment(s float64) *float64 {
	v := math.Round(clamp(s, -1, 1)*100) / 100
	return &v
}

// ticketSurveys schedules a ticket's post-resolution CSAT (4 tickets in 10)
// and CES (1 in 12), scored by how the ticket went.
func (w *world) ticketSurveys(p *ticketPlan) {
	r := w.r
	c := p.cust
	if chance(r, 0.4) {
		at := w.later(p.resAt, clamp(lognormal(r, 2.5*3600, 1), 300, 3*86400), 60)
		mu := 1.45 + segCSAT[c.seg] + 0.3*c.loyalty
		switch {
		case p.breached:
			mu -= 1.3
		case p.resSec < 4*3600:
			mu += 0.25
		}
		if p.resSec > 3*86400 {
			mu -= 0.5
		}
		if p.escalated {
			mu -= 0.4
		}
		if p.firstSub != "" {
			mu -= 0.1
		}
		if w.inc.active(p.created) || w.inc.active(at) {
			mu -= 0.8
		}
		score := csatOf(mu + r.NormFloat64())
		f := w.feedback(model.SurveyCSAT, model.KindPostResolution, score, c, p.tk.Touchpoint, p.tk.Source)
		f.TicketID = p.tk.ID
		w.comment(f, score <= 2, score == 5, csatCommentsBad, csatCommentsGood, 0.3)
		w.put(at, model.Record{Feedback: f})
	}
	if chance(r, 0.08) {
		at := w.later(p.resAt, clamp(lognormal(r, 3*3600, 0.8), 300, 3*86400), 60)
		mu := 0.3
		if p.breached || p.escalated {
			mu -= 1
		}
		f := w.feedback(model.SurveyCES, model.KindPostResolution, cesOf(mu+r.NormFloat64()), c, p.tk.Touchpoint, p.tk.Source)
		f.TicketID = p.tk.ID
		w.put(at, model.Record{Feedback: f})
	}
}

// cesOf maps an ease latent to the 1–7 effort scale (7 = very easy).
func cesOf(x float64) int { return int(clamp(math.Round(5.2+1.1*x), 1, 7)) }

// botFeedback rates a chatbot conversation at t: conversations the bot
// settled alone mostly well, hand-overs to a human much worse; the bot gets
// a little better over the period.
func (w *world) botFeedback(c customer, t int64, handoff bool, touchpoint string) *model.Feedback {
	r := w.r
	mu := 1.0 + 0.2*c.loyalty + 0.25*w.progress(t)
	if handoff {
		mu = 0.45 + 0.2*c.loyalty
	}
	if w.inc.active(t) {
		mu -= 0.5
	}
	stars := starsOf(mu + r.NormFloat64())
	f := w.feedback(model.SurveyBot, model.KindChatbot, stars, c, touchpoint, "chatbot")
	f.Sentiment = sentiment(0.38*float64(stars-3) + 0.2*r.NormFloat64())
	if chance(r, 0.35) {
		switch {
		case stars <= 2:
			f.Comment = oneOf(r, botCommentsBad)
		case stars == 3:
			f.Comment = oneOf(r, botCommentsMid)
		default:
			f.Comment = oneOf(r, botCommentsGood)
		}
	}
	return f
}

// botTouchpoints are what customers ask the chatbot about.
var botTouchpoints = []string{"delivery", "delivery", "promotion", "app", "payment", "after_sales", "store_visit"}

// botConversation is a chatbot conversation the bot settled alone, rated.
func (w *world) botConversation(at int64) {
	r := w.r
	c := w.cust.pick(r, &ticketActivity, 0)
	w.maybeLogin(c, at, 0, 0.8)
	w.put(at, model.Record{Feedback: w.botFeedback(c, at, false, oneOf(r, botTouchpoints))})
}

// Touchpoints an NPS answer is asked after: customers who use the app and
// the website most meet the digital ones, the others the store and the
// delivery; every touchpoint of the journey gets answers (NPS by touchpoint,
// as the seeds measure it).
var (
	digitalTouchpoints  = []string{"app", "website", "checkout", "payment", "promotion", "delivery"}
	physicalTouchpoints = []string{"store_visit", "delivery", "after_sales", "promotion", "payment", "checkout"}
)

// npsTouchpoint is the touchpoint of a customer's NPS answer at unix time
// at, chosen without drawing from the generator so the rest of the
// history stays as it was.
func npsTouchpoint(c customer, at int64) string {
	list := physicalTouchpoints
	if c.affinity > 0.5 {
		list = digitalTouchpoints
	}
	return list[(c.idx+int(at/86400))%len(list)]
}

// npsSurvey is a relationship NPS answer from a sampled customer: VIP and
// loyal customers promote more, and so do customers with a good attitude
// (who also spend more).
func (w *world) npsSurvey(at int64) {
	r := w.r
	c := w.cust.get(r.IntN(w.cust.n))
	x := segNPS[c.seg] + 0.6*c.loyalty + 0.8*r.NormFloat64() + 0.15*w.progress(at)
	if w.inc.active(at) {
		x -= 0.5
	}
	score := int(clamp(math.Round(8.1+1.8*x), 0, 10))
	ch := oneOf(r, w.channelsRelation)
	if ch == "mobile_app" {
		w.maybeLogin(c, at, 1, 1)
	} else {
		w.maybeLogin(c, at, 0, 0.5)
	}
	f := w.feedback(model.SurveyNPS, model.KindRelationship, score, c, npsTouchpoint(c, at), ch)
	w.comment(f, score <= 6, score >= 9, npsCommentsBad, npsCommentsGood, 0.25)
	w.put(at, model.Record{Feedback: f})
}
