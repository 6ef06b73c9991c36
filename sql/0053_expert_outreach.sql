-- Expert outreach (专家下沉) and multi-site practice (多点执业, issue 32, SPEC §14). A physician of
-- an alliance's core or of a tertiary member is registered, by an administrator of that hospital,
-- for practice at a member's site (a filing number, 备案号, and its validity); the expert's
-- hospital publishes sessions (a clinic, a ward round or teaching) only at a site and on a day
-- that a valid record covers; the site's coordinators book their patients into a session, never
-- beyond its capacity whatever the concurrency (the session's row is locked as a slot's is), and
-- may up-referr a booked patient with the session as the referral's context. Every change is one
-- call of the wall's function, which checks who, duty and move and decides; a mistake it refuses
-- is raised as YL005 with the reason's word as its DETAIL, which the services say in the reader's
-- words.

-- Who a booking is for, failing closed: exactly {name, sex, birthDate, phone?}: a name of at most
-- 50 characters, not blank (nor made of Unicode's blanks: the ideographic space, zero-width ones,
-- fillers), without control characters, sex male, female or unknown, a birth date from 1900 to
-- 2200, a phone of 3 to 20 digits, spaces, "+" or "-". No resident ID: the up-referral carries it.
CREATE FUNCTION yilian_private.is_outreach_patient(p jsonb) RETURNS boolean
    LANGUAGE plpgsql IMMUTABLE
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
BEGIN
    RETURN CASE WHEN jsonb_typeof(p) = 'object' THEN coalesce(
        p - 'name' - 'sex' - 'birthDate' - 'phone' = '{}'::jsonb
        AND jsonb_typeof(p -> 'name') = 'string' AND length(p ->> 'name') <= 50
        AND regexp_replace(p ->> 'name', U&'[[:space:]\00A0\1680\180E\2000-\200F\2028-\202F\205F-\2064\3000\3164\FEFF\115F\1160\2800]', '', 'g') <> ''
        AND (p ->> 'name') !~ '[[:cntrl:]]'
        AND p ->> 'sex' IN ('male', 'female', 'unknown') AND jsonb_typeof(p -> 'birthDate') = 'string'
        AND yilian_private.calendar_date(p ->> 'birthDate') IS NOT NULL
        AND (NOT p ? 'phone' OR jsonb_typeof(p -> 'phone') = 'null'
             OR (jsonb_typeof(p -> 'phone') = 'string' AND (p ->> 'phone') ~ '^[0-9+ -]{3,20}$')), false)
        ELSE false END;
END
$$;
REVOKE ALL ON FUNCTION yilian_private.is_outreach_patient(jsonb) FROM PUBLIC;

-- A practice record. Published like slots (no patient data): every user reads them.
CREATE TABLE practice_records (
    alliance      text NOT NULL REFERENCES alliances (code),
    expert        text NOT NULL REFERENCES users (login),
    title         text NOT NULL CHECK (title IN ('主任医师', '副主任医师', '主治医师')),
    specialty     text NOT NULL REFERENCES specialties (code),
    site          text NOT NULL REFERENCES hospitals (code),
    filing_number text NOT NULL CHECK (filing_number ~ '^[A-Z0-9-]{4,32}$'),
    valid_from    date NOT NULL CHECK (valid_from BETWEEN '1900-01-01' AND '2200-12-31'),
    valid_until   date NOT NULL CHECK (valid_until BETWEEN valid_from AND valid_from + 3650),
    registered_by text NOT NULL,
    registered_at timestamptz NOT NULL,
    PRIMARY KEY (alliance, expert, site, filing_number)
);
REVOKE ALL ON practice_records FROM PUBLIC;
ALTER TABLE practice_records ENABLE ROW LEVEL SECURITY;
CREATE POLICY everyone_reads ON practice_records FOR SELECT USING (true);
GRANT SELECT ON practice_records TO yilian_user;

