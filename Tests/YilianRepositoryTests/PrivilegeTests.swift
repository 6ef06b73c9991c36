import Testing
import YilianCore
import YilianTestSupport

/// What the wall lets through (SPEC §6), read from PostgreSQL's catalogues of a migrated database.
@Suite struct PrivilegeTests {
    /// Every function of Yilian's schemas, owner's rights or not, fixes its search_path with pg_temp
    /// named last: a user's temporary table or function is never found in place of the owner's.
    @Test func everyFunctionSearchesPgTempLast() async throws {
        let url = try await TestPostgres.freshDatabase()
        let unsafe = try await PGQuery.value(
            url,
            """
            SELECT coalesce(string_agg(p.oid::regprocedure::text, ', ' ORDER BY 1), '')
            FROM pg_proc p
            WHERE p.pronamespace IN ('public'::regnamespace, 'yilian_api'::regnamespace, 'yilian_private'::regnamespace)
              AND NOT coalesce('search_path=pg_catalog, public, pg_temp' = ANY (p.proconfig), false)
            """)
        #expect(unsafe == "")
        let definers = try await PGQuery.value(
            url, "SELECT count(*) FROM pg_proc WHERE pronamespace = 'public'::regnamespace AND prosecdef")
        #expect(Int(definers ?? "0") ?? 0 > 10)
    }

    /// Every function that runs as the owner turns off, while it runs, each setting a user may turn
    /// on to have PostgreSQL print what happens inside it (migration 0043: a sixth attacker read the
    /// keyed hash of any resident ID in the plans `debug_print_plan` printed).
    @Test func everyOwnersFunctionPrintsNothingOfItsInside() async throws {
        let url = try await TestPostgres.freshDatabase()
        let printing = try await PGQuery.value(
            url,
            """
            SELECT coalesce(string_agg(p.oid::regprocedure::text, ', ' ORDER BY 1), '')
            FROM pg_proc p
            WHERE p.prosecdef AND p.pronamespace IN ('public'::regnamespace, 'yilian_api'::regnamespace, 'yilian_private'::regnamespace)
              AND NOT coalesce(p.proconfig @> ARRAY['debug_print_parse=off', 'debug_print_rewritten=off', 'debug_print_plan=off',
                                                    'trace_notify=off', 'trace_sort=off', 'plpgsql.print_strict_params=off'], false)
            """)
        #expect(printing == "")
    }

    /// Every function of Yilian's schemas is PL/pgSQL, which plans its statements once per
    /// session, except the indicator functions (one call per report, planned with its values): a
    /// SQL function that fixes its search_path is never inlined and is planned again in every
    /// transaction that calls it (migration 0036: an action through the wall cost half as much
    /// again).
    @Test func functionsArePlannedOnce() async throws {
        let url = try await TestPostgres.freshDatabase()
        let sql = try await PGQuery.value(
            url,
            """
            SELECT coalesce(string_agg(p.oid::regprocedure::text, ', ' ORDER BY 1), '')
            FROM pg_proc p
            WHERE p.pronamespace IN ('public'::regnamespace, 'yilian_api'::regnamespace, 'yilian_private'::regnamespace)
              AND p.prolang = (SELECT oid FROM pg_language WHERE lanname = 'sql') AND p.proname NOT LIKE 'yilian\\_%\\_indicators'
            """)
        #expect(sql == "")
    }

    /// The hospital level each role requires, as the wall's application function checks it, is
    /// `MemberRole.requiredLevel`.
    @Test func theWallsRoleLevelsAreTheCores() async throws {
        let url = try await TestPostgres.freshDatabase()
        for role in MemberRole.allCases {
            let level = try await PGQuery.value(url, "SELECT yilian_api.required_level('\(role.rawValue)')")
            #expect(level == String(role.requiredLevel), "\(role)")
        }
    }

    /// Every table has row-level security on: a grant made by mistake opens no row that no
    /// policy names.
    @Test func everyTableHasRowLevelSecurity() async throws {
        let url = try await TestPostgres.freshDatabase()
        let open = try await PGQuery.value(
            url,
            """
            SELECT coalesce(string_agg(relname, ', ' ORDER BY relname), '') FROM pg_class
            WHERE relnamespace = 'public'::regnamespace AND relkind IN ('r', 'p') AND NOT relrowsecurity
            """)
        #expect(open == "")
    }

    /// Every privilege that users (yilian_user, the platform's group and PUBLIC) hold on the
    /// database, its schema, tables, columns, sequences and functions. A change to this list is a
    /// change to the wall: it is made here, on purpose, with the migration that makes it.
    @Test func usersHoldExactlyTheCommittedPrivileges() async throws {
        let url = try await TestPostgres.freshDatabase()
        let held = try await PGQuery.value(url, Self.privileges) ?? ""
        #expect(held.split(separator: "\n").map(String.init) == Self.committed)
    }

