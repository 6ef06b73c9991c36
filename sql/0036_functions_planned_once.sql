-- The wall, part thirteen: what the wall's small functions cost, and why (measured with pgbench
-- as a user, each call in a transaction rolled back, on the demo's database).
--
-- A function written in SQL is inlined into its caller only when it fixes no setting; every
-- function of Yilian's fixes its search_path (pg_temp last: migration 0024), so none is inlined,
-- and PostgreSQL parses and plans a SQL function's body again in every transaction that calls
-- it (its plan lives with the calling expression, which lives as long as the transaction). A
-- function in PL/pgSQL keeps its plans for the session. The wall's checks call small SQL
-- functions on every action and read (who the caller is, whether it may name the actor, whether
-- the time is now, whether it sees the row, the constraint checks of a patient, a diagnosis, an
-- outcome on every UPDATE of a referral): an action through the wall took 2.55 ms, its logged
-- read 0.98 ms (a transaction with `SELECT 1`: 0.38 ms). Written in PL/pgSQL, with the same
-- bodies, they took 1.70 ms and 0.72 ms.
--
-- Every such function is now PL/pgSQL, with the body it had (each gives one row), column names
-- taking precedence over parameter names as in SQL. `yilian_masked_id_of`, which nothing calls
-- since migration 0035, goes.
-- The indicator functions stay SQL: each runs once per report, planned with the values of its
-- call. A test keeps it so (PrivilegeTests.functionsArePlannedOnce).
DROP FUNCTION yilian_masked_id_of(text);

DO $do$
DECLARE
    f record;
BEGIN
    FOR f IN
        SELECT p.oid, p.proname, p.pronamespace::regnamespace AS schema, pg_get_function_arguments(p.oid) AS arguments,
               pg_get_function_result(p.oid) AS result, btrim(p.prosrc, E' \n;') AS body, p.proretset, p.proisstrict,
               p.provolatile, p.proparallel, p.prosecdef, p.proconfig
        FROM pg_proc p
        WHERE p.pronamespace IN ('public'::regnamespace, 'yilian_api'::regnamespace, 'yilian_private'::regnamespace)
          AND p.prolang = (SELECT oid FROM pg_language WHERE lanname = 'sql')
          AND p.proname NOT LIKE 'yilian\_%\_indicators'
          AND p.proname <> 'slot_policy'
          AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')
    LOOP
        IF NOT f.proretset AND f.body !~ '^SELECT\s' THEN
            RAISE EXCEPTION '%: a body that is not one SELECT', f.proname;
        END IF;
        EXECUTE format(
            'CREATE OR REPLACE FUNCTION %s.%I(%s) RETURNS %s LANGUAGE plpgsql %s %s %s %s %s AS %L',
            f.schema, f.proname, f.arguments, f.result,
            CASE f.provolatile WHEN 'i' THEN 'IMMUTABLE' WHEN 's' THEN 'STABLE' ELSE 'VOLATILE' END,
            CASE WHEN f.proisstrict THEN 'STRICT' ELSE '' END,
            CASE f.proparallel WHEN 's' THEN 'PARALLEL SAFE' WHEN 'r' THEN 'PARALLEL RESTRICTED' ELSE '' END,
            CASE WHEN f.prosecdef THEN 'SECURITY DEFINER' ELSE '' END,
            (SELECT string_agg(format('SET %s = %s', split_part(c, '=', 1), substr(c, position('=' IN c) + 1)), ' ')
             FROM unnest(f.proconfig) c),
            E'#variable_conflict use_column\nBEGIN\n    '
            || CASE WHEN f.proretset THEN 'RETURN QUERY ' || f.body
                    -- RETURN's expression is a SELECT without its keyword: without FROM, PL/pgSQL
                    -- evaluates it without a plan at all.
                    ELSE 'RETURN ' || regexp_replace(f.body, '^SELECT\s+', '') END || ';'
            || E'\nEND\n');
    END LOOP;
END
$do$;

-- The one SQL function with two results.
CREATE OR REPLACE FUNCTION yilian_api.slot_policy(hospital text, specialty text, OUT time_zone text, OUT lead_days integer)
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
    SELECT a.time_zone, a.slot_lead_days INTO slot_policy.time_zone, slot_policy.lead_days
    FROM alliances a JOIN memberships m ON m.alliance = a.code
    WHERE m.hospital = slot_policy.hospital AND a.specialty = slot_policy.specialty AND a.status = 'active'
    ORDER BY a.code LIMIT 1;
    time_zone := coalesce(time_zone, 'Asia/Shanghai');
    lead_days := coalesce(lead_days, 14);
END
$$;
