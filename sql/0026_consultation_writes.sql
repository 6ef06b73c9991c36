-- The wall, part three: a consultation changes only through the owner's functions, as a referral
-- does (0025). Users held INSERT and UPDATE on consultations and INSERT on their events, checked
-- by status and side only: the requester could rewrite the expert's opinions and conclusion,
-- which `consultation show` displays as the expert's, and append any event. Now
-- yilian_api.request_consultation and yilian_api.act_on_consultation take the actor from the
-- session, check duty, side, move and mode (consultation_actions, written from the core's
-- machine; a test holds the two equal), the columns the action changes, an opinion only added
-- (in the expert's own name, once), a conversion only to the referral filed from it; and write
-- the event themselves.

CREATE TABLE consultation_actions (
    action      text NOT NULL,
    side        text NOT NULL CHECK (side IN ('requester', 'consultant', 'system')),
    from_status text NOT NULL,
    to_status   text NOT NULL,
    modes       text[] NOT NULL,
    columns     text[] NOT NULL,
    PRIMARY KEY (action, from_status)
);
INSERT INTO consultation_actions (action, side, from_status, to_status, modes, columns) VALUES
    ('accept',      'consultant', 'requested', 'accepted',  '{advice,mdt,remote}', '{first_response_at}'),
    ('decline',     'consultant', 'requested', 'declined',  '{advice,mdt,remote}', '{decline_code,first_response_at}'),
    ('schedule',    'consultant', 'accepted',  'scheduled', '{mdt,remote}',        '{scheduled_at,first_response_at}'),
    ('schedule',    'consultant', 'scheduled', 'scheduled', '{mdt,remote}',        '{scheduled_at,first_response_at}'),
    ('opine',       'consultant', 'accepted',  'accepted',  '{advice}',            '{opinions,first_response_at}'),
    ('opine',       'consultant', 'scheduled', 'scheduled', '{mdt,remote}',        '{opinions,first_response_at}'),
    ('conclude',    'consultant', 'accepted',  'answered',  '{advice}',            '{conclusion,answered_at,first_response_at}'),
    ('conclude',    'consultant', 'scheduled', 'answered',  '{mdt,remote}',        '{conclusion,answered_at,first_response_at}'),
    ('acknowledge', 'requester',  'answered',  'closed',    '{advice,mdt,remote}', '{}'),
    ('cancel',      'requester',  'requested', 'cancelled', '{advice,mdt,remote}', '{}'),
    ('cancel',      'requester',  'accepted',  'cancelled', '{advice,mdt,remote}', '{}'),
    ('cancel',      'requester',  'scheduled', 'cancelled', '{advice,mdt,remote}', '{}'),
    ('convert',     'requester',  'answered',  'answered',  '{advice,mdt,remote}', '{converted_to}'),
    ('convert',     'requester',  'closed',    'closed',    '{advice,mdt,remote}', '{converted_to}'),
    ('expire',      'system',     'requested', 'expired',   '{advice,mdt,remote}', '{}'),
    ('expire',      'system',     'accepted',  'expired',   '{advice,mdt,remote}', '{}');
GRANT SELECT ON consultation_actions TO yilian_user;

-- Asks for a consultation from the caller's own hospital, with its request event (seq 1): the
-- caller's duty handles consultations, both hospitals are active members of the active
-- alliance, it is asked now (yilian_api.on_time) to answer within the alliance's window, a
-- referral it concerns is one the caller may see. Returns the new id.
CREATE FUNCTION yilian_api.request_consultation(
    alliance text, from_hospital text, to_hospital text, mode text, priority text, patient jsonb, consent boolean, diagnosis jsonb,
    question text, attachments jsonb, referral text, respond_by timestamptz, created_at timestamptz, actor text, patient_key text)
RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    me     record;
    a      alliances;
    new_id text;
BEGIN
    SELECT * INTO me FROM yilian_api.caller();
    IF NOT coalesce(me.duty IN ('coordinator', 'hospital_admin', 'integration') AND request_consultation.from_hospital = me.hospital
                    AND yilian_api.may_name(request_consultation.actor, me.login, me.hospital, me.duty), false) THEN
        RAISE EXCEPTION '% may not ask consultations for %', me.login, request_consultation.from_hospital
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    SELECT * INTO a FROM alliances WHERE code = request_consultation.alliance AND status = 'active';
    IF NOT FOUND OR NOT coalesce(request_consultation.to_hospital <> request_consultation.from_hospital, false)
       OR (SELECT count(*) FROM memberships m WHERE m.alliance = a.code AND m.status = 'active'
           AND m.hospital IN (request_consultation.from_hospital, request_consultation.to_hospital)) <> 2 THEN
        RAISE EXCEPTION 'both hospitals must be active members of an active alliance' USING ERRCODE = 'check_violation';
    END IF;
    IF NOT yilian_api.on_time(request_consultation.created_at)
       OR request_consultation.respond_by IS DISTINCT FROM request_consultation.created_at + make_interval(hours =>
           CASE request_consultation.priority WHEN 'emergency' THEN a.emergency_hours WHEN 'urgent' THEN a.urgent_hours
                ELSE a.routine_hours END) THEN
        RAISE EXCEPTION 'a consultation is asked now, to answer within the alliance''s window' USING ERRCODE = 'check_violation';
    END IF;
    IF request_consultation.referral IS NOT NULL AND NOT EXISTS (
           SELECT FROM referrals r WHERE r.id = request_consultation.referral
           AND (me.hospital IN (r.from_hospital, r.to_hospital) OR me.hospital = ANY (r.earlier_receivers))) THEN
        RAISE EXCEPTION 'no such referral' USING ERRCODE = 'insufficient_privilege';
    END IF;
    INSERT INTO consultations (id, alliance, specialty, from_hospital, to_hospital, mode, priority, patient, consent, diagnosis, question,
        attachments, referral, status, version, respond_by, created_at, updated_at, patient_key)
    VALUES ('C-' || lpad(nextval('consultation_numbers')::text, 6, '0'), a.code, a.specialty, request_consultation.from_hospital,
        request_consultation.to_hospital, request_consultation.mode, request_consultation.priority, request_consultation.patient,
        request_consultation.consent, request_consultation.diagnosis, request_consultation.question, request_consultation.attachments,
        request_consultation.referral, 'requested', 1, request_consultation.respond_by, request_consultation.created_at,
        request_consultation.created_at, request_consultation.patient_key)
    RETURNING consultations.id INTO new_id;
    INSERT INTO consultation_events (consultation, seq, action, from_status, to_status, actor, at, reason)
    VALUES (new_id, 1, 'request', NULL, 'requested', request_consultation.actor, request_consultation.created_at,
        request_consultation.question);
    RETURN new_id;
END
$$;

-- One action on a consultation, decided by the core from the consultation at `version` - 1:
-- written with its event only if the stored consultation is still at that version (false
-- otherwise: nothing written), only as a move of the caller's side and duty in the
-- consultation's mode, changing only that action's columns.
CREATE FUNCTION yilian_api.act_on_consultation(
    consultation_id text, action text, status text, version integer, scheduled_at timestamptz, opinions jsonb, conclusion text,
    converted_to text, decline_code text, first_response_at timestamptz, answered_at timestamptz, updated_at timestamptz, actor text,
    at timestamptz, reason text, details jsonb)
RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp SET lock_timeout = '5s' AS $$
DECLARE
    me      record;
    c       consultations;
    move    consultation_actions;
    side    text;
    changed text[];
BEGIN
    SELECT * INTO me FROM yilian_api.caller();
    -- Looked at before it is locked (nobody locks another hospital's consultations), checked
    -- again once locked.
    IF NOT EXISTS (SELECT FROM consultations x WHERE x.id = consultation_id AND x.version = act_on_consultation.version - 1
                   AND (me.hospital IS NULL OR me.hospital IN (x.from_hospital, x.to_hospital))) THEN
        RETURN false;
    END IF;
    SELECT * INTO c FROM consultations WHERE id = consultation_id FOR UPDATE;
    IF c.version IS DISTINCT FROM act_on_consultation.version - 1 THEN
        RETURN false;
    END IF;
    side := CASE me.hospital WHEN c.from_hospital THEN 'requester' WHEN c.to_hospital THEN 'consultant' END;
    SELECT * INTO move FROM consultation_actions m
    WHERE m.action = act_on_consultation.action AND m.from_status = c.status AND m.to_status = act_on_consultation.status
      AND c.mode = ANY (m.modes);
    -- A coordinator (hospital administrator, integration) takes any move of its side, a
    -- physician of the consultant only an opinion; the system's moves by a user only past twice
    -- the response window (the owner's sweep runs on the clock it is given). Every test is
    -- coalesced: a NULL would let the move through.
    IF NOT FOUND
       OR (move.side = 'system' AND NOT coalesce(act_on_consultation.actor = 'system'
               AND (me.hospital IS NULL OR (me.duty IN ('coordinator', 'hospital_admin', 'integration')
                                            AND c.respond_by + (c.respond_by - c.created_at) <= now())), false))
       OR (move.side <> 'system' AND NOT coalesce(move.side = side
               AND (me.duty IN ('coordinator', 'hospital_admin', 'integration') OR (me.duty = 'physician' AND move.action = 'opine'))
               AND yilian_api.may_name(act_on_consultation.actor, me.login, me.hospital, me.duty), false)) THEN
        RAISE EXCEPTION 'this change of consultation % is not a move its % may make', c.id, side USING ERRCODE = 'insufficient_privilege';
    END IF;
    changed := array_remove(ARRAY[
        CASE WHEN act_on_consultation.scheduled_at IS DISTINCT FROM c.scheduled_at THEN 'scheduled_at' END,
        CASE WHEN act_on_consultation.opinions IS DISTINCT FROM c.opinions THEN 'opinions' END,
        CASE WHEN act_on_consultation.conclusion IS DISTINCT FROM c.conclusion THEN 'conclusion' END,
        CASE WHEN act_on_consultation.converted_to IS DISTINCT FROM c.converted_to THEN 'converted_to' END,
        CASE WHEN act_on_consultation.decline_code IS DISTINCT FROM c.decline_code THEN 'decline_code' END,
        CASE WHEN act_on_consultation.first_response_at IS DISTINCT FROM c.first_response_at THEN 'first_response_at' END,
        CASE WHEN act_on_consultation.answered_at IS DISTINCT FROM c.answered_at THEN 'answered_at' END], NULL);
    IF NOT coalesce(changed <@ move.columns, false) THEN
        RAISE EXCEPTION '% may not change % of consultation %', act_on_consultation.action,
            array_to_string(ARRAY(SELECT unnest(changed) EXCEPT SELECT unnest(move.columns) ORDER BY 1), ', '), c.id
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    -- Its times are the action's time (now, for a user's own login); a sitting is scheduled ahead.
    IF NOT coalesce(yilian_api.on_time(act_on_consultation.at) AND act_on_consultation.updated_at = act_on_consultation.at
           AND ('first_response_at' <> ALL (changed) OR act_on_consultation.first_response_at = act_on_consultation.at)
           AND ('answered_at' <> ALL (changed) OR act_on_consultation.answered_at = act_on_consultation.at)
           AND ('scheduled_at' <> ALL (changed) OR act_on_consultation.scheduled_at > act_on_consultation.at), false) THEN
        RAISE EXCEPTION 'the times of % on consultation % are not the action''s', act_on_consultation.action, c.id
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    -- An opinion is added, never changed: the earlier ones as they were, one more in the
    -- actor's own name at the action's time, the first of that expert.
    IF act_on_consultation.action = 'opine' AND NOT coalesce(
           jsonb_typeof(act_on_consultation.opinions) = 'array'
           AND jsonb_array_length(act_on_consultation.opinions) = jsonb_array_length(c.opinions) + 1
           AND act_on_consultation.opinions - (-1) = c.opinions
           AND act_on_consultation.opinions -> -1 ->> 'expert' = act_on_consultation.actor
           AND (act_on_consultation.opinions -> -1 ->> 'at')::timestamptz = date_trunc('second', act_on_consultation.at)
           AND NOT EXISTS (SELECT FROM jsonb_array_elements(c.opinions) o WHERE o ->> 'expert' = act_on_consultation.actor), false) THEN
        RAISE EXCEPTION 'an opinion is added once, in its expert''s own name, and earlier ones stay as they were'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF act_on_consultation.action = 'conclude' AND jsonb_array_length(c.opinions) = 0 THEN
        RAISE EXCEPTION 'a consultation is concluded after an opinion' USING ERRCODE = 'check_violation';
    END IF;
    -- A conversion records the referral filed from this consultation, once.
    IF act_on_consultation.action = 'convert' AND NOT coalesce(c.converted_to IS NULL AND EXISTS (
           SELECT FROM referrals r WHERE r.id = act_on_consultation.converted_to AND r.consultation = c.id), false) THEN
        RAISE EXCEPTION 'a consultation is converted once, into the referral filed from it' USING ERRCODE = 'check_violation';
    END IF;
    UPDATE consultations SET status = act_on_consultation.status, version = act_on_consultation.version,
        scheduled_at = act_on_consultation.scheduled_at, opinions = act_on_consultation.opinions,
        conclusion = act_on_consultation.conclusion, converted_to = act_on_consultation.converted_to,
        decline_code = act_on_consultation.decline_code, first_response_at = act_on_consultation.first_response_at,
        answered_at = act_on_consultation.answered_at, updated_at = act_on_consultation.updated_at
    WHERE id = c.id;
    INSERT INTO consultation_events (consultation, seq, action, from_status, to_status, actor, at, reason, details)
    VALUES (c.id, act_on_consultation.version, act_on_consultation.action, c.status, act_on_consultation.status,
        act_on_consultation.actor, act_on_consultation.at, act_on_consultation.reason, act_on_consultation.details);
    RETURN true;
END
$$;

GRANT EXECUTE ON FUNCTION yilian_api.request_consultation(text, text, text, text, text, jsonb, boolean, jsonb, text, jsonb, text,
    timestamptz, timestamptz, text, text) TO yilian_user;
GRANT EXECUTE ON FUNCTION yilian_api.act_on_consultation(text, text, text, integer, timestamptz, jsonb, text, text, text, timestamptz,
    timestamptz, timestamptz, text, timestamptz, text, jsonb) TO yilian_user;

REVOKE INSERT, UPDATE ON consultations FROM yilian_user;
REVOKE UPDATE (status, version, scheduled_at, opinions, conclusion, converted_to, decline_code, first_response_at, answered_at, updated_at)
    ON consultations FROM yilian_user;
REVOKE INSERT ON consultation_events FROM yilian_user;
REVOKE USAGE ON SEQUENCE consultation_numbers FROM yilian_user;
DROP POLICY requester_asks ON consultations;
DROP POLICY parties_act ON consultations;
DROP POLICY parties_append ON consultation_events;
DROP TRIGGER consultations_move_allowed ON consultations;
DROP FUNCTION consultation_move_allowed();
DROP TABLE consultation_moves;
