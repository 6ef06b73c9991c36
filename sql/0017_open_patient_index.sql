-- The duplicate rule looks for the same patient's open referral between two hospitals: indexes of
-- exactly the open referrals, by the patient's key, or by name and birth date for patients filed
-- without a resident ID, so the lookup never walks a hospital's open referrals one by one.
DROP INDEX referrals_patient_key;
CREATE INDEX referrals_open_patient_key ON referrals (patient_key, from_hospital, to_hospital)
    WHERE patient_key IS NOT NULL AND status IN ('requested', 'info_requested', 'accepted', 'scheduled', 'in_treatment', 'completed');
CREATE INDEX referrals_open_patient_name ON referrals ((patient->>'name'), (patient->>'birthDate'), from_hospital, to_hospital)
    WHERE patient_key IS NULL AND status IN ('requested', 'info_requested', 'accepted', 'scheduled', 'in_treatment', 'completed');
-- Searching one patient's referrals (referral.list) uses the key over every status.
CREATE INDEX referrals_patient_key ON referrals (patient_key) WHERE patient_key IS NOT NULL;

-- PL/pgSQL keeps its plan for the session; the SQL function was planned again on every call.
CREATE OR REPLACE FUNCTION yilian_patient_key(id_number text) RETURNS text
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
BEGIN
    IF id_number IS NULL THEN RETURN NULL; END IF;
    RETURN (SELECT encode(sha256(secret || convert_to(upper(id_number), 'UTF8')), 'hex') FROM patient_key_secret);
END
$$;
