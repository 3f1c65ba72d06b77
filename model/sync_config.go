package model

// SyncConfig is the [sync] section of the config file: where `cxtop sync`
// (and the console's sync loop) pulls from. Flags and CXTOP_* variables
// override it. The token is a secret: the file should be mode 0600, and
// cxtop never prints or logs it.
type SyncConfig struct {
	Remote   string   `toml:"remote"`   // http(s) URL of the hub or the Zendesk account
	Source   string   `toml:"source"`   // "hub" (default) or "zendesk"
	Token    string   `toml:"token"`    // bearer token, or EMAIL/token:API_TOKEN for Zendesk
	Interval Duration `toml:"interval"` // time between syncs once caught up (default 5s)
}