CREATE SEQUENCE outreach_numbers;
REVOKE ALL ON SEQUENCE outreach_numbers FROM PUBLIC;
-- A session and its count of live bookings. Published like slots: every user reads them.
CREATE TABLE outreach_sessions (
    id           text PRIMARY KEY,
    alliance     text NOT NULL REFERENCES alliances (code),
    expert       text NOT NULL REFERENCES users (login),
    site         text NOT NULL REFERENCES hospitals (code),
    specialty    text NOT NULL REFERENCES specialties (code),
    date         date NOT NULL CHECK (date BETWEEN '1900-01-01' AND '2200-12-31'),
    kind         text NOT NULL CHECK (kind IN ('clinic', 'ward_round', 'teaching')),
    capacity     integer NOT NULL CHECK (capacity BETWEEN 1 AND 200),
    booked       integer NOT NULL DEFAULT 0,
    published_by text NOT NULL,
    published_at timestamptz NOT NULL,
    CONSTRAINT outreach_sessions_booked CHECK (booked BETWEEN 0 AND capacity)
);
CREATE INDEX outreach_sessions_alliance_date ON outreach_sessions (alliance, date);
REVOKE ALL ON outreach_sessions FROM PUBLIC;
ALTER TABLE outreach_sessions ENABLE ROW LEVEL SECURITY;
CREATE POLICY everyone_reads ON outreach_sessions FOR SELECT USING (true);
GRANT SELECT ON outreach_sessions TO yilian_user;

-- A patient booked into a session: patient data, which no user reads directly; it is read through
-- yilian_api.outreach_bookings, which shows a session's bookings to its site and to the expert's
-- hospital only and logs the read.
CREATE TABLE outreach_bookings (
    session      text NOT NULL REFERENCES outreach_sessions (id),
    number       integer NOT NULL CHECK (number BETWEEN 1 AND 10000),
    patient      jsonb NOT NULL CHECK (yilian_private.is_outreach_patient(patient)),
    booked_by    text NOT NULL,
    booked_at    timestamptz NOT NULL,
    cancelled_by text,
    cancelled_at timestamptz,
    PRIMARY KEY (session, number),
    CONSTRAINT outreach_bookings_cancelled CHECK ((cancelled_by IS NULL) = (cancelled_at IS NULL))
);
REVOKE ALL ON outreach_bookings FROM PUBLIC;
ALTER TABLE outreach_bookings ENABLE ROW LEVEL SECURITY;

-- A session of the alliance's today in its time zone.
CREATE FUNCTION yilian_private.alliance_today(alliance text, at timestamptz) RETURNS date
    LANGUAGE plpgsql STABLE
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
BEGIN
    RETURN (SELECT (alliance_today.at AT TIME ZONE a.time_zone)::date FROM alliances a WHERE a.code = alliance_today.alliance);
END
$$;
REVOKE ALL ON FUNCTION yilian_private.alliance_today(text, timestamptz) FROM PUBLIC;

-- A mistake the wall refuses, with the reason's word (the services say it in the reader's words).
-- Volatile: a planner folds an immutable call with constant arguments, and would raise it.
CREATE FUNCTION yilian_private.refuse_outreach(reason text) RETURNS void
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
BEGIN
    RAISE EXCEPTION 'outreach refused: %', reason USING ERRCODE = 'YL005', DETAIL = reason;
END
$$;
REVOKE ALL ON FUNCTION yilian_private.refuse_outreach(text) FROM PUBLIC;

-- Whether `hospital`'s physicians are experts of `alliance`: it is the active alliance's core or a
-- tertiary (level 3) active member.
CREATE FUNCTION yilian_private.sends_experts(alliance text, hospital text) RETURNS boolean
    LANGUAGE plpgsql STABLE
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
BEGIN
    RETURN EXISTS (SELECT FROM alliances a WHERE a.code = sends_experts.alliance AND a.status = 'active' AND (a.core = sends_experts.hospital
                   OR EXISTS (SELECT FROM memberships m JOIN hospitals h ON h.code = m.hospital WHERE m.alliance = a.code
                              AND m.hospital = sends_experts.hospital AND m.status = 'active' AND h.level = 3)));
