-- The wall, part eighteen: a sixth attacker set debug_print_plan and client_min_messages, which
-- every user may, and PostgreSQL printed to it every plan made inside the owner's functions with
-- their variables as constants: the keyed hash of any guessed resident ID (yilian_visible_patient_key),
-- and another hospital's patient key (file_referral's copied key), from which whole IDs followed in
-- half a second. Every function that runs as the owner now fixes, while it runs, each setting a
-- user may turn on to print what happens inside it: the parse, rewrite and plan trees, the
-- notifications it queues (another hospital's channel), its sorts' sizes, and the parameters of a
-- failed STRICT query. A test holds every SECURITY DEFINER function to it.
DO $$
DECLARE
    f regprocedure;
BEGIN
    FOR f IN SELECT p.oid FROM pg_proc p
             WHERE p.prosecdef AND p.pronamespace IN ('public'::regnamespace, 'yilian_api'::regnamespace, 'yilian_private'::regnamespace)
    LOOP
        EXECUTE format('ALTER FUNCTION %s SET debug_print_parse = off SET debug_print_rewritten = off SET debug_print_plan = off '
                       'SET trace_notify = off SET trace_sort = off SET plpgsql.print_strict_params = off', f);
    END LOOP;
END
$$;
