-- The wall, part fifteen: a role's hospital level was checked by Yilian only (an attacker's
-- finding): a level-2 hospital's coordinator applied from psql as a collaborating unit (a tertiary
-- role) and was approved. The application function now checks it too, with the levels of
-- `MemberRole.requiredLevel` (a test holds the two equal).
CREATE FUNCTION yilian_api.required_level(role text) RETURNS integer
LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
    RETURN CASE role WHEN 'core' THEN 3 WHEN 'collaborating' THEN 3 WHEN 'cooperating' THEN 2 WHEN 'primary' THEN 1 END;
END
$$;

CREATE OR REPLACE FUNCTION yilian_api.apply_for_membership(
    alliance text, hospital text, role text, facts jsonb, criteria_version integer, evaluation jsonb, at timestamptz, actor text) RETURNS text
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
                       AND (SELECT h.level FROM hospitals h WHERE h.code = apply_for_membership.hospital)
                           = yilian_api.required_level(apply_for_membership.role)
                       AND octet_length(apply_for_membership.facts::text) <= 65536
                       AND octet_length(apply_for_membership.evaluation::text) <= 1048576, false)
       OR EXISTS (SELECT FROM memberships m WHERE m.alliance = apply_for_membership.alliance AND m.hospital = apply_for_membership.hospital
                  AND m.status IN ('active', 'suspended')) THEN
        RAISE EXCEPTION 'an application is to an active alliance''s current criteria, by a hospital not a member, of the level its role requires' USING ERRCODE = 'check_violation';
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
