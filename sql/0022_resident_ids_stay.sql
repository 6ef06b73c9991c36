-- A full resident ID never leaves the database (SPEC §4, §6): the same credentials used with psql
-- must get no further than yilian, which shows every ID masked. Referrals and consultations
-- keep the patient with the ID masked to its last four characters and the patient's keyed hash
-- (patient_key, 0014); the whole ID is kept once per patient in resident_ids, which only the
-- owner reads. Matching a patient (the duplicate rule, referral.list by ID, the same person
-- on a down-referral) goes by the key.

CREATE TABLE resident_ids (
    patient_key text PRIMARY KEY,
    id_number   text NOT NULL
);
REVOKE ALL ON resident_ids FROM PUBLIC;

CREATE FUNCTION yilian_masked_id(id_number text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT CASE WHEN length(id_number) > 4 THEN repeat('*', length(id_number) - 4) || right(id_number, 4)
                ELSE repeat('*', length(id_number)) END
$$;

-- Keeps a whole ID (once per patient) and returns its key; the caller stores only the key.
CREATE FUNCTION yilian_keep_resident_id(id_number text) RETURNS text
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    key text := yilian_patient_key(id_number);
BEGIN
    INSERT INTO resident_ids VALUES (key, upper(id_number)) ON CONFLICT DO NOTHING;
    RETURN key;
END
$$;
REVOKE ALL ON FUNCTION yilian_keep_resident_id(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION yilian_keep_resident_id(text) TO yilian_user;

-- The masked ID of the patient behind a key (null for an unknown key).
CREATE FUNCTION yilian_masked_id_of(key text) RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
    SELECT yilian_masked_id(id_number) FROM resident_ids WHERE patient_key = key
$$;
REVOKE ALL ON FUNCTION yilian_masked_id_of(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION yilian_masked_id_of(text) TO yilian_user;

-- On every insert of a referral or consultation, whatever the inserting statement says: a whole
-- ID is kept aside and stored masked, with its key; a masked ID (a patient copied from a stored
-- referral or consultation, which is all a user can read) must come with the key it was read
-- with, and only the key's own patient passes; no ID, no key.
CREATE FUNCTION yilian_patient_stored_masked() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, public AS $$
DECLARE
    id_number text := NEW.patient->>'idNumber';
BEGIN
    IF id_number IS NULL THEN
        NEW.patient_key := NULL;
    ELSIF position('*' IN id_number) = 0 THEN
        NEW.patient_key := yilian_keep_resident_id(id_number);
        NEW.patient := jsonb_set(NEW.patient, '{idNumber}', to_jsonb(yilian_masked_id(id_number)));
    ELSIF NEW.patient_key IS NULL OR upper(yilian_masked_id_of(NEW.patient_key)) IS DISTINCT FROM upper(id_number) THEN
        RAISE EXCEPTION 'a masked resident ID must come with the key of its patient' USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END
$$;

DROP TRIGGER referrals_patient_key ON referrals;
DROP FUNCTION yilian_referral_patient_key();
CREATE TRIGGER referrals_patient_stored_masked BEFORE INSERT ON referrals
    FOR EACH ROW EXECUTE FUNCTION yilian_patient_stored_masked();

ALTER TABLE consultations ADD COLUMN patient_key text;
CREATE TRIGGER consultations_patient_stored_masked BEFORE INSERT ON consultations
    FOR EACH ROW EXECUTE FUNCTION yilian_patient_stored_masked();

-- What is stored already: each whole ID kept aside, then masked in place (as the owner, whom
-- the move check lets through; no version or event changes).
INSERT INTO resident_ids
SELECT DISTINCT ON (patient_key) patient_key, upper(patient->>'idNumber') FROM referrals
WHERE patient_key IS NOT NULL AND position('*' IN patient->>'idNumber') = 0
ON CONFLICT DO NOTHING;
UPDATE referrals SET patient = jsonb_set(patient, '{idNumber}', to_jsonb(yilian_masked_id(patient->>'idNumber')))
WHERE patient ? 'idNumber' AND jsonb_typeof(patient->'idNumber') = 'string' AND position('*' IN patient->>'idNumber') = 0;

UPDATE consultations SET patient_key = yilian_keep_resident_id(patient->>'idNumber')
WHERE jsonb_typeof(patient->'idNumber') = 'string' AND position('*' IN patient->>'idNumber') = 0;
UPDATE consultations SET patient = jsonb_set(patient, '{idNumber}', to_jsonb(yilian_masked_id(patient->>'idNumber')))
WHERE jsonb_typeof(patient->'idNumber') = 'string' AND position('*' IN patient->>'idNumber') = 0;
