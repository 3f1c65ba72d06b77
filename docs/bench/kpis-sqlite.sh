#!/bin/sh
# The sqlite3 reference of docs/PERFORMANCE.md ("KPIs"): load a cxtop export
# into indexed tables once, then compute every KPI over 30 days with GROUP BY,
# timing each statement (`.timer on`) and printing the sum.
#
#   cxtop export --db /tmp/1m.db > /tmp/1m.jsonl
#   sh docs/bench/kpis-sqlite.sh /tmp/1m.jsonl /tmp/1m.sqlite
set -eu
export_jsonl=$1
db=$2
sql=$(dirname "$0")/../../cmd/cxtop/benchsql # the SQL cxtop bench embeds, in one place
if [ ! -s "$db" ]; then
	start=$(date +%s)
	sed "s|EXPORT_JSONL|$export_jsonl|" "$sql/kpis-sqlite-load.sql" | sqlite3 "$db"
	echo "loaded $export_jsonl into $db in $(($(date +%s) - start)) s"
fi
for run in 1 2 3; do
	sqlite3 "$db" < "$sql/kpis-sqlite-query.sql" > "$db.out.$run"
	awk '/^Run Time/ { real += $4 } END { printf "run '"$run"': all KPIs, 2 windows: %.3f s (sum of real)\n", real }' "$db.out.$run"
done
grep -v '^Run Time' "$db.out.3"
