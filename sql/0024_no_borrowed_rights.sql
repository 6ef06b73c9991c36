-- The wall, part one (SPEC §6): no login borrows the owner's rights. Every user has a login, and
-- the owner's functions ran with search_path = pg_catalog, public, under which PostgreSQL looks in
-- the session's temporary schema first: a user's temporary table `users` made yilian_hospital
-- answer the platform, and with it every patient, the access log and the owner's role grants.
-- Now every function of the schema names pg_temp last, users can create nothing anywhere, call
-- only the functions their duties need, and cannot ask whether a resident ID is known.

-- Every function here searches pg_catalog, then public, then (explicitly last) pg_temp.
DO $$
DECLARE
    f regprocedure;
BEGIN
    FOR f IN SELECT p.oid::regprocedure FROM pg_proc p
             WHERE p.pronamespace = 'public'::regnamespace AND p.prokind = 'f'
               AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e') LOOP
        EXECUTE format('ALTER FUNCTION %s SET search_path = pg_catalog, public, pg_temp', f);
    END LOOP;
END
$$;

-- Nobody but the owner creates objects: no temporary tables, no schemas, nothing in public. (A
-- database cloned from this one as a template does not inherit the first: it belongs to the
-- database's own catalogue row. The test harness, which clones, revokes it on each clone.)
DO $$
BEGIN
    EXECUTE format('REVOKE CREATE, TEMPORARY ON DATABASE %I FROM PUBLIC', current_database());
END
$$;
REVOKE ALL ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO yilian_user;

-- Functions are the owner's to hand out: none is executable by PUBLIC, now or when the owner
-- makes one later (a default of the owner's, in every schema: per schema, defaults can only add).
REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA public FROM PUBLIC;
ALTER DEFAULT PRIVILEGES REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;
REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA public FROM yilian_user;
-- What policies, triggers (run as the writer) and reads call as the user; yilian_act_as runs with
-- its caller's rights (a pooled session acting as one user switches to the next through it).
GRANT EXECUTE ON FUNCTION yilian_hospital(name), yilian_duty(name), yilian_handles_referrals(), yilian_caller(), yilian_masked_id(text),
    yilian_act_as(text),
    yilian_worklist_counts(text, timestamptz), yilian_listen(text), yilian_feed_advance(),
    yilian_referral_indicators(text, date, date, timestamptz, boolean), yilian_rejection_indicators(text, date, date, boolean),
    yilian_consultation_indicators(text, date, date), yilian_sync_login(text)
    TO yilian_user;

-- Resident IDs: a stored patient's ID is kept aside and masked by the owner (the insert trigger
-- runs as the owner); users cannot hash an ID, nor ask whether one is known. Finding a patient
-- (the duplicate rule, referral.list by ID, the same person on a down-referral) asks for the key
-- of an ID only among the referrals and consultations the caller may see: no answer otherwise.
ALTER FUNCTION yilian_patient_stored_masked() SECURITY DEFINER;

CREATE INDEX consultations_patient_key ON consultations (patient_key) WHERE patient_key IS NOT NULL;

CREATE FUNCTION yilian_visible_patient_key(id_number text) RETURNS text
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    key  text := yilian_patient_key(id_number);
    mine text := yilian_hospital(yilian_caller());
BEGIN
    IF key IS NULL OR mine IS NULL THEN
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
REVOKE EXECUTE ON FUNCTION yilian_visible_patient_key(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION yilian_visible_patient_key(text) TO yilian_user;

-- Membership events: seen by the member (or applicant), the alliance's core and the platform;
-- appended only in the caller's name (an integration's: a user of its hospital), by a duty that
-- acts, about its own hospital or, for the core, its alliance's members. (Which duty of the core
-- may decide what is the membership functions' to check, in a later step of the wall.)
ALTER TABLE membership_events ENABLE ROW LEVEL SECURITY;
CREATE POLICY member_and_core_see ON membership_events FOR SELECT
    USING ((SELECT yilian_hospital(current_user)) = hospital
           OR (SELECT yilian_duty(current_user)) = 'platform_admin'
           OR EXISTS (SELECT FROM alliances a WHERE a.code = alliance AND a.core = (SELECT yilian_hospital(current_user))));
CREATE POLICY actor_appends ON membership_events FOR INSERT
    WITH CHECK ((actor = current_user::text
                 OR ((SELECT yilian_duty(current_user)) = 'integration' AND split_part(actor, '@', 2) = (SELECT yilian_hospital(current_user))))
                AND (SELECT yilian_duty(current_user)) IN ('coordinator', 'hospital_admin', 'integration', 'platform_admin')
                AND ((SELECT yilian_hospital(current_user)) = hospital
                     OR (SELECT yilian_duty(current_user)) = 'platform_admin'
                     OR EXISTS (SELECT FROM alliances a WHERE a.code = alliance AND a.core = (SELECT yilian_hospital(current_user)))));
