-- The wall, part fourteen: one user's login held 97 of the server's 100 connections (an attacker's
-- finding: `psql` started in a loop), and then nobody else could log in, the owner's sweep and
-- migrations included (the owner is no superuser, so no connection is kept for it). Each user's
-- role now has a connection limit: a person's (a command at a time, `watch` beside it) eight; an
-- integration's seventy-two, what `yilian serve --concurrency 64` opens (one per concurrent
-- request, one for the feed's deadlines, four for subscriptions) with three to spare. A server
-- that keeps `max_connections` above the sum of its integrations' limits and a few persons' is
-- never filled by one login (docs/operations.md).
--
-- And a user kept itself from being disabled (an attacker's finding): in a transaction left open
-- in another database of the cluster, `ALTER ROLE CURRENT_USER PASSWORD NULL` locked its own
-- role's row, and `yilian_api.disable_user` then waited for that lock without end (the sweep ends
-- long transactions of Yilian's own database only). Disabling a user now ends its sessions first,
-- in every database: their transactions end, the lock goes with them, and a disabled user keeps
-- no session open anyway.
CREATE OR REPLACE FUNCTION yilian_sync_login(target text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    u users;
BEGIN
    SELECT * INTO u FROM users WHERE login = target;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no such user' USING ERRCODE = 'no_data_found';
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = u.login) THEN
        EXECUTE format('CREATE ROLE %I NOLOGIN IN ROLE yilian_user', u.login);
    ELSIF NOT pg_has_role(u.login, 'yilian_user', 'MEMBER')
        OR EXISTS (SELECT FROM pg_roles WHERE rolname = u.login AND (rolsuper OR rolcreaterole OR rolcreatedb OR rolbypassrls)) THEN
        RAISE EXCEPTION 'a role of that name exists and is not a Yilian user' USING ERRCODE = 'duplicate_object';
    END IF;
    IF NOT pg_has_role(current_user, u.login, 'MEMBER') THEN
        EXECUTE format('GRANT %I TO %I', u.login, current_user);
    END IF;
    IF NOT u.enabled THEN
        PERFORM pg_terminate_backend(a.pid) FROM pg_stat_activity a WHERE a.usename = u.login;
    END IF;
    EXECUTE format('ALTER ROLE %I %s CONNECTION LIMIT %s', u.login, CASE WHEN u.enabled THEN 'LOGIN' ELSE 'NOLOGIN' END,
                   CASE u.duty WHEN 'integration' THEN 72 ELSE 8 END);
    EXECUTE format('ALTER ROLE %I SET idle_in_transaction_session_timeout = %L', u.login, '1min');
    IF u.password IS NOT NULL THEN
        EXECUTE format('ALTER ROLE %I PASSWORD %L', u.login, u.password);
        UPDATE users SET password = NULL WHERE login = u.login;
    END IF;
END
$$;

-- The users there are.
SELECT yilian_sync_login(u.login) FROM users u JOIN pg_roles r ON r.rolname = u.login;
