// Package sim generates realistic, deterministic CX data: tickets with their
// full history, survey feedback and journey events, as a mid-size
// Vietnamese retailer's customer-experience operation would produce them.
//
// Generate streams a history ending at a given time in batches and in time
// order, in bounded memory; Live produces the records of a running demo,
// step by step, including later updates of the tickets it created. Both are
// pure functions of their seed and inputs: the same options give the same
// bytes.
//
// The model, in short: a pool of customers whose segment, digital affinity
// and latent loyalty are hashed from the seed; arrivals that follow the hour
// of day (UTC+7) and the day of week; journey problems mapped to ticket
// types and sub-types; log-normal response and resolution times; CSAT, NPS,
// CES and chatbot ratings that depend on the segment and on how the ticket
// went; A/B form sessions, orders whose processing time improves over the
// period, purchases whose digital share grows; and one delivery incident of
// a few days in the middle of a long enough period, during which tickets
// pile up, resolution slows and satisfaction dips.
package sim
