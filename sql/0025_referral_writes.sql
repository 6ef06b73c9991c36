-- The wall, part two (SPEC §6 "Writes"): a referral changes only through the owner's functions.
-- Users held INSERT and UPDATE on referrals and INSERT on their events, checked row by row: the
-- sender could rewrite the receiver's outcome, redirect a referral to a non-member, move a
-- version on with no event, and append any event (a cancel to a completed referral, an expiry by
-- the system); a party's user could set the receiver's slot bookings. Now the functions of the
-- schema yilian_api take the actor from the session, check its duty and side, the move and the
-- columns that action changes (referral_actions, written from the core's machine; a test holds
-- the two equal), and write the referral, its event (and with it the feed) and its slot changes.

CREATE SCHEMA yilian_api;
REVOKE ALL ON SCHEMA yilian_api FROM PUBLIC;
GRANT USAGE ON SCHEMA yilian_api TO yilian_user;

-- Every referral action: who takes it (side), from which status to which (emergency_only: only
-- for emergencies), and the columns it may change besides status, version and updated_at.
CREATE TABLE referral_actions (
    action         text NOT NULL,
    side           text NOT NULL CHECK (side IN ('sender', 'receiver', 'system')),
    from_status    text NOT NULL,
    to_status      text NOT NULL,
    emergency_only boolean NOT NULL DEFAULT false,
    columns        text[] NOT NULL,
    PRIMARY KEY (action, from_status)
);
INSERT INTO referral_actions (action, side, from_status, to_status, emergency_only, columns) VALUES
    ('accept',      'receiver', 'requested',      'accepted',       false, '{accepted_at,first_response_at}'),
    ('reject',      'receiver', 'requested',      'rejected',       false, '{reject_code,first_response_at}'),
    ('reject',      'receiver', 'info_requested', 'rejected',       false, '{reject_code,first_response_at}'),
    ('requestInfo', 'receiver', 'requested',      'info_requested', false, '{info_requested_at,first_response_at}'),
    ('provideInfo', 'sender',   'info_requested', 'requested',      false, '{clock_start,respond_by}'),
    ('redirect',    'sender',   'requested',      'requested',      false, '{to_hospital,first_response_at,clock_start,respond_by}'),
    ('redirect',    'sender',   'info_requested', 'requested',      false, '{to_hospital,first_response_at,clock_start,respond_by}'),
    ('schedule',    'receiver', 'accepted',       'scheduled',      false, '{slot_date,slot_expert,scheduled_at,first_response_at}'),
    ('reschedule',  'receiver', 'scheduled',      'scheduled',      false, '{slot_date,slot_expert,first_response_at}'),
    ('arrive',      'receiver', 'scheduled',      'in_treatment',   false, '{first_response_at}'),
    ('arrive',      'receiver', 'accepted',       'in_treatment',   true,  '{first_response_at}'),
    ('noShow',      'receiver', 'scheduled',      'no_show',        false, '{first_response_at}'),
    ('complete',    'receiver', 'in_treatment',   'completed',      false, '{outcome,first_response_at}'),
    ('acknowledge', 'sender',   'completed',      'closed',         false, '{}'),
    ('cancel',      'sender',   'requested',      'cancelled',      false, '{}'),
    ('cancel',      'sender',   'info_requested', 'cancelled',      false, '{}'),
    ('cancel',      'sender',   'accepted',       'cancelled',      false, '{}'),
    ('cancel',      'sender',   'scheduled',      'cancelled',      false, '{}'),
    ('escalate',    'system',   'requested',      'requested',      false, '{escalation,respond_by}'),
    ('expire',      'system',   'requested',      'expired',        false, '{}'),
    ('expire',      'system',   'info_requested', 'expired',        false, '{}');
GRANT SELECT ON referral_actions TO yilian_user;

-- Whether `login` is the owner (of yilian_api, who runs the migrations), whom SPEC §6 trusts.
CREATE FUNCTION yilian_api.is_owner(login text) RETURNS boolean
LANGUAGE sql STABLE SET search_path = pg_catalog, public, pg_temp AS $$
    SELECT coalesce(login = (SELECT pg_get_userbyid(nspowner) FROM pg_namespace WHERE nspname = 'yilian_api'), false)
