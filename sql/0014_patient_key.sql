-- Finding a patient's referrals (SPEC §2: the duplicate rule; referral.list by patient) through
-- an index that does not hold resident IDs: each referral keeps a keyed hash of its patient's ID.
-- The key is random per database and readable only by the owner, so the hashes cannot be
-- reversed by trying every birth date and sequence number.
CREATE TABLE patient_key_secret (secret bytea NOT NULL);
INSERT INTO patient_key_secret VALUES (uuid_send(gen_random_uuid()) || uuid_send(gen_random_uuid()));
REVOKE ALL ON patient_key_secret FROM PUBLIC;

CREATE FUNCTION yilian_patient_key(id_number text) RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
    SELECT encode(sha256(secret || convert_to(upper(id_number), 'UTF8')), 'hex') FROM patient_key_secret WHERE id_number IS NOT NULL
$$;
REVOKE ALL ON FUNCTION yilian_patient_key(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION yilian_patient_key(text) TO yilian_user;

ALTER TABLE referrals ADD COLUMN patient_key text;
UPDATE referrals SET patient_key = yilian_patient_key(patient->>'idNumber');

-- Set on every insert from the stored patient, whatever the inserting statement says.
CREATE FUNCTION yilian_referral_patient_key() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, public AS $$
BEGIN
    NEW.patient_key := yilian_patient_key(NEW.patient->>'idNumber');
    RETURN NEW;
END
$$;
CREATE TRIGGER referrals_patient_key BEFORE INSERT ON referrals FOR EACH ROW EXECUTE FUNCTION yilian_referral_patient_key();

CREATE INDEX referrals_patient_key ON referrals (patient_key, from_hospital, to_hospital) WHERE patient_key IS NOT NULL;
CREATE INDEX referrals_patient_name ON referrals ((patient->>'name'), (patient->>'birthDate'));
