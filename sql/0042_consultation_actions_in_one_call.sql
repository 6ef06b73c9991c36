-- A consultation action in one call, as a referral's (0041): the wall's function decides what the
-- action does from what it carries (a note, a reason, a time, an opinion, a conclusion, the
-- referral it was converted into), as `ConsultationMachine.transition` does, and writes it; a test
-- holds the two equal for every status x action x side x mode. A refused action writes nothing
-- and answers why, with the consultation as it is.
CREATE FUNCTION yilian_private.consultation_action(
    consultation_id text, action text, expected_version integer, actor text, at timestamp with time zone, reason text,
    decline_code text, scheduled_at timestamp with time zone, recommendation text, converted_to text)
RETURNS SETOF consultations
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp SET lock_timeout = '5s' AS $$
DECLARE
    me      record;
    c       consultations;
    after   consultations;
    move    consultation_actions;
    party   text;
    named   text;
    said    text := consultation_action.reason;
    details jsonb;
BEGIN
    SELECT * INTO me FROM yilian_api.caller();
    -- Whose name the action is in: the caller's, or a user of its hospital an integration names,
    -- who must have a duty that may make the move (yilian_api.named_duty).
    named := yilian_api.named_duty(consultation_action.actor, me.login, me.hospital, me.duty);
    -- Not one the caller may see (the owner: any): nothing. Looked at before it is locked.
    IF NOT EXISTS (SELECT FROM consultations x WHERE x.id = consultation_id
                   AND (me.hospital IS NULL OR me.hospital IN (x.from_hospital, x.to_hospital))) THEN
        RETURN;
    END IF;
    SELECT * INTO c FROM consultations WHERE id = consultation_id FOR UPDATE;
    IF expected_version IS NOT NULL AND c.version <> expected_version THEN
        RAISE EXCEPTION 'consultation % is at version %, not %', c.id, c.version, expected_version USING ERRCODE = 'YL003';
    END IF;
    IF consultation_action.actor = 'system' THEN
        party := 'system';
    ELSE
        party := CASE me.hospital WHEN c.from_hospital THEN 'requester' WHEN c.to_hospital THEN 'consultant' END;
    END IF;
    SELECT * INTO move FROM consultation_actions m
    WHERE m.action = consultation_action.action AND m.from_status = c.status AND m.side = party AND c.mode = ANY (m.modes);
    -- A coordinator (hospital administrator, integration) takes any move of its side, a physician
    -- of the consultant only an opinion, for the caller and for the user it names; the system's
    -- moves by a user only past twice the response window (the owner's sweep runs on the clock it
    -- is given). Every test is coalesced: a NULL would let the move through.
    IF NOT FOUND
       OR (party = 'system' AND NOT coalesce(me.hospital IS NULL OR (me.duty IN ('coordinator', 'hospital_admin', 'integration')
                                                                      AND c.respond_by + (c.respond_by - c.created_at) <= now()), false))
       OR (party <> 'system' AND NOT coalesce(
               (me.duty IN ('coordinator', 'hospital_admin', 'integration') OR (me.duty = 'physician' AND move.action = 'opine'))
               AND (named IN ('coordinator', 'hospital_admin', 'integration') OR (named = 'physician' AND move.action = 'opine')), false)) THEN
        RAISE EXCEPTION 'this change of consultation % is not a move its % may make', c.id, coalesce(party, 'reader')
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF NOT coalesce(yilian_api.on_time(consultation_action.at), false) THEN
        RAISE EXCEPTION 'the time of % on consultation % is not now', consultation_action.action, c.id
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    -- Only what the action carries.
    IF (said IS NOT NULL AND consultation_action.action NOT IN ('accept', 'decline', 'opine', 'conclude', 'cancel'))
       OR (consultation_action.decline_code IS NOT NULL AND consultation_action.action <> 'decline')
       OR (consultation_action.scheduled_at IS NOT NULL AND consultation_action.action <> 'schedule')
       OR (consultation_action.recommendation IS NOT NULL AND consultation_action.action <> 'opine')
       OR (consultation_action.converted_to IS NOT NULL AND consultation_action.action <> 'convert') THEN
        RAISE EXCEPTION '% carries only what it changes', consultation_action.action USING ERRCODE = 'check_violation';
    END IF;
    IF consultation_action.action IN ('opine', 'conclude', 'cancel') AND coalesce(btrim(said), '') = '' THEN
        RAISE EXCEPTION 'a % says what', consultation_action.action USING ERRCODE = 'check_violation';
    END IF;
    after := c;
    IF party = 'consultant' AND c.first_response_at IS NULL THEN
        after.first_response_at := at;
    END IF;
    CASE consultation_action.action
    WHEN 'decline' THEN
        IF decline_code IS NULL OR decline_code NOT IN ('outside_scope', 'insufficient_information', 'no_capacity', 'refer_instead', 'other')
           OR (decline_code = 'other' AND coalesce(btrim(said), '') = '') THEN
            RAISE EXCEPTION 'a decline has one of the reason codes (DeclineReason), and a reason when it is other'
                USING ERRCODE = 'check_violation';
        END IF;
        after.decline_code := decline_code;
        details := jsonb_build_object('reasonCode', decline_code);
    WHEN 'schedule' THEN
        IF NOT coalesce(consultation_action.scheduled_at > at, false) THEN
            RAISE EXCEPTION 'a consultation is scheduled ahead' USING ERRCODE = 'check_violation';
        END IF;
        after.scheduled_at := consultation_action.scheduled_at;
        details := jsonb_build_object('at', to_char(consultation_action.scheduled_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'));
    WHEN 'opine' THEN
        -- Added once, in the expert's own name, at the action's time; earlier ones stay as they were.
        IF recommendation IS NULL OR recommendation NOT IN ('manage_locally', 'refer_up', 'refer_down', 'further_tests')
           OR EXISTS (SELECT FROM jsonb_array_elements(c.opinions) o WHERE o ->> 'expert' = consultation_action.actor) THEN
            RAISE EXCEPTION 'an opinion is added once, in its expert''s own name, with one of the recommendations'
                USING ERRCODE = 'check_violation';
        END IF;
        after.opinions := c.opinions || jsonb_build_array(jsonb_build_object(
            'expert', consultation_action.actor, 'summary', said, 'recommendation', recommendation,
            'at', to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')));
        details := jsonb_build_object('recommendation', recommendation);
    WHEN 'conclude' THEN
        IF jsonb_array_length(c.opinions) = 0 THEN
            RAISE EXCEPTION 'a consultation is concluded after an opinion' USING ERRCODE = 'check_violation';
        END IF;
        after.conclusion := said;
        after.answered_at := at;
    WHEN 'convert' THEN
        -- Into the referral filed from it, once.
        IF NOT coalesce(c.converted_to IS NULL AND EXISTS (
               SELECT FROM referrals r WHERE r.id = consultation_action.converted_to AND r.consultation = c.id), false) THEN
            RAISE EXCEPTION 'a consultation is converted once, into the referral filed from it' USING ERRCODE = 'check_violation';
        END IF;
        after.converted_to := consultation_action.converted_to;
        details := jsonb_build_object('referral', consultation_action.converted_to);
    ELSE
        NULL;  -- accept, acknowledge, cancel, expire: the status alone.
    END CASE;
    after.status := move.to_status;
    after.version := c.version + 1;
    after.updated_at := at;
    UPDATE consultations x SET status = after.status, version = after.version, scheduled_at = after.scheduled_at,
        opinions = after.opinions, conclusion = after.conclusion, converted_to = after.converted_to,
        decline_code = after.decline_code, first_response_at = after.first_response_at, answered_at = after.answered_at,
        updated_at = after.updated_at
    WHERE x.id = c.id;
    INSERT INTO consultation_events (consultation, seq, action, from_status, to_status, actor, at, reason, details)
    VALUES (c.id, after.version, consultation_action.action, c.status, after.status, consultation_action.actor, at, said, details);
    -- The answer shows the consultation: a read, logged as the action's (a sweep's as the login's).
    PERFORM yilian_api.log_access(CASE WHEN party = 'system' THEN NULL ELSE consultation_action.actor END,
        'consultation.' || CASE WHEN party = 'system' THEN 'sweep' ELSE consultation_action.action END, ARRAY[c.id]);
    RETURN NEXT yilian_api.unkeyed(after);
END
$$;
REVOKE ALL ON FUNCTION yilian_private.consultation_action(text, text, integer, text, timestamp with time zone, text, text,
    timestamp with time zone, text, text) FROM PUBLIC;

-- The caller's entry, as referral_action's: the consultation as the action left it, or why it was
-- refused and the consultation as it is; either answer is a read, logged as the action's.
CREATE FUNCTION yilian_api.consultation_action(
    consultation_id text, action text, expected_version integer, actor text, at timestamp with time zone, reason text,
    decline_code text, scheduled_at timestamp with time zone, recommendation text, converted_to text)
RETURNS TABLE(refusal text, refusal_code text, consultation consultations)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
    RETURN QUERY SELECT NULL::text, NULL::text, x FROM yilian_private.consultation_action($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) x;
EXCEPTION
    WHEN insufficient_privilege OR check_violation OR not_null_violation OR SQLSTATE 'YL003' THEN
        RETURN QUERY SELECT SQLERRM, SQLSTATE, x
        FROM yilian_api.consultation(CASE WHEN $4 = 'system' THEN NULL ELSE $4 END,
                                     'consultation.' || CASE WHEN $4 = 'system' THEN 'sweep' ELSE $2 END, $1) x;
    WHEN integrity_constraint_violation THEN
        -- Without the detail, which quotes the row.
        RAISE EXCEPTION USING ERRCODE = SQLSTATE, MESSAGE = SQLERRM;
END
$$;
REVOKE ALL ON FUNCTION yilian_api.consultation_action(text, text, integer, text, timestamp with time zone, text, text,
    timestamp with time zone, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION yilian_api.consultation_action(text, text, integer, text, timestamp with time zone, text, text,
    timestamp with time zone, text, text) TO yilian_user;

DROP FUNCTION yilian_api.act_on_consultation(text, text, text, integer, timestamp with time zone, jsonb, text, text, text,
    timestamp with time zone, timestamp with time zone, timestamp with time zone, text, timestamp with time zone, text, jsonb);
DROP FUNCTION yilian_private.act_on_consultation(text, text, text, integer, timestamp with time zone, jsonb, text, text, text,
    timestamp with time zone, timestamp with time zone, timestamp with time zone, text, timestamp with time zone, text, jsonb);

-- The wall no longer checks the columns a caller changed (it changes them itself): the move tables
-- keep the moves.
ALTER TABLE referral_actions DROP COLUMN columns;
ALTER TABLE consultation_actions DROP COLUMN columns;
