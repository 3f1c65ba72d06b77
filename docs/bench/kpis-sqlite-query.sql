-- Every KPI of `cxtop kpi --window 30d --at 2026-11-01T00:00:00Z` and its
-- baseline (the 30 days before), over the tables of kpis-sqlite-load.sql;
-- formulas as docs/kpis.md. ROI with a yearly cost of 5,000,000,000 and a
-- benefit share of 0.3 (as `cxtop bench` configures cxtop).
--
-- Written as a competent SQL author would: both windows in one pass over
-- one range of a covering index, each record labelled with its window by
-- a CASE on its time; no correlated subquery; constant bounds the planner
-- folds. `cxtop bench` checks EXPLAIN QUERY PLAN for a full table scan.
-- Windows: base [2026-09-02, 2026-10-02), now [2026-10-02, 2026-11-01).
PRAGMA mmap_size = 4294967296;
PRAGMA cache_size = -1048576;
PRAGMA temp_store = MEMORY;
.timer on
-- csat, csat_post_resolution, nps, bot_csat, ces
SELECT CASE WHEN at >= unixepoch('2026-10-02') THEN 'now' ELSE 'base' END AS w,
  1.0 * sum(survey = 'csat' AND score >= 4) / sum(survey = 'csat'),
  1.0 * sum(survey = 'csat' AND kind = 'post_resolution' AND score >= 4) / sum(survey = 'csat' AND kind = 'post_resolution'),
  100.0 * (sum(survey = 'nps' AND score >= 9) - sum(survey = 'nps' AND score <= 6)) / sum(survey = 'nps'),
  avg(CASE WHEN survey = 'bot' THEN score END), avg(CASE WHEN survey = 'ces' THEN score END)
FROM feedback WHERE at >= unixepoch('2026-09-02') AND at < unixepoch('2026-11-01') GROUP BY w;
-- digital_adoption: distinct customers with a digital login / with any record
SELECT w, 1.0 * count(DISTINCT CASE WHEN login THEN customer END) / count(DISTINCT customer) FROM (
  SELECT CASE WHEN created >= unixepoch('2026-10-02') THEN 'now' ELSE 'base' END AS w, customer, 0 AS login
    FROM tickets WHERE created >= unixepoch('2026-09-02') AND created < unixepoch('2026-11-01')
  UNION ALL SELECT CASE WHEN at >= unixepoch('2026-10-02') THEN 'now' ELSE 'base' END, customer, 0
    FROM feedback WHERE at >= unixepoch('2026-09-02') AND at < unixepoch('2026-11-01')
  UNION ALL SELECT CASE WHEN at >= unixepoch('2026-10-02') THEN 'now' ELSE 'base' END, customer, type = 'digital_login'
    FROM events WHERE at >= unixepoch('2026-09-02') AND at < unixepoch('2026-11-01'))
WHERE customer IS NOT NULL GROUP BY w;
-- sla_compliance, handling_time_h
SELECT CASE WHEN resolved >= unixepoch('2026-10-02') THEN 'now' ELSE 'base' END AS w,
  1.0 * sum(resolved <= sla_due) / count(sla_due), avg(resolved - created) / 3600.0
FROM tickets WHERE resolved >= unixepoch('2026-09-02') AND resolved < unixepoch('2026-11-01') AND status = 'done' GROUP BY w;
-- first_response_h
SELECT CASE WHEN first_resp >= unixepoch('2026-10-02') THEN 'now' ELSE 'base' END AS w, avg(first_resp - created) / 3600.0
FROM tickets WHERE first_resp >= unixepoch('2026-09-02') AND first_resp < unixepoch('2026-11-01') GROUP BY w;
-- resolution_rate: resolved / (resolved + created in the window and still open)
SELECT w, 1.0 * sum(resolved) / count(*) FROM (
  SELECT CASE WHEN resolved >= unixepoch('2026-10-02') THEN 'now' ELSE 'base' END AS w, 1 AS resolved
    FROM tickets WHERE resolved >= unixepoch('2026-09-02') AND resolved < unixepoch('2026-11-01') AND status = 'done'
  UNION ALL SELECT CASE WHEN created >= unixepoch('2026-10-02') THEN 'now' ELSE 'base' END, 0
    FROM tickets WHERE created >= unixepoch('2026-09-02') AND created < unixepoch('2026-11-01') AND status <> 'done')