$$;
GRANT EXECUTE ON FUNCTION yilian_api.is_owner(text) TO yilian_user;

-- The caller as the wall sees it: the user the session acts as (yilian_caller), its hospital
-- and duty; or the owner itself (hospital and duty null), who runs the sweep (SPEC §6: the
-- owner is trusted). Any other role is refused here.
CREATE FUNCTION yilian_api.caller(OUT login text, OUT hospital text, OUT duty text)
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
    login := yilian_caller();
    IF login = 'yilian_platform' THEN
        hospital := 'admin';
        duty := 'platform_admin';
    ELSE
        SELECT u.hospital, u.duty INTO hospital, duty FROM users u WHERE u.login = caller.login AND u.enabled;
    END IF;
    IF hospital IS NULL AND NOT yilian_api.is_owner(login) THEN
        RAISE EXCEPTION 'not a registered, enabled user' USING ERRCODE = 'insufficient_privilege';
    END IF;
END
$$;

-- Whether `actor` may be named as acting by the caller: itself, or (for an integration) an
-- enabled user of its own hospital.
CREATE FUNCTION yilian_api.may_name(actor text, caller_login text, caller_hospital text, caller_duty text) RETURNS boolean
LANGUAGE sql STABLE SET search_path = pg_catalog, public, pg_temp AS $$
    SELECT actor = caller_login
        OR (caller_duty = 'integration' AND split_part(actor, '@', 2) = caller_hospital
            AND EXISTS (SELECT FROM users u WHERE u.login = actor AND u.hospital = caller_hospital AND u.enabled))
$$;

