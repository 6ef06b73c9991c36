-- The wall, part twelve: what an attacker found after the reads that log (migration 0034).
--
-- A write refused by a constraint quoted the whole row: PostgreSQL's error for a NOT NULL or
-- CHECK violation carries "Failing row contains (…)", the stored referral with its patient,
-- diagnosis and patient key. A receiver passing a NULL slot_expert to a schedule read the
-- referral with no access-log row, as often as it liked (nothing was written); a filing refused
-- so showed the key of a resident ID it made up. The four functions that write rows holding a
-- patient now give a constraint's error without its detail: each is the function it was, moved
-- to the schema `yilian_private` (which users cannot use), inside a function of the same name in
-- `yilian_api` that catches class 23 and raises the same code and message alone.
CREATE SCHEMA yilian_private;
REVOKE ALL ON SCHEMA yilian_private FROM PUBLIC;

DO $$
DECLARE
    f record;
BEGIN
    FOR f IN SELECT p.oid, p.proname, p.pronargs, pg_get_function_arguments(p.oid) AS arguments,
                    pg_get_function_identity_arguments(p.oid) AS identity, pg_get_function_result(p.oid) AS result
             FROM pg_proc p
             WHERE p.pronamespace = 'yilian_api'::regnamespace
               AND p.proname IN ('file_referral', 'act_on_referral', 'request_consultation', 'act_on_consultation')
    LOOP
        EXECUTE format('ALTER FUNCTION yilian_api.%I(%s) SET SCHEMA yilian_private', f.proname, f.identity);
        EXECUTE format('REVOKE EXECUTE ON FUNCTION yilian_private.%I(%s) FROM yilian_user', f.proname, f.identity);
        EXECUTE format(
            $template$
            CREATE FUNCTION yilian_api.%I(%s) RETURNS %s
            LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $body$
            BEGIN
                RETURN yilian_private.%I(%s);
            EXCEPTION WHEN integrity_constraint_violation THEN
                -- Without the detail, which quotes the row.
                RAISE EXCEPTION USING ERRCODE = SQLSTATE, MESSAGE = SQLERRM;
            END
            $body$
            $template$,
            f.proname, f.arguments, f.result, f.proname,
            (SELECT string_agg('$' || i, ', ' ORDER BY i) FROM generate_series(1, f.pronargs) i));
        EXECUTE format('GRANT EXECUTE ON FUNCTION yilian_api.%I(%s) TO yilian_user', f.proname, f.identity);
    END LOOP;
END
$$;

-- A user can keep a transaction open for as long as it likes: its own login may turn off the
-- idle-transaction timeout (SET, or ALTER ROLE CURRENT_USER), and a statement that sleeps is not
-- idle. Held open, it kept the feed's numbering from every hospital, or a referral's row from its
-- other hospital, or the notification queue from emptying. PostgreSQL 15 has no transaction
-- timeout a user cannot change; the owner ends such sessions instead: every session of a
-- registered user whose transaction has been open longer than `longer_than`, in this database
-- (the owner's own sessions, acting for users, are never ended). Called by the sweep; returns
-- how many were ended.
CREATE FUNCTION yilian_end_long_transactions(longer_than interval) RETURNS integer
LANGUAGE sql SET search_path = pg_catalog, public, pg_temp AS $$
    SELECT count(*)::integer FROM (
        SELECT a.pid FROM pg_stat_activity a
        WHERE a.datname = current_database() AND a.xact_start < now() - longer_than AND a.pid <> pg_backend_pid()
          AND EXISTS (SELECT FROM users u WHERE u.login = a.usename)
        OFFSET 0) long
    WHERE pg_terminate_backend(long.pid)
$$;

-- A whole resident ID was an oracle for every patient a hospital sees: the mask keeps the last
-- four characters and the birth date is shown, so only the region code is unknown (a few
-- thousand codes, a few hundred with the check digit), and `yilian_visible_patient_key` (or the
-- duplicate rule, or the list by ID) said which guess was the patient's, leaving no trace that a
-- rolled-back transaction would not take back. A whole ID now finds only the patients whose ID
-- the caller's own hospital entered (filed or asked with it): what it typed, it knows. Another
-- hospital finds its patients by name and birth date, and a down-referral given a whole ID is
-- matched to its parent's patient by the masked ID with name, sex and birth date.
CREATE TABLE resident_id_holders (
    patient_key text NOT NULL,
    hospital    text NOT NULL,
    PRIMARY KEY (patient_key, hospital)
);
REVOKE ALL ON resident_id_holders FROM PUBLIC;
ALTER TABLE resident_id_holders ENABLE ROW LEVEL SECURITY;

-- Who entered the IDs already stored: the sender of each referral or consultation whose ID was
-- not copied from the referral it continues or the consultation it converts.
INSERT INTO resident_id_holders (patient_key, hospital)
SELECT r.patient_key, r.from_hospital FROM referrals r
LEFT JOIN referrals p ON p.id = r.parent LEFT JOIN consultations c ON c.id = r.consultation
WHERE r.patient_key IS NOT NULL AND p.patient_key IS DISTINCT FROM r.patient_key AND c.patient_key IS DISTINCT FROM r.patient_key
UNION
SELECT patient_key, from_hospital FROM consultations WHERE patient_key IS NOT NULL
ON CONFLICT DO NOTHING;

CREATE OR REPLACE FUNCTION yilian_patient_stored_masked() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    id_number text := NEW.patient->>'idNumber';
BEGIN
    IF id_number IS NULL THEN
        NEW.patient_key := NULL;
    ELSIF position('*' IN id_number) = 0 THEN
        NEW.patient_key := yilian_keep_resident_id(id_number);
        NEW.patient := jsonb_set(NEW.patient, '{idNumber}', to_jsonb(yilian_masked_id(id_number)));
        INSERT INTO resident_id_holders VALUES (NEW.patient_key, NEW.from_hospital) ON CONFLICT DO NOTHING;
    ELSIF NEW.patient_key IS NULL OR upper(yilian_masked_id_of(NEW.patient_key)) IS DISTINCT FROM upper(id_number) THEN
        RAISE EXCEPTION 'a masked resident ID must come with the key of its patient' USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END
$$;

CREATE OR REPLACE FUNCTION yilian_visible_patient_key(id_number text) RETURNS text
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    key  text := yilian_patient_key(id_number);
    mine text := yilian_hospital(yilian_caller());
BEGIN
    IF key IS NULL OR mine IS NULL OR NOT EXISTS (SELECT FROM resident_id_holders h WHERE h.patient_key = key AND h.hospital = mine) THEN
        RETURN NULL;
    END IF;
    IF EXISTS (SELECT FROM referrals r WHERE r.patient_key = key
                   AND (mine IN (r.from_hospital, r.to_hospital) OR mine = ANY (r.earlier_receivers)))
       OR EXISTS (SELECT FROM consultations c WHERE c.patient_key = key AND mine IN (c.from_hospital, c.to_hospital)) THEN
        RETURN key;
    END IF;
    RETURN NULL;
END
$$;