END
$$;
REVOKE ALL ON FUNCTION yilian_private.sends_experts(text, text) FROM PUBLIC;

-- Whether `site` is an active member of `alliance`.
CREATE FUNCTION yilian_private.is_active_member(alliance text, site text) RETURNS boolean
    LANGUAGE plpgsql STABLE
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
BEGIN
    RETURN EXISTS (SELECT FROM memberships m WHERE m.alliance = is_active_member.alliance AND m.hospital = is_active_member.site
                   AND m.status = 'active');
END
$$;
REVOKE ALL ON FUNCTION yilian_private.is_active_member(text, text) FROM PUBLIC;

-- A multi-site practice record, by an administrator of the expert's hospital: the expert is an
-- enabled physician of that hospital, which is the alliance's core or a tertiary active member;
-- the site is another active member.
CREATE FUNCTION yilian_api.register_practice(alliance text, expert text, title text, specialty text, site text, filing_number text,
                                             valid_from date, valid_until date, at timestamptz, actor text) RETURNS SETOF practice_records
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
    me     record;
    home   text := split_part(register_practice.expert, '@', 2);
    filed  practice_records;
BEGIN
    SELECT * INTO me FROM yilian_api.caller();
    IF NOT coalesce(register_practice.actor = me.login AND yilian_api.on_time(register_practice.at), false) THEN
        RAISE EXCEPTION '% may not register practice as % at %', me.login, register_practice.actor, register_practice.at USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF NOT EXISTS (SELECT FROM alliances a WHERE a.code = register_practice.alliance AND a.status = 'active') THEN
        PERFORM yilian_private.refuse_outreach('no_alliance');
    END IF;
    IF NOT coalesce(me.duty = 'hospital_admin' AND me.hospital = home, false) THEN
        PERFORM yilian_private.refuse_outreach('not_expert_admin');
    END IF;
    IF NOT EXISTS (SELECT FROM users u WHERE u.login = register_practice.expert AND u.duty = 'physician' AND u.enabled) THEN
        PERFORM yilian_private.refuse_outreach('not_physician');
    END IF;
    IF NOT yilian_private.sends_experts(register_practice.alliance, home) THEN
        PERFORM yilian_private.refuse_outreach('not_expert_hospital');
    END IF;
    IF NOT EXISTS (SELECT FROM specialties x WHERE x.code = register_practice.specialty) THEN
        PERFORM yilian_private.refuse_outreach('specialty');
    END IF;
    IF register_practice.site = home OR NOT yilian_private.is_active_member(register_practice.alliance, register_practice.site) THEN
        PERFORM yilian_private.refuse_outreach('not_member_site');
    END IF;
    INSERT INTO practice_records VALUES (register_practice.alliance, register_practice.expert, register_practice.title,
        register_practice.specialty, register_practice.site, register_practice.filing_number, register_practice.valid_from,
        register_practice.valid_until, me.login, register_practice.at)
    RETURNING * INTO filed;
    RETURN NEXT filed;
EXCEPTION WHEN unique_violation THEN
    PERFORM yilian_private.refuse_outreach('duplicate');
END
$$;
REVOKE ALL ON FUNCTION yilian_api.register_practice(text, text, text, text, text, text, date, date, timestamptz, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION yilian_api.register_practice(text, text, text, text, text, text, date, date, timestamptz, text) TO yilian_user;

-- A session, by a coordinator of the expert's hospital (still the core or a tertiary member of the
-- active alliance): on a day from today to a year ahead, at a site still an active member, which a
-- valid practice record of the expert covers on that day.
CREATE FUNCTION yilian_api.publish_outreach(alliance text, expert text, site text, day date, kind text, capacity integer,
                                            at timestamptz, actor text) RETURNS SETOF outreach_sessions
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
    me      record;
    today   date := yilian_private.alliance_today(publish_outreach.alliance, publish_outreach.at);
    covered practice_records;
    created outreach_sessions;
