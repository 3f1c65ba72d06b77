package sim

import (
	"math/rand/v2"
	"strconv"
	"strings"
)

// template is a text with placeholders such as {order}, split into literal
// and placeholder parts once so filling one in does not parse.
type template []string

func parseTemplate(s string) template {
	var t template
	for s != "" {
		i := strings.IndexByte(s, '{')
		j := strings.IndexByte(s, '}')
		if i < 0 || j < i {
			t = append(t, s)
			break
		}
		if i > 0 {
			t = append(t, s[:i])
		}
		t = append(t, s[i:j+1])
		s = s[j+1:]
	}
	return t
}

func parseTemplates(ss []string) []template {
	ts := make([]template, len(ss))
	for i, s := range ss {
		ts[i] = parseTemplate(s)
	}
	return ts
}

// textVars are the values a ticket's subject and description mention.
type textVars struct {
	order  int
	n      int
	amount int64
	store  string
	promo  string
	app    string
	label  string // a custom sub-type or type, in words
}

func newTextVars(r *rand.Rand, label string) textVars {
	return textVars{
		order:  10000 + r.IntN(90000),
		n:      2 + r.IntN(5),
		amount: int64(100+r.IntN(2900)) * 1000,
		store:  oneOf(r, storeNames),
		promo:  oneOf(r, promoCodes),
		app:    oneOf(r, appVersions),
		label:  label,
	}
}

func (t template) append(b []byte, v *textVars) []byte {
	for _, part := range t {
		if part[0] != '{' {
			b = append(b, part...)
			continue
		}
		switch part {
		case "{order}":
			b = strconv.AppendInt(b, int64(v.order), 10)
		case "{n}":
			b = strconv.AppendInt(b, int64(v.n), 10)
		case "{amount}":
			b = appendThousands(b, v.amount)
		case "{store}":
			b = append(b, v.store...)
		case "{promo}":
			b = append(b, v.promo...)
		case "{app}":
			b = append(b, v.app...)
		case "{label}":
			b = append(b, v.label...)
		default:
			b = append(b, part...)
		}
	}
	return b
}

// appendThousands writes n with commas between thousands: 1,250,000.
func appendThousands(b []byte, n int64) []byte {
	s := strconv.AppendInt(nil, n, 10)
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b = append(b, ',')
		}
		b = append(b, c)
	}
	return b
}

var (
	storeNames = []string{
		"Nguyen Hue", "Thu Duc", "Cau Giay", "Hai Ba Trung", "Hai Chau",
		"Binh Thanh", "Go Vap", "Long Bien", "Ninh Kieu", "Bien Hoa",
	}
	promoCodes  = []string{"FREESHIP", "SALE11", "VIP20", "BDAY50", "FLASH99", "PAYDAY", "TET2026"}
	appVersions = []string{"5.2.1", "5.3.0", "5.3.2", "5.4.0"}
	closings    = []string{
		"", "", "Please help.", "Please call me back.", "Thank you.",
		"This is the second time I am contacting you.", "I need an answer today.",
	}
	ticketTags = []string{
		"repeat_contact", "social_media", "voucher", "refund", "delivery_partner",
		"app_v5", "priority_customer", "follow_up",
	}
)

// ticketText holds the subject and description templates of one sub-type:
// descriptions[i] tells the story subjects[i] announces.
type ticketText struct {
	subjects     []template
	descriptions []template
}

