package sim

import (
	"math"

	"github.com/cxtop/cxtop/model"
)

func (w *world) event(typ string, c customer) model.Record {
	return model.Record{Event: &model.Event{Type: typ, CustomerID: w.cust.id(c), Segment: segmentNames[c.seg]}}
}

// unit produces one item of a stream other than tickets at t.
func (w *world) unit(stream int, t int64) {
	switch stream {
	case stBotOnly:
		w.botConversation(t)
	case stNPS:
		w.npsSurvey(t)
	case stForms:
		w.formSession(t)
	case stOrders:
		w.order(t)
	case stStore:
		w.storePurchase(t)
	case stLogins:
		w.login(t)
	}
}

// formSession is a form started at t and completed or abandoned shortly
// after. Variant B, the redesigned form, is abandoned less (20% vs 30%).
func (w *world) formSession(t int64) {
	r := w.r
	c := w.cust.pick(r, &uniformActivity, 0)
	variant, abandon := "A", 0.30
	if r.IntN(2) == 1 {
		variant, abandon = "B", 0.20
	}
	w.maybeLogin(c, t, 0, 0.8)
	start := w.event(model.EventFormStarted, c)
	start.Event.Variant = variant
	w.put(t, start)
	if chance(r, abandon) {
		e := w.event(model.EventFormAbandoned, c)
		e.Event.Variant = variant
		w.put(w.later(t, clamp(lognormal(r, 150, 0.8), 15, 1800), 5), e)
		return
	}
	done := w.later(t, clamp(lognormal(r, 240, 0.5), 40, 1800), 5)
	e := w.event(model.EventFormCompleted, c)
	e.Event.Variant = variant
	w.put(done, e)
	if chance(r, 0.1) {
		f := w.feedback(model.SurveyCES, model.KindTransactional, cesOf(0.4+r.NormFloat64()), c, "website", "web_form")
		w.put(w.later(done, float64(10+r.IntN(120)), 1), model.Record{Feedback: f})
	}
}

// Median basket in VND per segment.
var segBasket = [4]float64{2_200_000, 850_000, 420_000, 300_000}

// amount is a purchase amount in VND, rounded to 1,000: higher for VIPs and
// for customers with a good attitude (promoters spend more).
func (w *world) amount(c customer, scale float64) int64 {
	a := segBasket[c.seg] * scale * math.Min(math.Exp(0.25*c.loyalty), 2) * math.Exp(0.6*w.r.NormFloat64())
	return int64(clamp(a, 20_000, 50_000_000)/1000) * 1000
}

// order is an order placed at t: placed and paid at once (in the app or on
// the website when the customer is digital, else by phone or marketplace),
// processed days later (about 5 at the start of the period, 1 at the end),
// and sometimes rated after delivery.
func (w *world) order(t int64) {
	r := w.r
	c := w.cust.pick(r, &purchaseActivity, 0.35)
	digital := chance(r, w.digitalP(c, t))
	w.nO++
	oid := formatID(w.prefix, 'O', w.nO, orderWidth)
	if digital {
		w.maybeLogin(c, t, 1, 1)
	} else {
		w.maybeLogin(c, t, 0, 0.4)
	}
	placed := w.event(model.EventOrderPlaced, c)
	placed.Event.OrderID = oid
	w.put(t, placed)
	buy := w.event(model.EventPurchase, c)
	buy.Event.Amount = w.amount(c, 1)
	buy.Event.Digital = digital
	w.put(t, buy)

	days := 5 - 4*w.progress(t)
	if w.inc.active(t) {
		days *= 1.4
	}
	procD := clamp(lognormal(r, days*86400, 0.35), 1800, 20*86400)
	done := w.later(t, procD, 1)
	proc := w.event(model.EventOrderProcessed, c)
	proc.Event.OrderID = oid
	proc.Event.PlacedAt = unixTime(t)
	w.put(done, proc)

	if chance(r, 0.3) {
		at := w.later(done, clamp(lognormal(r, 18*3600, 0.5), 3600, 4*86400), 60)
		mu := 1.35 + segCSAT[c.seg] + 0.3*c.loyalty - 0.12*(procD/86400-1)
		if w.inc.active(t) || w.inc.active(at) {
			mu -= 1.0
		}
		score := csatOf(mu + r.NormFloat64())
		ch := oneOf(r, w.channelsTxn)
		f := w.feedback(model.SurveyCSAT, model.KindTransactional, score, c, "delivery", ch)
		w.comment(f, score <= 2, score == 5, csatCommentsBad, csatCommentsGood, 0.2)
		w.put(at, model.Record{Feedback: f})
	}
}

// storePurchase is a purchase at a store's till, sometimes rated.
func (w *world) storePurchase(t int64) {
	r := w.r
	c := w.cust.pick(r, &purchaseActivity, 0.35)
	buy := w.event(model.EventPurchase, c)
	buy.Event.Amount = w.amount(c, 0.8)
	w.maybeLogin(c, t, 0, 0.8) // the member app's code scanned at the till
	w.put(t, buy)
	if chance(r, 0.1) {
		at := w.later(t, float64(3600+r.IntN(2*3600)), 60)
		mu := 1.5 + segCSAT[c.seg] + 0.3*c.loyalty
		if w.inc.active(at) {
			mu -= 0.5
		}
		f := w.feedback(model.SurveyCSAT, model.KindTransactional, csatOf(mu+r.NormFloat64()), c, "store_visit", "zalo_oa")
		w.put(at, model.Record{Feedback: f})
	}
}

// maybeLogin signs c in to the app or website shortly before t, with
// probability fixed + share × the customer's digital propensity.
func (w *world) maybeLogin(c customer, t int64, fixed, share float64) {
	if chance(w.r, fixed+share*w.digitalP(c, t)) {
		w.put(t-int64(float64(5+w.r.IntN(600))*w.scale), w.event(model.EventDigitalLogin, c))
	}
}

// login is a sign-in to the app or website by a digitally active customer.
func (w *world) login(t int64) {
	r := w.r
	var c customer
	for range 32 {
		c = w.cust.get(r.IntN(w.cust.n))
		if r.Float64() < w.digitalP(c, t) {
			break
		}
	}
	w.put(t, w.event(model.EventDigitalLogin, c))
}
