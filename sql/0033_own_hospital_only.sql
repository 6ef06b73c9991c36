-- The wall, part ten: what a second attacker found past parts one to nine (others are amended in
-- 0025-0029, which had not been released).
-- - yilian_hospital and yilian_duty, which policies call for the session's user, answered for any
--   login: any user learned another hospital's staff and their duties. A user's own login now gets
--   its own only (the owner's sessions, acting for users, any); naming a colleague, as an
--   integration may, is asked of yilian_api.may_act_for.
-- - A hospital whose membership was suspended or revoked still read the alliance's indicators.
CREATE OR REPLACE FUNCTION yilian_hospital(role name) RETURNS text
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
    IF role IS DISTINCT FROM yilian_caller()
       AND NOT yilian_api.is_owner(session_user) THEN
        RETURN NULL;
    END IF;
    IF role = 'yilian_platform' THEN
        RETURN 'admin';
    END IF;
    RETURN (SELECT hospital FROM users WHERE login = role AND enabled);
END
$$;

CREATE OR REPLACE FUNCTION yilian_duty(role name) RETURNS text
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
    IF role IS DISTINCT FROM yilian_caller()
       AND NOT yilian_api.is_owner(session_user) THEN
        RETURN NULL;
    END IF;
    IF role = 'yilian_platform' THEN
        RETURN 'platform_admin';
    END IF;
    RETURN (SELECT duty FROM users WHERE login = role AND enabled);
END
$$;

-- Whether the caller may name `actor` as the person it acts for: itself, or (an integration) an
-- enabled user of its own hospital.
CREATE FUNCTION yilian_api.may_act_for(actor text) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
    SELECT coalesce(yilian_api.may_name(actor, c.login, c.hospital, c.duty), false) FROM yilian_api.caller() c
$$;
GRANT EXECUTE ON FUNCTION yilian_api.may_act_for(text) TO yilian_user;

CREATE OR REPLACE FUNCTION yilian_reads_indicators(alliance text) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
    SELECT yilian_duty(yilian_caller()) = 'platform_admin'
        OR EXISTS (SELECT FROM memberships m WHERE m.alliance = $1 AND m.hospital = yilian_hospital(yilian_caller()) AND m.status = 'active')
$$;
