-- A person's name where a person is meant (issue 28, "users' display names (user add --name 刘明)
-- appear on the form and in history"): the form's 经办人 and a timeline's actor were a login.
-- A user may carry a display name, set when added: at most 32 characters, no control characters,
-- no spaces around it (what a terminal, a spreadsheet and a form show it as is checked again
-- where it is shown).
ALTER TABLE users ADD COLUMN display_name text
    CHECK (display_name IS NULL OR (char_length(display_name) BETWEEN 1 AND 32 AND display_name !~ '[[:cntrl:]]'
                                    AND btrim(display_name) = display_name));
GRANT SELECT (display_name) ON TABLE users TO yilian_user;

DROP FUNCTION yilian_api.add_user(text, text, text);
CREATE FUNCTION yilian_api.add_user(login text, duty text, verifier text, display_name text) RETURNS void
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
    INSERT INTO users (login, name, hospital, duty, password, created_by, display_name)
    VALUES (add_user.login, name, hospital, add_user.duty, verifier, me.login, add_user.display_name);
    PERFORM yilian_sync_login(add_user.login);
END
$_$;
REVOKE ALL ON FUNCTION yilian_api.add_user(text, text, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION yilian_api.add_user(text, text, text, text) TO yilian_user;

-- The display name of `login` for the caller: a user of its own hospital, or of a hospital that
-- is an active member of an alliance with it (those who file to, receive from and print the forms
-- of one another); every user's for the platform; else none (the reader sees the login).
CREATE FUNCTION yilian_api.display_name(login text) RETURNS text
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
    me     record;
    person record;
BEGIN
    SELECT * INTO me FROM yilian_api.caller();
    SELECT u.hospital, u.display_name AS shown INTO person FROM users u WHERE u.login = display_name.login;
    IF person.shown IS NULL THEN
        RETURN NULL;
    END IF;
    IF me.duty = 'platform_admin' OR person.hospital = me.hospital
       OR EXISTS (SELECT FROM memberships mine JOIN memberships theirs ON theirs.alliance = mine.alliance
                  WHERE mine.hospital = me.hospital AND mine.status = 'active'
                    AND theirs.hospital = person.hospital AND theirs.status = 'active') THEN
        RETURN person.shown;
    END IF;
    RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION yilian_api.display_name(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION yilian_api.display_name(text) TO yilian_user;
