package serve

import "testing"

func TestThemeForPrefersWhatIsKnownWithoutAsking(t *testing.T) {
	never := func() bool { t.Fatal("the terminal was asked although the theme was known"); return false }
	for _, tc := range []struct {
		name, fixed string
		env         []string
		want        string
	}{
		{"--theme wins", "high-contrast", []string{"CXTOP_THEME=light", "COLORFGBG=0;15"}, "high-contrast"},
		{"client asks", "", []string{"CXTOP_THEME=light"}, "light"},
		{"last setting wins", "", []string{"CXTOP_THEME=light", "CXTOP_THEME=dark"}, "dark"},
		{"COLORFGBG dark", "", []string{"COLORFGBG=15;0"}, "dark"},
		{"COLORFGBG light", "", []string{"COLORFGBG=0;15"}, "light"},
		{"COLORFGBG three parts", "", []string{"COLORFGBG=0;default;15"}, "light"},
		{"unknown CXTOP_THEME falls through", "", []string{"CXTOP_THEME=neon", "COLORFGBG=0;7"}, "light"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := themeFor(tc.fixed, tc.env, never, themeWait); got != tc.want {
				t.Fatalf("themeFor = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestThemeForUsesTheTerminalsAnswer(t *testing.T) {
	if got := themeFor("", nil, func() bool { return false }, themeWait); got != "light" {
		t.Fatalf("a light background gave %q", got)
	}
	if got := themeFor("", []string{"COLORFGBG=garbage"}, func() bool { return true }, themeWait); got != "dark" {
		t.Fatalf("a dark background gave %q", got)
	}
}

// A client that never answers the background query must not hold the
// session: the theme falls back to dark.
func TestThemeForClientThatNeverAnswers(t *testing.T) {
	unblock := make(chan struct{})
	defer close(unblock)
	asked := make(chan struct{})
	silent := func() bool { close(asked); <-unblock; return false }
	if got := themeFor("", []string{"TERM=xterm-256color"}, silent, 0); got != "dark" {
		t.Fatalf("no answer gave %q, want dark", got)
	}
	<-asked // the terminal was asked, and the answer was not waited for
}
