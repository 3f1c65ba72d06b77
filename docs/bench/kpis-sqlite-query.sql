-- Every KPI of `cxtop kpi --window 30d --at 2026-11-01T00:00:00Z` (and its
-- baseline, the 30 days before) with GROUP BY over the tables of
-- kpis-sqlite-load.sql; formulas as docs/kpis.md. ROI with a yearly cost of
-- 5,000,000,000 and a benefit share of 0.3 (as BenchmarkKPIs configures).
-- `.timer on` prints each statement's time; kpis-sqlite.sh adds them up.
-- sqlite at its best on this machine: the file mapped, a 1 GiB cache, sorts in memory.
PRAGMA mmap_size = 4294967296;
PRAGMA cache_size = -1048576;
PRAGMA temp_store = MEMORY;
CREATE TEMP TABLE w(name TEXT, f INTEGER, t INTEGER);
INSERT INTO w VALUES
  ('now',  unixepoch('2026-10-02T00:00:00Z'), unixepoch('2026-11-01T00:00:00Z')),
  ('base', unixepoch('2026-09-02T00:00:00Z'), unixepoch('2026-10-02T00:00:00Z'));
.timer on
-- csat, csat_post_resolution, nps, bot_csat, ces
SELECT w.name,
  1.0 * sum(survey = 'csat' AND score >= 4) / sum(survey = 'csat'),
  1.0 * sum(survey = 'csat' AND kind = 'post_resolution' AND score >= 4) / sum(survey = 'csat' AND kind = 'post_resolution'),
  100.0 * (sum(survey = 'nps' AND score >= 9) - sum(survey = 'nps' AND score <= 6)) / sum(survey = 'nps'),
  avg(CASE WHEN survey = 'bot' THEN score END), avg(CASE WHEN survey = 'ces' THEN score END)
FROM w JOIN feedback ON feedback.at >= w.f AND feedback.at < w.t GROUP BY w.name;
-- digital_adoption (each table's range read from its (time, customer) index, then one DISTINCT)
SELECT w.name,
  1.0 * (SELECT count(DISTINCT customer) FROM events e WHERE e.type = 'digital_login' AND e.at >= w.f AND e.at < w.t)
  / (SELECT count(DISTINCT customer) FROM (
      SELECT customer FROM tickets WHERE created >= w.f AND created < w.t
      UNION ALL SELECT customer FROM feedback WHERE at >= w.f AND at < w.t
      UNION ALL SELECT customer FROM events WHERE at >= w.f AND at < w.t) WHERE customer IS NOT NULL)
FROM w GROUP BY w.name;
-- sla_compliance, handling_time_h
SELECT w.name, 1.0 * sum(resolved <= sla_due) / count(sla_due), avg(resolved - created) / 3600.0
FROM w JOIN tickets ON resolved >= w.f AND resolved < w.t WHERE status = 'done' GROUP BY w.name;
-- first_response_h
SELECT w.name, avg(first_resp - created) / 3600.0 FROM w JOIN tickets ON first_resp >= w.f AND first_resp < w.t GROUP BY w.name;
-- resolution_rate
SELECT w.name, 1.0 * (SELECT count(*) FROM tickets WHERE status = 'done' AND resolved >= w.f AND resolved < w.t)
  / ((SELECT count(*) FROM tickets WHERE status = 'done' AND resolved >= w.f AND resolved < w.t) + count(*))
FROM w JOIN tickets ON created >= w.f AND created < w.t WHERE status <> 'done' GROUP BY w.name;
-- successful_resolution_rate
SELECT w.name, max(count(*) - (SELECT count(*) FROM (
    SELECT id FROM tickets WHERE status = 'done' AND resolved >= w.f AND resolved < w.t AND reopened > 0
    UNION SELECT ticket_id FROM feedback WHERE survey = 'csat' AND kind = 'post_resolution' AND ticket_id IS NOT NULL
      AND score <= 2 AND at >= w.f AND at < w.t)), 0) * 1.0 / count(*)
FROM w JOIN tickets ON resolved >= w.f AND resolved < w.t WHERE status = 'done' GROUP BY w.name;
-- backlog
SELECT w.name, (SELECT count(*) FROM tickets WHERE created < w.t) - (SELECT count(*) FROM tickets WHERE status = 'done' AND resolved < w.t)
FROM w GROUP BY w.name;
-- order_processing_h
SELECT w.name, avg(at - placed_at) / 3600.0 FROM w JOIN events ON type = 'order_processed' AND at >= w.f AND at < w.t GROUP BY w.name;
-- form_abandonment
SELECT w.name, 1.0 * sum(type = 'form_abandoned') / sum(type = 'form_started')
FROM w JOIN events ON type IN ('form_abandoned', 'form_started') AND at >= w.f AND at < w.t GROUP BY w.name;
-- digital_revenue_growth (its window and the one before), roi
SELECT w.name,
  1.0 * sum(CASE WHEN at >= w.f THEN amount END) / sum(CASE WHEN at < w.f THEN amount END) - 1,
  (0.3 * sum(CASE WHEN at >= w.f THEN amount END) - 5000000000.0 * (w.t - w.f) / 3600 / 8760)
    / (5000000000.0 * (w.t - w.f) / 3600 / 8760)
FROM w JOIN events ON type = 'purchase' AND digital = 1 AND at >= w.f - (w.t - w.f) AND at < w.t GROUP BY w.name;
