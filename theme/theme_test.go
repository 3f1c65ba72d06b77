package theme

import (
	"bytes"
	"testing"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
)

func TestThemes(t *testing.T) {
	r := lipgloss.NewRenderer(&bytes.Buffer{})
	r.SetColorProfile(termenv.ANSI256)
	for _, name := range Names {
		th, err := New(name, r)
		if err != nil || th.Name != name {
			t.Fatalf("%s: %v", name, err)
		}
		if th.Breach.Render("x") == "x" {
			t.Errorf("%s: breach style draws nothing on a 256-colour terminal", name)
		}
	}
	if _, err := New("neon", r); err == nil {
		t.Fatal("unknown theme accepted")
	}
	if Next("high-contrast") != "dark" || Next("dark") != "light" {
		t.Fatal("theme cycle")
	}
	ascii := lipgloss.NewRenderer(&bytes.Buffer{})
	ascii.SetColorProfile(termenv.Ascii)
	th, _ := New("dark", ascii)
	if got := th.OK.Render("ok"); got != "ok" {
		t.Errorf("Ascii profile still styles: %q", got)
	}
}
