-- Indicators are aggregates (SPEC §6): a member's user may read its alliance's counts, never the
-- alliance's referrals and consultations one by one. Until now each user read them row by row
-- through referral_facts and consultation_facts (who referred whom, when, with what outcome),
-- further than yilian, which shows only the counts. The counts now come from these functions,
-- which run as the owner and answer only a user of a member hospital (the platform: any
-- alliance); the views are gone.

-- The user a call runs as: the role the owner's session took for a user (yilian_act_as), else
-- the login.
CREATE FUNCTION yilian_caller() RETURNS text
LANGUAGE sql STABLE SET search_path = pg_catalog, public AS $$
    SELECT coalesce(nullif(current_setting('role'), 'none'), session_user)
$$;

CREATE FUNCTION yilian_reads_indicators(alliance text) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
    SELECT yilian_duty(yilian_caller()) = 'platform_admin'
        OR EXISTS (SELECT FROM memberships m WHERE m.alliance = $1 AND m.hospital = yilian_hospital(yilian_caller()))
$$;

-- Referral counts filed from `from_day` to `to_day` (inclusive, in the alliance's time zone),
-- over the alliance, by sender, by receiver and, when `by_month`, by month (GROUPING(from, to,
-- month): a bit mask of the columns not grouped by: 7 all, 3 sender, 5 receiver, 6 month; without
-- `by_month` every month is NULL, one cheap group the caller ignores). Grouped by the truncated
-- time, only the output rows formatted (to_char on every referral cost ~90 ms at 100,000). The
-- grouping sets sort the period's referrals several times: in memory (work_mem), not on disk.
CREATE FUNCTION yilian_referral_indicators(alliance text, from_day date, to_day date, moment timestamptz, by_month boolean)
RETURNS TABLE (grouping_set integer, from_hospital text, to_hospital text, month text, referrals bigint, up_out bigint, up_in bigint,
               down_out bigint, down_in bigint, up_out_arrived bigint, up_in_arrived bigint, down_out_arrived bigint,
               down_in_arrived bigint, accepted bigint, rejected bigint, median_hours double precision, overdue bigint,
               scheduled bigint, no_show bigint, completed_up bigint, closed_loop bigint)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public SET work_mem = '64MB' AS $$
    SELECT GROUPING(r.from_hospital, r.to_hospital, r.month), r.from_hospital, r.to_hospital, to_char(r.month, 'YYYY-MM'), count(*),
        count(*) FILTER (WHERE r.direction = 'up' AND r.setting = 'outpatient'),
        count(*) FILTER (WHERE r.direction = 'up' AND r.setting = 'inpatient'),
        count(*) FILTER (WHERE r.direction = 'down' AND r.setting = 'outpatient'),
        count(*) FILTER (WHERE r.direction = 'down' AND r.setting = 'inpatient'),
        count(*) FILTER (WHERE r.arrived AND r.direction = 'up' AND r.setting = 'outpatient'),
        count(*) FILTER (WHERE r.arrived AND r.direction = 'up' AND r.setting = 'inpatient'),
        count(*) FILTER (WHERE r.arrived AND r.direction = 'down' AND r.setting = 'outpatient'),
        count(*) FILTER (WHERE r.arrived AND r.direction = 'down' AND r.setting = 'inpatient'),
        count(r.accepted_at), count(r.reject_code),
        percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM r.first_response_at - r.created_at) / 3600),
        count(*) FILTER (WHERE r.escalation > 0 OR r.first_response_at > r.created_at + r.response_window
            OR (r.first_response_at IS NULL AND r.created_at + r.response_window < $4)),
        count(r.scheduled_at), count(*) FILTER (WHERE r.status = 'no_show'),
        count(*) FILTER (WHERE r.direction = 'up' AND r.status IN ('completed', 'closed')),
        count(*) FILTER (WHERE r.direction = 'up' AND (r.status = 'closed' OR (r.status = 'completed' AND c.parent IS NOT NULL)))
    FROM (SELECT r.*, CASE WHEN $5 THEN date_trunc('month', r.created_at AT TIME ZONE a.time_zone) END AS month,
                 r.status IN ('in_treatment', 'completed', 'closed') AS arrived,
                 make_interval(hours => CASE r.priority WHEN 'emergency' THEN a.emergency_hours
                     WHEN 'urgent' THEN a.urgent_hours ELSE a.routine_hours END) AS response_window
          FROM referrals r JOIN alliances a ON a.code = r.alliance
          WHERE r.alliance = $1 AND r.created_at >= $2::timestamp AT TIME ZONE a.time_zone
            AND r.created_at < ($3 + 1)::timestamp AT TIME ZONE a.time_zone AND (SELECT yilian_reads_indicators($1))) r
    LEFT JOIN (SELECT DISTINCT parent FROM referrals WHERE alliance = $1 AND parent IS NOT NULL) c ON c.parent = r.id
    GROUP BY GROUPING SETS ((), (r.from_hospital), (r.to_hospital), (r.month))
