-- The wall, part eleven: patient data is read only through functions that log (SPEC §6). Users no
-- longer SELECT referrals, consultations, their events or the feed; each read is a call of a
-- yilian_api function that returns only what the caller's hospital may see (as the policies did)
-- and appends the access-log row in the same call, so that a user's own psql login leaves the
-- trace yilian leaves. The reads of one method in one transaction (a referral and its history,
-- the worklist's sections) are one row, as they were when yilian logged them itself.

-- The transaction that wrote a row: its later reads of the same method join the row. The log
-- stays append-only for everyone else; a row grows only in the transaction that wrote it, which
-- nobody else has seen yet.
ALTER TABLE access_log ADD COLUMN xact xid8;

CREATE FUNCTION access_log_only_grows() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.xact = pg_current_xact_id() AND NEW.xact = OLD.xact AND NEW.referrals @> OLD.referrals
       AND (NEW.seq, NEW.at, NEW.login, NEW.actor, NEW.hospital, NEW.method) = (OLD.seq, OLD.at, OLD.login, OLD.actor, OLD.hospital, OLD.method) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'the access log is append-only: % is refused', TG_OP USING ERRCODE = 'restrict_violation';
END
$$;
DROP TRIGGER access_log_append_only ON access_log;
CREATE TRIGGER access_log_append_only BEFORE DELETE OR UPDATE ON access_log FOR EACH ROW EXECUTE FUNCTION access_log_only_grows();

-- Whether a row's whole resident ID was entered with it, by its sender (not copied from the
-- referral it continues or the consultation it converts): a whole ID given later is compared by
-- key with such rows of the caller's own hospital only (migration 0035 says why and keeps it set).
ALTER TABLE referrals ADD COLUMN id_entered boolean NOT NULL DEFAULT false;
ALTER TABLE consultations ADD COLUMN id_entered boolean NOT NULL DEFAULT false;
UPDATE referrals r SET id_entered = true
WHERE r.patient_key IS NOT NULL
  AND NOT EXISTS (SELECT FROM referrals p WHERE p.id = r.parent AND p.patient_key = r.patient_key)
  AND NOT EXISTS (SELECT FROM consultations c WHERE c.id = r.consultation AND c.patient_key = r.patient_key);
UPDATE consultations c SET id_entered = true
WHERE c.patient_key IS NOT NULL AND NOT EXISTS (SELECT FROM referrals r WHERE r.id = c.referral AND r.patient_key = c.patient_key);


-- Appends a read of `referrals` (and consultations) by `method` in `actor`'s name (the caller, or
-- for an integration a user of its hospital; NULL: the caller) to the access log, or to the row this transaction
-- already wrote for that method: called only by the read functions below, which pass what they
-- return. The owner's own session (a sweep) reads for nobody and is not logged.
CREATE OR REPLACE FUNCTION yilian_api.log_access(actor text, method text, referrals text[]) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
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
    IF NOT coalesce(yilian_api.may_name(who, me.login, me.hospital, me.duty), false) THEN
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
$$;
REVOKE EXECUTE ON FUNCTION yilian_api.log_access(text, text, text[]) FROM yilian_user;

-- Whether the caller's hospital (NULL: the owner's own session) may see a referral: its sender,
-- its receiver and every earlier receiver; a consultation: its two hospitals.
CREATE FUNCTION yilian_api.sees(hospital text, parties text[]) RETURNS boolean
LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, public, pg_temp AS $$
    SELECT hospital IS NULL OR hospital = ANY (parties)
$$;

-- A referral or consultation as the read functions give it: without its patient key, which
-- users could compare with the key of a resident ID they guessed (migration 0035).
CREATE FUNCTION yilian_api.unkeyed(r referrals) RETURNS referrals
LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, public, pg_temp AS $$
    SELECT jsonb_populate_record(r, '{"patient_key": null}')
$$;
CREATE FUNCTION yilian_api.unkeyed(c consultations) RETURNS consultations
LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, public, pg_temp AS $$
    SELECT jsonb_populate_record(c, '{"patient_key": null}')
$$;