GROUP BY w;
-- successful_resolution_rate: max(R - F, 0) / R
WITH r AS (
  SELECT CASE WHEN resolved >= unixepoch('2026-10-02') THEN 'now' ELSE 'base' END AS w, count(*) AS n
  FROM tickets WHERE resolved >= unixepoch('2026-09-02') AND resolved < unixepoch('2026-11-01') AND status = 'done' GROUP BY w),
f AS (
  SELECT w, count(*) AS n FROM (
    SELECT CASE WHEN resolved >= unixepoch('2026-10-02') THEN 'now' ELSE 'base' END AS w, id
      FROM tickets WHERE resolved >= unixepoch('2026-09-02') AND resolved < unixepoch('2026-11-01') AND status = 'done' AND reopened > 0
    UNION SELECT CASE WHEN at >= unixepoch('2026-10-02') THEN 'now' ELSE 'base' END, ticket_id
      FROM feedback WHERE at >= unixepoch('2026-09-02') AND at < unixepoch('2026-11-01')
        AND survey = 'csat' AND kind = 'post_resolution' AND ticket_id IS NOT NULL AND score <= 2)
  GROUP BY w)
SELECT r.w, max(r.n - coalesce(f.n, 0), 0) * 1.0 / r.n FROM r LEFT JOIN f ON f.w = r.w;
-- backlog: created before the window's end - resolved before it (each a count over an index range)
SELECT 'base', (SELECT count(*) FROM tickets WHERE created < unixepoch('2026-10-02'))
  - (SELECT count(*) FROM tickets WHERE resolved < unixepoch('2026-10-02') AND status = 'done')
UNION ALL SELECT 'now', (SELECT count(*) FROM tickets WHERE created < unixepoch('2026-11-01'))
  - (SELECT count(*) FROM tickets WHERE resolved < unixepoch('2026-11-01') AND status = 'done');
-- order_processing_h
SELECT CASE WHEN at >= unixepoch('2026-10-02') THEN 'now' ELSE 'base' END AS w, avg(at - placed_at) / 3600.0
FROM events WHERE type = 'order_processed' AND at >= unixepoch('2026-09-02') AND at < unixepoch('2026-11-01') GROUP BY w;
-- form_abandonment
SELECT w, 1.0 * sum(type = 'form_abandoned') / sum(type = 'form_started') FROM (
  SELECT CASE WHEN at >= unixepoch('2026-10-02') THEN 'now' ELSE 'base' END AS w, type
    FROM events WHERE type = 'form_abandoned' AND at >= unixepoch('2026-09-02') AND at < unixepoch('2026-11-01')
  UNION ALL SELECT CASE WHEN at >= unixepoch('2026-10-02') THEN 'now' ELSE 'base' END, type
    FROM events WHERE type = 'form_started' AND at >= unixepoch('2026-09-02') AND at < unixepoch('2026-11-01'))
GROUP BY w;
-- digital_revenue_growth (each window against the one before), roi (a 30-day share of the yearly cost)
WITH p AS (
  SELECT sum(CASE WHEN at < unixepoch('2026-09-02') THEN amount END) AS before,
    sum(CASE WHEN at >= unixepoch('2026-09-02') AND at < unixepoch('2026-10-02') THEN amount END) AS base,
    sum(CASE WHEN at >= unixepoch('2026-10-02') THEN amount END) AS now
  FROM events WHERE type = 'purchase' AND at >= unixepoch('2026-08-03') AND at < unixepoch('2026-11-01') AND digital = 1)
SELECT 'base', 1.0 * base / before - 1, (0.3 * base - 5000000000.0 * 720 / 8760) / (5000000000.0 * 720 / 8760) FROM p
UNION ALL SELECT 'now', 1.0 * now / base - 1, (0.3 * now - 5000000000.0 * 720 / 8760) / (5000000000.0 * 720 / 8760) FROM p;
