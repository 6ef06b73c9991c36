-- A referral action in one call: the wall's function, which already recomputed every value an
-- action derives in order to check it, now derives them itself and writes them, from the action
-- and what it carries (a note, a reason, a date, an outcome, a receiver): the read before every
-- action and the check of what the caller computed go (an action was two round trips and a
-- transaction). It decides as `ReferralMachine.transition` does, the moves from
-- `referral_actions` (the core's machine, by test), and a test holds the two equal for every
-- status x action x side x priority. A refused action writes nothing and answers why, with the
-- referral as it is, and the services let the core say why, as before.
--
-- An integration acts in the name of its hospital's users (may_name), and a sixth attacker's
-- integration filed, applied and acted in the names of physicians and auditors, who only read. The rule a read goes by keeps its name-giving as it was (may_read_for: the access
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

-- The duty of the user an action is made in the name of: the caller's own, or, for an integration
-- naming a user of its own hospital (may_read_for), that user's; NULL when it may not name them.
CREATE FUNCTION yilian_api.named_duty(actor text, caller_login text, caller_hospital text, caller_duty text) RETURNS text
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
REVOKE ALL ON FUNCTION yilian_api.named_duty(text, text, text, text) FROM PUBLIC;

CREATE OR REPLACE FUNCTION yilian_api.log_access(actor text, method text, referrals text[]) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
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
    AS $$#variable_conflict use_column
BEGIN
    RETURN coalesce(yilian_api.may_read_for(actor, c.login, c.hospital, c.duty), false) FROM yilian_api.caller() c;
END
$$;


CREATE FUNCTION yilian_private.referral_action(
    referral_id text, action text, expected_version integer, actor text, at timestamp with time zone, reason text,
    reject_code text, to_hospital text, slot_date date, slot_expert boolean, outcome jsonb)
RETURNS SETOF referrals
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp SET lock_timeout = '5s' AS $$
DECLARE
    me       record;
    r        referrals;
    after    referrals;
    a        alliances;
    move     referral_actions;
    party    text;
    span   interval;
    said     text := referral_action.reason;
    details  jsonb;
    book     date;
    release  date;
    release_expert boolean;
    levels   integer[];
BEGIN
    SELECT * INTO me FROM yilian_api.caller();
    -- Not one the caller may see (the owner: any): nothing. Looked at before it is locked, so that
    -- nobody can lock another hospital's referrals.
    IF NOT EXISTS (SELECT FROM referrals x WHERE x.id = referral_id
                   AND yilian_api.sees(me.hospital, x.earlier_receivers || ARRAY[x.from_hospital, x.to_hospital])) THEN
        RETURN;
    END IF;
    SELECT * INTO r FROM referrals WHERE id = referral_id FOR UPDATE;
    IF expected_version IS NOT NULL AND r.version <> expected_version THEN
        RAISE EXCEPTION 'referral % is at version %, not %', r.id, r.version, expected_version USING ERRCODE = 'YL003';
    END IF;
    IF referral_action.actor = 'system' THEN
        party := 'system';
    ELSE
        party := CASE me.hospital WHEN r.from_hospital THEN 'sender' WHEN r.to_hospital THEN 'receiver' END;
    END IF;
    SELECT * INTO a FROM alliances WHERE code = r.alliance;
    SELECT * INTO move FROM referral_actions m
    WHERE m.action = referral_action.action AND m.from_status = r.status AND m.side = party
      AND (NOT m.emergency_only OR r.priority = 'emergency');
    -- The system's moves by a user (a coordinator, administrator or integration: a sweep) only once
    -- their deadline passed (ReferralMachine.due); the owner's sweep runs on the clock it is given.
    -- Every test is coalesced: a NULL would let the move through.
    IF NOT FOUND
       OR (party = 'system' AND NOT coalesce(
               (me.hospital IS NULL OR me.duty IN ('coordinator', 'hospital_admin', 'integration')) AND (me.hospital IS NULL OR CASE referral_action.action
               WHEN 'escalate' THEN r.respond_by <= now()
               ELSE (r.status = 'requested' AND r.clock_start + 2 * make_interval(hours => CASE r.priority WHEN 'emergency' THEN a.emergency_hours
                         WHEN 'urgent' THEN a.urgent_hours ELSE a.routine_hours END) <= now())
                    OR (r.status = 'info_requested' AND r.info_requested_at + interval '7 days' <= now()) END), false))
       OR (party <> 'system' AND NOT coalesce(me.duty IN ('coordinator', 'hospital_admin', 'integration')
               AND yilian_api.named_duty(referral_action.actor, me.login, me.hospital, me.duty)
                   IN ('coordinator', 'hospital_admin', 'integration'), false)) THEN
        RAISE EXCEPTION 'this change of referral % is not a move its % may make', r.id, coalesce(party, 'reader')
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF NOT coalesce(yilian_api.on_time(referral_action.at), false) THEN
        RAISE EXCEPTION 'the time of % on referral % is not now', referral_action.action, r.id USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF referral_action.actor IS NULL THEN
        RAISE EXCEPTION 'an action has an actor' USING ERRCODE = 'not_null_violation';
    END IF;
    -- Only what the action carries.
    IF (said IS NOT NULL AND referral_action.action NOT IN ('accept', 'reject', 'requestInfo', 'provideInfo', 'cancel'))
       OR (referral_action.reject_code IS NOT NULL AND referral_action.action <> 'reject')
       OR (referral_action.to_hospital IS NOT NULL AND referral_action.action <> 'redirect')
       OR ((referral_action.slot_date IS NOT NULL OR referral_action.slot_expert IS NOT NULL)
           AND referral_action.action NOT IN ('schedule', 'reschedule'))
       OR (referral_action.outcome IS NOT NULL AND referral_action.action <> 'complete') THEN
        RAISE EXCEPTION '% carries only what it changes', referral_action.action USING ERRCODE = 'check_violation';
    END IF;
    span := make_interval(hours => CASE r.priority WHEN 'emergency' THEN a.emergency_hours WHEN 'urgent' THEN a.urgent_hours
                                          ELSE a.routine_hours END);
    after := r;
    IF party = 'receiver' AND r.first_response_at IS NULL THEN
        after.first_response_at := at;
    END IF;
    CASE referral_action.action
    WHEN 'accept' THEN
        after.accepted_at := at;
    WHEN 'reject' THEN
        IF reject_code IS NULL
           OR reject_code NOT IN ('capacity_full', 'outside_scope', 'insufficient_information', 'patient_declined', 'not_indicated', 'other')
           OR (reject_code = 'other' AND coalesce(btrim(said), '') = '') THEN
            RAISE EXCEPTION 'a rejection has one of the reason codes (RejectReason), and a reason when it is other' USING ERRCODE = 'check_violation';
        END IF;
        after.reject_code := reject_code;
        details := jsonb_build_object('reasonCode', reject_code);
    WHEN 'requestInfo' THEN
        after.info_requested_at := at;
    WHEN 'provideInfo' THEN
        after.clock_start := at;
        after.respond_by := at + span;
    WHEN 'redirect' THEN
        -- To another active member of the alliance, in the referral's direction (Referrals.direction).
        SELECT array_agg(h.level ORDER BY m.hospital = r.from_hospital DESC) INTO levels
        FROM memberships m JOIN hospitals h ON h.code = m.hospital
        WHERE m.alliance = r.alliance AND m.hospital IN (r.from_hospital, referral_action.to_hospital) AND m.status = 'active';
        IF referral_action.to_hospital IS NULL OR referral_action.to_hospital IN (r.from_hospital, r.to_hospital)
           OR cardinality(levels) IS DISTINCT FROM 2
           OR r.direction IS DISTINCT FROM (CASE
                WHEN levels[2] > levels[1] OR (referral_action.to_hospital = a.core AND r.from_hospital <> a.core) THEN 'up'
                WHEN levels[2] < levels[1] THEN 'down' END) THEN
            RAISE EXCEPTION 'a referral is redirected only to another active member of its alliance, in its direction'
                USING ERRCODE = 'check_violation';
        END IF;
        details := jsonb_build_object('to', referral_action.to_hospital, 'previousTo', r.to_hospital);
        after.to_hospital := referral_action.to_hospital;
        after.earlier_receivers := r.earlier_receivers || r.to_hospital;
        after.first_response_at := NULL;
        after.clock_start := at;
        after.respond_by := at + span;
    WHEN 'schedule', 'reschedule' THEN
        IF referral_action.slot_date IS NULL OR slot_expert IS NULL
           OR (referral_action.action = 'reschedule' AND (r.slot_date IS NULL OR r.slot_date = referral_action.slot_date)) THEN
            RAISE EXCEPTION 'a % names a date, a new one', referral_action.action USING ERRCODE = 'check_violation';
        END IF;
        after.slot_date := referral_action.slot_date;
        after.slot_expert := r.direction = 'up' AND referral_action.slot_expert;
        details := jsonb_build_object('date', referral_action.slot_date::text);
        IF referral_action.action = 'schedule' THEN
            after.scheduled_at := at;
        ELSE
            details := details || jsonb_build_object('previousDate', r.slot_date::text);
        END IF;
        IF after.slot_expert THEN
            details := details || '{"expert": true}';
        END IF;
        -- Reserved slots serve up-referrals (号源下沉).
        IF r.direction = 'up' THEN
            book := referral_action.slot_date;
            IF referral_action.action = 'reschedule' THEN
                release := r.slot_date;
            END IF;
        END IF;
    WHEN 'noShow', 'cancel' THEN
        IF r.direction = 'up' AND (referral_action.action = 'noShow' OR r.status = 'scheduled') THEN
            release := r.slot_date;
        END IF;
    WHEN 'complete' THEN
        -- An outcome with a summary, and a follow-up of 1 to 3650 days when it names one (TreatmentOutcome.problems).
        IF NOT coalesce(jsonb_typeof(referral_action.outcome) = 'object' AND btrim(referral_action.outcome->>'summary') <> ''
                        AND (jsonb_typeof(referral_action.outcome->'followUpDays') IS DISTINCT FROM 'number'
                             OR (referral_action.outcome->>'followUpDays')::numeric BETWEEN 1 AND 3650)
                        AND coalesce(jsonb_typeof(referral_action.outcome->'followUpDays'), 'null') IN ('number', 'null'), false) THEN
            RAISE EXCEPTION 'a completion carries an outcome with a summary, and a follow-up of 1 to 3650 days'
                USING ERRCODE = 'check_violation';
        END IF;
        after.outcome := referral_action.outcome;
        said := referral_action.outcome->>'summary';
    WHEN 'escalate' THEN
        after.escalation := r.escalation + 1;
        after.respond_by := r.respond_by + span;
        details := jsonb_build_object('escalation', after.escalation);
    ELSE
        NULL;  -- arrive, acknowledge, expire: the status alone.
    END CASE;
    IF referral_action.action IN ('requestInfo', 'provideInfo', 'cancel') AND coalesce(btrim(said), '') = '' THEN
        RAISE EXCEPTION 'a % says why', referral_action.action USING ERRCODE = 'check_violation';
    END IF;
    release_expert := r.slot_expert;
    -- The slot rows in date order, so that two reschedules crossing each other's dates never deadlock.
    IF book IS NOT NULL OR release IS NOT NULL THEN
        PERFORM FROM slots s WHERE s.hospital = r.to_hospital AND s.specialty = r.specialty AND s.date IN (book, release)
        ORDER BY s.date FOR UPDATE;
    END IF;
    IF book IS NOT NULL THEN
        UPDATE slots s SET booked = s.booked + 1, expert_booked = s.expert_booked + CASE WHEN after.slot_expert THEN 1 ELSE 0 END
        WHERE s.hospital = r.to_hospital AND s.specialty = r.specialty AND s.date = book
          AND CASE WHEN after.slot_expert THEN s.expert_booked < s.expert ELSE s.booked - s.expert_booked < s.capacity - s.expert END;
        IF NOT FOUND THEN
            RAISE EXCEPTION 'no unit of % left at % on %', r.specialty, r.to_hospital, book USING ERRCODE = 'YL002';
        END IF;
    END IF;
    IF release IS NOT NULL THEN
        UPDATE slots s SET booked = s.booked - 1, expert_booked = s.expert_booked - CASE WHEN release_expert THEN 1 ELSE 0 END
        WHERE s.hospital = r.to_hospital AND s.specialty = r.specialty AND s.date = release AND s.booked > 0
          AND (NOT release_expert OR s.expert_booked > 0);
    END IF;
    after.status := move.to_status;
    after.version := r.version + 1;
    after.updated_at := at;
    UPDATE referrals x SET to_hospital = after.to_hospital, status = after.status, version = after.version, respond_by = after.respond_by,
        clock_start = after.clock_start, info_requested_at = after.info_requested_at, slot_date = after.slot_date, outcome = after.outcome,
        escalation = after.escalation, first_response_at = after.first_response_at, updated_at = after.updated_at,
        accepted_at = after.accepted_at, reject_code = after.reject_code, scheduled_at = after.scheduled_at, slot_expert = after.slot_expert,
        earlier_receivers = after.earlier_receivers
    WHERE x.id = r.id;
    INSERT INTO referral_events (referral, seq, action, from_status, to_status, actor, at, reason, details)
    VALUES (r.id, after.version, referral_action.action, r.status, after.status, referral_action.actor, at, said, details);
    -- The answer shows the referral: a read, logged as the action's (a sweep's as the login's).
    PERFORM yilian_api.log_access(CASE WHEN party = 'system' THEN NULL ELSE referral_action.actor END,
        'referral.' || CASE WHEN party = 'system' THEN 'sweep' ELSE referral_action.action END, ARRAY[r.id]);
    RETURN NEXT yilian_api.unkeyed(after);
END
$$;
REVOKE ALL ON FUNCTION yilian_private.referral_action(text, text, integer, text, timestamp with time zone, text, text, text, date, boolean, jsonb)
    FROM PUBLIC;

-- The caller's entry: the referral as the action left it, or, when the action was refused (nothing
-- written), why and the referral as it is, for the services to let the core say why in the
-- reader's words (the refused action is still an answer in one round trip, and a transaction the
-- action joined goes on). Either answer shows the referral: a read, logged as the action's.
CREATE FUNCTION yilian_api.referral_action(
    referral_id text, action text, expected_version integer, actor text, at timestamp with time zone, reason text,
    reject_code text, to_hospital text, slot_date date, slot_expert boolean, outcome jsonb)