-- Whether a time a caller gives is now: the owner's session (acting for users, with the clock it
-- is given: SPEC §6) is trusted; a user's own login is held to the server's clock when the call's
-- statement began (not its transaction's: one held open would backdate), within five minutes.
CREATE FUNCTION yilian_api.on_time(at timestamptz) RETURNS boolean
LANGUAGE sql STABLE SET search_path = pg_catalog, public, pg_temp AS $$
    SELECT coalesce(yilian_api.is_owner(session_user)
                    OR at BETWEEN statement_timestamp() - interval '5 minutes' AND statement_timestamp() + interval '5 minutes', false)
$$;

-- Files a referral from the caller's hospital, with its filing event (seq 1): the caller's duty
-- handles referrals, both hospitals are active members of the active alliance, the specialty is
-- the alliance's, the filing time is now (yilian_api.on_time) and the response deadline the
-- alliance's window for the priority after it, a parent or a consultation it continues is one the
-- caller may see. Returns the new id.
CREATE FUNCTION yilian_api.file_referral(
    alliance text, direction text, setting text, priority text, from_hospital text, to_hospital text, patient jsonb,
    consent boolean, diagnosis jsonb, reason text, summary text, attachments jsonb, parent text, respond_by timestamptz,
    created_at timestamptz, actor text, event_reason text, details jsonb, consultation text, patient_key text)
RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    me     record;
    a      alliances;
    new_id text;
BEGIN
    SELECT * INTO me FROM yilian_api.caller();
    IF NOT coalesce(me.duty IN ('coordinator', 'hospital_admin', 'integration') AND file_referral.from_hospital = me.hospital
                    AND yilian_api.may_name(file_referral.actor, me.login, me.hospital, me.duty), false) THEN
        RAISE EXCEPTION '% may not file referrals of %', me.login, file_referral.from_hospital USING ERRCODE = 'insufficient_privilege';
    END IF;
    SELECT * INTO a FROM alliances WHERE code = file_referral.alliance AND status = 'active';
    IF NOT FOUND OR NOT coalesce(file_referral.to_hospital <> file_referral.from_hospital, false)
       OR (SELECT count(*) FROM memberships m WHERE m.alliance = a.code AND m.status = 'active'
           AND m.hospital IN (file_referral.from_hospital, file_referral.to_hospital)) <> 2 THEN
        RAISE EXCEPTION 'both hospitals must be active members of an active alliance' USING ERRCODE = 'check_violation';
    END IF;
    IF NOT yilian_api.on_time(file_referral.created_at)
       OR file_referral.respond_by IS DISTINCT FROM file_referral.created_at + make_interval(hours =>
           CASE file_referral.priority WHEN 'emergency' THEN a.emergency_hours WHEN 'urgent' THEN a.urgent_hours ELSE a.routine_hours END) THEN
        RAISE EXCEPTION 'a referral is filed now, to answer within the alliance''s window' USING ERRCODE = 'check_violation';
    END IF;
    -- The direction follows the tiers (Referrals.direction): up to a higher tier or to the core,
    -- down to a lower one.
    IF file_referral.direction IS DISTINCT FROM (
           SELECT CASE WHEN t.level > f.level OR (a.core = t.code AND a.core <> f.code) THEN 'up' WHEN t.level < f.level THEN 'down' END
           FROM hospitals f, hospitals t WHERE f.code = file_referral.from_hospital AND t.code = file_referral.to_hospital) THEN
        RAISE EXCEPTION 'a referral goes up to a higher tier or the core, or down to a lower tier' USING ERRCODE = 'check_violation';
    END IF;
    -- A down-referral continues an up-referral of the alliance that this hospital received and
    -- treated, for the same patient; a referral converted from a consultation is the
    -- consultation's, answered and not converted yet, to its consultant, for the same patient.
    IF (file_referral.parent IS NOT NULL AND NOT EXISTS (
            SELECT FROM referrals r WHERE r.id = file_referral.parent AND r.direction = 'up' AND file_referral.direction = 'down'
            AND r.alliance = a.code AND r.to_hospital = me.hospital AND r.status IN ('in_treatment', 'completed', 'closed')
            AND (r.patient_key IS NULL OR r.patient_key = file_referral.patient_key OR file_referral.patient_key IS NULL)))
       OR (file_referral.consultation IS NOT NULL AND NOT EXISTS (
            SELECT FROM consultations c WHERE c.id = file_referral.consultation AND c.from_hospital = me.hospital
            AND c.to_hospital = file_referral.to_hospital AND c.status IN ('answered', 'closed') AND c.converted_to IS NULL
            AND c.patient_key IS NOT DISTINCT FROM file_referral.patient_key)) THEN
        RAISE EXCEPTION 'no such referral or consultation to continue' USING ERRCODE = 'insufficient_privilege';
    END IF;
    INSERT INTO referrals (id, alliance, specialty, direction, setting, priority, from_hospital, to_hospital, patient, consent,
        diagnosis, reason, summary, attachments, parent, status, version, respond_by, clock_start, created_at, updated_at,
        consultation, patient_key)
    VALUES ('R-' || lpad(nextval('referral_numbers')::text, 6, '0'), a.code, a.specialty, file_referral.direction, file_referral.setting,
        file_referral.priority, file_referral.from_hospital, file_referral.to_hospital, file_referral.patient, file_referral.consent,
        file_referral.diagnosis, file_referral.reason, file_referral.summary, file_referral.attachments, file_referral.parent,
        'requested', 1, file_referral.respond_by, file_referral.created_at, file_referral.created_at, file_referral.created_at,
        file_referral.consultation, file_referral.patient_key)
    RETURNING referrals.id INTO new_id;
    INSERT INTO referral_events (referral, seq, action, from_status, to_status, actor, at, reason, details)
    VALUES (new_id, 1, 'file', NULL, 'requested', file_referral.actor, file_referral.created_at, file_referral.event_reason, file_referral.details);
    RETURN new_id;
END
$$;

-- One action on a referral, decided by the core from the referral at `version` - 1: written only
-- if the stored referral is still at that version ('changed' otherwise: nothing written), only as
-- a move of the caller's side from the stored status, changing only that action's columns, with
-- the slot changes that action implies (a booking must find a unit: 'no_unit' otherwise) and its
-- event. Returns 'written', 'changed' or 'no_unit'.
CREATE FUNCTION yilian_api.act_on_referral(
    referral_id text, action text, to_hospital text, status text, version integer, respond_by timestamptz, clock_start timestamptz,
    info_requested_at timestamptz, slot_date date, outcome jsonb, escalation integer, first_response_at timestamptz,
    updated_at timestamptz, accepted_at timestamptz, reject_code text, scheduled_at timestamptz, slot_expert boolean,
    actor text, at timestamptz, reason text, details jsonb, book_date date, book_expert boolean, release_date date, release_expert boolean)
RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp SET lock_timeout = '5s' AS $$
DECLARE
    me      record;
    r       referrals;
    a       alliances;
    move    referral_actions;
    side    text;
    changed text[];
    want_book date;
    want_release date;
BEGIN
    SELECT * INTO me FROM yilian_api.caller();
    -- Not one the caller may act on (the owner: any), or moved on meanwhile. Looked at before it
    -- is locked, so that nobody can lock another hospital's referrals; checked again once locked.
    IF NOT EXISTS (SELECT FROM referrals x WHERE x.id = referral_id AND x.version = act_on_referral.version - 1
                   AND (me.hospital IS NULL OR me.hospital IN (x.from_hospital, x.to_hospital))) THEN
        RETURN 'changed';
    END IF;
    SELECT * INTO r FROM referrals WHERE id = referral_id FOR UPDATE;
    IF r.version IS DISTINCT FROM act_on_referral.version - 1 THEN
        RETURN 'changed';
    END IF;
    side := CASE me.hospital WHEN r.from_hospital THEN 'sender' WHEN r.to_hospital THEN 'receiver' END;
    SELECT * INTO a FROM alliances WHERE code = r.alliance;
    SELECT * INTO move FROM referral_actions m
    WHERE m.action = act_on_referral.action AND m.from_status = r.status AND m.to_status = act_on_referral.status
      AND (NOT m.emergency_only OR r.priority = 'emergency');
    -- The system's moves by a user (a coordinator, administrator or integration: a sweep) only once
    -- their deadline passed (ReferralMachine.due): an escalation past the respond-by time, an
    -- expiry past twice the window (or 7 days after a question). The owner's sweep runs on the
    -- clock it is given. Every test is coalesced: a
    -- NULL would let the move through.
    IF NOT FOUND
       OR (move.side = 'system' AND NOT coalesce(act_on_referral.actor = 'system'
               AND (me.hospital IS NULL OR me.duty IN ('coordinator', 'hospital_admin', 'integration')) AND (me.hospital IS NULL OR CASE act_on_referral.action
               WHEN 'escalate' THEN r.respond_by <= now()
               ELSE (r.status = 'requested' AND r.clock_start + 2 * make_interval(hours => CASE r.priority WHEN 'emergency' THEN a.emergency_hours
                         WHEN 'urgent' THEN a.urgent_hours ELSE a.routine_hours END) <= now())
                    OR (r.status = 'info_requested' AND r.info_requested_at + interval '7 days' <= now()) END), false))
       OR (move.side <> 'system' AND NOT coalesce(move.side = side AND me.duty IN ('coordinator', 'hospital_admin', 'integration')
                                                  AND yilian_api.may_name(act_on_referral.actor, me.login, me.hospital, me.duty), false)) THEN
        RAISE EXCEPTION 'this change of referral % is not a move its % may make', r.id, side USING ERRCODE = 'insufficient_privilege';
    END IF;
    changed := array_remove(ARRAY[
        CASE WHEN act_on_referral.to_hospital IS DISTINCT FROM r.to_hospital THEN 'to_hospital' END,
        CASE WHEN act_on_referral.respond_by IS DISTINCT FROM r.respond_by THEN 'respond_by' END,
        CASE WHEN act_on_referral.clock_start IS DISTINCT FROM r.clock_start THEN 'clock_start' END,
        CASE WHEN act_on_referral.info_requested_at IS DISTINCT FROM r.info_requested_at THEN 'info_requested_at' END,
        CASE WHEN act_on_referral.slot_date IS DISTINCT FROM r.slot_date THEN 'slot_date' END,
        CASE WHEN act_on_referral.outcome IS DISTINCT FROM r.outcome THEN 'outcome' END,
        CASE WHEN act_on_referral.escalation IS DISTINCT FROM r.escalation THEN 'escalation' END,
        CASE WHEN act_on_referral.first_response_at IS DISTINCT FROM r.first_response_at THEN 'first_response_at' END,
        CASE WHEN act_on_referral.accepted_at IS DISTINCT FROM r.accepted_at THEN 'accepted_at' END,
        CASE WHEN act_on_referral.reject_code IS DISTINCT FROM r.reject_code THEN 'reject_code' END,
        CASE WHEN act_on_referral.scheduled_at IS DISTINCT FROM r.scheduled_at THEN 'scheduled_at' END,
        CASE WHEN act_on_referral.slot_expert IS DISTINCT FROM r.slot_expert THEN 'slot_expert' END], NULL);
    IF NOT coalesce(changed <@ move.columns, false) THEN
        RAISE EXCEPTION '% may not change % of referral %', act_on_referral.action,
            array_to_string(ARRAY(SELECT unnest(changed) EXCEPT SELECT unnest(move.columns) ORDER BY 1), ', '), r.id
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    -- What the action derives is derived here again: its times are the action's time (now, for
    -- a user's own login), the first response is set once (only a redirect clears it), a new
    -- deadline one window after it (an escalation: after the old one), an escalation one more.
    IF NOT coalesce(yilian_api.on_time(act_on_referral.at) AND act_on_referral.updated_at = act_on_referral.at
           AND ('accepted_at' <> ALL (changed) OR act_on_referral.accepted_at = act_on_referral.at)
           AND ('info_requested_at' <> ALL (changed) OR act_on_referral.info_requested_at = act_on_referral.at)
           AND ('clock_start' <> ALL (changed) OR act_on_referral.clock_start = act_on_referral.at)
           AND ('scheduled_at' <> ALL (changed) OR act_on_referral.scheduled_at = act_on_referral.at)
           AND ('first_response_at' <> ALL (changed)
                OR CASE act_on_referral.action WHEN 'redirect' THEN act_on_referral.first_response_at IS NULL
                        ELSE r.first_response_at IS NULL AND act_on_referral.first_response_at = act_on_referral.at END)
           AND ('escalation' <> ALL (changed) OR act_on_referral.escalation = r.escalation + 1)
           AND ('respond_by' <> ALL (changed) OR act_on_referral.respond_by =
                CASE act_on_referral.action WHEN 'escalate' THEN r.respond_by ELSE act_on_referral.at END
                + make_interval(hours => CASE r.priority WHEN 'emergency' THEN a.emergency_hours WHEN 'urgent' THEN a.urgent_hours
                                             ELSE a.routine_hours END)), false) THEN
        RAISE EXCEPTION 'the times of % on referral % are not the action''s', act_on_referral.action, r.id
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    -- A redirect goes to another active member of the alliance.
    IF act_on_referral.to_hospital IS NULL OR act_on_referral.status IS NULL OR act_on_referral.actor IS NULL THEN
        RAISE EXCEPTION 'a referral always has a receiver, a status and an actor' USING ERRCODE = 'not_null_violation';
    END IF;
    IF act_on_referral.to_hospital <> r.to_hospital AND (act_on_referral.to_hospital = r.from_hospital OR NOT EXISTS (
           SELECT FROM memberships m WHERE m.alliance = r.alliance AND m.hospital = act_on_referral.to_hospital AND m.status = 'active')) THEN
        RAISE EXCEPTION 'a referral is redirected only to another active member of its alliance' USING ERRCODE = 'check_violation';
    END IF;
    -- Reserved slots serve up-referrals: a schedule books the new date, a reschedule books the new
    -- one and gives back the old one, a no-show or a cancel of a scheduled referral gives it back.
    IF r.direction = 'up' THEN
        IF act_on_referral.action IN ('schedule', 'reschedule') THEN
            want_book := act_on_referral.slot_date;
        END IF;
        IF act_on_referral.action IN ('reschedule', 'noShow') OR (act_on_referral.action = 'cancel' AND r.status = 'scheduled') THEN
            want_release := r.slot_date;
        END IF;
    END IF;
    IF book_date IS DISTINCT FROM want_book OR release_date IS DISTINCT FROM want_release
       OR (want_book IS NOT NULL AND book_expert IS DISTINCT FROM act_on_referral.slot_expert)
       OR (want_release IS NOT NULL AND release_expert IS DISTINCT FROM r.slot_expert) THEN
        RAISE EXCEPTION 'the slot changes of % on referral % are not the action''s', act_on_referral.action, r.id
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    -- The slot rows in date order, so that two reschedules crossing each other's dates never deadlock.
    IF want_book IS NOT NULL OR want_release IS NOT NULL THEN
        PERFORM FROM slots s WHERE s.hospital = r.to_hospital AND s.specialty = r.specialty AND s.date IN (want_book, want_release)
        ORDER BY s.date FOR UPDATE;
    END IF;
    IF want_book IS NOT NULL THEN
        UPDATE slots s SET booked = s.booked + 1, expert_booked = s.expert_booked + CASE WHEN book_expert THEN 1 ELSE 0 END
        WHERE s.hospital = r.to_hospital AND s.specialty = r.specialty AND s.date = want_book
          AND CASE WHEN book_expert THEN s.expert_booked < s.expert ELSE s.booked - s.expert_booked < s.capacity - s.expert END;
        IF NOT FOUND THEN
            RETURN 'no_unit';
        END IF;
    END IF;
    IF want_release IS NOT NULL THEN
        UPDATE slots s SET booked = s.booked - 1, expert_booked = s.expert_booked - CASE WHEN release_expert THEN 1 ELSE 0 END
        WHERE s.hospital = r.to_hospital AND s.specialty = r.specialty AND s.date = want_release AND s.booked > 0
          AND (NOT release_expert OR s.expert_booked > 0);
    END IF;
    UPDATE referrals SET to_hospital = act_on_referral.to_hospital, status = act_on_referral.status, version = act_on_referral.version,
        respond_by = act_on_referral.respond_by, clock_start = act_on_referral.clock_start,
        info_requested_at = act_on_referral.info_requested_at, slot_date = act_on_referral.slot_date, outcome = act_on_referral.outcome,
        escalation = act_on_referral.escalation, first_response_at = act_on_referral.first_response_at,
        updated_at = act_on_referral.updated_at, accepted_at = act_on_referral.accepted_at, reject_code = act_on_referral.reject_code,
        scheduled_at = act_on_referral.scheduled_at, slot_expert = act_on_referral.slot_expert,
        earlier_receivers = CASE WHEN act_on_referral.to_hospital <> r.to_hospital THEN r.earlier_receivers || r.to_hospital
                                 ELSE r.earlier_receivers END
    WHERE id = r.id;
    INSERT INTO referral_events (referral, seq, action, from_status, to_status, actor, at, reason, details)
    VALUES (r.id, act_on_referral.version, act_on_referral.action, r.status, act_on_referral.status, act_on_referral.actor,
        act_on_referral.at, act_on_referral.reason, act_on_referral.details);
    RETURN 'written';
END
$$;

GRANT EXECUTE ON FUNCTION yilian_api.file_referral(text, text, text, text, text, text, jsonb, boolean, jsonb, text, text, jsonb, text,
    timestamptz, timestamptz, text, text, jsonb, text, text) TO yilian_user;
GRANT EXECUTE ON FUNCTION yilian_api.act_on_referral(text, text, text, text, integer, timestamptz, timestamptz, timestamptz, date, jsonb,
    integer, timestamptz, timestamptz, timestamptz, text, timestamptz, boolean, text, timestamptz, text, jsonb, date, boolean, date,
    boolean) TO yilian_user;

-- Users write referrals, their events and bookings only through those functions.
REVOKE INSERT, UPDATE ON referrals FROM yilian_user;
REVOKE UPDATE (to_hospital, status, version, respond_by, clock_start, info_requested_at, slot_date, outcome, escalation,
    first_response_at, updated_at, accepted_at, reject_code, scheduled_at, slot_expert) ON referrals FROM yilian_user;
REVOKE INSERT ON referral_events FROM yilian_user;
REVOKE UPDATE (booked, expert_booked) ON slots FROM yilian_user;
REVOKE USAGE ON SEQUENCE referral_numbers FROM yilian_user;
DROP POLICY sender_files ON referrals;
DROP POLICY parties_act ON referrals;
DROP POLICY parties_append ON referral_events;
-- A hospital changes the slots it publishes (slot_capacity_own checks the duty); bookings are
-- the actions' alone.
DROP POLICY parties_book ON slots;
CREATE POLICY own_hospital_republishes ON slots FOR UPDATE USING (hospital = (SELECT yilian_hospital(current_user)));
DROP TRIGGER referrals_move_allowed ON referrals;
DROP FUNCTION referral_move_allowed();
DROP TABLE referral_moves;
