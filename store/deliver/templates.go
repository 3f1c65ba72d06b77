package deliver

import (
	"bytes"
	"fmt"
	"text/template"

	"github.com/cxtop/cxtop/model/alert"
)

// Each request kind has a subject and a body, rendered with the request
// and the recipient (.Request, .Recipient). Email sends both; the webhook
// sends both with the request; Zalo ZNS sends its own registered template
// with the fields as template_data.
var templates = map[string][2]string{
	alert.PurposeFollowUp: {
		"We are sorry: a manager will call you",
		"Hello {{with .Recipient.Name}}{{.}}{{else}}there{{end}},\n\nThank you for your answer to our survey. We are sorry we let you down: a manager will contact you within 24 hours to put it right (case {{.Request.TicketID}}).\n",
	},
	alert.PurposeSurvey: {
		"How did we do?",
		"Hello {{with .Recipient.Name}}{{.}}{{else}}there{{end}},\n\nYour request {{.Request.TicketID}} is resolved. How satisfied are you with how we handled it? Reply with a score from 1 to 5.\n",
	},
	alert.PurposeEscalation: {
		"A member of our team is taking over",
		"Hello {{with .Recipient.Name}}{{.}}{{else}}there{{end}},\n\nWe saw your chat did not go well. A member of our team has taken over your request ({{.Request.TicketID}}) and will contact you shortly.\n",
	},
	alert.PurposeFormReminder: {
		"You left a form half-way",
		"Hello {{with .Recipient.Name}}{{.}}{{else}}there{{end}},\n\nYou started a form with us and did not finish it. Pick up where you left off, or reply to this message if something got in the way.\n",
	},
}

var parsed = func() map[string][2]*template.Template {
	out := map[string][2]*template.Template{}
	for kind, t := range templates {
		out[kind] = [2]*template.Template{
			template.Must(template.New(kind + "/subject").Parse(t[0])),
			template.Must(template.New(kind + "/body").Parse(t[1])),
		}
	}
	return out
}()

// render fills the message's subject and body from its kind's templates.
func render(m *Message) error {
	t, ok := parsed[m.Request.Purpose]
	if !ok {
		return permanent("no template for request kind %q", m.Request.Purpose)
	}
	var sub, body bytes.Buffer
	if err := t[0].Execute(&sub, m); err != nil {
		return fmt.Errorf("template %s: %w", m.Request.Purpose, err)
	}
	if err := t[1].Execute(&body, m); err != nil {
		return fmt.Errorf("template %s: %w", m.Request.Purpose, err)
	}
	m.Subject, m.Body = sub.String(), body.String()
	return nil
}
