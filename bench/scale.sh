#!/usr/bin/env bash
# `yilian report` for one alliance-year at N referrals (default 1,000,000 over 5 alliances and two
# years, so one alliance-year is about 100,000): wall time of 5 runs, and the main query's plan.
# Usage: bench/scale.sh [N]   (release build: swift build -c release)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-1000000}
binary=$(pwd)/.build/release/yilian
home=$(mktemp -d /tmp/yilian-scale-XXXXXX)
chmod 755 "$home"
export YILIAN_HOME=$home
trap '$binary db stop >/dev/null 2>&1 || true; rm -rf "$home"' EXIT
unset YILIAN_DATABASE_URL
"$binary" demo >/dev/null
demo_url=$("$binary" db url | sed 's|/yilian?|/yilian_demo?|')
start=$(date +%s.%N)
psql "$demo_url" -q -v ON_ERROR_STOP=1 -v n="$n" -f bench/generate.sql
echo "generated $n referrals in $(echo "$(date +%s.%N) - $start" | bc) s"
psql "$demo_url" -Atc "SELECT 'PAIN-BJ referrals filed in 2025: ' || count(*) FROM referrals WHERE alliance = 'PAIN-BJ' AND created_at >= '2025-01-01' AND created_at < '2026-01-01'"
export YILIAN_DATABASE_URL=$demo_url
times=()
for i in 1 2 3 4 5; do
    s=$(date +%s%N)
    "$binary" report --alliance PAIN-BJ --from 2025-01-01 --to 2025-12-31 --by month >/dev/null
    times+=($(( ($(date +%s%N) - s) / 1000000 )))
done
sorted=$(printf '%s\n' "${times[@]}" | sort -n | tr '\n' ' ')
echo "yilian report, one alliance-year, by month, 5 runs (ms): $sorted(median $(printf '%s\n' "${times[@]}" | sort -n | sed -n 3p))"
echo "plan of the main indicator query (every grouping in one scan):"
psql "$demo_url" -Atc "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF)
SELECT GROUPING(r.from_hospital, r.to_hospital, r.month), r.from_hospital, r.to_hospital, r.month, count(*),
  percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM r.first_response_at - r.created_at) / 3600),
  count(*) FILTER (WHERE r.escalation > 0 OR r.first_response_at > r.created_at + r.response_window),
  count(*) FILTER (WHERE r.direction = 'up' AND (r.status = 'closed' OR (r.status = 'completed' AND c.parent IS NOT NULL)))
FROM (SELECT r.*, to_char(r.created_at AT TIME ZONE 'UTC', 'YYYY-MM') AS month,
             make_interval(hours => CASE r.priority WHEN 'emergency' THEN a.emergency_hours WHEN 'urgent' THEN a.urgent_hours ELSE a.routine_hours END) AS response_window
      FROM referrals r JOIN alliances a ON a.code = r.alliance
      WHERE r.alliance = 'PAIN-BJ' AND r.created_at >= '2025-01-01' AND r.created_at < '2026-01-01') r
LEFT JOIN (SELECT DISTINCT parent FROM referrals WHERE alliance = 'PAIN-BJ' AND parent IS NOT NULL) c ON c.parent = r.id
GROUP BY GROUPING SETS ((), (r.from_hospital), (r.to_hospital), (r.month))"
