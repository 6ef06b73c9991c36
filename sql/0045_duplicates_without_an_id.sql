-- The duplicate rule when a filing has no resident ID (issue 28, point 2; SPEC §2: "the same
-- patient: the same resident ID; or, when either filing has none, the same name, sex and birth
-- date"). A filing without an ID met only the sender's open referrals without one, so the same
-- patient filed again without the ID made a second open referral, silently. The name index now
-- holds every open referral of the sender, and a filing without an ID meets them all by name,
-- sex and birth date; one with an ID still meets by name only those without one.
DROP INDEX referrals_open_patient_name;
CREATE INDEX referrals_open_patient_name ON referrals (((patient->>'name') || '|' || (patient->>'birthDate') || '|' || from_hospital))
    WHERE status IN ('requested', 'info_requested', 'accepted', 'scheduled', 'in_treatment', 'completed');

CREATE OR REPLACE FUNCTION yilian_api.open_referrals(name text, sex text, birth_date text, id_number text) RETURNS TABLE(id text, from_hospital text, to_hospital text)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
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
    key    text;
    masked text := yilian_masked_id(id_number);
BEGIN
    SELECT * INTO me FROM yilian_api.caller();
    IF position('*' IN id_number) = 0 THEN
        key := yilian_visible_patient_key(id_number);
    END IF;
    -- Only the caller's own referrals, each lookup along an index whose condition holds the
    -- caller's hospital: nothing of another hospital's is read (the duplicate rule asks about the
    -- sender's own referrals; the sender is the caller).
    IF key IS NOT NULL THEN
        RETURN QUERY SELECT r.id, r.from_hospital, r.to_hospital FROM referrals r
        WHERE (r.patient_key || '|' || r.from_hospital) = key || '|' || me.hospital AND r.id_entered
          AND r.status IN ('requested', 'info_requested', 'accepted', 'scheduled', 'in_treatment', 'completed');
    END IF;
    -- Without an ID on either side, the same person is the same name, sex and birth date (SPEC §2):
    -- a filing without one meets the sender's open referrals with or without one.
    -- The name indexes hold name, birth date (and masked ID) and hospital as one value, compared
    -- first on its own (MATERIALIZED: else PostgreSQL may take referrals_outgoing_open and read
    -- the caller's referrals one by one), then field by field, which, the lengths being equal,
    -- settles the hospital too.
    RETURN QUERY WITH found AS MATERIALIZED (
        SELECT r.id, r.from_hospital, r.to_hospital, r.patient FROM referrals r
        WHERE r.status IN ('requested', 'info_requested', 'accepted', 'scheduled', 'in_treatment', 'completed')
          AND (r.patient_key IS NULL OR open_referrals.id_number IS NULL)
          AND ((r.patient->>'name') || '|' || (r.patient->>'birthDate') || '|' || r.from_hospital)
              = open_referrals.name || '|' || birth_date || '|' || me.hospital)
    SELECT f.id, f.from_hospital, f.to_hospital FROM found f
    WHERE f.patient->>'name' = open_referrals.name AND f.patient->>'birthDate' = birth_date AND f.patient->>'sex' = sex;
    IF masked IS NOT NULL THEN
        RETURN QUERY WITH found AS MATERIALIZED (
            SELECT r.id, r.from_hospital, r.to_hospital, r.patient FROM referrals r
            WHERE r.status IN ('requested', 'info_requested', 'accepted', 'scheduled', 'in_treatment', 'completed') AND r.patient_key IS NOT NULL
              AND ((r.patient->>'name') || '|' || (r.patient->>'birthDate') || '|' || (r.patient->>'idNumber') || '|' || r.from_hospital)
                  = open_referrals.name || '|' || birth_date || '|' || upper(masked) || '|' || me.hospital)
        SELECT f.id, f.from_hospital, f.to_hospital FROM found f
        WHERE f.patient->>'name' = open_referrals.name AND f.patient->>'birthDate' = birth_date AND f.patient->>'sex' = sex
          AND f.patient->>'idNumber' = upper(masked);
    END IF;
END
$$;