-- The methods a read of a referral or a consultation is logged as: Yilian's read methods, and for
-- an action's read the machine's actions (a caller may not log a referral read as "audit.list").
-- Written with the machines' actions as they are now (migration time: they change only with a
-- migration), as a constant: reading the action tables at every read cost a tenth of a millisecond.
DO $do$
BEGIN
    EXECUTE format(
        $f$
        CREATE FUNCTION yilian_api.reads_as(kind text, method text) RETURNS boolean
        LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, public, pg_temp AS $$
            SELECT CASE kind
                WHEN 'referral' THEN method = ANY (%L::text[])
                WHEN 'consultation' THEN method = ANY (%L::text[])
                ELSE false END
        $$
        $f$,
        ARRAY['referral.get', 'referral.history', 'referral.print', 'referral.file', 'referral.sweep']
            || ARRAY(SELECT DISTINCT 'referral.' || a.action FROM referral_actions a ORDER BY 1),
        ARRAY['consultation.get', 'consultation.history', 'consultation.print', 'consultation.list', 'consultation.convert',
              'consultation.sweep', 'worklist.get']
            || ARRAY(SELECT DISTINCT 'consultation.' || a.action FROM consultation_actions a ORDER BY 1));
END
$do$;

-- A referral the caller may see, logged as read by `method` (an action's read too: an action
-- returns the referral it changed).
CREATE FUNCTION yilian_api.referral(actor text, method text, referral_id text) RETURNS SETOF referrals
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    me record;
    r  referrals;
BEGIN
    IF NOT yilian_api.reads_as('referral', method) THEN
        RAISE EXCEPTION 'a referral is not read as %', left(method, 64) USING ERRCODE = 'check_violation';
    END IF;
    SELECT * INTO me FROM yilian_api.caller();
    SELECT * INTO r FROM referrals x
    WHERE x.id = referral_id AND yilian_api.sees(me.hospital, x.earlier_receivers || ARRAY[x.from_hospital, x.to_hospital]);
    IF FOUND THEN
        PERFORM yilian_api.log_access(actor, method, ARRAY[r.id]);
        RETURN NEXT yilian_api.unkeyed(r);
    END IF;
END
$$;

-- A referral's events in order, when the caller may see it; logged as a read of it.
CREATE FUNCTION yilian_api.referral_events(actor text, method text, referral_id text) RETURNS SETOF referral_events
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    me record;
BEGIN
    IF NOT yilian_api.reads_as('referral', method) THEN
        RAISE EXCEPTION 'a referral is not read as %', left(method, 64) USING ERRCODE = 'check_violation';
    END IF;
    SELECT * INTO me FROM yilian_api.caller();
    IF EXISTS (SELECT FROM referrals x WHERE x.id = referral_id
               AND yilian_api.sees(me.hospital, x.earlier_receivers || ARRAY[x.from_hospital, x.to_hospital])) THEN
        PERFORM yilian_api.log_access(actor, method, ARRAY[referral_id]);
        RETURN QUERY SELECT * FROM referral_events e WHERE e.referral = referral_id ORDER BY e.seq;
    END IF;
END
$$;

-- The ids of the referrals the caller may see that continue `referral_id` (its down-referrals).
CREATE FUNCTION yilian_api.continuations(referral_id text) RETURNS SETOF text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
    SELECT x.id FROM referrals x, yilian_api.caller() me
    WHERE x.parent = referral_id AND yilian_api.sees(me.hospital, x.earlier_receivers || ARRAY[x.from_hospital, x.to_hospital])
    ORDER BY x.id
$$;

-- `referral.list`: the referrals the caller may see that match the filters, by id after `after`,
-- at most `lim`; logged.
CREATE FUNCTION yilian_api.referrals(
    actor text, alliance text, hospital text, side text, statuses text[], direction text, priority text, overdue boolean,
    at timestamptz, after text, lim integer, id_number text, name text, birth_date text) RETURNS SETOF referrals
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    me    record;
    page  referrals[];
