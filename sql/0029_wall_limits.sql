-- The wall, part six: what an attacker with a user's own login found past parts one to five.
-- - The feed's numbering lock was an advisory lock any session could take and hold: every
--   watcher of every hospital stopped. It is now a row of a table only the owner reads, and a
--   caller that finds it held does not wait.
-- - A transaction left open (holding that row through yilian_feed_advance, say) is ended after a
--   minute for every user's own login.
-- - Anyone listened to any hospital's wake-ups through yilian_listen; a user now listens to its
--   own hospital's only, the owner (serving users) to any (LISTEN itself has no privilege: a
--   wake-up carries nothing).
-- - A filing by psql could store what no request can carry: dates at infinity or centuries away,
--   a diagnosis that is no list, a patient whose name is a number, a 48 MB reason; the
--   receiver's worklist then failed or crawled. Stored rows now hold SPEC §10's limits: dates
--   1900-2200, JSON of the shapes Yilian reads, no text or JSON larger than a request line
--   (1 MiB). Rows stored before are not checked again.

CREATE TABLE feed_numbering (lock boolean PRIMARY KEY DEFAULT true CHECK (lock));
INSERT INTO feed_numbering DEFAULT VALUES;
REVOKE ALL ON feed_numbering FROM PUBLIC;

CREATE OR REPLACE FUNCTION yilian_feed_advance() RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    last bigint;
BEGIN
    -- Most calls find nothing to number (several readers woken by the same commit): no lock.
    IF NOT EXISTS (SELECT FROM feed WHERE number IS NULL) THEN
        RETURN (SELECT coalesce(max(number), 0) FROM feed);
    END IF;
    -- Whoever holds the numbering numbers what committed; a caller that finds it held does not
    -- wait (a user's transaction could hold it for as long as it likes) and reads what is
    -- numbered so far.
    PERFORM FROM feed_numbering FOR UPDATE SKIP LOCKED;
    IF NOT FOUND THEN
        RETURN (SELECT coalesce(max(number), 0) FROM feed);
    END IF;
    SELECT coalesce(max(number), 0) INTO last FROM feed;
    WITH ready AS (
        SELECT txid, inserted, last + row_number() OVER (ORDER BY txid, inserted) AS number
        FROM feed WHERE number IS NULL)
    UPDATE feed f SET number = ready.number FROM ready WHERE f.txid = ready.txid AND f.inserted = ready.inserted;
    RETURN (SELECT coalesce(max(number), 0) FROM feed);
END
$$;

CREATE OR REPLACE FUNCTION yilian_listen(hospital text) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
    IF hospital IS DISTINCT FROM yilian_hospital(yilian_caller())
       AND NOT yilian_api.is_owner(yilian_caller()) THEN
        RAISE EXCEPTION 'a session listens to its own hospital''s wake-ups only' USING ERRCODE = 'insufficient_privilege';
    END IF;
    EXECUTE format('LISTEN %I', 'yilian_feed:' || hospital);
END
$$;

-- Every user's own login: a transaction idle for a minute is ended (the owner's sessions, acting
-- for users, are not logins of theirs and keep the server's settings).
DO $$
DECLARE
    login text;
BEGIN
    FOR login IN SELECT u.login FROM users u JOIN pg_roles r ON r.rolname = u.login LOOP
        EXECUTE format('ALTER ROLE %I SET idle_in_transaction_session_timeout = %L', login, '1min');
    END LOOP;
END
$$;
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
    EXECUTE format('ALTER ROLE %I %s', u.login, CASE WHEN u.enabled THEN 'LOGIN' ELSE 'NOLOGIN' END);
    EXECUTE format('ALTER ROLE %I SET idle_in_transaction_session_timeout = %L', u.login, '1min');
    IF u.password IS NOT NULL THEN
        EXECUTE format('ALTER ROLE %I PASSWORD %L', u.login, u.password);
        UPDATE users SET password = NULL WHERE login = u.login;
    END IF;
END
$$;

-- What a stored patient, diagnosis list, attachment list, outcome and opinion list must be for
-- Yilian to read it back (the shapes the core's types decode): a row it cannot read broke every
-- worklist, list and sweep that met it, in the other hospital too.
CREATE FUNCTION yilian_valid_patient(p jsonb) RETURNS boolean
LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, public, pg_temp AS $$
    SELECT coalesce(jsonb_typeof(p) = 'object' AND jsonb_typeof(p -> 'name') = 'string' AND p ->> 'sex' IN ('male', 'female', 'unknown')
        AND jsonb_typeof(p -> 'birthDate') = 'string' AND coalesce(jsonb_typeof(p -> 'idNumber'), 'null') IN ('string', 'null')
        AND coalesce(jsonb_typeof(p -> 'phone'), 'null') IN ('string', 'null'), false)
$$;
CREATE FUNCTION yilian_valid_diagnoses(d jsonb) RETURNS boolean
LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, public, pg_temp AS $$
    SELECT coalesce(jsonb_typeof(d) = 'array' AND NOT EXISTS (
        SELECT FROM jsonb_array_elements(d) e
        WHERE NOT coalesce(jsonb_typeof(e) = 'object' AND jsonb_typeof(e -> 'code') = 'string' AND jsonb_typeof(e -> 'name') = 'string', false)),
        false)
$$;
CREATE FUNCTION yilian_valid_attachments(a jsonb) RETURNS boolean
LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, public, pg_temp AS $$
    SELECT coalesce(jsonb_typeof(a) = 'array' AND NOT EXISTS (
        SELECT FROM jsonb_array_elements(a) e
        WHERE NOT coalesce(jsonb_typeof(e) = 'object' AND e ->> 'kind' IN ('lab', 'imaging', 'document')
            AND jsonb_typeof(e -> 'title') = 'string' AND jsonb_typeof(e -> 'reference') = 'string'
            AND jsonb_typeof(e -> 'recognized') = 'boolean', false)), false)
$$;
CREATE FUNCTION yilian_valid_outcome(o jsonb) RETURNS boolean
LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, public, pg_temp AS $$
    SELECT o IS NULL OR coalesce(jsonb_typeof(o) = 'object' AND jsonb_typeof(o -> 'summary') = 'string'
        AND yilian_valid_diagnoses(o -> 'diagnosis') AND o ->> 'recommendation' IN ('down_refer', 'follow_up', 'discharge')
        AND (coalesce(jsonb_typeof(o -> 'followUpDays'), 'null') = 'null'
             OR (jsonb_typeof(o -> 'followUpDays') = 'number' AND (o ->> 'followUpDays') ~ '^-?[0-9]{1,9}$')), false)
$$;
CREATE FUNCTION yilian_valid_opinions(o jsonb) RETURNS boolean
LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, public, pg_temp AS $$
    SELECT coalesce(jsonb_typeof(o) = 'array' AND NOT EXISTS (
        SELECT FROM jsonb_array_elements(o) e
        WHERE NOT coalesce(jsonb_typeof(e) = 'object' AND jsonb_typeof(e -> 'expert') = 'string' AND jsonb_typeof(e -> 'summary') = 'string'
            AND e ->> 'recommendation' IN ('manage_locally', 'refer_up', 'refer_down', 'further_tests')
            AND (e ->> 'at') ~ '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?(Z|[+-][0-9]{2}:[0-9]{2})$',
            false)), false)
$$;

-- What a stored referral or consultation may hold (SPEC §10), checked on every row written from
-- now: what the request gave (patient, diagnosis, attachments, question, reason) when it is
-- written, which is at filing (a trigger on those columns: a check would read them again at every
-- action, a fifth of an action's cost); what actions write, at every write.
CREATE FUNCTION yilian_request_within_limits() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
    IF NOT (yilian_valid_patient(NEW.patient) AND yilian_valid_diagnoses(NEW.diagnosis) AND yilian_valid_attachments(NEW.attachments)
            AND octet_length(NEW.patient::text) <= 1048576 AND octet_length(NEW.diagnosis::text) <= 1048576
            AND octet_length(NEW.attachments::text) <= 1048576) THEN
        RAISE EXCEPTION 'the patient, diagnosis and attachments of % % are not as Yilian reads them, or too large', TG_TABLE_NAME, NEW.id
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER referrals_request_within_limits BEFORE INSERT OR UPDATE OF patient, diagnosis, attachments ON referrals
    FOR EACH ROW EXECUTE FUNCTION yilian_request_within_limits();
CREATE TRIGGER consultations_request_within_limits BEFORE INSERT OR UPDATE OF patient, diagnosis, attachments ON consultations
    FOR EACH ROW EXECUTE FUNCTION yilian_request_within_limits();
ALTER TABLE referrals ADD CONSTRAINT referrals_within_limits CHECK (
    yilian_valid_outcome(outcome) AND octet_length(coalesce(outcome::text, '')) <= 1048576
    AND octet_length(reason) <= 1048576 AND octet_length(coalesce(summary, '')) <= 1048576
    AND created_at BETWEEN '1900-01-01' AND '2200-01-01' AND respond_by BETWEEN '1900-01-01' AND '2200-01-01'
    AND updated_at BETWEEN '1900-01-01' AND '2200-01-01' AND clock_start BETWEEN '1900-01-01' AND '2200-01-01'
    AND (slot_date IS NULL OR slot_date BETWEEN '1900-01-01' AND '2200-01-01')) NOT VALID;
ALTER TABLE consultations ADD CONSTRAINT consultations_within_limits CHECK (
    yilian_valid_opinions(opinions) AND octet_length(opinions::text) <= 1048576
    AND octet_length(question) <= 1048576 AND octet_length(coalesce(conclusion, '')) <= 1048576
    AND created_at BETWEEN '1900-01-01' AND '2200-01-01' AND respond_by BETWEEN '1900-01-01' AND '2200-01-01'
    AND updated_at BETWEEN '1900-01-01' AND '2200-01-01'
    AND (scheduled_at IS NULL OR scheduled_at BETWEEN '1900-01-01' AND '2200-01-01')) NOT VALID;
ALTER TABLE referral_events ADD CONSTRAINT referral_events_within_limits CHECK (
    at BETWEEN '1900-01-01' AND '2200-01-01' AND octet_length(coalesce(reason, '')) <= 1048576
    AND octet_length(coalesce(details::text, '')) <= 1048576) NOT VALID;
ALTER TABLE consultation_events ADD CONSTRAINT consultation_events_within_limits CHECK (
    at BETWEEN '1900-01-01' AND '2200-01-01' AND octet_length(coalesce(reason, '')) <= 1048576
    AND octet_length(coalesce(details::text, '')) <= 1048576) NOT VALID;

-- One feed trigger function per events table (it was one for the three, branching on the
-- table's name), so that each can be checked against its table (plpgsql_check, in the tests).
CREATE FUNCTION yilian_feed_notify(concerned text[]) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    hospital text;
BEGIN
    FOREACH hospital IN ARRAY coalesce(concerned, '{}') LOOP
        PERFORM pg_notify('yilian_feed:' || hospital, '');
    END LOOP;
END
$$;

CREATE FUNCTION feed_copy_referral_event() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    concerned text[];
BEGIN
    INSERT INTO feed (kind, id, action, from_status, to_status, actor, at, priority, hospitals)
    SELECT 'referral', r.id, NEW.action, NEW.from_status, NEW.to_status, NEW.actor, NEW.at, r.priority,
           r.earlier_receivers || ARRAY[r.from_hospital, r.to_hospital]
    FROM referrals r WHERE r.id = NEW.referral
    RETURNING hospitals INTO concerned;
    PERFORM yilian_feed_notify(concerned);
    RETURN NULL;
END
$$;

CREATE FUNCTION feed_copy_consultation_event() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    concerned text[];
BEGIN
    INSERT INTO feed (kind, id, action, from_status, to_status, actor, at, priority, hospitals)
    SELECT 'consultation', c.id, NEW.action, NEW.from_status, NEW.to_status, NEW.actor, NEW.at, c.priority,
           ARRAY[c.from_hospital, c.to_hospital]
    FROM consultations c WHERE c.id = NEW.consultation
    RETURNING hospitals INTO concerned;
    PERFORM yilian_feed_notify(concerned);
    RETURN NULL;
END
$$;

CREATE FUNCTION feed_copy_membership_event() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    concerned text[];
BEGIN
    INSERT INTO feed (kind, id, action, from_status, to_status, actor, at, priority, hospitals)
    SELECT 'membership', coalesce(NEW.application, NEW.alliance || '/' || NEW.hospital), NEW.action, NEW.from_status,
           NEW.to_status, NEW.actor, NEW.at, NULL, ARRAY[NEW.hospital, a.core]
    FROM alliances a WHERE a.code = NEW.alliance
    RETURNING hospitals INTO concerned;
    PERFORM yilian_feed_notify(concerned);
    RETURN NULL;
END
$$;

DROP TRIGGER referral_events_feed ON referral_events;
DROP TRIGGER consultation_events_feed ON consultation_events;
DROP TRIGGER membership_events_feed ON membership_events;
DROP FUNCTION feed_copy();
CREATE TRIGGER referral_events_feed AFTER INSERT ON referral_events FOR EACH ROW EXECUTE FUNCTION feed_copy_referral_event();
CREATE TRIGGER consultation_events_feed AFTER INSERT ON consultation_events FOR EACH ROW EXECUTE FUNCTION feed_copy_consultation_event();
CREATE TRIGGER membership_events_feed AFTER INSERT ON membership_events FOR EACH ROW EXECUTE FUNCTION feed_copy_membership_event();
