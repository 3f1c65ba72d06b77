-- Load a `cxtop export` (JSON Lines) into sqlite3 tables with indexes, the
-- reference of docs/PERFORMANCE.md ("KPIs"). Run by kpis-sqlite.sh, which
-- substitutes the export's path for EXPORT_JSONL.
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

-- Indexes on what the KPI queries filter and group by: the time each KPI
-- attributes a record to, after the survey or event type.
CREATE INDEX tickets_created ON tickets(created, customer);
CREATE INDEX tickets_resolved ON tickets(resolved);
CREATE INDEX tickets_first_resp ON tickets(first_resp);
CREATE INDEX feedback_survey_at ON feedback(survey, at);
CREATE INDEX feedback_at ON feedback(at, customer);
CREATE INDEX events_type_at ON events(type, at);
CREATE INDEX events_at ON events(at, customer);
ANALYZE;
VACUUM;