// subTypeTexts are (subject, description) pairs of the default sub-types.
var subTypeTexts = map[string][][2]string{
	"late_delivery": {
		{"Order #{order} delivered {n} days late", "My order #{order} arrived {n} days after the promised date."},
		{"Order #{order} still not delivered", "My order #{order} was promised {n} days ago and has still not arrived."},
		{"Courier missed delivery window for #{order}", "I waited at home all day but the courier never came with order #{order}."},
		{"Delivery of #{order} rescheduled again", "The delivery of order #{order} keeps being rescheduled by the courier."},
	},
	"staff_attitude": {
		{"Rude staff at {store} store", "A staff member at the {store} store was rude when I asked for help."},
		{"Unhelpful hotline agent", "The hotline agent hung up on me before my problem was solved."},
		{"Cashier at {store} ignored my question", "The cashier at the {store} store ignored me and served other customers first."},
		{"Delivery driver was impolite", "The driver who delivered order #{order} shouted at me over the phone."},
	},
	"product_quality": {
		{"Damaged item in order #{order}", "The item I received in order #{order} is damaged."},
		{"Product stopped working after {n} days", "The product stopped working after {n} days of normal use."},
		{"Wrong size received in #{order}", "I ordered size M but received size S in order #{order}."},
		{"Expired product in order #{order}", "Two products in order #{order} were past their expiry date."},
	},
	"billing_error": {
		{"Charged twice for order #{order}", "I was charged twice for order #{order}."},
		{"Voucher {promo} not applied at checkout", "Voucher {promo} was valid but the discount was not applied to my bill of {amount} VND."},
		{"Wrong price charged at {store}", "The shelf price at the {store} store was lower than what I paid at the till."},
		{"Promotion {promo} missing on my bill", "I bought during the {promo} promotion but paid the full {amount} VND."},
	},
	"product_idea": {
		{"Please sell larger sizes", "Many of your clothes stop at size L; please add larger sizes."},
		{"Suggest a bundle for families", "Please consider family-size packs for everyday items."},
		{"Request: more organic products", "It would be great if you sold more local and organic products."},
		{"Idea: gift wrapping option", "Please offer gift wrapping for online orders."},
	},
	"service_improvement": {
		{"Longer opening hours at {store}", "The {store} store closes too early for people who work late."},
		{"Faster hotline pickup please", "I waited more than ten minutes on the hotline at the weekend."},
		{"Add evening delivery slots", "Please add delivery slots after 7 pm for working customers."},
		{"Shorter queues at {store} checkout", "The checkout queues at {store} are very long in the evening."},
	},
	"app_feature": {
		{"Add dark mode to the app", "Please add a dark mode to the app for use at night."},
		{"Let me save several addresses", "I would like to save several delivery addresses in the app."},
		{"Wishlist sharing in the app", "I would like to share my wishlist with my family from the app."},
		{"Show the delivery driver on a map", "Please add order tracking with the driver's location."},
	},
	"login_issue": {
		{"Cannot log in to the app", "I cannot log in to the app since version {app}."},
		{"OTP code never arrives", "I cannot log in because the OTP code never arrives by SMS."},
		{"Password reset link expired", "The password reset link had already expired when I opened it."},
		{"Logged out every time I open the app", "The app (version {app}) logs me out every time I open it."},
	},
	"payment_failure": {
		{"Payment failed for order #{order}", "My card payment for order #{order} failed three times."},
		{"MoMo payment declined at checkout", "Paying with MoMo is declined at the last step of checkout."},
		{"Charged but order #{order} not created", "My card was charged {amount} VND but order #{order} was not created."},
		{"ZaloPay payment stuck on pending", "My ZaloPay payment of {amount} VND has been pending for an hour."},
	},
	"app_bug": {
		{"App crashes at checkout (v{app})", "The app crashes when I open the cart (version {app})."},
		{"Cart empties itself in the app", "Items disappear from my cart after I close the app."},
		{"Search shows no results (v{app})", "Search in the app returns nothing, even for products I bought before."},
		{"App freezes when adding to cart", "The app freezes for a minute every time I add an item to the cart."},
	},
	"account_access": {
		{"Account locked after failed logins", "My account was locked after I mistyped my password."},
		{"Cannot change phone number on account", "I changed my phone number and can no longer access my account."},
		{"Lost access to my account", "Someone changed the email on my account and I cannot get back in."},
		{"Loyalty points missing from account", "My loyalty points disappeared from my account after the last update."},
	},
	"order_status": {
		{"Where is my order #{order}?", "Could you tell me when order #{order} will be delivered?"},
		{"Status of order #{order}", "The tracking page for order #{order} has not changed for {n} days."},
		{"Order #{order} processing for {n} days", "Order #{order} has shown 'processing' for {n} days."},
		{"When will order #{order} ship?", "I paid for order #{order} {n} days ago; when will it ship?"},
	},
	"promotion_info": {
		{"Did not receive {promo} voucher", "I did not receive the {promo} voucher promised in your campaign."},
		{"How to use promotion {promo}?", "Can I use promotion {promo} together with my member discount?"},
		{"Is {promo} valid in store?", "Is the {promo} code also valid at the {store} store?"},
		{"Member discount not received this month", "My monthly member discount did not arrive this month."},
	},
	"store_info": {
		{"Opening hours of {store} store", "What are the opening hours of the {store} store during holidays?"},
		{"Parking at {store} store?", "Does the {store} store have parking for motorbikes?"},
		{"Is {store} store open on holidays?", "Will the {store} store open on the next public holiday?"},
		{"Address of the nearest store", "Which store is nearest to {store} and what is its address?"},
	},
	"return_request": {
		{"Return request for order #{order}", "I would like to return an item from order #{order}; it does not fit."},
		{"Want to return an item from #{order}", "The colour of the item in order #{order} is not as pictured; I want to return it."},
		{"How to return a damaged item?", "How do I return an item that arrived damaged in order #{order}?"},
		{"Return of unused item bought at {store}", "How do I return a product I bought at the {store} store?"},
	},
	"exchange_request": {
		{"Exchange size for order #{order}", "I need a different size for an item in order #{order}."},
		{"Exchange faulty item from #{order}", "The item from order #{order} is faulty and I want an exchange."},
		{"Swap colour of item in #{order}", "Can I swap the colour of the item in order #{order}?"},
		{"Exchange gift bought at {store}", "I received a gift bought at the {store} store and would like another size."},
	},
	"refund_status": {
		{"Refund for order #{order} not received", "I returned order #{order} {n} days ago and have not received my refund."},
		{"When will I get my {amount} VND refund?", "You approved my refund of {amount} VND but nothing has arrived."},
		{"Refund status for return #{order}", "What is the status of the refund for my return of order #{order}?"},
		{"Refund of {amount} VND still pending", "My refund of {amount} VND is still pending."},
	},
}

