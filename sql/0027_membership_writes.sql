-- The wall, part four: alliances, criteria, applications and memberships change only through the
-- owner's functions, each writing its membership events itself. Users held INSERT and UPDATE on
-- them under row policies that checked the hospital, not the action nor the duty: an applicant
-- rewrote its stored evaluation to `eligible`; a physician of the core inserted a membership and
-- revoked another member; an auditor appended membership events. Now:
-- - the platform (platform_admin) creates alliances, with the core's membership and its event;
-- - the core's hospital administrator sets criteria, decides applications and suspends,
--   reinstates and revokes members (SPEC §6);
-- - an applicant's coordinator, hospital administrator or integration applies, updates and
--   withdraws its own hospital's applications;
-- each only as a move of the application's or membership's machine (application_actions,
-- membership_actions, written from the core's machines; a test holds them equal), changing
-- only that action's columns. A stored evaluation is the applicant's cache for display: the
-- core's decision evaluates the facts again (Services.decide).

CREATE TABLE application_actions (
    action      text NOT NULL,
    side        text NOT NULL CHECK (side IN ('applicant', 'core')),
    from_status text NOT NULL,
    to_status   text NOT NULL,
    columns     text[] NOT NULL,
    PRIMARY KEY (action, from_status)
);
INSERT INTO application_actions (action, side, from_status, to_status, columns) VALUES
    ('update',       'applicant', 'info_requested', 'submitted',      '{facts,criteria_version,evaluation}'),
    ('withdraw',     'applicant', 'submitted',      'withdrawn',      '{}'),
    ('withdraw',     'applicant', 'info_requested', 'withdrawn',      '{}'),
    ('approve',      'core',      'submitted',      'approved',       '{decision_reason,override}'),
    ('reject',       'core',      'submitted',      'rejected',       '{decision_reason}'),
    ('request_info', 'core',      'submitted',      'info_requested', '{decision_reason}');

CREATE TABLE membership_actions (
    action      text NOT NULL,
    from_status text NOT NULL,
    to_status   text NOT NULL,
    PRIMARY KEY (action, from_status)
);
INSERT INTO membership_actions (action, from_status, to_status) VALUES
    ('suspend',   'active',    'suspended'),
    ('reinstate', 'suspended', 'active'),
    ('revoke',    'active',    'revoked'),
    ('revoke',    'suspended', 'revoked');
GRANT SELECT ON application_actions, membership_actions TO yilian_user;

-- Whether the caller is the hospital administrator of the alliance's core.
CREATE FUNCTION yilian_api.is_core_admin(me_hospital text, me_duty text, alliance text) RETURNS boolean
LANGUAGE sql STABLE SET search_path = pg_catalog, public, pg_temp AS $$
    SELECT coalesce(me_duty = 'hospital_admin' AND EXISTS (SELECT FROM alliances a WHERE a.code = $3 AND a.core = me_hospital), false)
$$;

-- The platform creates an alliance around a tertiary core hospital, which becomes its first
-- member (event `create`).
CREATE FUNCTION yilian_api.create_alliance(
    code text, name text, specialty text, core text, emergency_hours integer, urgent_hours integer, routine_hours integer,
    time_zone text, slot_lead_days integer, at timestamptz, actor text)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    me record;
BEGIN
    SELECT * INTO me FROM yilian_api.caller();
    IF NOT coalesce(me.duty = 'platform_admin' AND create_alliance.actor = me.login AND yilian_api.on_time(create_alliance.at), false) THEN
        RAISE EXCEPTION '% may not create alliances', me.login USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF NOT EXISTS (SELECT FROM hospitals h WHERE h.code = create_alliance.core AND h.level = 3) THEN
        RAISE EXCEPTION 'the core hospital is a registered tertiary hospital' USING ERRCODE = 'check_violation';
    END IF;
    INSERT INTO alliances (code, name, specialty, core, emergency_hours, urgent_hours, routine_hours, time_zone, slot_lead_days, created_at)
    VALUES (create_alliance.code, create_alliance.name, create_alliance.specialty, create_alliance.core, create_alliance.emergency_hours,
        create_alliance.urgent_hours, create_alliance.routine_hours, create_alliance.time_zone, create_alliance.slot_lead_days,
        create_alliance.at);
    INSERT INTO memberships (alliance, hospital, role, status, since, updated_at)
    VALUES (create_alliance.code, create_alliance.core, 'core', 'active', create_alliance.at, create_alliance.at);
    INSERT INTO membership_events (alliance, hospital, application, action, from_status, to_status, actor, at, reason)
    VALUES (create_alliance.code, create_alliance.core, NULL, 'create', NULL, 'active', create_alliance.actor, create_alliance.at,
        'core hospital');
END
$$;

-- The core's hospital administrator publishes a new criteria version and makes it current;
-- returns its number.
CREATE FUNCTION yilian_api.set_criteria(alliance text, document jsonb, at timestamptz, actor text) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    me      record;
    version integer;
BEGIN
    SELECT * INTO me FROM yilian_api.caller();
    IF NOT (yilian_api.is_core_admin(me.hospital, me.duty, set_criteria.alliance) AND set_criteria.actor IS NOT DISTINCT FROM me.login
            AND yilian_api.on_time(set_criteria.at) AND jsonb_typeof(set_criteria.document) = 'object'
            AND octet_length(set_criteria.document::text) <= 1048576) THEN
        RAISE EXCEPTION '% may not set the criteria of %', me.login, set_criteria.alliance USING ERRCODE = 'insufficient_privilege';
    END IF;
    UPDATE alliances a SET criteria_version = a.criteria_version + 1 WHERE a.code = set_criteria.alliance
    RETURNING a.criteria_version INTO version;
    INSERT INTO criteria_versions (alliance, version, document, created_by, created_at)
    VALUES (set_criteria.alliance, version, set_criteria.document, set_criteria.actor, set_criteria.at);
    RETURN version;
END
$$;

-- An application of the caller's own hospital to an active alliance, judged against its current
-- criteria (the evaluation is the applicant's, kept for display), with its event `apply`.
CREATE FUNCTION yilian_api.apply_for_membership(
    alliance text, hospital text, role text, facts jsonb, criteria_version integer, evaluation jsonb, at timestamptz, actor text)
RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
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
                       AND octet_length(apply_for_membership.facts::text) <= 65536
                       AND octet_length(apply_for_membership.evaluation::text) <= 1048576, false)
       OR EXISTS (SELECT FROM memberships m WHERE m.alliance = apply_for_membership.alliance AND m.hospital = apply_for_membership.hospital
                  AND m.status IN ('active', 'suspended')) THEN
        RAISE EXCEPTION 'an application is to an active alliance''s current criteria, by a hospital not a member' USING ERRCODE = 'check_violation';
    END IF;
    INSERT INTO applications (id, alliance, hospital, role, status, facts, criteria_version, evaluation, created_at, updated_at)
    VALUES ('A-' || lpad(nextval('application_numbers')::text, 6, '0'), apply_for_membership.alliance, apply_for_membership.hospital,
        apply_for_membership.role, 'submitted', apply_for_membership.facts, apply_for_membership.criteria_version,
        apply_for_membership.evaluation, apply_for_membership.at, apply_for_membership.at)
    RETURNING applications.id INTO new_id;
    INSERT INTO membership_events (alliance, hospital, application, action, from_status, to_status, actor, at, reason)
    VALUES (apply_for_membership.alliance, apply_for_membership.hospital, new_id, 'apply', NULL, 'submitted', apply_for_membership.actor,
        apply_for_membership.at, NULL);
    RETURN new_id;
END
$$;

-- One action on an application, decided by the core from the application as stored (locked
-- here): a move of the caller's side, by the applicant's coordinator (administrator,
-- integration) or the core's hospital administrator, changing only that action's columns, one
-- version on, with its event; an approval also makes the applicant an active member (event
-- `admit`). An updated evaluation is judged against the current criteria version.
CREATE FUNCTION yilian_api.act_on_application(
    application_id text, action text, status text, version integer, facts jsonb, criteria_version integer, evaluation jsonb,
    decision_reason text, override text, at timestamptz, actor text, reason text)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    me      record;
    app     applications;
    move    application_actions;
    side    text;
    changed text[];
BEGIN
    SELECT * INTO me FROM yilian_api.caller();
    -- Its applicant's and its core's only, whether or not it exists for anyone else; looked at
    -- before it is locked (nobody locks another hospital's application).
    SELECT * INTO app FROM applications WHERE id = application_id;
    side := CASE WHEN me.hospital = app.hospital THEN 'applicant'
                 WHEN EXISTS (SELECT FROM alliances a WHERE a.code = app.alliance AND a.core = me.hospital) THEN 'core' END;
    IF side IS NULL THEN
        RAISE EXCEPTION 'no application %', application_id USING ERRCODE = 'no_data_found';
    END IF;
    SELECT * INTO app FROM applications WHERE id = application_id FOR UPDATE;
    SELECT * INTO move FROM application_actions m
    WHERE m.action = act_on_application.action AND m.from_status = app.status AND m.to_status = act_on_application.status;
    IF NOT FOUND OR NOT coalesce(move.side = side AND app.version = act_on_application.version - 1
           AND yilian_api.may_name(act_on_application.actor, me.login, me.hospital, me.duty) AND yilian_api.on_time(act_on_application.at)
           AND CASE side WHEN 'applicant' THEN me.duty IN ('coordinator', 'hospital_admin', 'integration')
                         ELSE me.duty = 'hospital_admin' END, false) THEN
        RAISE EXCEPTION 'this change of application % is not a move its % may make', app.id, coalesce(side, 'reader')
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    changed := array_remove(ARRAY[
        CASE WHEN act_on_application.facts IS DISTINCT FROM app.facts THEN 'facts' END,
        CASE WHEN act_on_application.criteria_version IS DISTINCT FROM app.criteria_version THEN 'criteria_version' END,
        CASE WHEN act_on_application.evaluation IS DISTINCT FROM app.evaluation THEN 'evaluation' END,
        CASE WHEN act_on_application.decision_reason IS DISTINCT FROM app.decision_reason THEN 'decision_reason' END,
        CASE WHEN act_on_application.override IS DISTINCT FROM app.override THEN 'override' END], NULL);
    IF NOT coalesce(changed <@ move.columns AND jsonb_typeof(act_on_application.facts) = 'object'
                    AND octet_length(act_on_application.facts::text) <= 65536
                    AND octet_length(coalesce(act_on_application.evaluation::text, '')) <= 1048576
                    AND octet_length(coalesce(act_on_application.decision_reason, '') || coalesce(act_on_application.override, '')
                                     || coalesce(act_on_application.reason, '')) <= 1048576, false)
       OR (act_on_application.action = 'update' AND NOT EXISTS (
               SELECT FROM alliances a WHERE a.code = app.alliance AND a.criteria_version = act_on_application.criteria_version)) THEN
        RAISE EXCEPTION '% may not change % of application %', act_on_application.action,
            array_to_string(ARRAY(SELECT unnest(changed) EXCEPT SELECT unnest(move.columns) ORDER BY 1), ', '), app.id
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    UPDATE applications SET status = act_on_application.status, facts = act_on_application.facts,
        criteria_version = act_on_application.criteria_version, evaluation = act_on_application.evaluation,
        decision_reason = act_on_application.decision_reason, override = act_on_application.override,
        updated_at = act_on_application.at, version = act_on_application.version
    WHERE id = app.id;
    INSERT INTO membership_events (alliance, hospital, application, action, from_status, to_status, actor, at, reason)
    VALUES (app.alliance, app.hospital, app.id, act_on_application.action, app.status, act_on_application.status,
        act_on_application.actor, act_on_application.at, act_on_application.reason);
    IF act_on_application.action = 'approve' THEN
        INSERT INTO memberships (alliance, hospital, role, status, since, updated_at)
        VALUES (app.alliance, app.hospital, app.role, 'active', act_on_application.at, act_on_application.at)
        ON CONFLICT (alliance, hospital) DO UPDATE SET role = EXCLUDED.role, status = 'active', since = EXCLUDED.since,
            updated_at = EXCLUDED.updated_at;
        INSERT INTO membership_events (alliance, hospital, application, action, from_status, to_status, actor, at, reason)
        VALUES (app.alliance, app.hospital, app.id, 'admit', NULL, 'active', act_on_application.actor, act_on_application.at,
            act_on_application.decision_reason);
    END IF;
END
$$;

-- The core's hospital administrator suspends, reinstates or revokes a member (never the core
-- itself), with the event.
CREATE FUNCTION yilian_api.change_membership(alliance text, hospital text, action text, status text, at timestamptz, actor text, reason text)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    me     record;
    member memberships;
BEGIN
    SELECT * INTO me FROM yilian_api.caller();
    IF NOT (yilian_api.is_core_admin(me.hospital, me.duty, change_membership.alliance)
            AND yilian_api.may_name(change_membership.actor, me.login, me.hospital, me.duty) IS TRUE
            AND yilian_api.on_time(change_membership.at)) THEN
        RAISE EXCEPTION 'this change of %''s membership of % is not a move % may make', change_membership.hospital,
            change_membership.alliance, me.login USING ERRCODE = 'insufficient_privilege';
    END IF;
    SELECT * INTO member FROM memberships m WHERE m.alliance = change_membership.alliance AND m.hospital = change_membership.hospital
    FOR UPDATE;
    IF NOT FOUND OR member.role = 'core'
       OR NOT EXISTS (SELECT FROM membership_actions m WHERE m.action = change_membership.action AND m.from_status = member.status
                      AND m.to_status = change_membership.status) THEN
        RAISE EXCEPTION 'this change of %''s membership of % is not a move % may make', change_membership.hospital,
            change_membership.alliance, me.login USING ERRCODE = 'insufficient_privilege';
    END IF;
    UPDATE memberships m SET status = change_membership.status, updated_at = change_membership.at
    WHERE m.alliance = member.alliance AND m.hospital = member.hospital;
    INSERT INTO membership_events (alliance, hospital, application, action, from_status, to_status, actor, at, reason)
    VALUES (member.alliance, member.hospital, NULL, change_membership.action, member.status, change_membership.status,
        change_membership.actor, change_membership.at, change_membership.reason);
END
$$;

GRANT EXECUTE ON FUNCTION yilian_api.create_alliance(text, text, text, text, integer, integer, integer, text, integer, timestamptz, text),
    yilian_api.set_criteria(text, jsonb, timestamptz, text),
    yilian_api.apply_for_membership(text, text, text, jsonb, integer, jsonb, timestamptz, text),
    yilian_api.act_on_application(text, text, text, integer, jsonb, integer, jsonb, text, text, timestamptz, text, text),
    yilian_api.change_membership(text, text, text, text, timestamptz, text, text)
    TO yilian_user;

REVOKE INSERT, UPDATE ON alliances, criteria_versions, memberships, membership_events, applications FROM yilian_user;
REVOKE UPDATE (status, criteria_version, emergency_hours, urgent_hours, routine_hours) ON alliances FROM yilian_user;
REVOKE UPDATE (role, status, since, updated_at) ON memberships FROM yilian_user;
REVOKE UPDATE (status, facts, criteria_version, evaluation, decision_reason, override, version, updated_at) ON applications FROM yilian_user;
REVOKE USAGE ON SEQUENCE application_numbers, membership_events_seq_seq FROM yilian_user;
DROP POLICY platform_creates ON alliances;
DROP POLICY core_keeps ON alliances;
DROP POLICY core_sets ON criteria_versions;
DROP POLICY core_or_platform_admits ON memberships;
DROP POLICY core_decides ON memberships;
DROP POLICY actor_appends ON membership_events;
-- Applications: read by the applicant and the alliance's core (it was FOR ALL).
DROP POLICY applicant_and_core ON applications;
CREATE POLICY applicant_and_core_see ON applications FOR SELECT
    USING (hospital = (SELECT yilian_hospital(current_user))
           OR EXISTS (SELECT FROM alliances a WHERE a.code = alliance AND a.core = (SELECT yilian_hospital(current_user))));
