-- The report of a coordinator's second day (issue 28, point 9).
--
-- An alliance's slot rule (SPEC §2): the Beijing rule's shares are reported only for alliances
-- whose policy `slotRule` is `beijing` (default none), so a Shanghai alliance's report has no
-- section on Beijing's requirement. Set when the alliance is created.
ALTER TABLE alliances ADD COLUMN slot_rule text CHECK (slot_rule IN ('beijing'));

DROP FUNCTION yilian_api.create_alliance(text, text, text, text, integer, integer, integer, text, integer, timestamptz, text);
CREATE FUNCTION yilian_api.create_alliance(code text, name text, specialty text, core text, emergency_hours integer, urgent_hours integer,
    routine_hours integer, time_zone text, slot_lead_days integer, slot_rule text, at timestamp with time zone, actor text) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    SET debug_print_parse TO 'off'
    SET debug_print_rewritten TO 'off'
    SET debug_print_plan TO 'off'
    SET trace_notify TO 'off'
    SET trace_sort TO 'off'
    SET "plpgsql.print_strict_params" TO 'off'
    AS $$
DECLARE
    me record;
BEGIN
    SELECT * INTO me FROM yilian_api.caller();
    IF NOT coalesce(me.duty = 'platform_admin' AND create_alliance.actor = me.login AND yilian_api.on_time(create_alliance.at), false) THEN
        RAISE EXCEPTION '% may not create alliances', me.login USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF NOT EXISTS (SELECT FROM hospitals h WHERE h.code = create_alliance.core AND h.level = 3) THEN
        RAISE EXCEPTION 'the core hospital is a registered tertiary hospital' USING ERRCODE = 'check_violation';
    END IF;
    INSERT INTO alliances (code, name, specialty, core, emergency_hours, urgent_hours, routine_hours, time_zone, slot_lead_days, slot_rule,
        created_at)
    VALUES (create_alliance.code, create_alliance.name, create_alliance.specialty, create_alliance.core, create_alliance.emergency_hours,
        create_alliance.urgent_hours, create_alliance.routine_hours, create_alliance.time_zone, create_alliance.slot_lead_days,
        create_alliance.slot_rule, create_alliance.at);
    INSERT INTO memberships (alliance, hospital, role, status, since, updated_at)
    VALUES (create_alliance.code, create_alliance.core, 'core', 'active', create_alliance.at, create_alliance.at);
    INSERT INTO membership_events (alliance, hospital, application, action, from_status, to_status, actor, at, reason)
    VALUES (create_alliance.code, create_alliance.core, NULL, 'create', NULL, 'active', create_alliance.actor, create_alliance.at,
        'core hospital');
END
$$;
REVOKE ALL ON FUNCTION yilian_api.create_alliance(text, text, text, text, integer, integer, integer, text, integer, text, timestamptz, text)
    FROM PUBLIC;
GRANT EXECUTE ON FUNCTION yilian_api.create_alliance(text, text, text, text, integer, integer, integer, text, integer, text, timestamptz, text)
    TO yilian_user;

-- Referrals filed count those not cancelled: a duplicate filed by mistake and cancelled, or a
-- referral withdrawn before the patient went, was not a referral made (上转门诊 counted it).
CREATE OR REPLACE FUNCTION yilian_referral_indicators(alliance text, from_day date, to_day date, moment timestamp with time zone, by_month boolean) RETURNS TABLE(grouping_set integer, from_hospital text, to_hospital text, month text, referrals bigint, up_out bigint, up_in bigint, down_out bigint, down_in bigint, up_out_arrived bigint, up_in_arrived bigint, down_out_arrived bigint, down_in_arrived bigint, accepted bigint, rejected bigint, median_hours double precision, overdue bigint, scheduled bigint, no_show bigint, completed_up bigint, closed_loop bigint)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    SET work_mem TO '64MB'
    SET debug_print_parse TO 'off'
    SET debug_print_rewritten TO 'off'
    SET debug_print_plan TO 'off'
    SET trace_notify TO 'off'
    SET trace_sort TO 'off'
    SET "plpgsql.print_strict_params" TO 'off'
    AS $_$
    SELECT GROUPING(r.from_hospital, r.to_hospital, r.month), r.from_hospital, r.to_hospital, to_char(r.month, 'YYYY-MM'), count(*),
        count(*) FILTER (WHERE r.direction = 'up' AND r.setting = 'outpatient' AND r.status <> 'cancelled'),
        count(*) FILTER (WHERE r.direction = 'up' AND r.setting = 'inpatient' AND r.status <> 'cancelled'),
        count(*) FILTER (WHERE r.direction = 'down' AND r.setting = 'outpatient' AND r.status <> 'cancelled'),
        count(*) FILTER (WHERE r.direction = 'down' AND r.setting = 'inpatient' AND r.status <> 'cancelled'),
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
$_$;
