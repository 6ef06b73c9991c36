-- Numbers past 999,999 (found by the attacker who reviewed issue 28's migrations): an id was
-- 'R-' || lpad(n::text, 6, '0'), and lpad cuts a longer text to six characters, so from the
-- millionth number on ten numbers made one id (R-100000 for 1000000 to 1000009) and filing failed
-- on the key. A sequence's numbers are spent by statements that roll back (a user can spend them
-- on purpose, in a loop that undoes itself), so the millionth number comes sooner than the
-- millionth referral. An id now keeps every digit: R-000042, R-999999, R-1000000.
CREATE FUNCTION yilian_private.numbered(prefix text, n bigint) RETURNS text
    LANGUAGE plpgsql IMMUTABLE
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
BEGIN
    RETURN prefix || lpad(n::text, greatest(6, length(n::text)), '0');
END
$$;
REVOKE ALL ON FUNCTION yilian_private.numbered(text, bigint) FROM PUBLIC;

CREATE OR REPLACE FUNCTION yilian_api.apply_for_membership(alliance text, hospital text, role text, facts jsonb, criteria_version integer, evaluation jsonb, at timestamp with time zone, actor text) RETURNS text
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
    new_id text;
BEGIN
    SELECT * INTO me FROM yilian_api.caller();
    IF NOT coalesce(me.duty IN ('coordinator', 'hospital_admin', 'integration') AND apply_for_membership.hospital = me.hospital
                    AND yilian_api.may_name(apply_for_membership.actor, me.login, me.hospital, me.duty)
                    AND yilian_api.on_time(apply_for_membership.at), false) THEN
        RAISE EXCEPTION '% may not apply for %', me.login, apply_for_membership.hospital USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF NOT EXISTS (SELECT FROM alliances a WHERE a.code = apply_for_membership.alliance AND a.status = 'active'
                   AND a.criteria_version = apply_for_membership.criteria_version)
       OR NOT coalesce(apply_for_membership.role <> 'core' AND jsonb_typeof(apply_for_membership.facts) = 'object'
                       AND (SELECT h.level FROM hospitals h WHERE h.code = apply_for_membership.hospital)
                           = yilian_api.required_level(apply_for_membership.role)
                       AND octet_length(apply_for_membership.facts::text) <= 65536
                       AND octet_length(apply_for_membership.evaluation::text) <= 1048576, false)
       OR EXISTS (SELECT FROM memberships m WHERE m.alliance = apply_for_membership.alliance AND m.hospital = apply_for_membership.hospital
                  AND m.status IN ('active', 'suspended')) THEN
        RAISE EXCEPTION 'an application is to an active alliance''s current criteria, by a hospital not a member, of the level its role requires' USING ERRCODE = 'check_violation';
    END IF;
    -- An open application of the same hospital is refused before a number is drawn: a sequence
    -- does not give back what a refused statement took, and application numbers skipped.
    IF EXISTS (SELECT FROM applications a WHERE a.alliance = apply_for_membership.alliance AND a.hospital = apply_for_membership.hospital
               AND a.status IN ('submitted', 'info_requested')) THEN
        RAISE EXCEPTION '% already has an open application to %', apply_for_membership.hospital, apply_for_membership.alliance
            USING ERRCODE = 'unique_violation';
    END IF;
    INSERT INTO applications (id, alliance, hospital, role, status, facts, criteria_version, evaluation, created_at, updated_at)
    VALUES (yilian_private.numbered('A-', nextval('application_numbers')), apply_for_membership.alliance, apply_for_membership.hospital,
        apply_for_membership.role, 'submitted', apply_for_membership.facts, apply_for_membership.criteria_version,
        apply_for_membership.evaluation, apply_for_membership.at, apply_for_membership.at)
    RETURNING applications.id INTO new_id;
    INSERT INTO membership_events (alliance, hospital, application, action, from_status, to_status, actor, at, reason)
    VALUES (apply_for_membership.alliance, apply_for_membership.hospital, new_id, 'apply', NULL, 'submitted', apply_for_membership.actor,
        apply_for_membership.at, NULL);
    RETURN new_id;
END
$$;

CREATE OR REPLACE FUNCTION yilian_private.file_referral(alliance text, direction text, setting text, priority text, from_hospital text, to_hospital text, patient jsonb, consent boolean, diagnosis jsonb, reason text, summary text, attachments jsonb, parent text, respond_by timestamp with time zone, created_at timestamp with time zone, actor text, event_reason text, details jsonb, consultation text, patient_key text) RETURNS text
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
    VALUES (yilian_private.numbered('R-', nextval('referral_numbers')), a.code, a.specialty, file_referral.direction, file_referral.setting,
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

CREATE OR REPLACE FUNCTION yilian_private.request_consultation(alliance text, from_hospital text, to_hospital text, mode text, priority text, patient jsonb, consent boolean, diagnosis jsonb, question text, attachments jsonb, referral text, respond_by timestamp with time zone, created_at timestamp with time zone, actor text, patient_key text) RETURNS text
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
    VALUES (yilian_private.numbered('C-', nextval('consultation_numbers')), a.code, a.specialty, request_consultation.from_hospital,
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