    static let privileges = """
        WITH users(oid, name) AS (
            SELECT oid, rolname FROM pg_roles WHERE rolname IN ('yilian_user', 'yilian_platform') UNION ALL SELECT 0, 'PUBLIC'),
        granted(name, privilege, object) AS (
            SELECT u.name, a.privilege_type, 'database'
            FROM pg_database d, aclexplode(coalesce(d.datacl, acldefault('d'::"char", d.datdba))) a JOIN users u ON u.oid = a.grantee
            WHERE d.datname = current_database()
            UNION ALL
            SELECT u.name, a.privilege_type, 'schema ' || n.nspname
            FROM pg_namespace n, aclexplode(coalesce(n.nspacl, acldefault('n'::"char", n.nspowner))) a JOIN users u ON u.oid = a.grantee
            WHERE n.nspname IN ('public', 'yilian_api', 'yilian_private')
            UNION ALL
            SELECT u.name, a.privilege_type, CASE c.relkind WHEN 'S' THEN 'sequence ' ELSE 'table ' END || c.relname
            FROM pg_class c, aclexplode(coalesce(c.relacl, acldefault((CASE c.relkind WHEN 'S' THEN 's' ELSE 'r' END)::"char", c.relowner))) a
                JOIN users u ON u.oid = a.grantee
            WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'v', 'S', 'p')
            UNION ALL
            SELECT u.name, a.privilege_type, 'column ' || c.relname || '.' || t.attname
            FROM pg_attribute t JOIN pg_class c ON c.oid = t.attrelid, aclexplode(t.attacl) a JOIN users u ON u.oid = a.grantee
            WHERE c.relnamespace = 'public'::regnamespace AND t.attacl IS NOT NULL
            UNION ALL
            SELECT u.name, a.privilege_type, 'function ' || p.oid::regprocedure::text
            FROM pg_proc p, aclexplode(coalesce(p.proacl, acldefault('f'::"char", p.proowner))) a JOIN users u ON u.oid = a.grantee
            WHERE p.pronamespace IN ('public'::regnamespace, 'yilian_api'::regnamespace, 'yilian_private'::regnamespace))
        SELECT string_agg(name || ' ' || privilege || ' ' || object, E'\\n' ORDER BY object, name, privilege) FROM granted
        """

