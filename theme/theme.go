// Package theme holds cxtop's semantic palettes. A Theme is built for one
// lipgloss renderer, because every SSH session has its own terminal: its
// colour profile and background decide what "warn" looks like there.
package theme

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/lipgloss"
)

// Names of the built-in themes, in the order `t` cycles through them.
var Names = []string{"dark", "light", "high-contrast"}

// Theme is the styles the console draws with, by meaning.
type Theme struct {
	Name     string
	Title    lipgloss.Style // pane titles
	Header   lipgloss.Style // column headers
	Selected lipgloss.Style // the selected row
	Muted    lipgloss.Style // secondary text
	OK       lipgloss.Style
	Warn     lipgloss.Style
	Breach   lipgloss.Style
	Status   lipgloss.Style // the status bar
	Border   lipgloss.Style // pane frames
	// FocusBorder frames the pane that has the focus; its title is also
	// marked, so focus shows without colour.
	FocusBorder lipgloss.Style
}

type palette struct{ fg, muted, accent, selBg, selFg, ok, warn, breach, barBg, barFg string }

var palettes = map[string]palette{
	"dark":          {"252", "244", "39", "24", "255", "42", "214", "203", "236", "252"},
	"light":         {"235", "242", "25", "153", "16", "28", "130", "160", "254", "235"},
	"high-contrast": {"15", "250", "51", "15", "0", "46", "226", "196", "0", "15"},
}

// New builds the named theme for a renderer. Under NO_COLOR or an Ascii
// profile the colours drop out and the styles keep only bold and reverse,
// so meaning still shows (with the status symbols the console adds).
func New(name string, r *lipgloss.Renderer) (Theme, error) {
	p, ok := palettes[name]
	if !ok {
		return Theme{}, fmt.Errorf("theme %q is not known: use one of %s", name, strings.Join(Names, ", "))
	}
	c := func(s string) lipgloss.Color { return lipgloss.Color(s) }
	return Theme{
		Name:        name,
		Title:       r.NewStyle().Bold(true).Foreground(c(p.accent)),
		Header:      r.NewStyle().Bold(true).Foreground(c(p.muted)),
		Selected:    r.NewStyle().Reverse(true).Foreground(c(p.selFg)).Background(c(p.selBg)),
		Muted:       r.NewStyle().Foreground(c(p.muted)),
		OK:          r.NewStyle().Foreground(c(p.ok)),
		Warn:        r.NewStyle().Bold(true).Foreground(c(p.warn)),
		Breach:      r.NewStyle().Bold(true).Foreground(c(p.breach)),
		Status:      r.NewStyle().Foreground(c(p.barFg)).Background(c(p.barBg)),
		Border:      r.NewStyle().Border(lipgloss.RoundedBorder()).BorderForeground(c(p.muted)),
		FocusBorder: r.NewStyle().Border(lipgloss.ThickBorder()).BorderForeground(c(p.accent)),
	}, nil
}

// Default picks dark or light from the terminal's background.
func Default(r *lipgloss.Renderer) string {
	if r.HasDarkBackground() {
		return "dark"
	}
	return "light"
}

// Next is the theme after name in Names.
func Next(name string) string {
	for i, n := range Names {
		if n == name {
			return Names[(i+1)%len(Names)]
		}
	}
	return Names[0]
}
