module github.com/cxtop/cxtop

go 1.26.8

require github.com/BurntSushi/toml v1.6.0

require (
	go.etcd.io/bbolt v1.5.0 // indirect
	golang.org/x/sys v0.45.0 // indirect
)