BEGIN
    SELECT * INTO me FROM yilian_api.caller();
    IF NOT coalesce(yilian_api.may_name(publish_outreach.actor, me.login, me.hospital, me.duty) AND yilian_api.on_time(publish_outreach.at), false) THEN
        RAISE EXCEPTION '% may not publish sessions as % at %', me.login, publish_outreach.actor, publish_outreach.at USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF NOT coalesce(me.duty IN ('coordinator', 'hospital_admin', 'integration') AND me.hospital = split_part(publish_outreach.expert, '@', 2), false) THEN
        PERFORM yilian_private.refuse_outreach('not_expert_coordinator');
    END IF;
    IF NOT EXISTS (SELECT FROM alliances a WHERE a.code = publish_outreach.alliance AND a.status = 'active') THEN
        PERFORM yilian_private.refuse_outreach('no_alliance');
    END IF;
    IF NOT yilian_private.sends_experts(publish_outreach.alliance, me.hospital) THEN
        PERFORM yilian_private.refuse_outreach('not_expert_hospital');
    END IF;
    -- What the record cannot mend, said as itself: the site left, the expert disabled.
    IF NOT yilian_private.is_active_member(publish_outreach.alliance, publish_outreach.site) THEN
        PERFORM yilian_private.refuse_outreach('not_member_site');
    END IF;
    IF NOT EXISTS (SELECT FROM users u WHERE u.login = publish_outreach.expert AND u.duty = 'physician' AND u.enabled) THEN
        PERFORM yilian_private.refuse_outreach('not_physician');
    END IF;
    IF today IS NULL OR NOT coalesce(publish_outreach.day BETWEEN today AND (today + interval '1 year')::date, false) THEN
        PERFORM yilian_private.refuse_outreach('date');
    END IF;
    SELECT * INTO covered FROM practice_records p
    WHERE p.alliance = publish_outreach.alliance AND p.expert = publish_outreach.expert AND p.site = publish_outreach.site
      AND publish_outreach.day BETWEEN p.valid_from AND p.valid_until
    ORDER BY p.valid_until DESC LIMIT 1;
    IF NOT FOUND THEN
        PERFORM yilian_private.refuse_outreach('no_practice');
    END IF;
    INSERT INTO outreach_sessions (id, alliance, expert, site, specialty, date, kind, capacity, published_by, published_at)
    VALUES (yilian_private.numbered('O-', nextval('outreach_numbers')), publish_outreach.alliance, publish_outreach.expert,
        publish_outreach.site, covered.specialty, publish_outreach.day, publish_outreach.kind, publish_outreach.capacity,
        publish_outreach.actor, publish_outreach.at)
    RETURNING * INTO created;
    RETURN NEXT created;