BEGIN
    SELECT * INTO me FROM yilian_api.caller();
    IF NOT coalesce(lim BETWEEN 1 AND 1001, false) THEN
        RAISE EXCEPTION 'a page holds 1 to 1001 referrals' USING ERRCODE = 'check_violation';
    END IF;
    SELECT coalesce(array_agg(yilian_api.unkeyed(x.r) ORDER BY (x.r).id), '{}') INTO page FROM (
        SELECT r FROM referrals r
        WHERE yilian_api.sees(me.hospital, r.earlier_receivers || ARRAY[r.from_hospital, r.to_hospital])
          AND (referrals.alliance IS NULL OR r.alliance = referrals.alliance)
          AND (referrals.hospital IS NULL OR (side IN ('sender', 'any') AND r.from_hospital = referrals.hospital)
               OR (side IN ('receiver', 'any') AND r.to_hospital = referrals.hospital))
          AND (statuses IS NULL OR r.status = ANY (statuses))
          AND (referrals.direction IS NULL OR r.direction = referrals.direction)
          AND (referrals.priority IS NULL OR r.priority = referrals.priority)
          AND (overdue IS NULL OR (r.status = 'requested' AND r.respond_by < referrals.at) = overdue)
          AND (after IS NULL OR r.id > after)
          AND (id_number IS NULL OR (r.patient_key = (SELECT yilian_visible_patient_key(id_number)) AND r.id_entered
                                     AND r.from_hospital = me.hospital))
          AND (referrals.name IS NULL OR r.patient->>'name' = referrals.name)
          AND (birth_date IS NULL OR r.patient->>'birthDate' = birth_date)
        ORDER BY r.id LIMIT lim) x;
    PERFORM yilian_api.log_access(actor, 'referral.list', ARRAY(SELECT (unnest(page)).id));
    RETURN QUERY SELECT * FROM unnest(page);
END
$$;

-- `worklist.get`: the caller's own hospital's worklist sections (SPEC §2), each its first `lim`
-- referrals in its order, section by section; logged as one read. Each section is walked along
-- the index in its order (migration 0007) and stops at the limit.
CREATE FUNCTION yilian_api.worklist(actor text, hospital text, at timestamptz, lim integer)
RETURNS TABLE (section text, referral referrals)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    me    record;
    item  record;
    shown text[] := '{}';
BEGIN
    SELECT * INTO me FROM yilian_api.caller();
    IF worklist.hospital IS DISTINCT FROM me.hospital OR NOT coalesce(lim BETWEEN 1 AND 1001, false) THEN
        RAISE EXCEPTION 'only a hospital''s own worklist is read, a page at a time' USING ERRCODE = 'insufficient_privilege';
    END IF;
    FOR item IN
        (SELECT 'incoming' AS name, r FROM referrals r WHERE r.to_hospital = worklist.hospital AND r.status IN ('requested', 'info_requested')
         ORDER BY (r.priority = 'emergency') DESC, r.respond_by, r.id LIMIT lim)
        UNION ALL
        (SELECT 'outgoing', r FROM referrals r WHERE r.from_hospital = worklist.hospital
             AND r.status IN ('requested', 'info_requested', 'accepted', 'scheduled', 'in_treatment', 'completed')
         ORDER BY r.id LIMIT lim)
        UNION ALL
        (SELECT 'overdue', r FROM referrals r WHERE r.to_hospital = worklist.hospital AND r.status = 'requested' AND r.respond_by < at
         ORDER BY r.respond_by, r.id LIMIT lim)
        UNION ALL
        (SELECT 'toSchedule', r FROM referrals r WHERE r.to_hospital = worklist.hospital AND r.status = 'accepted'
         ORDER BY (r.priority = 'emergency') DESC, r.id LIMIT lim)
        UNION ALL
        (SELECT 'expected', r FROM referrals r WHERE r.to_hospital = worklist.hospital AND r.status = 'scheduled'
         ORDER BY r.slot_date, r.id LIMIT lim)
        UNION ALL
        (SELECT 'inTreatment', r FROM referrals r WHERE r.to_hospital = worklist.hospital AND r.status = 'in_treatment'
         ORDER BY r.id LIMIT lim)
        UNION ALL
        (SELECT 'toAcknowledge', r FROM referrals r WHERE r.from_hospital = worklist.hospital AND r.status = 'completed'
         ORDER BY r.updated_at, r.id LIMIT lim)
    LOOP
        section := item.name;
        referral := yilian_api.unkeyed(item.r);
        shown := shown || referral.id;
        RETURN NEXT;
    END LOOP;
    PERFORM yilian_api.log_access(actor, 'worklist.get', ARRAY(SELECT DISTINCT s FROM unnest(shown) s ORDER BY s));
