-- Tables a row policy hid from users who held SELECT on them: the access log, applications and
-- membership events. A user could still count the rows matching conditions of its own
-- (EXPLAIN ANALYZE runs leakproof conditions before the policy's check) and time the policy's
-- check against them to learn their values — as the planning's attacker did with the burden
-- table. No user reads them directly now; each read is a function of the wall that applies the
-- same rule as the policy did, with the reader's filters inside it.

REVOKE SELECT ON access_log, applications, membership_events FROM yilian_user;

-- The access log's records the caller may read (the platform all, an auditor its hospital's),
-- at most `lim` (NULL: the most, 1000) newest first, optionally only `of_hospital`'s, those touching `referral`, at or after `from_at`
-- and before `to_at`, before the page's cursor `before_seq`.
CREATE FUNCTION yilian_api.access_records(of_hospital text, referral text, from_at timestamptz, to_at timestamptz, before_seq bigint,
                                          lim integer) RETURNS SETOF access_log
    LANGUAGE plpgsql STABLE SECURITY DEFINER
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
    RETURN QUERY SELECT * FROM access_log l
    WHERE (me.duty = 'platform_admin' OR (me.duty = 'auditor' AND l.hospital = me.hospital))
      AND (of_hospital IS NULL OR l.hospital = of_hospital) AND (referral IS NULL OR l.referrals @> ARRAY[referral])
      AND (from_at IS NULL OR l.at >= from_at) AND (to_at IS NULL OR l.at < to_at) AND (before_seq IS NULL OR l.seq < before_seq)
    ORDER BY l.seq DESC LIMIT least(greatest(coalesce(lim, 1000), 0), 1000);
END
$$;
REVOKE ALL ON FUNCTION yilian_api.access_records(text, text, timestamptz, timestamptz, bigint, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION yilian_api.access_records(text, text, timestamptz, timestamptz, bigint, integer) TO yilian_user;

-- Whether the caller's hospital sees `hospital`'s application or membership of `alliance`: its own,
-- or any of the alliance it is the core of (the platform too, for membership events).
CREATE FUNCTION yilian_private.sees_membership(me_hospital text, me_duty text, alliance text, hospital text, platform_too boolean)
    RETURNS boolean
    LANGUAGE plpgsql STABLE
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
BEGIN
    RETURN coalesce(me_hospital = sees_membership.hospital OR (platform_too AND me_duty = 'platform_admin')
                    OR EXISTS (SELECT FROM alliances a WHERE a.code = sees_membership.alliance AND a.core = me_hospital), false);
END
$$;
REVOKE ALL ON FUNCTION yilian_private.sees_membership(text, text, text, text, boolean) FROM PUBLIC;

-- The applications the caller sees: one by id, or an alliance's (of a status), by id after a cursor.
CREATE FUNCTION yilian_api.applications(application_id text, of_alliance text, of_status text, after_id text, lim integer)
    RETURNS SETOF applications
    LANGUAGE plpgsql STABLE SECURITY DEFINER
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
    RETURN QUERY SELECT * FROM applications x
    WHERE (application_id IS NULL OR x.id = application_id) AND (of_alliance IS NULL OR x.alliance = of_alliance)
      AND (of_status IS NULL OR x.status = of_status) AND (after_id IS NULL OR x.id > after_id)
      AND yilian_private.sees_membership(me.hospital, me.duty, x.alliance, x.hospital, false)
    ORDER BY x.id LIMIT least(greatest(coalesce(lim, 1000), 0), 1000);
END
$$;
REVOKE ALL ON FUNCTION yilian_api.applications(text, text, text, text, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION yilian_api.applications(text, text, text, text, integer) TO yilian_user;

-- The facts of the hospital's latest application to the alliance, when the caller sees it.
CREATE FUNCTION yilian_api.latest_facts(of_alliance text, of_hospital text) RETURNS jsonb
    LANGUAGE plpgsql STABLE SECURITY DEFINER
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
    IF NOT yilian_private.sees_membership(me.hospital, me.duty, of_alliance, of_hospital, false) THEN
        RETURN NULL;
    END IF;
    RETURN (SELECT x.facts FROM applications x WHERE x.alliance = of_alliance AND x.hospital = of_hospital
            ORDER BY x.created_at DESC, x.id DESC LIMIT 1);
END
$$;
REVOKE ALL ON FUNCTION yilian_api.latest_facts(text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION yilian_api.latest_facts(text, text) TO yilian_user;

-- The history of a hospital's application and membership of an alliance, in order, when the
-- caller sees it (the hospital, the alliance's core, the platform).
CREATE FUNCTION yilian_api.membership_history(of_alliance text, of_hospital text) RETURNS SETOF membership_events
    LANGUAGE plpgsql STABLE SECURITY DEFINER
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
    IF yilian_private.sees_membership(me.hospital, me.duty, of_alliance, of_hospital, true) THEN
        RETURN QUERY SELECT * FROM membership_events e WHERE e.alliance = of_alliance AND e.hospital = of_hospital ORDER BY e.seq;
    END IF;
END
$$;
REVOKE ALL ON FUNCTION yilian_api.membership_history(text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION yilian_api.membership_history(text, text) TO yilian_user;