END
$$;
REVOKE ALL ON FUNCTION yilian_api.publish_outreach(text, text, text, date, text, integer, timestamptz, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION yilian_api.publish_outreach(text, text, text, date, text, integer, timestamptz, text) TO yilian_user;

-- The session, locked, for a change of its bookings by a coordinator of its site (still an active
-- member), from today on.
CREATE FUNCTION yilian_private.session_to_book(session_id text, at timestamptz, actor text) RETURNS outreach_sessions
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
DECLARE
    me    record;
    held  outreach_sessions;
BEGIN
    SELECT * INTO me FROM yilian_api.caller();
    IF NOT coalesce(yilian_api.may_name(session_to_book.actor, me.login, me.hospital, me.duty) AND yilian_api.on_time(session_to_book.at), false) THEN
        RAISE EXCEPTION '% may not book as % at %', me.login, session_to_book.actor, session_to_book.at USING ERRCODE = 'insufficient_privilege';
    END IF;
    -- Who may is checked before the row is locked (a session's site never changes): a refused
    -- caller never waits behind the site's bookings. (A refusal releases what it locked at once:
    -- PostgreSQL ends a failed transaction's locks when it fails, not at its ROLLBACK.)
    SELECT * INTO held FROM outreach_sessions s WHERE s.id = session_to_book.session_id;
    IF NOT FOUND THEN
        PERFORM yilian_private.refuse_outreach('no_session');
    END IF;
    IF NOT coalesce(me.duty IN ('coordinator', 'hospital_admin', 'integration') AND me.hospital = held.site, false) THEN
        PERFORM yilian_private.refuse_outreach('not_site_coordinator');
    END IF;
    SELECT * INTO held FROM outreach_sessions s WHERE s.id = session_to_book.session_id FOR UPDATE;
    IF held.date < yilian_private.alliance_today(held.alliance, session_to_book.at) THEN
        PERFORM yilian_private.refuse_outreach('past');
    END IF;
    IF NOT yilian_private.is_active_member(held.alliance, held.site) THEN
        PERFORM yilian_private.refuse_outreach('site_left');
    END IF;
    RETURN held;
END
$$;
REVOKE ALL ON FUNCTION yilian_private.session_to_book(text, timestamptz, text) FROM PUBLIC;

-- A patient booked into a session: its next number, never beyond its capacity (the session's row
-- is locked first, so concurrent bookings queue on it and the last ones find it full).
CREATE FUNCTION yilian_api.book_outreach(session_id text, patient jsonb, at timestamptz, actor text) RETURNS SETOF outreach_bookings
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
    s       outreach_sessions := yilian_private.session_to_book(book_outreach.session_id, book_outreach.at, book_outreach.actor);
    booking outreach_bookings;
BEGIN
    IF s.booked >= s.capacity THEN
        PERFORM yilian_private.refuse_outreach('full');
    END IF;
    IF NOT yilian_private.is_outreach_patient(book_outreach.patient)
       OR yilian_private.calendar_date(book_outreach.patient ->> 'birthDate') > yilian_private.alliance_today(s.alliance, book_outreach.at) THEN
        PERFORM yilian_private.refuse_outreach('patient');
    END IF;
    UPDATE outreach_sessions x SET booked = x.booked + 1 WHERE x.id = s.id;
    INSERT INTO outreach_bookings (session, number, patient, booked_by, booked_at)
    VALUES (s.id, 1 + (SELECT count(*) FROM outreach_bookings b WHERE b.session = s.id), book_outreach.patient,
        book_outreach.actor, book_outreach.at)
    RETURNING * INTO booking;
    RETURN NEXT booking;
END
$$;
REVOKE ALL ON FUNCTION yilian_api.book_outreach(text, jsonb, timestamptz, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION yilian_api.book_outreach(text, jsonb, timestamptz, text) TO yilian_user;

-- A booking cancelled by its site, before its day is over; its unit is free again.
CREATE FUNCTION yilian_api.cancel_outreach(session_id text, booking integer, at timestamptz, actor text) RETURNS SETOF outreach_bookings
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
    s         outreach_sessions := yilian_private.session_to_book(cancel_outreach.session_id, cancel_outreach.at, cancel_outreach.actor);
    cancelled outreach_bookings;
BEGIN
    UPDATE outreach_bookings b SET cancelled_by = cancel_outreach.actor, cancelled_at = cancel_outreach.at
    WHERE b.session = s.id AND b.number = cancel_outreach.booking AND b.cancelled_at IS NULL
    RETURNING * INTO cancelled;
    IF NOT FOUND THEN
        PERFORM yilian_private.refuse_outreach('no_booking');
    END IF;
    UPDATE outreach_sessions x SET booked = x.booked - 1 WHERE x.id = s.id;
    -- The answer shows the patient: a read, logged.
    PERFORM yilian_api.log_access(cancel_outreach.actor, 'outreach.cancel', ARRAY[s.id]);
    RETURN NEXT cancelled;
END
$$;
REVOKE ALL ON FUNCTION yilian_api.cancel_outreach(text, integer, timestamptz, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION yilian_api.cancel_outreach(text, integer, timestamptz, text) TO yilian_user;

-- The bookings of these sessions that the caller may see (those held at its hospital or of its
-- experts), the read logged with the sessions it showed.
CREATE FUNCTION yilian_api.outreach_bookings(actor text, method text, session_ids text[]) RETURNS SETOF outreach_bookings
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
    me    record;
    shown text[];
BEGIN
    IF NOT coalesce(method = 'outreach.list' AND cardinality(session_ids) <= 1000, false) THEN
        RAISE EXCEPTION 'bookings are read by outreach.list, at most 1000 sessions at once' USING ERRCODE = 'check_violation';
    END IF;
    SELECT * INTO me FROM yilian_api.caller();
    SELECT array_agg(s.id ORDER BY s.id) INTO shown FROM outreach_sessions s
    WHERE s.id = ANY (session_ids) AND yilian_api.sees(me.hospital, ARRAY[s.site, split_part(s.expert, '@', 2)])
      AND EXISTS (SELECT FROM outreach_bookings b WHERE b.session = s.id);
    IF shown IS NOT NULL THEN
        PERFORM yilian_api.log_access(actor, method, shown);
        RETURN QUERY SELECT * FROM outreach_bookings b WHERE b.session = ANY (shown) ORDER BY b.session, b.number;
    END IF;
END
$$;
REVOKE ALL ON FUNCTION yilian_api.outreach_bookings(text, text, text[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION yilian_api.outreach_bookings(text, text, text[]) TO yilian_user;

-- Sessions and live bookings per site and per expert, and in all, of the sessions held from
-- from_day to to_day: aggregates only, to the alliance's members and the platform.
CREATE FUNCTION yilian_outreach_indicators(alliance text, from_day date, to_day date)
    RETURNS TABLE(grouping_set integer, site text, expert text, sessions bigint, patients bigint)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    SET debug_print_parse TO 'off'
    SET debug_print_rewritten TO 'off'
    SET debug_print_plan TO 'off'
    SET trace_notify TO 'off'
    SET trace_sort TO 'off'
    SET "plpgsql.print_strict_params" TO 'off'
    AS $_$
    SELECT GROUPING(s.site, s.expert), s.site, s.expert, count(*), coalesce(sum(s.booked), 0)::bigint
    FROM outreach_sessions s
    WHERE s.alliance = $1 AND s.date BETWEEN $2 AND $3 AND (SELECT yilian_reads_indicators($1))
    GROUP BY GROUPING SETS ((), (s.site), (s.expert))
$_$;
REVOKE ALL ON FUNCTION yilian_outreach_indicators(text, date, date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION yilian_outreach_indicators(text, date, date) TO yilian_user;

-- An up-referral may name the outreach session its patient was seen in: a session held (today or
-- before) at the sender, of an expert of the receiver, in the same alliance, with a live booking of the same
-- patient (name, sex and birth date). Given at filing, in the same call as the rest; dropped when
-- the referral is redirected to another receiver, whose expert it was not.
ALTER TABLE referrals ADD COLUMN outreach text REFERENCES outreach_sessions (id);
CREATE FUNCTION yilian_private.outreach_of_receiver() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
BEGIN
    IF NEW.to_hospital IS DISTINCT FROM OLD.to_hospital THEN
        NEW.outreach := NULL;
    END IF;
    RETURN NEW;
END
$$;
REVOKE ALL ON FUNCTION yilian_private.outreach_of_receiver() FROM PUBLIC;
CREATE TRIGGER referrals_outreach_of_receiver BEFORE UPDATE OF to_hospital ON referrals
    FOR EACH ROW EXECUTE FUNCTION yilian_private.outreach_of_receiver();
DROP FUNCTION yilian_api.file_referral(text, text, text, text, text, text, jsonb, boolean, jsonb, text, text, jsonb, text, timestamptz, timestamptz, text, text, jsonb, text, jsonb);
CREATE FUNCTION yilian_api.file_referral(alliance text, direction text, setting text, priority text, from_hospital text, to_hospital text, patient jsonb, consent boolean, diagnosis jsonb, reason text, summary text, attachments jsonb, parent text, respond_by timestamp with time zone, created_at timestamp with time zone, actor text, event_reason text, details jsonb, consultation text, sender_identifier jsonb, outreach text) RETURNS text
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
    new_id text;
BEGIN
    new_id := yilian_private.file_referral($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, yilian_private.copied_key($7, $13, $19));
    -- Only after the filing's own checks of the caller: before them, whether a patient is booked
    -- answered anyone who asked.
    IF EXISTS (SELECT FROM outreach_sessions s WHERE s.id = $21 AND s.date > yilian_private.alliance_today(s.alliance, $15)) THEN
        PERFORM yilian_private.refuse_outreach('session_ahead');
    END IF;
    IF $21 IS NOT NULL AND NOT EXISTS (
            SELECT FROM outreach_sessions s JOIN outreach_bookings b ON b.session = s.id
            WHERE s.id = $21 AND s.alliance = $1 AND s.site = $5 AND split_part(s.expert, '@', 2) = $6 AND $2 = 'up'
              AND b.cancelled_at IS NULL AND btrim(b.patient ->> 'name') = btrim($7 ->> 'name') AND b.patient ->> 'sex' = $7 ->> 'sex'
              AND b.patient ->> 'birthDate' = $7 ->> 'birthDate') THEN
        PERFORM yilian_private.refuse_outreach('not_booked');
    END IF;
    IF $20 IS NOT NULL THEN
        UPDATE referrals r SET sender_identifier = $20 WHERE r.id = new_id;
        INSERT INTO sender_identifiers VALUES ($5, $20 ->> 'system', $20 ->> 'value', new_id);
    END IF;
    IF $21 IS NOT NULL THEN
        UPDATE referrals r SET outreach = $21 WHERE r.id = new_id;
    END IF;
    RETURN new_id;
EXCEPTION WHEN integrity_constraint_violation THEN
    -- Without the detail, which quotes the row.
    RAISE EXCEPTION USING ERRCODE = SQLSTATE, MESSAGE = SQLERRM;
END
$_$;
REVOKE ALL ON FUNCTION yilian_api.file_referral(text, text, text, text, text, text, jsonb, boolean, jsonb, text, text, jsonb, text, timestamptz, timestamptz, text, text, jsonb, text, jsonb, text) FROM PUBLIC;
GRANT ALL ON FUNCTION yilian_api.file_referral(text, text, text, text, text, text, jsonb, boolean, jsonb, text, text, jsonb, text, timestamptz, timestamptz, text, text, jsonb, text, jsonb, text) TO yilian_user;

-- An action answers the referral as written: its attachments as decided on a new slot date, and
-- its outreach session as a redirect dropped it (the row yilian_private.referral_action computed
-- holds neither, which triggers write).
CREATE OR REPLACE FUNCTION yilian_api.referral_action(referral_id text, action text, expected_version integer, actor text, at timestamp with time zone, reason text, reject_code text, to_hospital text, slot_date date, slot_expert boolean, outcome jsonb) RETURNS TABLE(refusal text, refusal_code text, referral public.referrals)
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
    written referrals;
BEGIN
    FOR written IN SELECT * FROM yilian_private.referral_action($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) LOOP
        SELECT r.attachments, r.outreach INTO written.attachments, written.outreach FROM referrals r WHERE r.id = written.id;
        RETURN QUERY SELECT NULL::text, NULL::text, written;
    END LOOP;
EXCEPTION
    WHEN insufficient_privilege OR check_violation OR not_null_violation OR SQLSTATE 'YL002' OR SQLSTATE 'YL003' OR SQLSTATE 'YL004' THEN
        RETURN QUERY SELECT SQLERRM, SQLSTATE, x
        FROM yilian_api.referral(CASE WHEN $4 = 'system' THEN NULL ELSE $4 END, 'referral.' || CASE WHEN $4 = 'system' THEN 'sweep' ELSE $2 END,
                                 $1) x;
    WHEN integrity_constraint_violation THEN
        -- Without the detail, which quotes the row.
        RAISE EXCEPTION USING ERRCODE = SQLSTATE, MESSAGE = SQLERRM;
END
$_$;