END
$$;

-- A consultation the caller may see, logged as read by `method`.
CREATE FUNCTION yilian_api.consultation(actor text, method text, consultation_id text) RETURNS SETOF consultations
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    me record;
    c  consultations;
BEGIN
    IF NOT yilian_api.reads_as('consultation', method) THEN
        RAISE EXCEPTION 'a consultation is not read as %', left(method, 64) USING ERRCODE = 'check_violation';
    END IF;
    SELECT * INTO me FROM yilian_api.caller();
    SELECT * INTO c FROM consultations x WHERE x.id = consultation_id AND yilian_api.sees(me.hospital, ARRAY[x.from_hospital, x.to_hospital]);
    IF FOUND THEN
        PERFORM yilian_api.log_access(actor, method, ARRAY[c.id]);
        RETURN NEXT yilian_api.unkeyed(c);
    END IF;
END
$$;

-- A consultation's events in order, when the caller may see it; logged as a read of it.
CREATE FUNCTION yilian_api.consultation_events(actor text, method text, consultation_id text) RETURNS SETOF consultation_events
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    me record;
BEGIN
    IF NOT yilian_api.reads_as('consultation', method) THEN
        RAISE EXCEPTION 'a consultation is not read as %', left(method, 64) USING ERRCODE = 'check_violation';
    END IF;
    SELECT * INTO me FROM yilian_api.caller();
    IF EXISTS (SELECT FROM consultations x WHERE x.id = consultation_id AND yilian_api.sees(me.hospital, ARRAY[x.from_hospital, x.to_hospital])) THEN
        PERFORM yilian_api.log_access(actor, method, ARRAY[consultation_id]);
        RETURN QUERY SELECT * FROM consultation_events e WHERE e.consultation = consultation_id ORDER BY e.seq;
    END IF;
END
$$;

-- `consultation.list` (hospital and statuses optional, by id after `after`, at most `lim`), or
-- with `open_only` the worklist's open consultations of the caller's hospital, those waiting for
-- its acceptance first, then by respond-by time; each row with how many match in all. Logged.
CREATE FUNCTION yilian_api.consultations(
    actor text, method text, hospital text, statuses text[], after text, lim integer, open_only boolean)
RETURNS TABLE (total bigint, consultation consultations)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    me    record;
    item  record;
    shown text[] := '{}';
BEGIN
    SELECT * INTO me FROM yilian_api.caller();
    IF NOT coalesce(lim BETWEEN 1 AND 1001, false) OR (open_only AND consultations.hospital IS DISTINCT FROM me.hospital)
       OR NOT coalesce(method = 'worklist.get' AND open_only OR method = 'consultation.list' AND NOT open_only, false) THEN
        RAISE EXCEPTION 'consultations are listed a page at a time, the open ones of one''s own hospital for its worklist'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF open_only THEN
        FOR item IN
            SELECT count(*) OVER () AS n, c FROM consultations c
            WHERE consultations.hospital IN (c.from_hospital, c.to_hospital) AND c.status IN ('requested', 'accepted', 'scheduled', 'answered')
            ORDER BY (c.to_hospital = consultations.hospital AND c.status = 'requested') DESC, c.respond_by, c.id LIMIT lim
        LOOP
            total := item.n;
            consultation := yilian_api.unkeyed(item.c);
            shown := shown || consultation.id;
            RETURN NEXT;
        END LOOP;
    ELSE
        FOR item IN
            SELECT 0::bigint AS n, c FROM consultations c
            WHERE yilian_api.sees(me.hospital, ARRAY[c.from_hospital, c.to_hospital])
              AND (consultations.hospital IS NULL OR consultations.hospital IN (c.from_hospital, c.to_hospital))
              AND (statuses IS NULL OR c.status = ANY (statuses)) AND (after IS NULL OR c.id > after)
            ORDER BY c.id LIMIT lim
        LOOP
            total := item.n;
            consultation := yilian_api.unkeyed(item.c);
            shown := shown || consultation.id;
            RETURN NEXT;
        END LOOP;
    END IF;
    PERFORM yilian_api.log_access(actor, method, shown);