RETURNS TABLE(refusal text, refusal_code text, referral referrals)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
    RETURN QUERY SELECT NULL::text, NULL::text, x FROM yilian_private.referral_action($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) x;
EXCEPTION
    WHEN insufficient_privilege OR check_violation OR not_null_violation OR SQLSTATE 'YL002' OR SQLSTATE 'YL003' THEN
        RETURN QUERY SELECT SQLERRM, SQLSTATE, x
        FROM yilian_api.referral(CASE WHEN $4 = 'system' THEN NULL ELSE $4 END, 'referral.' || CASE WHEN $4 = 'system' THEN 'sweep' ELSE $2 END,
                                 $1) x;
    WHEN integrity_constraint_violation THEN
        -- Without the detail, which quotes the row.
        RAISE EXCEPTION USING ERRCODE = SQLSTATE, MESSAGE = SQLERRM;
END
$$;
REVOKE ALL ON FUNCTION yilian_api.referral_action(text, text, integer, text, timestamp with time zone, text, text, text, date, boolean, jsonb)
    FROM PUBLIC;
GRANT EXECUTE ON FUNCTION yilian_api.referral_action(text, text, integer, text, timestamp with time zone, text, text, text, date, boolean, jsonb)
    TO yilian_user;

DROP FUNCTION yilian_api.act_on_referral(text, text, text, text, integer, timestamp with time zone, timestamp with time zone,
    timestamp with time zone, date, jsonb, integer, timestamp with time zone, timestamp with time zone, timestamp with time zone, text,
    timestamp with time zone, boolean, text, timestamp with time zone, text, jsonb, date, boolean, date, boolean);
DROP FUNCTION yilian_private.act_on_referral(text, text, text, text, integer, timestamp with time zone, timestamp with time zone,
    timestamp with time zone, date, jsonb, integer, timestamp with time zone, timestamp with time zone, timestamp with time zone, text,
    timestamp with time zone, boolean, text, timestamp with time zone, text, jsonb, date, boolean, date, boolean);
