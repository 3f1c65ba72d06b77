package model

import "time"

// Surveys cxtop understands, with the score range each one allows.
const (
	SurveyCSAT = "csat" // 1–5, satisfied when ≥ 4
	SurveyNPS  = "nps"  // 0–10: 0–6 detractor, 7–8 passive, 9–10 promoter
	SurveyCES  = "ces"  // 1–7 customer effort
	SurveyBot  = "bot"  // 1–5 stars given to a chatbot conversation
)

// Feedback kinds: why the survey was sent.
const (
	KindTransactional  = "transactional"
	KindRelationship   = "relationship"
	KindPostResolution = "post_resolution"
	KindChatbot        = "chatbot"
)

// SurveyRange gives the lowest and highest valid score of a survey.
func SurveyRange(survey string) (lo, hi int, ok bool) {
	switch survey {
	case SurveyCSAT, SurveyBot:
		return 1, 5, true
	case SurveyNPS:
		return 0, 10, true
	case SurveyCES:
		return 1, 7, true
	}
	return 0, 0, false
}

// Surveys lists the known surveys in a stable order.
var Surveys = []string{SurveyCSAT, SurveyNPS, SurveyCES, SurveyBot}

// FeedbackKinds lists the known feedback kinds in a stable order.
var FeedbackKinds = []string{KindTransactional, KindRelationship, KindPostResolution, KindChatbot}

// Feedback is one survey answer.
type Feedback struct {
	ID         string
	Survey     string
	Score      int
	At         time.Time
	CustomerID string
	Segment    string
	Touchpoint string
	Kind       string
	// Channel is where the answer came from, so CSAT and NPS break down by
	// source like tickets do. Optional.
	Channel  string
	TicketID string // optional: the ticket a post-resolution survey is about
	// Sentiment is −1..1 when a text analysis ran on the comment, nil otherwise.
	Sentiment *float64
	Comment   string
}

// NPSCategory of an NPS score: "promoter", "passive" or "detractor".
func NPSCategory(score int) string {
	switch {
	case score >= 9:
		return "promoter"
	case score >= 7:
		return "passive"
	default:
		return "detractor"
	}
}
