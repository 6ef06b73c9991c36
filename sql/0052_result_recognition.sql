-- Mutual recognition of results (检查检验结果互认, issue 32, SPEC §13). Each alliance keeps a
-- versioned catalogue of recognised items, set by its core hospital's administrators like its
-- criteria. An attachment names its item, the day it was performed and the hospital that
-- performed it; whether it is recognised is decided here, by the database, never taken from the
-- writer: when a referral is filed (on the day it is filed) and when its slot date changes (on
-- the slot date), against the catalogue of that moment. A later catalogue leaves earlier
-- decisions as they were recorded. The services decide the same by the same rules
-- (RecognitionCatalogue.decide), which a test holds equal.

-- What a catalogue may be, failing closed: {"items": [...]}, at most 500 items, each exactly
-- {code, name, kind, validDays, qualified?}: a code of 1 to 32 letters, digits, ".", "_" or "-",
-- unique in the catalogue; a name of 1 to 200 characters without control characters; kind lab or
-- imaging; validDays 1 to 3650; qualified absent or null (every active member) or at most 500
-- hospital codes (Codes.isValid); 256 KiB at most in all, since every decision reads it (a
-- catalogue of 500 items naming 500 members each, 9 MB, made a filing take 26 ms an attachment).
CREATE FUNCTION yilian_private.is_recognition_catalogue(document jsonb) RETURNS boolean
    LANGUAGE plpgsql IMMUTABLE
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
BEGIN
    IF NOT coalesce(jsonb_typeof(document) = 'object' AND document - 'items' = '{}'::jsonb
                    AND jsonb_typeof(document -> 'items') = 'array' AND jsonb_array_length(document -> 'items') <= 500
                    AND octet_length(document::text) <= 262144, false) THEN
        RETURN false;
    END IF;
    RETURN NOT EXISTS (
        SELECT FROM jsonb_array_elements(document -> 'items') e
        WHERE NOT coalesce(jsonb_typeof(e) = 'object'
            AND e - 'code' - 'name' - 'kind' - 'validDays' - 'qualified' = '{}'::jsonb
            AND jsonb_typeof(e -> 'code') = 'string' AND (e ->> 'code') ~ '^[A-Za-z0-9._-]{1,32}$'
            AND jsonb_typeof(e -> 'name') = 'string' AND length(e ->> 'name') BETWEEN 1 AND 200 AND (e ->> 'name') !~ '[[:cntrl:]]'
            AND e ->> 'kind' IN ('lab', 'imaging')
            AND jsonb_typeof(e -> 'validDays') = 'number' AND (e ->> 'validDays') ~ '^[0-9]{1,4}$'
            AND (e ->> 'validDays')::integer BETWEEN 1 AND 3650
            AND (NOT e ? 'qualified' OR jsonb_typeof(e -> 'qualified') = 'null'
                 OR (jsonb_typeof(e -> 'qualified') = 'array' AND jsonb_array_length(e -> 'qualified') <= 500
                     AND NOT EXISTS (SELECT FROM jsonb_array_elements(e -> 'qualified') q
                                     WHERE NOT coalesce(jsonb_typeof(q) = 'string' AND (q #>> '{}') ~ '^[A-Z0-9][A-Z0-9-]{1,31}$', false)))),
            false))
       AND (SELECT count(DISTINCT e ->> 'code') FROM jsonb_array_elements(document -> 'items') e) = jsonb_array_length(document -> 'items');
END
$$;
REVOKE ALL ON FUNCTION yilian_private.is_recognition_catalogue(jsonb) FROM PUBLIC;

ALTER TABLE alliances ADD COLUMN recognition_version integer NOT NULL DEFAULT 0;
CREATE TABLE recognition_versions (
    alliance   text NOT NULL REFERENCES alliances (code),
    version    integer NOT NULL CHECK (version > 0),
    document   jsonb NOT NULL CHECK (yilian_private.is_recognition_catalogue(document)),
    created_by text NOT NULL,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (alliance, version)
);
REVOKE ALL ON recognition_versions FROM PUBLIC;
ALTER TABLE recognition_versions ENABLE ROW LEVEL SECURITY;
-- Published, like the criteria: every user reads every alliance's catalogue.
CREATE POLICY everyone_reads ON recognition_versions FOR SELECT USING (true);
GRANT SELECT ON recognition_versions TO yilian_user;

-- A new version of the alliance's catalogue, by one of its core hospital's administrators.
CREATE FUNCTION yilian_api.set_recognition(alliance text, document jsonb, at timestamp with time zone, actor text) RETURNS integer
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
    version integer;
BEGIN
    SELECT * INTO me FROM yilian_api.caller();
    IF NOT (yilian_api.is_core_admin(me.hospital, me.duty, set_recognition.alliance) AND set_recognition.actor IS NOT DISTINCT FROM me.login
            AND yilian_api.on_time(set_recognition.at)) THEN
        RAISE EXCEPTION '% may not set the recognition catalogue of %', me.login, set_recognition.alliance USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF NOT yilian_private.is_recognition_catalogue(set_recognition.document) THEN
        RAISE EXCEPTION 'a recognition catalogue is {"items": [...]} as docs/recognition.md describes it' USING ERRCODE = 'check_violation';
    END IF;
    UPDATE alliances a SET recognition_version = a.recognition_version + 1 WHERE a.code = set_recognition.alliance
    RETURNING a.recognition_version INTO version;
    INSERT INTO recognition_versions (alliance, version, document, created_by, created_at)
    VALUES (set_recognition.alliance, version, set_recognition.document, set_recognition.actor, set_recognition.at);
    RETURN version;
END
$$;
REVOKE ALL ON FUNCTION yilian_api.set_recognition(text, jsonb, timestamptz, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION yilian_api.set_recognition(text, jsonb, timestamptz, text) TO yilian_user;

-- A date written YYYY-MM-DD from 1900-01-01 to 2200-12-31 (CalendarDate's), or NULL when it is
-- not one (2026-02-30, 1850-01-01).
CREATE FUNCTION yilian_private.calendar_date(value text) RETURNS date
    LANGUAGE plpgsql IMMUTABLE
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
BEGIN
    IF value !~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' OR value NOT BETWEEN '1900-01-01' AND '2200-12-31' THEN
        RETURN NULL;
    END IF;
    RETURN value::date;
EXCEPTION WHEN datetime_field_overflow OR invalid_datetime_format THEN
    RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION yilian_private.calendar_date(text) FROM PUBLIC;

-- Whether the alliance recognises `attachment` on `day`, and why (Recognition in Swift, the
-- same rules): an item of the catalogue of this kind, performed on a day and by a hospital
-- named, by a qualified active member, and within its validDays on `day`.
CREATE FUNCTION yilian_private.recognition(alliance text, attachment jsonb, day date) RETURNS jsonb
    LANGUAGE plpgsql STABLE
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
DECLARE
    in_force  integer;
    item      jsonb;
    performed date := yilian_private.calendar_date(attachment ->> 'performedAt');
    performer text := attachment ->> 'performedBy';
    reason    text;
    decision  jsonb;
BEGIN
    SELECT a.recognition_version INTO in_force FROM alliances a WHERE a.code = recognition.alliance;
    IF attachment ->> 'kind' NOT IN ('lab', 'imaging') OR jsonb_typeof(attachment -> 'item') IS DISTINCT FROM 'string' THEN
        reason := 'no_item';
    ELSE
        SELECT e INTO item FROM recognition_versions v, jsonb_array_elements(v.document -> 'items') e
        WHERE v.alliance = recognition.alliance AND v.version = in_force
          AND e ->> 'code' = attachment ->> 'item' AND e ->> 'kind' = attachment ->> 'kind';
        IF item IS NULL THEN
            reason := 'not_in_catalogue';
        ELSIF performed IS NULL OR performer IS NULL OR performed > day THEN
            reason := 'not_performed';
        ELSIF NOT EXISTS (SELECT FROM memberships m WHERE m.alliance = recognition.alliance AND m.hospital = performer AND m.status = 'active')
              OR (jsonb_typeof(item -> 'qualified') = 'array' AND NOT (item -> 'qualified') ? performer) THEN
            reason := 'not_qualified';
        ELSIF day > performed + (item ->> 'validDays')::integer THEN
            reason := 'expired';
        ELSE
            reason := 'recognized';
        END IF;
    END IF;
    decision := jsonb_build_object('recognized', reason = 'recognized', 'reason', reason, 'on', day::text, 'catalogueVersion', in_force);
    IF item IS NOT NULL AND performed IS NOT NULL AND performed + (item ->> 'validDays')::integer <= '2200-12-31' THEN
        decision := decision || jsonb_build_object('validUntil', (performed + (item ->> 'validDays')::integer)::text);
    END IF;
    RETURN decision;
END
$$;
REVOKE ALL ON FUNCTION yilian_private.recognition(text, jsonb, date) FROM PUBLIC;

-- Decides every attachment of a referral when it is filed and when its slot date changes:
-- whatever `recognition` (or the former claimed `recognized`) a writer put there is replaced.
CREATE FUNCTION yilian_private.decide_recognition() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
DECLARE
    day date;
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.slot_date IS NOT DISTINCT FROM OLD.slot_date AND NEW.attachments IS NOT DISTINCT FROM OLD.attachments THEN
        RETURN NEW;
    END IF;
    IF jsonb_typeof(NEW.attachments) IS DISTINCT FROM 'array' THEN
        RETURN NEW;  -- refused by yilian_request_within_limits
    END IF;
    -- The slot date, else the day of the change (updated_at: the time the wall's function was
    -- given and checked, which the services' clock also decides by).
    day := coalesce(NEW.slot_date, (SELECT (NEW.updated_at AT TIME ZONE a.time_zone)::date FROM alliances a WHERE a.code = NEW.alliance));
    NEW.attachments := (
        SELECT coalesce(jsonb_agg(CASE WHEN jsonb_typeof(e) = 'object'
                                       THEN (e - 'recognition' - 'recognized')
                                            || jsonb_build_object('recognition', yilian_private.recognition(NEW.alliance, e - 'recognition', day))
                                       ELSE e END ORDER BY n), '[]'::jsonb)
        FROM jsonb_array_elements(NEW.attachments) WITH ORDINALITY x(e, n));
    RETURN NEW;
END
$$;
REVOKE ALL ON FUNCTION yilian_private.decide_recognition() FROM PUBLIC;
-- An appointment is not set before the day it is set on (the alliance's time zone): a result
-- would be judged on a day already past (found by a psql attacker: a down-referral, which books
-- no slot, took any date). YL004, which the services say in the reader's words.
CREATE FUNCTION yilian_private.appointment_not_past() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
BEGIN
    IF NEW.slot_date IS DISTINCT FROM OLD.slot_date AND NEW.slot_date < (
           SELECT (NEW.updated_at AT TIME ZONE a.time_zone)::date FROM alliances a WHERE a.code = NEW.alliance) THEN
        RAISE EXCEPTION 'an appointment of % is not set before today', NEW.id USING ERRCODE = 'YL004';
    END IF;
    RETURN NEW;
END
$$;
REVOKE ALL ON FUNCTION yilian_private.appointment_not_past() FROM PUBLIC;
CREATE TRIGGER referrals_appointment_not_past BEFORE UPDATE OF slot_date ON referrals
    FOR EACH ROW EXECUTE FUNCTION yilian_private.appointment_not_past();

-- Named to fire before referrals_request_within_limits, which then checks what it made.
CREATE TRIGGER referrals_recognition_decided BEFORE INSERT OR UPDATE OF attachments, slot_date ON referrals
    FOR EACH ROW EXECUTE FUNCTION yilian_private.decide_recognition();

-- A consultation's attachments carry no decision: whatever a writer claimed is dropped.
CREATE FUNCTION yilian_private.undecided_attachments() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
BEGIN
    IF jsonb_typeof(NEW.attachments) = 'array' THEN
        NEW.attachments := (
            SELECT coalesce(jsonb_agg(CASE WHEN jsonb_typeof(e) = 'object' THEN e - 'recognition' - 'recognized' ELSE e END ORDER BY n),
                            '[]'::jsonb)
            FROM jsonb_array_elements(NEW.attachments) WITH ORDINALITY x(e, n));
    END IF;
    RETURN NEW;
END
$$;
REVOKE ALL ON FUNCTION yilian_private.undecided_attachments() FROM PUBLIC;
-- Named to fire before consultations_request_within_limits.
CREATE TRIGGER consultations_recognition_dropped BEFORE INSERT OR UPDATE OF attachments ON consultations
    FOR EACH ROW EXECUTE FUNCTION yilian_private.undecided_attachments();
-- A slot date Yilian can read (CalendarDate's years), on which a decision is made.
ALTER TABLE referrals ADD CONSTRAINT referrals_slot_date_years CHECK (slot_date BETWEEN '1900-01-01' AND '2200-12-31');

-- An attachment as Yilian reads it: kind, title and reference; the item, the day it was
-- performed (YYYY-MM-DD) and the hospital that performed it when given; on a referral, the
-- decision (an object the trigger above made). Nothing else.
CREATE OR REPLACE FUNCTION public.yilian_valid_attachments(a jsonb) RETURNS boolean
    LANGUAGE plpgsql IMMUTABLE
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$#variable_conflict use_column
BEGIN
    RETURN coalesce(jsonb_typeof(a) = 'array' AND NOT EXISTS (
        SELECT FROM jsonb_array_elements(a) e
        WHERE NOT coalesce(jsonb_typeof(e) = 'object' AND e ->> 'kind' IN ('lab', 'imaging', 'document')
            AND e - 'kind' - 'title' - 'reference' - 'item' - 'performedAt' - 'performedBy' - 'recognition' = '{}'::jsonb
            AND jsonb_typeof(e -> 'title') = 'string' AND jsonb_typeof(e -> 'reference') = 'string'
            AND (NOT e ? 'item' OR (jsonb_typeof(e -> 'item') = 'string' AND (e ->> 'item') ~ '^[A-Za-z0-9._-]{1,32}$'))
            AND (NOT e ? 'performedAt' OR yilian_private.calendar_date(e ->> 'performedAt') IS NOT NULL)
            AND (NOT e ? 'performedBy' OR (jsonb_typeof(e -> 'performedBy') = 'string' AND (e ->> 'performedBy') ~ '^[A-Z0-9][A-Z0-9-]{1,31}$'))
            AND (NOT e ? 'recognition' OR jsonb_typeof(e -> 'recognition') = 'object'), false)), false);
END
$$;

-- What was claimed before is dropped: every referral's attachments are decided anew (against no
-- catalogue yet), a consultation's are kept without a decision.
UPDATE consultations SET attachments = (
    SELECT coalesce(jsonb_agg(e - 'recognized' ORDER BY n), '[]'::jsonb) FROM jsonb_array_elements(attachments) WITH ORDINALITY x(e, n))
WHERE attachments <> '[]'::jsonb;
UPDATE referrals SET attachments = (
    SELECT coalesce(jsonb_agg(e - 'recognized' ORDER BY n), '[]'::jsonb) FROM jsonb_array_elements(attachments) WITH ORDINALITY x(e, n))
WHERE attachments <> '[]'::jsonb;

-- An action answers the referral as written: its attachments as the trigger above decided them
-- on a new slot date (the row yilian_private.referral_action computed does not hold them).
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
        written.attachments := (SELECT r.attachments FROM referrals r WHERE r.id = written.id);
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

-- The alliance's results (lab and imaging attachments) of referrals filed from from_day to
-- to_day (its time zone), and how many it recognised as last decided: in all, by sending member,
-- by catalogue item (NULL: naming none). Aggregates only, for those who read the indicators.
CREATE FUNCTION yilian_recognition_indicators(alliance text, from_day date, to_day date)
    RETURNS TABLE(grouping_set integer, hospital text, item text, results bigint, recognized bigint)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    SET debug_print_parse TO 'off'
    SET debug_print_rewritten TO 'off'
    SET debug_print_plan TO 'off'
    SET trace_notify TO 'off'
    SET trace_sort TO 'off'
    SET "plpgsql.print_strict_params" TO 'off'
    AS $$
    SELECT GROUPING(r.from_hospital, e ->> 'item'), r.from_hospital, e ->> 'item', count(*),
        count(*) FILTER (WHERE e -> 'recognition' -> 'recognized' = 'true'::jsonb)
    FROM referrals r JOIN alliances a ON a.code = r.alliance, jsonb_array_elements(r.attachments) e
    WHERE r.alliance = $1 AND r.created_at >= $2::timestamp AT TIME ZONE a.time_zone
      AND r.created_at < ($3 + 1)::timestamp AT TIME ZONE a.time_zone AND (SELECT yilian_reads_indicators($1))
      AND e ->> 'kind' IN ('lab', 'imaging')
    GROUP BY GROUPING SETS ((), (r.from_hospital), (e ->> 'item'))
$$;
REVOKE ALL ON FUNCTION yilian_recognition_indicators(text, date, date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION yilian_recognition_indicators(text, date, date) TO yilian_user;
