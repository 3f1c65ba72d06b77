// Package store is cxtop's embedded database: tickets, feedback and events
// in a bbolt file, with the secondary indexes the queue needs, hourly
// rollups the KPIs read, a commit-ordered change log, and notifications to
// subscribers after each committed batch.
//
// It is the only package that imports bbolt. Every write goes through one
// transaction per batch (a page from the remote, an import chunk, a
// simulated day): records, indexes, rollups, log and meta commit together
// or not at all.
package store