// genericText serves sub-types the default texts do not know.
var genericText = [][2]string{
	{"Question about {label}", "The customer has a question about {label}."},
	{"Problem with {label}", "The customer reports a problem with {label}."},
	{"Request regarding {label}", "The customer asks for help with {label}."},
}

var closingTemplates = parseTemplates(closings)

func textFor(subType string) ticketText {
	pairs, ok := subTypeTexts[subType]
	if !ok {
		pairs = genericText
	}
	var t ticketText
	for _, p := range pairs {
		t.subjects = append(t.subjects, parseTemplate(p[0]))
		t.descriptions = append(t.descriptions, parseTemplate(p[1]))
	}
	return t
}

// Feedback comments, by how the answer went.
var (
	botCommentsBad = []string{
		"Bot did not understand me", "Had to repeat my question many times",
		"Useless answers, I wanted a human", "Too slow, gave up",
	}
	botCommentsMid  = []string{"OK but could not finish my request", "Answer was only partly helpful"}
	botCommentsGood = []string{
		"Quick and helpful", "Got my order status instantly", "Easy to use", "Solved my problem, thanks",
	}
	csatCommentsBad = []string{
		"Took far too long to resolve", "Nobody called me back", "Had to explain my problem three times",
		"Still waiting for my refund", "Delivery is always late",
	}
	csatCommentsGood = []string{
		"Agent was friendly and fast", "Problem solved on the first call", "Very helpful staff",
		"Quick refund, thank you",
	}
	npsCommentsBad = []string{
		"Deliveries are often late", "Prices went up", "Hard to reach customer service",
		"App keeps crashing",
	}
	npsCommentsGood = []string{
		"Great member discounts", "Fast delivery and friendly staff", "Love the app",
		"Good quality products",
	}
)
