package serve

import (
	"strconv"
	"strings"
	"time"
)

// themeWait bounds how long a session waits to learn its terminal's
// background before it settles for dark.
const themeWait = 500 * time.Millisecond

// themeFor decides a session's theme without ever waiting on the client:
// a fixed theme (--theme) wins, then the client's CXTOP_THEME (ssh -o
// SetEnv=CXTOP_THEME=light), then COLORFGBG, then the renderer's view of
// the background. That last one may query the terminal, and a scripted
// client never answers, so it gets wait and then the session is dark.
func themeFor(fixed string, environ []string, hasDark func() bool, wait time.Duration) string {
	if fixed != "" {
		return fixed
	}
	if t := getenv(environ, "CXTOP_THEME"); knownTheme(t) {
		return t
	}
	if dark, ok := colorFGBG(getenv(environ, "COLORFGBG")); ok {
		return darkOrLight(dark)
	}
	answer := make(chan bool, 1) // buffered: a late answer must not block
	go func() { answer <- hasDark() }()
	timer := time.NewTimer(wait)
	defer timer.Stop()
	select {
	case dark := <-answer:
		return darkOrLight(dark)
	case <-timer.C:
		return "dark"
	}
}

func darkOrLight(dark bool) string {
	if dark {
		return "dark"
	}
	return "light"
}

// colorFGBG reads the rxvt convention "FG;BG" (or "FG;X;BG"): background
// colours 0–6 and 8 are dark.
func colorFGBG(v string) (dark, ok bool) {
	parts := strings.Split(v, ";")
	if len(parts) < 2 {
		return false, false
	}
	bg, err := strconv.Atoi(parts[len(parts)-1])
	if err != nil || bg < 0 || bg > 15 {
		return false, false
	}
	return bg <= 6 || bg == 8, true
}

func getenv(environ []string, key string) string {
	for i := len(environ) - 1; i >= 0; i-- { // the last setting wins
		if v, ok := strings.CutPrefix(environ[i], key+"="); ok {
			return v
		}
	}
	return ""
}
