// Package privacy masks customers' and staff's personal data — names,
// emails, phone numbers, and free text holding them — for viewers, masked
// snapshots and reports.
//
// Identifiers are replaced by pseudonyms made with a keyed HMAC, so within
// one key (one store, one snapshot) the same customer always maps to the
// same pseudonym: counts of distinct customers, the join of NPS answers
// with revenue and the customer's other answers in the detail still work,
// while nobody without the key can tell who the customer is. The key must
// never travel with what it masked (a masked snapshot holds no key).
//
// Masking changes nothing a KPI reads other than by renaming consistently:
// ids that records are joined on keep joining, scores, times, amounts,
// statuses and dimensions are left as they are.
package privacy
