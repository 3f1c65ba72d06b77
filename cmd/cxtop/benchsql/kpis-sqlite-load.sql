-- Load a `cxtop export` (JSON Lines) into sqlite3 tables with covering
-- indexes: the reference of `cxtop bench`'s kpi row (docs/PERFORMANCE.md).
-- `cxtop bench` (and docs/bench/kpis-sqlite.sh) substitute the export's
-- path for EXPORT_JSONL. Loading is not timed; only the queries are.
PRAGMA journal_mode = OFF;
PRAGMA synchronous = OFF;
CREATE TABLE raw(j TEXT);
.mode ascii
.separator "\037" "\n"
.import EXPORT_JSONL raw
.mode list

-- Times as Unix seconds; a ticket's reopen count from its history.
CREATE TABLE tickets AS SELECT
  json_extract(j, '$.id') AS id,
  json_extract(j, '$.status') AS status,
  unixepoch(json_extract(j, '$.created_at')) AS created,
  unixepoch(json_extract(j, '$.first_response_at')) AS first_resp,
  unixepoch(json_extract(j, '$.resolved_at')) AS resolved,
  unixepoch(json_extract(j, '$.sla_due_at')) AS sla_due,
  json_extract(j, '$.customer_id') AS customer,
  (SELECT count(*) FROM json_each(j, '$.history') h
    WHERE json_extract(h.value, '$.field') = 'status' AND json_extract(h.value, '$.old') = 'done'
      AND json_extract(h.value, '$.new') <> 'done') AS reopened
FROM raw WHERE json_extract(j, '$.kind') = 'ticket';

CREATE TABLE feedback AS SELECT
  json_extract(j, '$.survey') AS survey,
  json_extract(j, '$.score') AS score,
  unixepoch(json_extract(j, '$.at')) AS at,
  json_extract(j, '$.customer_id') AS customer,
  json_extract(j, '$.segment') AS segment,
  json_extract(j, '$.survey_kind') AS kind,
  json_extract(j, '$.ticket_id') AS ticket_id
FROM raw WHERE json_extract(j, '$.kind') = 'feedback';

CREATE TABLE events AS SELECT
  json_extract(j, '$.type') AS type,
  unixepoch(json_extract(j, '$.at')) AS at,
  json_extract(j, '$.customer_id') AS customer,
  json_extract(j, '$.amount') AS amount,
  json_extract(j, '$.digital') AS digital,
  unixepoch(json_extract(j, '$.placed_at')) AS placed_at
FROM raw WHERE json_extract(j, '$.kind') = 'event';

DROP TABLE raw;

-- Covering indexes: each query of kpis-sqlite-query.sql reads one range
-- of one index (the time a KPI attributes a record to first, or the type
-- then the time) and finds every column it needs in the index itself, so
-- no table row is read (EXPLAIN QUERY PLAN says "USING COVERING INDEX").
CREATE INDEX feedback_cover ON feedback(at, survey, score, kind, customer, ticket_id);
CREATE INDEX tickets_created_cover ON tickets(created, status, customer);
CREATE INDEX tickets_resolved_cover ON tickets(resolved, status, sla_due, created, reopened, id);
CREATE INDEX tickets_first_resp_cover ON tickets(first_resp, created);
CREATE INDEX events_type_cover ON events(type, at, customer, placed_at, digital, amount);
CREATE INDEX events_at_cover ON events(at, customer);
ANALYZE;
VACUUM;
