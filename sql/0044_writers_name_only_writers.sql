-- The wall, part nineteen: an integration acts in the name of its hospital's users (may_name), and
-- a sixth attacker's integration filed, applied and acted in the names of physicians and auditors,
-- who only read. The rule a read goes by keeps its name-giving as it was (may_read_for: the access
-- log, and whom an integration may claim to be); the writers' rule (may_name, which every writing
-- function calls) names only users whose duty may write. A consultant's physician gives opinions in
-- its own name, or, through consultation_action, an integration names it (named_duty).
ALTER FUNCTION yilian_api.may_name(text, text, text, text) RENAME TO may_read_for;

CREATE FUNCTION yilian_api.may_name(actor text, caller_login text, caller_hospital text, caller_duty text) RETURNS boolean
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
    RETURN coalesce(actor = caller_login
                    OR (yilian_api.may_read_for(actor, caller_login, caller_hospital, caller_duty)
                        AND EXISTS (SELECT FROM users u WHERE u.login = actor
                                    AND u.duty IN ('coordinator', 'hospital_admin', 'integration'))), false);
END
$$;
REVOKE ALL ON FUNCTION yilian_api.may_name(text, text, text, text) FROM PUBLIC;

CREATE OR REPLACE FUNCTION yilian_api.named_duty(actor text, caller_login text, caller_hospital text, caller_duty text) RETURNS text
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
    IF actor = caller_login THEN
        RETURN caller_duty;
    END IF;
    IF NOT coalesce(yilian_api.may_read_for(actor, caller_login, caller_hospital, caller_duty), false) THEN
        RETURN NULL;
    END IF;
    RETURN (SELECT u.duty FROM users u WHERE u.login = actor AND u.enabled);
END
$$;

CREATE OR REPLACE FUNCTION yilian_api.log_access(actor text, method text, referrals text[]) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    SET debug_print_parse TO 'off'
    SET debug_print_rewritten TO 'off'
    SET debug_print_plan TO 'off'
    SET trace_notify TO 'off'
    SET trace_sort TO 'off'
    SET "plpgsql.print_strict_params" TO 'off'
    AS $_$
DECLARE
    me    record;
    who   text;
    hint  text := current_setting('yilian.access_row', true);
    row   access_log;
    added bigint;
BEGIN
    SELECT * INTO me FROM yilian_api.caller();
    IF me.hospital IS NULL OR coalesce(cardinality(log_access.referrals), 0) = 0 THEN
        RETURN;
    END IF;
    who := coalesce(log_access.actor, me.login);
    IF NOT coalesce(yilian_api.may_read_for(who, me.login, me.hospital, me.duty), false) THEN
        RAISE EXCEPTION '% may not read in the name of %', me.login, who USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF NOT coalesce(length(log_access.method) <= 64 AND log_access.method ~ '^[a-z]+\.[a-zA-Z]+$', false) THEN
        RAISE EXCEPTION 'a read is logged with the name of its method' USING ERRCODE = 'check_violation';
    END IF;
    -- The row is found by the number this transaction noted (a user may set the setting: a
    -- wrong one finds no row of this transaction, login, actor and method, and a new row is written).
    IF hint ~ '^[0-9]{1,18}$' THEN
        SELECT * INTO row FROM access_log l WHERE l.seq = hint::bigint AND l.xact = pg_current_xact_id()
            AND l.login = me.login AND l.actor = who AND l.method = log_access.method;
        IF FOUND THEN
            IF NOT row.referrals @> log_access.referrals THEN
                UPDATE access_log l SET referrals = ARRAY(
                    SELECT x FROM unnest(row.referrals || log_access.referrals) WITH ORDINALITY t(x, n) GROUP BY x ORDER BY min(n))
                WHERE l.seq = row.seq;
            END IF;
            RETURN;
        END IF;
    END IF;
    INSERT INTO access_log (at, login, actor, hospital, method, referrals, xact)
    VALUES (clock_timestamp(), me.login, who, me.hospital, log_access.method,
            ARRAY(SELECT x FROM unnest(log_access.referrals) WITH ORDINALITY t(x, n) GROUP BY x ORDER BY min(n)), pg_current_xact_id())
    RETURNING seq INTO added;
    PERFORM set_config('yilian.access_row', added::text, true);
END
$_$;


CREATE OR REPLACE FUNCTION yilian_api.may_act_for(actor text) RETURNS boolean
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    SET debug_print_parse TO 'off'
    SET debug_print_rewritten TO 'off'
    SET debug_print_plan TO 'off'
    SET trace_notify TO 'off'
    SET trace_sort TO 'off'
    SET "plpgsql.print_strict_params" TO 'off'
    AS $$#variable_conflict use_column
BEGIN
    RETURN coalesce(yilian_api.may_read_for(actor, c.login, c.hospital, c.duty), false) FROM yilian_api.caller() c;
END
$$;

