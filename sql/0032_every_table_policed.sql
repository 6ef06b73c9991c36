-- The wall, part nine: row-level security on every table, so that a grant made by mistake never
-- opens rows no policy names. The tables every user reads (the machines' action tables, the
-- specialties, the applied migrations) get a policy that lets them read every row; those only the
-- owner reads (whole resident IDs, the patient key's secret, the feed's numbering lock) get none.
-- Not forced: the owner's functions are the wall and read every row as the owner (SPEC §6: the
-- owner is trusted), which forcing would take from them.
DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['application_actions', 'consultation_actions', 'membership_actions', 'referral_actions', 'specialties',
                             'schema_migrations'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY everyone_reads ON %I FOR SELECT USING (true)', t);
    END LOOP;
    FOREACH t IN ARRAY ARRAY['feed_numbering', 'patient_key_secret', 'resident_ids'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    END LOOP;
END
$$;
