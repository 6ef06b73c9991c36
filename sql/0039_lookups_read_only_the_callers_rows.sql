-- The wall, part sixteen: a fifth attacker unmasked whole resident IDs with `EXPLAIN (ANALYZE,
-- BUFFERS)`, which counts every buffer the owner's functions touch for the caller: a lookup by a
-- guessed ID read the patient's rows of every hospital before it kept the caller's own (0035's
-- fence), one buffer more when some hospital had the patient; the duplicate rule's lookup by name,
-- birth date and masked ID likewise told that a person had a referral somewhere. Users may run
-- EXPLAIN on anything they may call, so a lookup must read nothing of another hospital's: each now
-- goes along an index whose condition holds the caller's hospital. By key: an index of the rows
-- whose ID their sender entered, on key and hospital as one value (with the two as separate
-- columns, PostgreSQL walked the caller's referrals one by one along another index before any
-- ANALYZE, and filings slowed fivefold so once: ReferralRepository.openReferral). By name: the
-- duplicate rule looks only at the caller's own referrals (the sender is the caller, and the rule
-- is about the sender's), along the two name indexes, now on name, birth date (and masked ID) and
-- hospital as one value for the same reason. A list by name and birth date
-- (referral.list) reads along an index of name, birth date and each hospital that sees the
-- referral, one value each (and an empty hospital for the owner, who sees all), in place of the index by name
-- and birth date alone, which read every hospital's rows of that person. The
-- indexes by key alone are no longer used, and go.
CREATE INDEX referrals_entered_key ON referrals ((patient_key || '|' || from_hospital)) WHERE id_entered;
CREATE INDEX consultations_entered_key ON consultations ((patient_key || '|' || from_hospital)) WHERE id_entered;
DROP INDEX referrals_open_patient_key;
DROP INDEX referrals_patient_key;
DROP INDEX consultations_patient_key;
DROP INDEX referrals_patient_name;

-- The values a referral's patient is found by, by name and birth date: one for each hospital that
-- sees the referral (its sender, its receiver, earlier receivers) and one for the owner, who sees
-- all (an empty hospital).
CREATE FUNCTION yilian_patient_seen_by(name text, birth_date text, hospitals text[]) RETURNS text[]
LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
    RETURN ARRAY(SELECT name || '|' || birth_date || '|' || h FROM unnest(hospitals || ARRAY['']) h);
END
$$;
REVOKE ALL ON FUNCTION yilian_patient_seen_by(text, text, text[]) FROM PUBLIC;
CREATE INDEX referrals_patient_seen_by
    ON referrals USING gin (yilian_patient_seen_by(patient->>'name', patient->>'birthDate', earlier_receivers || ARRAY[from_hospital, to_hospital]))
    WITH (fastupdate = off);
DROP INDEX referrals_open_patient_name;
CREATE INDEX referrals_open_patient_name ON referrals (((patient->>'name') || '|' || (patient->>'birthDate') || '|' || from_hospital))
    WHERE patient_key IS NULL AND status IN ('requested', 'info_requested', 'accepted', 'scheduled', 'in_treatment', 'completed');
DROP INDEX referrals_open_patient_masked;
CREATE INDEX referrals_open_patient_masked
    ON referrals (((patient->>'name') || '|' || (patient->>'birthDate') || '|' || (patient->>'idNumber') || '|' || from_hospital))
    WHERE patient_key IS NOT NULL AND status IN ('requested', 'info_requested', 'accepted', 'scheduled', 'in_treatment', 'completed');

CREATE OR REPLACE FUNCTION yilian_visible_patient_key(id_number text) RETURNS text
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    key  text := yilian_patient_key(id_number);
    mine text := yilian_hospital(yilian_caller());
BEGIN
    IF key IS NULL OR mine IS NULL THEN
        RETURN NULL;
    END IF;
    IF EXISTS (SELECT FROM referrals r WHERE (r.patient_key || '|' || r.from_hospital) = key || '|' || mine AND r.id_entered)
       OR EXISTS (SELECT FROM consultations c WHERE (c.patient_key || '|' || c.from_hospital) = key || '|' || mine AND c.id_entered) THEN
        RETURN key;
    END IF;
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION yilian_api.open_referrals(name text, sex text, birth_date text, id_number text)
RETURNS TABLE(id text, from_hospital text, to_hospital text)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
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
    -- The name indexes hold name, birth date (and masked ID) and hospital as one value, compared
    -- first on its own (MATERIALIZED: else PostgreSQL may take referrals_outgoing_open and read
    -- the caller's referrals one by one), then field by field, which, the lengths being equal,
    -- settles the hospital too.
    RETURN QUERY WITH found AS MATERIALIZED (
        SELECT r.id, r.from_hospital, r.to_hospital, r.patient FROM referrals r
        WHERE r.status IN ('requested', 'info_requested', 'accepted', 'scheduled', 'in_treatment', 'completed') AND r.patient_key IS NULL
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

CREATE OR REPLACE FUNCTION yilian_api.referrals(actor text, alliance text, hospital text, side text, statuses text[], direction text, priority text, overdue boolean, at timestamp with time zone, after text, lim integer, id_number text, name text, birth_date text) RETURNS SETOF public.referrals
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
DECLARE
    me    record;
    page  referrals[];
BEGIN
    SELECT * INTO me FROM yilian_api.caller();
    IF NOT coalesce(lim BETWEEN 1 AND 1001, false) THEN
        RAISE EXCEPTION 'a page holds 1 to 1001 referrals' USING ERRCODE = 'check_violation';
    END IF;
    SELECT coalesce(array_agg(yilian_api.unkeyed(x.r) ORDER BY (x.r).id), '{}') INTO page FROM (
        SELECT r FROM referrals r
        WHERE yilian_api.sees(me.hospital, r.earlier_receivers || ARRAY[r.from_hospital, r.to_hospital])
          AND (referrals.alliance IS NULL OR r.alliance = referrals.alliance)
          AND (referrals.hospital IS NULL OR (side IN ('sender', 'any') AND r.from_hospital = referrals.hospital)
               OR (side IN ('receiver', 'any') AND r.to_hospital = referrals.hospital))
          AND (statuses IS NULL OR r.status = ANY (statuses))
          AND (referrals.direction IS NULL OR r.direction = referrals.direction)
          AND (referrals.priority IS NULL OR r.priority = referrals.priority)
          AND (overdue IS NULL OR (r.status = 'requested' AND r.respond_by < referrals.at) = overdue)
          AND (after IS NULL OR r.id > after)
          AND (id_number IS NULL OR ((r.patient_key || '|' || r.from_hospital) = (SELECT yilian_visible_patient_key(id_number)) || '|' || me.hospital
                                     AND r.id_entered))
          AND (referrals.name IS NULL AND birth_date IS NULL
               OR yilian_patient_seen_by(r.patient->>'name', r.patient->>'birthDate', r.earlier_receivers || ARRAY[r.from_hospital, r.to_hospital])
                  @> ARRAY[referrals.name || '|' || birth_date || '|' || coalesce(me.hospital, '')])
        ORDER BY r.id LIMIT lim) x;
    PERFORM yilian_api.log_access(actor, 'referral.list', ARRAY(SELECT (unnest(page)).id));
    RETURN QUERY SELECT * FROM unnest(page);
END
$$;