END
$$;

-- `events.list`: the numbered feed events after `since` the caller's hospital may see, in order,
-- at most `lim`; logged as a read of the referrals and consultations they are events of.
CREATE FUNCTION yilian_api.feed(actor text, since bigint, lim integer)
RETURNS TABLE (number bigint, kind text, id text, action text, from_status text, to_status text, actor_tag text, at timestamptz, priority text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    me   record;
    read text[] := '{}';
BEGIN
    SELECT * INTO me FROM yilian_api.caller();
    IF NOT coalesce(lim BETWEEN 1 AND 1001, false) THEN
        RAISE EXCEPTION 'the feed is read 1 to 1001 events at a time' USING ERRCODE = 'check_violation';
    END IF;
    FOR number, kind, id, action, from_status, to_status, actor_tag, at, priority IN
        SELECT f.number, f.kind, f.id, f.action, f.from_status, f.to_status, f.actor, f.at, f.priority FROM feed f
        WHERE f.number > since AND yilian_api.sees(me.hospital, f.hospitals) ORDER BY f.number LIMIT lim
    LOOP
        IF kind <> 'membership' THEN
            read := read || id;
        END IF;
        RETURN NEXT;
    END LOOP;
    PERFORM yilian_api.log_access(actor, 'events.list', ARRAY(SELECT DISTINCT s FROM unnest(read) s ORDER BY s));
END
$$;

-- What a sweep at `at` may have to do (ReferralMachine.due and ConsultationMachine.due decide):
-- the ids of the referrals and consultations the caller may see that are past a deadline.
CREATE FUNCTION yilian_api.due(at timestamptz) RETURNS TABLE (kind text, id text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
    (SELECT 'referral', r.id FROM referrals r, yilian_api.caller() me
     WHERE ((r.status = 'requested' AND r.respond_by <= at) OR (r.status = 'info_requested' AND r.info_requested_at + interval '7 days' <= at))
       AND yilian_api.sees(me.hospital, r.earlier_receivers || ARRAY[r.from_hospital, r.to_hospital])
     ORDER BY r.id)
    UNION ALL
    (SELECT 'consultation', c.id FROM consultations c, yilian_api.caller() me
     WHERE c.status IN ('requested', 'accepted') AND c.respond_by + (c.respond_by - c.created_at) <= at
       AND yilian_api.sees(me.hospital, ARRAY[c.from_hospital, c.to_hospital])
     ORDER BY c.id)
$$;

-- The duplicate rule (SPEC §2): the caller's visible open referrals of the same person, with their
-- two hospitals. By a whole resident ID given (`id_number`): the referrals the caller's hospital
-- filed with that ID itself (migration 0035: a whole ID is compared by key only where the caller
-- entered it); and by name, sex and birth date: the patients stored without an ID, or with the
-- same masked ID (a stored one given, or a whole one masked). Each statement is served by an
-- index of referrals by patient.
CREATE FUNCTION yilian_api.open_referrals(name text, sex text, birth_date text, id_number text)
RETURNS TABLE (id text, from_hospital text, to_hospital text)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    me     record;
    key    text;
    masked text := yilian_masked_id(id_number);
BEGIN
    SELECT * INTO me FROM yilian_api.caller();
    IF position('*' IN id_number) = 0 THEN
        key := yilian_visible_patient_key(id_number);
    END IF;
    -- The patient's referrals first (OFFSET 0), then the caller's among them: with the hospital in
    -- the index condition, PostgreSQL read the caller's open referrals one by one.
    IF key IS NOT NULL THEN
        RETURN QUERY SELECT x.id, x.from_hospital, x.to_hospital FROM (
            SELECT r.id, r.from_hospital, r.to_hospital, r.id_entered FROM referrals r
            WHERE r.status IN ('requested', 'info_requested', 'accepted', 'scheduled', 'in_treatment', 'completed') AND r.patient_key = key
            OFFSET 0) x
        WHERE x.from_hospital = me.hospital AND x.id_entered;
    END IF;
    RETURN QUERY SELECT r.id, r.from_hospital, r.to_hospital FROM referrals r
    WHERE r.status IN ('requested', 'info_requested', 'accepted', 'scheduled', 'in_treatment', 'completed') AND r.patient_key IS NULL
      AND r.patient->>'name' = open_referrals.name AND r.patient->>'birthDate' = birth_date AND r.patient->>'sex' = sex
      AND yilian_api.sees(me.hospital, r.earlier_receivers || ARRAY[r.from_hospital, r.to_hospital]);
    IF masked IS NOT NULL THEN
        RETURN QUERY SELECT r.id, r.from_hospital, r.to_hospital FROM referrals r
        WHERE r.status IN ('requested', 'info_requested', 'accepted', 'scheduled', 'in_treatment', 'completed') AND r.patient_key IS NOT NULL
          AND r.patient->>'name' = open_referrals.name AND r.patient->>'birthDate' = birth_date AND r.patient->>'sex' = sex
          AND r.patient->>'idNumber' = upper(masked)
          AND yilian_api.sees(me.hospital, r.earlier_receivers || ARRAY[r.from_hospital, r.to_hospital]);
    END IF;
END
$$;

-- The duplicate rule's look-up of stored patients with an ID, by name, birth date and masked ID.
CREATE INDEX referrals_open_patient_masked ON referrals ((patient->>'name'), (patient->>'birthDate'), (patient->>'idNumber'))
WHERE patient_key IS NOT NULL AND status IN ('requested', 'info_requested', 'accepted', 'scheduled', 'in_treatment', 'completed');

GRANT EXECUTE ON FUNCTION yilian_api.referral(text, text, text), yilian_api.referral_events(text, text, text),
    yilian_api.continuations(text),
    yilian_api.referrals(text, text, text, text, text[], text, text, boolean, timestamptz, text, integer, text, text, text),
    yilian_api.worklist(text, text, timestamptz, integer), yilian_api.consultation(text, text, text),
    yilian_api.consultation_events(text, text, text), yilian_api.consultations(text, text, text, text[], text, integer, boolean),
    yilian_api.feed(text, bigint, integer), yilian_api.due(timestamptz), yilian_api.open_referrals(text, text, text, text)
    TO yilian_user;

-- Users read none of it directly any more: the policies that filtered their SELECTs go with the grant.
REVOKE SELECT ON referrals, referral_events, consultations, consultation_events, feed FROM yilian_user;
DROP POLICY parties_see ON referrals;
DROP POLICY parties_see ON referral_events;
DROP POLICY parties_see ON consultations;
DROP POLICY parties_see ON consultation_events;
DROP POLICY hospitals_see ON feed;

-- Numbering the feed: a caller that finds the numbering held waits for it (a moment: the holder
-- numbers and commits), so that what it then reads includes what the holder numbered; it used to
-- skip it and read what was numbered before, and a reader could take that for the end of the
-- feed. A holder that keeps it (a user's transaction left open, ended after a minute) is waited
-- for at most a second, then what is numbered so far is read.
CREATE OR REPLACE FUNCTION yilian_feed_advance() RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp SET lock_timeout = '1s' AS $$
DECLARE
    last bigint;
BEGIN
    -- Most calls find nothing to number (several readers woken by the same commit): no lock.
    IF NOT EXISTS (SELECT FROM feed WHERE number IS NULL) THEN
        RETURN (SELECT coalesce(max(number), 0) FROM feed);
    END IF;
    BEGIN
        PERFORM FROM feed_numbering FOR UPDATE;
    EXCEPTION WHEN lock_not_available THEN
        RETURN (SELECT coalesce(max(number), 0) FROM feed);
    END;
    SELECT coalesce(max(number), 0) INTO last FROM feed;
    WITH ready AS (
        SELECT txid, inserted, last + row_number() OVER (ORDER BY txid, inserted) AS number
        FROM feed WHERE number IS NULL)
    UPDATE feed f SET number = ready.number FROM ready WHERE f.txid = ready.txid AND f.inserted = ready.inserted;
    RETURN (SELECT coalesce(max(number), 0) FROM feed);
END
$$;