    static let committed: [String] = [
        "yilian_user SELECT column users.created_at",
        "yilian_user SELECT column users.created_by",
        "yilian_user SELECT column users.display_name",
        "yilian_user SELECT column users.duty",
        "yilian_user SELECT column users.enabled",
        "yilian_user SELECT column users.hospital",
        "yilian_user SELECT column users.login",
        "yilian_user SELECT column users.name",
        "PUBLIC CONNECT database",
        "yilian_user EXECUTE function yilian_act_as(text)",
        "yilian_user EXECUTE function yilian_api.access_records(text,text,timestamp with time zone,timestamp with time zone,bigint,integer)",
        "yilian_user EXECUTE function yilian_api.act_on_application(text,text,text,integer,jsonb,integer,jsonb,text,text,timestamp with time zone,text,text)",
        "yilian_user EXECUTE function yilian_api.add_user(text,text,text,text)",
        "yilian_user EXECUTE function yilian_api.applications(text,text,text,text,integer)",
        "yilian_user EXECUTE function yilian_api.apply_for_membership(text,text,text,jsonb,integer,jsonb,timestamp with time zone,text)",
        "yilian_user EXECUTE function yilian_api.book_outreach(text,jsonb,timestamp with time zone,text)",
        "yilian_user EXECUTE function yilian_api.burden(integer)",
        "yilian_user EXECUTE function yilian_api.cancel_outreach(text,integer,timestamp with time zone,text)",
        "yilian_user EXECUTE function yilian_api.change_membership(text,text,text,text,timestamp with time zone,text,text)",
        "yilian_user EXECUTE function yilian_api.claim_key(text,text,jsonb)",
        "yilian_user EXECUTE function yilian_api.complete_key(text,text)",
        "yilian_user EXECUTE function yilian_api.consultation(text,text,text)",
        "yilian_user EXECUTE function yilian_api.consultation_action(text,text,integer,text,timestamp with time zone,text,text,timestamp with time zone,text,text)",
        "yilian_user EXECUTE function yilian_api.consultation_events(text,text,text)",
        "yilian_user EXECUTE function yilian_api.consultations(text,text,text,text[],text,integer,boolean)",
        "yilian_user EXECUTE function yilian_api.continuations(text)",
        "yilian_user EXECUTE function yilian_api.create_alliance(text,text,text,text,integer,integer,integer,text,integer,text,timestamp with time zone,text)",
        "yilian_user EXECUTE function yilian_api.disable_user(text)",
        "yilian_user EXECUTE function yilian_api.display_name(text)",
        "yilian_user EXECUTE function yilian_api.due(timestamp with time zone)",
        "yilian_user EXECUTE function yilian_api.feed(text,bigint,integer)",
        "yilian_user EXECUTE function yilian_api.file_referral(text,text,text,text,text,text,jsonb,boolean,jsonb,text,text,jsonb,text,timestamp with time zone,timestamp with time zone,text,text,jsonb,text,jsonb,text)",
        "yilian_user EXECUTE function yilian_api.import_burden(text[],text[],integer[],integer[],double precision[],timestamp with time zone)",
        "yilian_user EXECUTE function yilian_api.is_owner(text)",
        "yilian_user EXECUTE function yilian_api.latest_facts(text,text)",
        "yilian_user EXECUTE function yilian_api.may_act_for(text)",
        "yilian_user EXECUTE function yilian_api.membership_history(text,text)",
        "yilian_user EXECUTE function yilian_api.open_referrals(text,text,text,text)",
        "yilian_user EXECUTE function yilian_api.outreach_bookings(text,text,text[])",
        "yilian_user EXECUTE function yilian_api.publish_outreach(text,text,text,date,text,integer,timestamp with time zone,text)",
        "yilian_user EXECUTE function yilian_api.publish_slots(text,text,date[],integer,integer,integer,timestamp with time zone)",
        "yilian_user EXECUTE function yilian_api.referral(text,text,text)",
        "yilian_user EXECUTE function yilian_api.referral_action(text,text,integer,text,timestamp with time zone,text,text,text,date,boolean,jsonb)",
        "yilian_user EXECUTE function yilian_api.referral_events(text,text,text)",
        "yilian_user EXECUTE function yilian_api.referrals(text,text,text,text,text[],text,text,boolean,timestamp with time zone,text,integer,text,text,text)",
        "yilian_user EXECUTE function yilian_api.register_hospitals(text[],text[],smallint[],text[],text[],text[],integer[],text[],jsonb[],timestamp with time zone)",
        "yilian_user EXECUTE function yilian_api.register_practice(text,text,text,text,text,text,date,date,timestamp with time zone,text)",
        "yilian_user EXECUTE function yilian_api.request_consultation(text,text,text,text,text,jsonb,boolean,jsonb,text,jsonb,text,timestamp with time zone,timestamp with time zone,text,jsonb)",
        "yilian_user EXECUTE function yilian_api.sent_case(text,text)",
        "yilian_user EXECUTE function yilian_api.set_criteria(text,jsonb,timestamp with time zone,text)",
        "yilian_user EXECUTE function yilian_api.set_recognition(text,jsonb,timestamp with time zone,text)",
        "yilian_user EXECUTE function yilian_api.slot_policy(text,text)",
        "yilian_user EXECUTE function yilian_api.worklist(text,text,timestamp with time zone,integer)",
        "yilian_user EXECUTE function yilian_caller()",
        "yilian_user EXECUTE function yilian_consultation_indicators(text,date,date)",
        "yilian_user EXECUTE function yilian_duty(name)",
        "yilian_user EXECUTE function yilian_feed_advance()",
        "yilian_user EXECUTE function yilian_handles_referrals()",
        "yilian_user EXECUTE function yilian_hospital(name)",
        "yilian_user EXECUTE function yilian_listen(text)",
        "yilian_user EXECUTE function yilian_masked_id(text)",
        "yilian_user EXECUTE function yilian_outreach_indicators(text,date,date)",
        "yilian_user EXECUTE function yilian_recognition_indicators(text,date,date)",
        "yilian_user EXECUTE function yilian_referral_indicators(text,date,date,timestamp with time zone,boolean)",
        "yilian_user EXECUTE function yilian_rejection_indicators(text,date,date,boolean)",
        "yilian_user EXECUTE function yilian_visible_patient_key(text)",
        "yilian_user EXECUTE function yilian_worklist_counts(text,timestamp with time zone)",
        "yilian_user USAGE schema public",
        "yilian_user USAGE schema yilian_api",
        "yilian_user SELECT table alliances",
        "yilian_user SELECT table application_actions",
        "yilian_user SELECT table consultation_actions",
        "yilian_user SELECT table criteria_versions",
        "yilian_user SELECT table hospitals",
        "yilian_user SELECT table membership_actions",
        "yilian_user SELECT table memberships",
        "yilian_user SELECT table outreach_sessions",
        "yilian_user SELECT table practice_records",
        "yilian_user SELECT table recognition_versions",
        "yilian_user SELECT table referral_actions",
        "yilian_user SELECT table schema_migrations",
        "yilian_user SELECT table slots",
        "yilian_user SELECT table specialties",
    ]
}
