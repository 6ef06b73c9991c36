-- The wall, part five: users and the access log change only through the owner's functions.
-- Users held INSERT and UPDATE on users (under policies) and called yilian_sync_login, which
-- applies whatever a row says to a login role; and INSERT on the access log with any `actor`:
-- a physician wrote access-log rows under a colleague's name. Now yilian_api.add_user and
-- yilian_api.disable_user register and disable users (the platform: anyone; a hospital
-- administrator: its own hospital's, never the platform's duty) and make the login role match,
-- and yilian_api.log_access appends a read in the caller's name (an integration's: a user of its
-- hospital).

-- Registers `login` (NAME@HOSPITAL) with `duty` and a SCRAM verifier (or none), and creates or
-- adopts its login role.
CREATE FUNCTION yilian_api.add_user(login text, duty text, verifier text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    me       record;
    name     text := split_part(add_user.login, '@', 1);
    hospital text := substr(add_user.login, length(split_part(add_user.login, '@', 1)) + 2);
BEGIN
    SELECT * INTO me FROM yilian_api.caller();
    IF NOT coalesce(me.duty = 'platform_admin'
                    OR (me.duty = 'hospital_admin' AND hospital = me.hospital AND add_user.duty <> 'platform_admin'), false) THEN
        RAISE EXCEPTION '% may not register users of %', me.login, hospital USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF verifier IS NOT NULL AND verifier !~ '^SCRAM-SHA-256\$' THEN
        RAISE EXCEPTION 'a password is stored as a SCRAM verifier only' USING ERRCODE = 'check_violation';
    END IF;
    INSERT INTO users (login, name, hospital, duty, password, created_by)
    VALUES (add_user.login, name, hospital, add_user.duty, verifier, me.login);
    PERFORM yilian_sync_login(add_user.login);
END
$$;

-- Disables a user of the caller's reach (as add_user): its role can no longer log in, and the
-- owner no longer acts as it. False when there is no such user the caller may see.
CREATE FUNCTION yilian_api.disable_user(login text) RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    me     record;
    target users;
BEGIN
    SELECT * INTO me FROM yilian_api.caller();
    SELECT * INTO target FROM users u WHERE u.login = disable_user.login;
    IF NOT FOUND OR NOT coalesce(me.duty = 'platform_admin' OR target.hospital = me.hospital, false) THEN
        RETURN false;
    END IF;
    IF NOT coalesce(me.duty = 'platform_admin' OR (me.duty = 'hospital_admin' AND target.duty <> 'platform_admin'), false) THEN
        RAISE EXCEPTION '% may not disable %', me.login, target.login USING ERRCODE = 'insufficient_privilege';
    END IF;
    UPDATE users u SET enabled = false WHERE u.login = target.login;
    PERFORM yilian_sync_login(target.login);
    RETURN true;
END
$$;

-- Appends a read of patient data to the access log, in the caller's name, now: a method's name
-- and the referrals and consultations the caller may see (at most a page of them). The log is
-- append-only even for the owner: what it takes is bounded.
CREATE FUNCTION yilian_api.log_access(actor text, method text, referrals text[]) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    me record;
BEGIN
    SELECT * INTO me FROM yilian_api.caller();
    IF me.hospital IS NULL OR NOT coalesce(yilian_api.may_name(log_access.actor, me.login, me.hospital, me.duty), false) THEN
        RAISE EXCEPTION '% may not log reads in the name of %', me.login, log_access.actor USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF NOT coalesce(log_access.method ~ '^[a-z]+\.[a-zA-Z]+$' AND cardinality(log_access.referrals) BETWEEN 1 AND 10000
                    AND (SELECT count(*) FROM referrals r WHERE r.id = ANY (log_access.referrals)
                         AND (me.hospital IN (r.from_hospital, r.to_hospital) OR me.hospital = ANY (r.earlier_receivers)))
                        + (SELECT count(*) FROM consultations c WHERE c.id = ANY (log_access.referrals)
                           AND me.hospital IN (c.from_hospital, c.to_hospital))
                        = (SELECT count(DISTINCT x) FROM unnest(log_access.referrals) x), false) THEN
        RAISE EXCEPTION 'a read is logged with its method and the referrals and consultations it returned' USING ERRCODE = 'check_violation';
    END IF;
    INSERT INTO access_log (at, login, actor, hospital, method, referrals)
    VALUES (clock_timestamp(), me.login, log_access.actor, me.hospital, log_access.method, log_access.referrals);
END
$$;

GRANT EXECUTE ON FUNCTION yilian_api.add_user(text, text, text), yilian_api.disable_user(text),
    yilian_api.log_access(text, text, text[]) TO yilian_user;
REVOKE EXECUTE ON FUNCTION yilian_sync_login(text) FROM yilian_user;
REVOKE INSERT, UPDATE ON users, access_log FROM yilian_user;
REVOKE UPDATE (enabled, password) ON users FROM yilian_user;
REVOKE USAGE ON SEQUENCE access_log_seq_seq FROM yilian_user;
DROP POLICY administrators_change ON users;
DROP POLICY administrators_register ON users;
DROP POLICY readers_append ON access_log;