$$;

-- Rejections by reason code, grouped as above.
CREATE FUNCTION yilian_rejection_indicators(alliance text, from_day date, to_day date, by_month boolean)
RETURNS TABLE (grouping_set integer, from_hospital text, to_hospital text, month text, reject_code text, n bigint)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
    SELECT GROUPING(r.from_hospital, r.to_hospital, r.month), r.from_hospital, r.to_hospital, to_char(r.month, 'YYYY-MM'),
           r.reject_code, count(*)
    FROM (SELECT r.from_hospital, r.to_hospital, r.reject_code,
                 CASE WHEN $4 THEN date_trunc('month', r.created_at AT TIME ZONE a.time_zone) END AS month
          FROM referrals r JOIN alliances a ON a.code = r.alliance
          WHERE r.alliance = $1 AND r.created_at >= $2::timestamp AT TIME ZONE a.time_zone
            AND r.created_at < ($3 + 1)::timestamp AT TIME ZONE a.time_zone AND r.reject_code IS NOT NULL
            AND (SELECT yilian_reads_indicators($1))) r
    GROUP BY GROUPING SETS ((r.reject_code), (r.from_hospital, r.reject_code), (r.to_hospital, r.reject_code), (r.month, r.reject_code))
$$;

-- Consultation counts asked in the same days: over the alliance, by requester, by consultant
-- (GROUPING(from, to): 3 all, 1 requester, 2 consultant).
CREATE FUNCTION yilian_consultation_indicators(alliance text, from_day date, to_day date)
RETURNS TABLE (grouping_set integer, from_hospital text, to_hospital text, asked bigint, answered bigint, median_hours double precision,
               answered_in_time bigint, converted bigint)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
    SELECT GROUPING(c.from_hospital, c.to_hospital), c.from_hospital, c.to_hospital, count(*), count(c.answered_at),
        percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM c.first_response_at - c.created_at) / 3600),
        count(*) FILTER (WHERE c.answered_at <= c.respond_by + (c.respond_by - c.created_at)), count(c.converted_to)
    FROM consultations c JOIN alliances a ON a.code = c.alliance
    WHERE c.alliance = $1 AND c.created_at >= $2::timestamp AT TIME ZONE a.time_zone
      AND c.created_at < ($3 + 1)::timestamp AT TIME ZONE a.time_zone AND (SELECT yilian_reads_indicators($1))
    GROUP BY GROUPING SETS ((), (c.from_hospital), (c.to_hospital))
$$;

REVOKE ALL ON FUNCTION yilian_referral_indicators(text, date, date, timestamptz, boolean), yilian_rejection_indicators(text, date, date, boolean),
    yilian_consultation_indicators(text, date, date), yilian_reads_indicators(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION yilian_referral_indicators(text, date, date, timestamptz, boolean), yilian_rejection_indicators(text, date, date, boolean),
    yilian_consultation_indicators(text, date, date) TO yilian_user;

DROP VIEW referral_facts;
DROP VIEW consultation_facts;
