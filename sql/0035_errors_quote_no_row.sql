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

-- The key of a patient copied with its masked ID from the referral (a down-referral's parent, a
-- consultation's referral) or consultation it continues, when that row holds the same masked ID;
-- else NULL. Reads give no keys (below): the filing's and the trigger's key is this, never the
-- caller's.
CREATE FUNCTION yilian_private.copied_key(patient jsonb, referral text, consultation text) RETURNS text
LANGUAGE sql STABLE SET search_path = pg_catalog, public, pg_temp AS $$
    SELECT CASE WHEN position('*' IN $1->>'idNumber') > 0 THEN coalesce(
        (SELECT r.patient_key FROM referrals r WHERE r.id = $2 AND upper(r.patient->>'idNumber') = upper($1->>'idNumber')),
        (SELECT c.patient_key FROM consultations c WHERE c.id = $3 AND upper(c.patient->>'idNumber') = upper($1->>'idNumber'))) END
$$;

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
            (SELECT string_agg(CASE
                    -- The patient key a filing or a request passes on is the copied patient's.
                    WHEN f.proname = 'file_referral' AND i = 20 THEN 'yilian_private.copied_key($7, $13, $19)'
                    WHEN f.proname = 'request_consultation' AND i = 15 THEN 'yilian_private.copied_key($6, $11, NULL)'
                    ELSE '$' || i END, ', ' ORDER BY i)
             FROM generate_series(1, f.pronargs) i));
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
-- thousand codes, a few hundred with the check digit). `yilian_visible_patient_key`, the
-- duplicate rule and the list by ID said which guess was the patient's; and the patient key the
-- reads returned could be compared with the key of a guess filed and rolled back. Now:
-- - a whole ID is compared by key only with the rows whose ID the caller's own hospital entered
--   (`id_entered`, added by migration 0034, set by the insert trigger when a whole ID is given,
--   not copied): what it
--   typed, it knows; any other row of the patient is found by name, sex, birth date and masked ID,
--   which the caller sees anyway;
-- - reads give no patient key: a patient copied from a stored referral or consultation (a
--   down-referral's, a converted consultation's, a consultation about a referral) gets its key
--   from that row, in the insert trigger, never from the caller.
CREATE OR REPLACE FUNCTION yilian_patient_stored_masked() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    id_number text := NEW.patient->>'idNumber';
    source    jsonb := to_jsonb(NEW);
BEGIN
    NEW.id_entered := false;
    IF id_number IS NULL THEN
        NEW.patient_key := NULL;
    ELSIF position('*' IN id_number) = 0 THEN
        NEW.patient_key := yilian_keep_resident_id(id_number);
        NEW.patient := jsonb_set(NEW.patient, '{idNumber}', to_jsonb(yilian_masked_id(id_number)));
        NEW.id_entered := true;
    ELSE
        NEW.patient_key := yilian_private.copied_key(NEW.patient, coalesce(source->>'parent', source->>'referral'), source->>'consultation');
        IF NEW.patient_key IS NULL THEN
            RAISE EXCEPTION 'a masked resident ID must come with the key of its patient' USING ERRCODE = 'check_violation';
        END IF;
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
    IF key IS NULL OR mine IS NULL THEN
        RETURN NULL;
    END IF;
    -- The patient's rows first (OFFSET 0), then the caller's among them (see open_referrals).
    IF EXISTS (SELECT FROM (SELECT r.from_hospital, r.id_entered FROM referrals r WHERE r.patient_key = key OFFSET 0) x
               WHERE x.id_entered AND x.from_hospital = mine)
       OR EXISTS (SELECT FROM (SELECT c.from_hospital, c.id_entered FROM consultations c WHERE c.patient_key = key OFFSET 0) x
                  WHERE x.id_entered AND x.from_hospital = mine) THEN
        RETURN key;
    END IF;
    RETURN NULL;
END
$$;

-- Keeping a whole ID aside inserted a row only when the ID was not kept yet (ON CONFLICT DO
-- NOTHING), and a session sees how many rows its own transaction inserted, rolled back or not
-- (pg_stat_xact_user_tables): a filing with a guessed ID, rolled back, told whether any hospital
-- had stored that ID (a third attacker recovered two in a tenth of a second). An ID is now kept
-- once per row that is filed with it, whether it is known or not.
ALTER TABLE resident_ids DROP CONSTRAINT resident_ids_pkey;
CREATE INDEX resident_ids_patient_key ON resident_ids (patient_key);

CREATE OR REPLACE FUNCTION yilian_keep_resident_id(id_number text) RETURNS text
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    key text := yilian_patient_key(id_number);
BEGIN
    INSERT INTO resident_ids VALUES (key, upper(id_number));
    RETURN key;
END
$$;
