import Foundation
import Synchronization
import Testing
import YilianJSON
import YilianPostgres
import YilianRepository
import YilianTestSupport

/// The database is the wall (SPEC §6 "Writes"): with nothing but a user's own login, `psql`
/// can neither borrow the owner's rights nor change what the user's actions do not own. Each
/// row is one attack, tried with a user's own login against a world of several hospitals'
/// referrals, consultations, applications and slots; its expected outcome is what PostgreSQL
/// must answer.
@Suite struct WallTests {
    enum Expected: Sendable, CustomStringConvertible {
        /// PostgreSQL refuses the statement with an ERROR saying this (the protection that holds).
        case refused(String)
        /// The statement runs and prints exactly this (what the user may see).
        case answers(String)

        var description: String {
            switch self {
            case .refused(let reason): return "refused: \(reason)"
            case .answers(let text): return "answers \(text)"
            }
        }
    }

    struct Attack: Sendable, CustomTestStringConvertible {
        var name: String
        var login: String
        var sql: String
        var expected: Expected
        var testDescription: String { name }
    }

    /// AccessTests' world (R-000001 MYQYY → ZRYY, R-000002 JGYY → ZRYY, C-000001 and C-000002
    /// likewise, MYQYY and JGYY admitted to PAIN-BJ), with SYMY's application A-000003 waiting.
    /// Its attackers are the template's users; wdesk@ZRYY is the coordinator of ZRYY, as another
    /// test disables coordinator@ZRYY, which then (roles belong to the whole cluster) cannot log
    /// in to any database.
    static func world() async throws -> String {
        let url = try await AccessTests.world()
        let session = try ServeSession(environment: ["YILIAN_DATABASE_URL": url])
        #expect(
            try session.call(
                "hospital.register",
                [
                    "code": "SYMY", "name": "首都医科大学附属医院", "level": 2, "departments": ["pain"],
                    "actor": ReliabilityFixture.admin,
                ])?["result"] != nil)
        #expect(
            try session.call(
                "membership.apply",
                [
                    "alliance": "PAIN-BJ", "hospital": "SYMY", "role": "cooperating", "facts": [:],
                    "actor": ReliabilityFixture.coordinator("SYMY"),
                ])?["result"]?["id"] == "A-000003")
        _ = try session.finish()
        try await PGConnection.connect(url).runScript(Self.named)
        return url
    }

    /// A display name for the attacks on names (set by the owner, as `user add --name` would),
    /// ZRYY's physician's practice at MYQYY, with 张三 booked into its session O-000001 (in two days)
    /// and O-000002 (held yesterday), and a row of the commission's burden table.
    static let named = """
        UPDATE users SET display_name = '陈明' WHERE login = 'wdoc@ZRYY';
        INSERT INTO practice_records VALUES ('PAIN-BJ', 'wdoc@ZRYY', '主任医师', 'pain', 'MYQYY', 'BJ-0001', current_date - 1,
            current_date + 30, 'li@ZRYY', now());
        INSERT INTO outreach_sessions (id, alliance, expert, site, specialty, date, kind, capacity, booked, published_by, published_at)
        VALUES ('O-000001', 'PAIN-BJ', 'wdoc@ZRYY', 'MYQYY', 'pain', current_date + 2, 'clinic', 5, 1, 'wdesk@ZRYY', now()),
               ('O-000002', 'PAIN-BJ', 'wdoc@ZRYY', 'MYQYY', 'pain', current_date - 1, 'clinic', 5, 1, 'wdesk@ZRYY', now());
        SELECT setval('outreach_numbers', 2);
        INSERT INTO outreach_bookings (session, number, patient, booked_by, booked_at)
        VALUES ('O-000001', 1, '{"name": "张三", "sex": "male", "birthDate": "1980-01-01"}', 'wang@MYQYY', now()),
               ('O-000002', 1, '{"name": "张三", "sex": "male", "birthDate": "1980-01-01"}', 'wang@MYQYY', now());
        INSERT INTO burden VALUES ('东城区', 'pain', 2026, 100, NULL, 'ops@admin', now());
        """

    static let attacks: [Attack] = [
        // Borrowing the owner's rights.
        Attack(
            name: "a temporary table shadows users, so yilian_hospital answers the platform", login: "wang@MYQYY",
            sql: "CREATE TEMP TABLE users (login text, hospital text, duty text, enabled boolean)",
            expected: .refused("permission denied to create temporary tables")),
        Attack(
            name: "a table of its own in public, found by the owner's functions", login: "wang@MYQYY",
            sql: "CREATE TABLE public.referral_moves_mine (x int)", expected: .refused("permission denied for schema public")),
        Attack(
            name: "a function in public overloading yilian_hospital", login: "wang@MYQYY",
            sql: "CREATE FUNCTION public.yilian_hospital(role text) RETURNS text LANGUAGE sql AS $$SELECT 'ZRYY'$$",
            expected: .refused("permission denied for schema public")),
        Attack(name: "a schema of its own", login: "wang@MYQYY", sql: "CREATE SCHEMA mine", expected: .refused("permission denied")),
        Attack(
            name: "the owner's default privileges", login: "wang@MYQYY",
            sql: "ALTER DEFAULT PRIVILEGES FOR ROLE yilian GRANT ALL ON TABLES TO PUBLIC",
            expected: .refused("must be member of role \"yilian\"")),
        Attack(
            name: "a role that runs programs on the server", login: "wang@MYQYY",
            sql: "GRANT pg_execute_server_program TO \"wang@MYQYY\"",
            expected: .refused("must have admin option on role \"pg_execute_server_program\"")),
        Attack(
            name: "a shell command through COPY", login: "wang@MYQYY", sql: "COPY (SELECT 1) TO PROGRAM 'true'",
            expected: .refused(
                "must be superuser or have privileges of the pg_execute_server_program role to COPY to or from an external program")),
        Attack(
            name: "the platform's group role", login: "wang@MYQYY", sql: "SET ROLE yilian_platform",
            expected: .refused("permission denied to set role \"yilian_platform\"")),
        Attack(
            name: "another user's role", login: "wang@MYQYY", sql: "SET ROLE \"li@ZRYY\"",
            expected: .refused("permission denied to set role \"li@ZRYY\"")),
        Attack(
            name: "acting as another user through the owner's function", login: "wang@MYQYY",
            sql: "SELECT yilian_act_as('li@ZRYY')", expected: .refused("not a registered, enabled user")),
        Attack(
            name: "a referral number rewound", login: "wang@MYQYY", sql: "SELECT setval('referral_numbers', 1)",
            expected: .refused("permission denied for sequence referral_numbers")),
        Attack(
            name: "a large object, the one thing a user could still create", login: "wang@MYQYY", sql: "SELECT lo_create(0)",
            expected: .refused("permission denied for function lo_create")),
        // Oracles: whether a resident ID is known to anyone.
        Attack(
            name: "the statistics of the rows the owner's functions read for a guessed resident ID", login: "wang@SYMY",
            sql: "SELECT pg_stat_get_xact_tuples_fetched('referrals_entered_key'::regclass)",
            expected: .refused("permission denied for function pg_stat_get_xact_tuples_fetched")),
        Attack(
            name: "the same through the statistics view", login: "wang@SYMY",
            sql: "SELECT sum(idx_tup_fetch) FROM pg_stat_xact_user_tables",
            expected: .refused("permission denied for function pg_stat_get_")),
        Attack(
            name: "the database's cumulative counters", login: "wang@SYMY",
            sql: "SELECT pg_stat_get_db_tuples_fetched(oid) FROM pg_database WHERE datname = current_database()",
            expected: .refused("permission denied for function pg_stat_get_db_tuples_fetched")),
        Attack(
            name: "whether a resident ID is known, by a hospital that treats nobody", login: "coordinator@SYMY",
            sql: "SELECT yilian_masked_id_of(yilian_patient_key('11010519800101018X'))",
            expected: .refused("function yilian_masked_id_of(text) does not exist")),
        Attack(
            name: "the keyed hash of any resident ID", login: "coordinator@SYMY",
            sql: "SELECT yilian_patient_key('11010519800101018X')", expected: .refused("permission denied for function yilian_patient_key")),
        Attack(
            name: "a resident ID kept aside without a referral", login: "coordinator@SYMY",
            sql: "SELECT yilian_keep_resident_id('110105198001010999')",
            expected: .refused("permission denied for function yilian_keep_resident_id")),
        Attack(
            name: "whole resident IDs", login: "wang@MYQYY", sql: "SELECT count(*) FROM resident_ids",
            expected: .refused("permission denied for table resident_ids")),
        // Membership events: the applicant's and the core's, written only by their actions.
        Attack(
            name: "other hospitals' membership events", login: "wang@MYQYY",
            sql: "SELECT count(*) FROM yilian_api.membership_history('PAIN-BJ', 'JGYY')", expected: .answers("0")),
        // A row policy would let a user count rows matching its own conditions (EXPLAIN ANALYZE) and
        // time the policy's check against them: these tables are read only through the wall.
        Attack(
            name: "a coordinator counts another hospital's access-log rows", login: "wang@MYQYY",
            sql: "EXPLAIN (ANALYZE) SELECT 1 FROM access_log WHERE hospital = 'ZRYY'",
            expected: .refused("permission denied for table access_log")),
        Attack(
            name: "a coordinator counts other hospitals' applications", login: "wang@MYQYY",
            sql: "EXPLAIN (ANALYZE) SELECT 1 FROM applications WHERE hospital = 'SYMY'",
            expected: .refused("permission denied for table applications")),
        Attack(
            name: "a coordinator counts other hospitals' membership events", login: "wang@MYQYY",
            sql: "EXPLAIN (ANALYZE) SELECT 1 FROM membership_events WHERE hospital <> 'MYQYY'",
            expected: .refused("permission denied for table membership_events")),
        Attack(
            name: "a coordinator reads the access log through the wall", login: "wang@MYQYY",
            sql: "SELECT count(*) FROM yilian_api.access_records(NULL, NULL, NULL, NULL, NULL, 1000)", expected: .answers("0")),
        Attack(
            name: "the operator reads the access log with no limit given (the most, not none)", login: "ops@admin",
            sql: "SELECT count(*) > 0 FROM yilian_api.access_records(NULL, NULL, NULL, NULL, NULL, NULL)", expected: .answers("t")),
        Attack(
            name: "an applicant reads another applicant's facts through the wall", login: "wang@SYMY",
            sql: "SELECT coalesce(yilian_api.latest_facts('PAIN-BJ', 'JGYY')::text, '-')", expected: .answers("-")),
        Attack(
            name: "a membership event revoking another member, by the core's coordinator", login: "waud@JGYY",
            sql: """
                INSERT INTO membership_events (alliance, hospital, action, from_status, to_status, actor, at)
                VALUES ('PAIN-BJ', 'MYQYY', 'revoke', 'active', 'revoked', 'li@ZRYY', now())
                """, expected: .refused("permission denied for table membership_events")),
        // Referrals: changed only by yilian_api.referral_action, filed only by yilian_api.file_referral.
        Attack(
            name: "the sender replaces the receiver's outcome", login: "wang@MYQYY",
            sql: "UPDATE referrals SET outcome = '{\"summary\": \"x\"}' WHERE id = 'R-000001'",
            expected: .refused("permission denied for table referrals")),
        Attack(
            name: "the sender redirects to a non-member by UPDATE", login: "wang@MYQYY",
            sql: "UPDATE referrals SET to_hospital = 'SYMY', version = version + 1 WHERE id = 'R-000001'",
            expected: .refused("permission denied for table referrals")),
        Attack(
            name: "a version moved on with no event", login: "wang@MYQYY",
            sql: "UPDATE referrals SET status = 'cancelled', version = version + 1 WHERE id = 'R-000001'",
            expected: .refused("permission denied for table referrals")),
        Attack(
            name: "a referral inserted past the filing rules", login: "wang@MYQYY",
            sql: """
                INSERT INTO referrals (id, alliance, specialty, direction, setting, priority, from_hospital, to_hospital, patient, consent,
                    diagnosis, reason, status, respond_by, clock_start, created_at, updated_at)
                VALUES ('R-999999', 'PAIN-BJ', 'pain', 'up', 'outpatient', 'routine', 'MYQYY', 'SYMY', '{}', true, '[]', 'x',
                    'requested', now(), now(), now(), now())
                """, expected: .refused("permission denied for table referrals")),
        Attack(
            name: "a cancel event appended by the sender", login: "wang@MYQYY",
            sql: """
                INSERT INTO referral_events (referral, seq, action, from_status, to_status, actor, at)
                VALUES ('R-000001', 2, 'cancel', 'requested', 'cancelled', 'wang@MYQYY', now())
                """, expected: .refused("permission denied for table referral_events")),
        Attack(
            name: "an expiry appended in the system's name", login: "wang@MYQYY",
            sql: """
                INSERT INTO referral_events (referral, seq, action, from_status, to_status, actor, at)
                VALUES ('R-000001', 2, 'expire', 'requested', 'expired', 'system', now())
                """, expected: .refused("permission denied for table referral_events")),
        Attack(
            name: "another hospital's slots set to full", login: "waud@JGYY",
            sql: "UPDATE slots SET booked = capacity WHERE hospital = 'ZRYY'", expected: .refused("permission denied for table slots")),
        Attack(
            name: "the receiver's slots set back to none booked by its coordinator", login: "wdesk@ZRYY",
            sql: "UPDATE slots SET booked = 0 WHERE hospital = 'ZRYY'", expected: .refused("permission denied for table slots")),
        Attack(
            name: "the sender takes the receiver's move", login: "wang@MYQYY",
            sql: acting("accept"), expected: .answers("this change of referral R-000001 is not a move its sender may make")),
        Attack(
            name: "a physician of the receiver accepts", login: "wdoc@ZRYY",
            sql: acting("accept", actor: "wdoc@ZRYY"),
            expected: .answers("this change of referral R-000001 is not a move its receiver may make")),
        Attack(
            name: "a cancel that carries a date of its own", login: "wang@MYQYY",
            sql: acting("cancel", carrying: ["reason": "'x'", "slot_date": "'2030-12-01'"]),
            expected: .answers("cancel carries only what it changes")),
        Attack(
            name: "a cancel in the receiver's name", login: "wang@MYQYY",
            sql: acting("cancel", actor: "li@ZRYY", carrying: ["reason": "'x'"]),
            expected: .refused("wang@MYQYY may not read in the name of li@ZRYY")),
        Attack(
            name: "a redirect to a hospital outside the alliance", login: "wang@MYQYY",
            sql: acting("redirect", carrying: ["to_hospital": "'SYMY'"]),
            expected: .answers("a referral is redirected only to another active member of its alliance, in its direction")),
        Attack(
            name: "an expiry before the deadline", login: "wang@MYQYY",
            sql: acting("expire", actor: "system"), expected: .answers("this change of referral R-000001 is not a move its system may make")
        ),
        Attack(
            name: "an accept that books a slot", login: "li@ZRYY",
            sql: acting("accept", actor: "li@ZRYY", carrying: ["slot_date": "'2030-12-01'", "slot_expert": "false"]),
            expected: .answers("accept carries only what it changes")),
        Attack(
            name: "a rejection with a code of its own", login: "li@ZRYY",
            sql: acting("reject", actor: "li@ZRYY", carrying: ["reject_code": "'because'"]),
            expected: .answers("a rejection has one of the reason codes (RejectReason), and a reason when it is other")),
        Attack(
            name: "a referral filed for another hospital", login: "wang@MYQYY",
            sql: filing(from: "JGYY", to: "ZRYY"), expected: .refused("wang@MYQYY may not file referrals of JGYY")),
        Attack(
            name: "a referral filed to a hospital outside the alliance", login: "wang@MYQYY",
            sql: filing(from: "MYQYY", to: "SYMY"), expected: .refused("both hospitals must be active members of an active alliance")),
        Attack(
            name: "a sender's identifier that is not {system, value}", login: "wang@MYQYY",
            sql: filing(from: "MYQYY", to: "ZRYY", senderIdentifier: #"'{"system": "urn:x", "value": "1", "more": "x"}'"#),
            expected: .refused(#"new row for relation "referrals" violates check constraint "referrals_sender_identifier_check""#)),
        Attack(
            name: "a sender's identifier without its members (a NULL check passes)", login: "wang@MYQYY",
            sql: filing(from: "MYQYY", to: "ZRYY", senderIdentifier: "'{}'"),
            expected: .refused(#"new row for relation "referrals" violates check constraint "referrals_sender_identifier_check""#)),
        Attack(
            name: "a sender's identifier posing as Yilian's own", login: "wang@MYQYY",
            sql: filing(from: "MYQYY", to: "ZRYY", senderIdentifier: #"'{"system": "urn:yilian:referral", "value": "R-000003"}'"#),
            expected: .refused(#"new row for relation "referrals" violates check constraint "referrals_sender_identifier_check""#)),
        Attack(
            name: "a sender's identifier that moves a terminal", login: "wang@MYQYY",
            sql: filing(from: "MYQYY", to: "ZRYY", senderIdentifier: #"'{"system": "urn:x\u001b[31m", "value": "\u202eabc"}'"#),
            expected: .refused(#"new row for relation "referrals" violates check constraint "referrals_sender_identifier_check""#)),
        Attack(
            name: "a consultation's sender identifier without its members", login: "wang@MYQYY",
            sql: """
                SELECT yilian_api.request_consultation('PAIN-BJ', 'MYQYY', 'ZRYY', 'advice', 'routine',
                    '{"name": "李四", "sex": "male", "birthDate": "1970-01-01"}', true, '[{"code": "M54.5", "name": "腰痛"}]', 'q', '[]', NULL,
                    now() + interval '72 hours', now(), 'wang@MYQYY', '{"system": "urn:x"}')
                """,
            expected: .refused(#"new row for relation "consultations" violates check constraint "consultations_sender_identifier_check""#)),
        Attack(
            name: "one sender's identifier for two referrals", login: "wang@MYQYY",
            sql: [1, 2].map { _ in filing(from: "MYQYY", to: "ZRYY", senderIdentifier: #"'{"system": "urn:x", "value": "1"}'"#) }
                .joined(separator: ", ").replacing(", SELECT ", with: ", "),
            expected: .refused(#"duplicate key value violates unique constraint "sender_identifiers_pkey""#)),
        Attack(
            name: "one sender's identifier for a referral and a consultation", login: "wang@MYQYY",
            sql: filing(from: "MYQYY", to: "ZRYY", senderIdentifier: #"'{"system": "urn:x", "value": "2"}'"#) + ", "
                + """
                yilian_api.request_consultation('PAIN-BJ', 'MYQYY', 'ZRYY', 'advice', 'routine',
                    '{"name": "李四", "sex": "male", "birthDate": "1970-01-01"}', true, '[{"code": "M54.5", "name": "腰痛"}]', 'q', '[]', NULL,
                    now() + interval '72 hours', now(), 'wang@MYQYY', '{"system": "urn:x", "value": "2"}')
                """,
            expected: .refused(#"duplicate key value violates unique constraint "sender_identifiers_pkey""#)),
        Attack(
            name: "a sender's identifier posing as Yilian's own in capitals", login: "wang@MYQYY",
            sql: filing(from: "MYQYY", to: "ZRYY", senderIdentifier: #"'{"system": "URN:YILIAN:referral", "value": "R-000001"}'"#),
            expected: .refused(#"new row for relation "referrals" violates check constraint "referrals_sender_identifier_check""#)),
        Attack(
            name: "a whole resident ID kept as a sender's identifier", login: "wang@MYQYY",
            sql: filing(
                from: "MYQYY", to: "ZRYY", senderIdentifier: #"'{"system": "urn:oid:2.16.156.10011.1.3", "value": "110105195603120016"}'"#),
            expected: .refused(#"new row for relation "referrals" violates check constraint "referrals_sender_identifier_check""#)),
        Attack(
            name: "a referral filed with a deadline of its own", login: "wang@MYQYY",
            sql: filing(from: "MYQYY", to: "ZRYY", respondBy: "now() + interval '1 year'"),
            expected: .refused("a referral is filed now, to answer within the alliance's window")),
        // Applications, memberships, criteria and alliances: only their functions, by the duties SPEC §6 names.
        Attack(
            name: "an applicant rewrites its stored evaluation", login: "wang@SYMY",
            sql: #"UPDATE applications SET evaluation = '{"decision": "eligible"}' WHERE id = 'A-000003'"#,
            expected: .refused("permission denied for table applications")),
        Attack(
            name: "a physician of the core inserts a membership", login: "wdoc@ZRYY",
            sql: """
                INSERT INTO memberships (alliance, hospital, role, status, since, updated_at)
                VALUES ('PAIN-BJ', 'SYMY', 'cooperating', 'active', now(), now())
                """, expected: .refused("permission denied for table memberships")),
        Attack(
            name: "a physician of the core revokes a member", login: "wdoc@ZRYY",
            sql: "SELECT yilian_api.change_membership('PAIN-BJ', 'MYQYY', 'revoke', 'revoked', now(), 'wdoc@ZRYY', 'x')",
            expected: .refused("this change of MYQYY's membership of PAIN-BJ is not a move wdoc@ZRYY may make")),
        Attack(
            name: "the core's coordinator approves an application", login: "wdesk@ZRYY",
            sql: """
                SELECT yilian_api.act_on_application(id, 'approve', 'approved', version + 1, facts, criteria_version, evaluation, 'ok', NULL,
                    now(), 'wdesk@ZRYY', 'ok') FROM yilian_api.applications('A-000003', NULL, NULL, NULL, 1)
                """, expected: .refused("this change of application A-000003 is not a move its core may make")),
        Attack(
            name: "the applicant approves its own application", login: "wang@SYMY",
            sql: """
                SELECT yilian_api.act_on_application(id, 'approve', 'approved', version + 1, facts, criteria_version, evaluation, 'ok', NULL,
                    now(), 'wang@SYMY', 'ok') FROM yilian_api.applications('A-000003', NULL, NULL, NULL, 1)
                """, expected: .refused("this change of application A-000003 is not a move its applicant may make")),
        Attack(
            name: "a secondary hospital applies as a collaborating (tertiary) unit", login: "wang@SYMY",
            sql: "SELECT yilian_api.apply_for_membership('PAIN-BJ', 'SYMY', 'collaborating', '{}', 1, '{}', now(), 'wang@SYMY')",
            expected: .refused(
                "an application is to an active alliance's current criteria, by a hospital not a member, of the level its role requires")),
        Attack(
            name: "an auditor applies for its hospital", login: "waud@JGYY",
            sql: "SELECT yilian_api.apply_for_membership('PAIN-BJ', 'JGYY', 'cooperating', '{}', 1, '{}', now(), 'waud@JGYY')",
            expected: .refused("waud@JGYY may not apply for JGYY")),
        Attack(
            name: "the core's coordinator sets the criteria", login: "wdesk@ZRYY",
            sql: "SELECT yilian_api.set_criteria('PAIN-BJ', '{}', now(), 'wdesk@ZRYY')",
            expected: .refused("wdesk@ZRYY may not set the criteria of PAIN-BJ")),
        Attack(
            name: "the core's coordinator publishes a 互认 catalogue", login: "wdesk@ZRYY",
            sql: #"SELECT yilian_api.set_recognition('PAIN-BJ', '{"items": []}', now(), 'wdesk@ZRYY')"#,
            expected: .refused("wdesk@ZRYY may not set the recognition catalogue of PAIN-BJ")),
        Attack(
            name: "the core's administrator writes a catalogue version around the wall", login: "li@ZRYY",
            sql: #"INSERT INTO recognition_versions VALUES ('PAIN-BJ', 1, '{"items": []}', 'li@ZRYY', now())"#,
            expected: .refused("permission denied for table recognition_versions")),
        Attack(
            name: "the core's administrator publishes a catalogue Yilian cannot read", login: "li@ZRYY",
            sql: #"SELECT yilian_api.set_recognition('PAIN-BJ', '{"items": [{"code": "MRI-L", "kind": "video"}]}', now(), 'li@ZRYY')"#,
            expected: .refused("a recognition catalogue is {\"items\": [...]}")),
        Attack(
            name: "the core's administrator publishes a 9 MB catalogue that every decision would read", login: "li@ZRYY",
            sql: """
                SELECT yilian_api.set_recognition('PAIN-BJ', jsonb_build_object('items', (SELECT jsonb_agg(jsonb_build_object('code', 'I' || i,
                    'name', 'x', 'kind', 'lab', 'validDays', 1, 'qualified', (SELECT jsonb_agg('H' || j) FROM generate_series(1, 500) j)))
                    FROM generate_series(1, 500) i)), now(), 'li@ZRYY')
                """,
            expected: .refused("a recognition catalogue is {\"items\": [...]}")),
        Attack(
            name: "the core's administrator sets the catalogue's version", login: "li@ZRYY",
            sql: "UPDATE alliances SET recognition_version = 7 WHERE code = 'PAIN-BJ'",
            expected: .refused("permission denied for table alliances")),
        // Expert outreach (SPEC §14): practice records, sessions and bookings only through the wall.
        Attack(
            name: "the core's administrator writes a practice record around the wall", login: "li@ZRYY",
            sql: """
                INSERT INTO practice_records VALUES ('PAIN-BJ', 'wdoc@ZRYY', '主任医师', 'pain', 'JGYY', 'BJ-0002', current_date,
                    current_date + 30, 'li@ZRYY', now())
                """,
            expected: .refused("permission denied for table practice_records")),
        Attack(
            name: "the core's coordinator registers its physician's practice", login: "wdesk@ZRYY",
            sql: """
                SELECT yilian_api.register_practice('PAIN-BJ', 'wdoc@ZRYY', '主任医师', 'pain', 'JGYY', 'BJ-0002', current_date,
                    current_date + 30, now(), 'wdesk@ZRYY')
                """,
            expected: .refused("outreach refused: not_expert_admin")),
        Attack(
            name: "the core's administrator registers a practice in its coordinator's name", login: "li@ZRYY",
            sql: """
                SELECT yilian_api.register_practice('PAIN-BJ', 'wdoc@ZRYY', '主任医师', 'pain', 'JGYY', 'BJ-0002', current_date,
                    current_date + 30, now(), 'wdesk@ZRYY')
                """,
            expected: .refused("li@ZRYY may not register practice as wdesk@ZRYY at ")),
        Attack(
            name: "the core's administrator registers its coordinator as an expert", login: "li@ZRYY",
            sql: """
                SELECT yilian_api.register_practice('PAIN-BJ', 'wdesk@ZRYY', '主任医师', 'pain', 'JGYY', 'BJ-0002', current_date,
                    current_date + 30, now(), 'li@ZRYY')
                """,
            expected: .refused("outreach refused: not_physician")),
        Attack(
            name: "the core's administrator sends its physician to an applicant", login: "li@ZRYY",
            sql: """
                SELECT yilian_api.register_practice('PAIN-BJ', 'wdoc@ZRYY', '主任医师', 'pain', 'SYMY', 'BJ-0002', current_date,
                    current_date + 30, now(), 'li@ZRYY')
                """,
            expected: .refused("outreach refused: not_member_site")),
        Attack(
            name: "the core's coordinator publishes a session where no record covers it", login: "wdesk@ZRYY",
            sql: "SELECT yilian_api.publish_outreach('PAIN-BJ', 'wdoc@ZRYY', 'JGYY', current_date + 2, 'clinic', 5, now(), 'wdesk@ZRYY')",
            expected: .refused("outreach refused: no_practice")),
        Attack(
            name: "the core's coordinator publishes a session past the record's validity", login: "wdesk@ZRYY",
            sql: "SELECT yilian_api.publish_outreach('PAIN-BJ', 'wdoc@ZRYY', 'MYQYY', current_date + 40, 'clinic', 5, now(), 'wdesk@ZRYY')",
            expected: .refused("outreach refused: no_practice")),
        Attack(
            name: "the site's coordinator publishes a session of the core's expert", login: "wang@MYQYY",
            sql: "SELECT yilian_api.publish_outreach('PAIN-BJ', 'wdoc@ZRYY', 'MYQYY', current_date + 2, 'clinic', 5, now(), 'wang@MYQYY')",
            expected: .refused("outreach refused: not_expert_coordinator")),
        Attack(
            name: "the site's coordinator enlarges a session", login: "wang@MYQYY",
            sql: "UPDATE outreach_sessions SET capacity = 500 WHERE id = 'O-000001'",
            expected: .refused("permission denied for table outreach_sessions")),
        Attack(
            name: "the site's coordinator books around the wall", login: "wang@MYQYY",
            sql: """
                INSERT INTO outreach_bookings VALUES ('O-000001', 2, '{"name": "x", "sex": "male", "birthDate": "1980-01-01"}',
                    'wang@MYQYY', now())
                """,
            expected: .refused("permission denied for table outreach_bookings")),
        Attack(
            name: "another member books into a session held at MYQYY", login: "wang@JGYY",
            sql: """
                SELECT yilian_api.book_outreach('O-000001', '{"name": "x", "sex": "male", "birthDate": "1980-01-01"}', now(), 'wang@JGYY')
                """,
            expected: .refused("outreach refused: not_site_coordinator")),
        Attack(
            name: "another member cancels a booking at MYQYY", login: "wang@JGYY",
            sql: "SELECT yilian_api.cancel_outreach('O-000001', 1, now(), 'wang@JGYY')",
            expected: .refused("outreach refused: not_site_coordinator")),
        Attack(
            name: "the site books a patient with a resident ID on the side", login: "wang@MYQYY",
            sql: """
                SELECT yilian_api.book_outreach('O-000001',
                    '{"name": "x", "sex": "male", "birthDate": "1980-01-01", "idNumber": "11010519800101018X"}', now(), 'wang@MYQYY')
                """,
            expected: .refused("outreach refused: patient")),
        Attack(
            name: "the site books with a time of its choosing", login: "wang@MYQYY",
            sql: """
                SELECT yilian_api.book_outreach('O-000001', '{"name": "x", "sex": "male", "birthDate": "1980-01-01"}',
                    now() - interval '30 days', 'wang@MYQYY')
                """,
            expected: .refused("wang@MYQYY may not book as wang@MYQYY at ")),
        Attack(
            name: "another member reads the booked patients", login: "wang@JGYY",
            sql: "SELECT count(*) FROM outreach_bookings", expected: .refused("permission denied for table outreach_bookings")),
        Attack(
            name: "another member reads the bookings through the wall's function", login: "wang@JGYY",
            sql: "SELECT count(*) FROM yilian_api.outreach_bookings(NULL, 'outreach.list', ARRAY['O-000001'])", expected: .answers("0")),
        Attack(
            name: "the site reads the bookings under another method's name", login: "wang@MYQYY",
            sql: "SELECT count(*) FROM yilian_api.outreach_bookings(NULL, 'referral.get', ARRAY['O-000001'])",
            expected: .refused("bookings are read by outreach.list")),
        Attack(
            name: "another member files an up-referral naming the session", login: "wang@JGYY",
            sql: """
                SELECT yilian_api.file_referral('PAIN-BJ', 'up', 'outpatient', 'routine', 'JGYY', 'ZRYY',
                    '{"name": "张三", "sex": "male", "birthDate": "1980-01-01"}', true, '[{"code": "M79.2", "name": "x"}]', 'x', NULL, '[]',
                    NULL, now() + interval '72 hours', now(), 'wang@JGYY', 'x', NULL, NULL, NULL, 'O-000002')
                """,
            expected: .refused("outreach refused: not_booked")),
        Attack(
            name: "the site names the session for a patient it did not book", login: "wang@MYQYY",
            sql: """
                SELECT yilian_api.file_referral('PAIN-BJ', 'up', 'outpatient', 'routine', 'MYQYY', 'ZRYY',
                    '{"name": "李四", "sex": "male", "birthDate": "1980-01-01"}', true, '[{"code": "M79.2", "name": "x"}]', 'x', NULL, '[]',
                    NULL, now() + interval '72 hours', now(), 'wang@MYQYY', 'x', NULL, NULL, NULL, 'O-000002')
                """,
            expected: .refused("outreach refused: not_booked")),
        Attack(
            name: "another member asks whether a patient is booked (booked)", login: "wang@JGYY",
            sql: """
                SELECT yilian_api.file_referral('PAIN-BJ', 'up', 'outpatient', 'routine', 'MYQYY', 'ZRYY',
                    '{"name": "张三", "sex": "male", "birthDate": "1980-01-01"}', true, '[{"code": "M79.2", "name": "x"}]', 'x', NULL, '[]',
                    NULL, now() + interval '72 hours', now(), 'wang@JGYY', 'x', NULL, NULL, NULL, 'O-000001')
                """,
            expected: .refused("wang@JGYY may not file referrals of MYQYY")),
        Attack(
            name: "another member asks whether a patient is booked (not booked: the same answer)", login: "wang@JGYY",
            sql: """
                SELECT yilian_api.file_referral('PAIN-BJ', 'up', 'outpatient', 'routine', 'MYQYY', 'ZRYY',
                    '{"name": "张三", "sex": "male", "birthDate": "1980-01-02"}', true, '[{"code": "M79.2", "name": "x"}]', 'x', NULL, '[]',
                    NULL, now() + interval '72 hours', now(), 'wang@JGYY', 'x', NULL, NULL, NULL, 'O-000001')
                """,
            expected: .refused("wang@JGYY may not file referrals of MYQYY")),
        Attack(
            name: "the core's administrator registers a practice valid for over ten years", login: "li@ZRYY",
            sql: """
                SELECT yilian_api.register_practice('PAIN-BJ', 'wdoc@ZRYY', '主任医师', 'pain', 'JGYY', 'BJ-0002', current_date,
                    current_date + 3651, now(), 'li@ZRYY')
                """,
            expected: .refused(#"new row for relation "practice_records" violates check constraint "practice_records_check""#)),
        Attack(
            name: "the core's coordinator publishes a session more than a year ahead", login: "wdesk@ZRYY",
            sql: """
                SELECT yilian_api.publish_outreach('PAIN-BJ', 'wdoc@ZRYY', 'MYQYY',
                    ((now() AT TIME ZONE 'Asia/Shanghai')::date + interval '1 year')::date + 1, 'clinic', 5, now(), 'wdesk@ZRYY')
                """,
            expected: .refused("outreach refused: date")),
        Attack(
            name: "the site books a patient with a blank name", login: "wang@MYQYY",
            sql: """
                SELECT yilian_api.book_outreach('O-000001', '{"name": "  ", "sex": "male", "birthDate": "1980-01-01"}', now(), 'wang@MYQYY')
                """,
            expected: .refused("outreach refused: patient")),
        Attack(
            name: "the site books a patient born in the future", login: "wang@MYQYY",
            sql: """
                SELECT yilian_api.book_outreach('O-000001', '{"name": "x", "sex": "male", "birthDate": "2199-12-31"}', now(), 'wang@MYQYY')
                """,
            expected: .refused("outreach refused: patient")),
        Attack(
            name: "the site names a session still ahead for a booked patient", login: "wang@MYQYY",
            sql: """
                SELECT yilian_api.file_referral('PAIN-BJ', 'up', 'outpatient', 'routine', 'MYQYY', 'ZRYY',
                    '{"name": "张三", "sex": "male", "birthDate": "1980-01-01"}', true, '[{"code": "M79.2", "name": "x"}]', 'x', NULL, '[]',
                    NULL, now() + interval '72 hours', now(), 'wang@MYQYY', 'x', NULL, NULL, NULL, 'O-000001')
                """,
            expected: .refused("outreach refused: session_ahead")),
        Attack(
            name: "the site books a patient whose name is an ideographic space", login: "wang@MYQYY",
            sql: """
                SELECT yilian_api.book_outreach('O-000001', jsonb_build_object('name', U&'\\3000\\200B', 'sex', 'male', 'birthDate',
                    '1980-01-01'), now(), 'wang@MYQYY')
                """,
            expected: .refused("outreach refused: patient")),
        Attack(
            name: "the core's administrator registers a filing number again in lower case", login: "li@ZRYY",
            sql: """
                SELECT yilian_api.register_practice('PAIN-BJ', 'wdoc@ZRYY', '主任医师', 'pain', 'MYQYY', 'bj-0001', current_date,
                    current_date + 30, now(), 'li@ZRYY')
                """,
            expected: .refused(#"new row for relation "practice_records" violates check constraint "practice_records_filing_number_check""#)
        ),
        Attack(
            name: "the site names the session on an up-referral it filed", login: "wang@MYQYY",
            sql: "UPDATE referrals SET outreach = 'O-000001' WHERE id = 'R-000001'",
            expected: .refused("permission denied for table referrals")),
        // The commission's planning: its operator's alone.
        Attack(
            name: "a coordinator imports a burden table", login: "wang@MYQYY",
            sql: "SELECT yilian_api.import_burden(ARRAY['东城区'], ARRAY['pain'], ARRAY[2026], ARRAY[1], ARRAY[NULL::float8], now())",
            expected: .refused("wang@MYQYY may not import the burden table")),
        Attack(
            name: "the core's administrator writes a burden row around the wall", login: "li@ZRYY",
            sql: "INSERT INTO burden VALUES ('东城区', 'pain', 2025, 1, NULL, 'li@ZRYY', now())",
            expected: .refused("permission denied for table burden")),
        // A row policy would let a user count rows (EXPLAIN ANALYZE) and time the policy's check
        // against its own conditions: no user reads the table; its operator reads it through the wall.
        Attack(
            name: "a coordinator counts the commission's burden rows", login: "wang@MYQYY",
            sql: "EXPLAIN (ANALYZE) SELECT 1 FROM burden WHERE year = 2026", expected: .refused("permission denied for table burden")),
        Attack(
            name: "a coordinator reads the burden through the planning's function", login: "wang@MYQYY",
            sql: "SELECT count(*) FROM yilian_api.burden(NULL)", expected: .refused("wang@MYQYY may not read the burden table")),
        Attack(
            name: "the operator imports column arrays of different lengths", login: "ops@admin",
            sql: "SELECT yilian_api.import_burden('{A区,B区}', '{pain,pain}', '{2030,2030}', '{1,2}', '{5}', now())",
            expected: .refused("a burden table is at most a million rows, each with a value in every column array")),
        Attack(
            name: "the operator imports a district with a hidden zero-width space", login: "ops@admin",
            sql: "SELECT yilian_api.import_burden(ARRAY[U&'朝阳区\\200B'], '{pain}', '{2030}', '{1}', '{NULL}', now())",
            expected: .refused(#"new row for relation "burden" violates check constraint "burden_district_check""#)),
        Attack(
            name: "a coordinator creates an alliance", login: "wang@MYQYY",
            sql: "SELECT yilian_api.create_alliance('X', 'x', 'pain', 'ZRYY', 2, 24, 72, 'Asia/Shanghai', 14, NULL, now(), 'wang@MYQYY')",
            expected: .refused("wang@MYQYY may not create alliances")),
        // A person's display name: to its hospital and its alliances' members, not to an applicant.
        Attack(
            name: "an applicant reads a core physician's name", login: "wang@SYMY",
            sql: "SELECT coalesce(yilian_api.display_name('wdoc@ZRYY'), '-')", expected: .answers("-")),
        Attack(
            name: "an applicant reads the names of other hospitals' users", login: "wang@SYMY",
            sql: "SELECT count(*) FROM users WHERE display_name IS NOT NULL", expected: .answers("0")),
        Attack(
            name: "a member reads the name it prints as 经办人 (the control: names are there to read)", login: "wang@MYQYY",
            sql: "SELECT yilian_api.display_name('wdoc@ZRYY')", expected: .answers("陈明")),
        // Users and the access log: only their functions.
        Attack(
            name: "an access-log row in a colleague's name", login: "wdoc@ZRYY",
            sql: "SELECT yilian_api.log_access('li@ZRYY', 'referral.get', '{R-000001}')",
            expected: .refused("permission denied for function log_access")),
        Attack(
            name: "a read in a colleague's name", login: "wdoc@ZRYY",
            sql: "SELECT id FROM yilian_api.referral('li@ZRYY', 'referral.get', 'R-000001')",
            expected: .refused("wdoc@ZRYY may not read in the name of li@ZRYY")),
        Attack(
            name: "an access-log row inserted directly", login: "wdoc@ZRYY",
            sql: "INSERT INTO access_log (actor, hospital, method, referrals) VALUES ('wdoc@ZRYY', 'ZRYY', 'x', '{R-000001}')",
            expected: .refused("permission denied for table access_log")),
        Attack(
            name: "a coordinator registers a user", login: "wang@MYQYY",
            sql: "SELECT yilian_api.add_user('mole@MYQYY', 'hospital_admin', NULL, NULL)",
            expected: .refused("wang@MYQYY may not register users of MYQYY")),
        Attack(
            name: "a hospital administrator registers a platform administrator", login: "li@ZRYY",
            sql: "SELECT yilian_api.add_user('mole@admin', 'platform_admin', NULL, NULL)",
            expected: .refused("li@ZRYY may not register users of admin")),
        Attack(
            name: "a hospital administrator disables another hospital's user", login: "li@ZRYY",
            sql: "SELECT yilian_api.disable_user('wang@MYQYY')", expected: .answers("f")),
        Attack(
            name: "a login role set to the platform's password through the owner's function", login: "li@ZRYY",
            sql: "SELECT yilian_sync_login('ops@admin')", expected: .refused("permission denied for function yilian_sync_login")),
        Attack(
            name: "a user's password replaced directly", login: "li@ZRYY",
            sql: "UPDATE users SET password = 'SCRAM-SHA-256$4096:x' WHERE login = 'wdesk@ZRYY'",
            expected: .refused("permission denied for table users")),
        // What psql could once store or hold that no request can (found by an attacker with a user's login).
        Attack(
            name: "a backdated filing, overdue from the start", login: "wang@MYQYY",
            sql: filing(from: "MYQYY", to: "ZRYY", respondBy: "'2020-01-04'", createdAt: "'2020-01-01'"),
            expected: .refused("a referral is filed now, to answer within the alliance's window")),
        Attack(
            name: "a filing at infinity", login: "wang@MYQYY",
            sql: filing(from: "MYQYY", to: "ZRYY", respondBy: "'infinity'", createdAt: "'infinity'"),
            expected: .refused("a referral is filed now, to answer within the alliance's window")),
        Attack(
            name: "a filing whose diagnosis is no list", login: "wang@MYQYY",
            sql: filing(from: "MYQYY", to: "ZRYY", diagnosis: #"'{"code": "M54.5"}'"#),
            expected: .refused("the patient, diagnosis and attachments of referrals R-")),
        Attack(
            name: "a filing with a reason larger than any request", login: "wang@MYQYY",
            sql: filing(from: "MYQYY", to: "ZRYY", reason: "repeat('x', 2000000)"),
            expected: .refused("new row for relation \"referrals\" violates check constraint \"referrals_within_limits\"")),
        Attack(
            name: "an accept that backdates the receiver's response", login: "li@ZRYY",
            sql: acting("accept", actor: "li@ZRYY", at: "now() - interval '30 days'"),
            expected: .answers("the time of accept on referral R-000001 is not now")),
        Attack(
            name: "the feed's numbering lock held by a user", login: "wang@MYQYY",
            sql: "SELECT * FROM feed_numbering FOR UPDATE", expected: .refused("permission denied for table feed_numbering")),
        Attack(
            name: "another hospital's wake-ups", login: "wang@MYQYY",
            sql: "SELECT yilian_listen('ZRYY')", expected: .refused("a session listens to its own hospital's wake-ups only")),
        // Slots: published only through yilian_api.publish_slots, which derives what was released early.
        Attack(
            name: "a coordinator counts its slots as released early", login: "wdesk@ZRYY",
            sql: "UPDATE slots SET early = capacity WHERE hospital = 'ZRYY'", expected: .refused("permission denied for table slots")),
        Attack(
            name: "slots inserted already booked and published in 2000", login: "wdesk@ZRYY",
            sql: """
                INSERT INTO slots (hospital, specialty, date, capacity, booked, early, published_at)
                VALUES ('ZRYY', 'pain', '2031-01-01', 10, 10, 10, '2000-01-01')
                """, expected: .refused("permission denied for table slots")),
        Attack(
            name: "a physician publishes its hospital's slots", login: "wdoc@ZRYY",
            sql: "SELECT * FROM yilian_api.publish_slots('ZRYY', 'pain', '{2031-01-01}', 10, 0, NULL, now())",
            expected: .refused("wdoc@ZRYY may not publish the slots of ZRYY")),
        Attack(
            name: "slots published a month ago, to count as released early", login: "wdesk@ZRYY",
            sql: "SELECT * FROM yilian_api.publish_slots('ZRYY', 'pain', '{2031-01-01}', 10, 0, NULL, now() - interval '30 days')",
            expected: .refused("wdesk@ZRYY may not publish the slots of ZRYY")),
        Attack(
            name: "another hospital's slots published", login: "wang@MYQYY",
            sql: "SELECT * FROM yilian_api.publish_slots('ZRYY', 'pain', '{2031-01-01}', 0, 0, NULL, now())",
            expected: .refused("wang@MYQYY may not publish the slots of ZRYY")),
        // Idempotency records and hospitals: only their functions.
        Attack(
            name: "an idempotency record stored for the hospital's next call", login: "wdoc@ZRYY",
            sql:
                "INSERT INTO idempotency_keys (hospital, key, method, digest, result) VALUES ('ZRYY', 'next', 'referral.file', '', 'R-000001')",
            expected: .refused("permission denied for table idempotency_keys")),
        Attack(
            name: "a coordinator registers a hospital", login: "wang@MYQYY",
            sql:
                "SELECT yilian_api.register_hospitals('{FAKE}', '{假医院}', '{3}', '{A}', '{general}', '{x}', '{1}', '{pain}', '{\"{}\"}', now())",
            expected: .refused("wang@MYQYY may not register hospitals")),
        // Found by a second attacker.
        Attack(
            name: "a patient Yilian cannot read, which broke the receiver's worklist", login: "wang@MYQYY",
            sql: filing(from: "MYQYY", to: "ZRYY", patient: #"'{"name": 42, "sex": "male", "birthDate": "1970-01-01"}'"#),
            expected: .refused("the patient, diagnosis and attachments of referrals R-")),
        Attack(
            name: "an up-referral filed as down, to count in the closed loop", login: "wang@MYQYY",
            sql: filing(from: "MYQYY", to: "ZRYY").replacingOccurrences(of: "'up'", with: "'down'"),
            expected: .refused("a referral goes up to a higher tier or the core, or down to a lower tier")),
        Attack(
            name: "another hospital's staff and their duties", login: "coordinator@SYMY",
            sql: "SELECT coalesce(yilian_duty('li@ZRYY'), '-') || coalesce(yilian_hospital('li@ZRYY'), '-')", expected: .answers("--")),
        Attack(
            name: "an access-log row naming a referral it never read", login: "wdoc@ZRYY",
            sql: "SELECT yilian_api.log_access('wdoc@ZRYY', 'referral.get', '{R-999999}')",
            expected: .refused("permission denied for function log_access")),
        Attack(
            name: "an access-log row of 50 MB, which nobody could ever remove", login: "wdoc@ZRYY",
            sql: "SELECT yilian_api.log_access('wdoc@ZRYY', repeat('x', 50000000), '{R-000001}')",
            expected: .refused("permission denied for function log_access")),
        Attack(
            name: "a read logged under a method name of 50 MB", login: "wdoc@ZRYY",
            sql: "SELECT id FROM yilian_api.referral(NULL, 'a.' || repeat('x', 50000000), 'R-000001')",
            expected: .refused("a referral is not read as a.xxxxxxxx")),
        Attack(
            name: "a referral read logged as another method", login: "wdoc@ZRYY",
            sql: "SELECT id FROM yilian_api.referral(NULL, 'audit.list', 'R-000001')",
            expected: .refused("a referral is not read as audit.list")),
        // A guess of a patient's whole resident ID (the mask and the birth date leave only the
        // region code to guess), told right or wrong: only the hospital that entered the ID
        // (MYQYY) finds the patient by it.
        Attack(
            name: "a guessed resident ID confirmed by its key", login: "wdesk@ZRYY",
            sql: "SELECT yilian_visible_patient_key('11010519800101018X') IS NULL", expected: .answers("t")),
        Attack(
            name: "a guessed resident ID confirmed by the duplicate rule", login: "wdesk@ZRYY",
            sql: "SELECT count(*) FROM yilian_api.open_referrals('x', 'male', '1900-01-01', '11010519800101018X')", expected: .answers("0")),
        Attack(
            name: "a guessed resident ID confirmed by the list", login: "wdesk@ZRYY",
            sql:
                "SELECT count(*) FROM yilian_api.referrals(NULL, NULL, NULL, 'any', NULL, NULL, NULL, NULL, now(), NULL, 10, '11010519800101018X', NULL, NULL)",
            expected: .answers("0")),
        Attack(
            name: "the resident ID the sender entered, which it knows", login: "wang@MYQYY",
            sql:
                "SELECT count(*) FROM yilian_api.referrals(NULL, NULL, NULL, 'any', NULL, NULL, NULL, NULL, now(), NULL, 10, '11010519800101018X', NULL, NULL)",
            expected: .answers("1")),
        Attack(
            name: "a patient's key, to compare with the key of a guess filed and rolled back", login: "wdesk@ZRYY",
            sql: "SELECT count(patient_key) FROM yilian_api.referral(NULL, 'referral.get', 'R-000001')", expected: .answers("0")),
        // Reads of patient data: only through the functions that log them.
        Attack(
            name: "referrals read without a trace", login: "wdoc@ZRYY", sql: "SELECT count(*) FROM referrals",
            expected: .refused("permission denied for table referrals")),
        Attack(
            name: "a referral's history read without a trace", login: "wdoc@ZRYY", sql: "SELECT count(*) FROM referral_events",
            expected: .refused("permission denied for table referral_events")),
        Attack(
            name: "consultations read without a trace", login: "wdoc@ZRYY", sql: "SELECT count(*) FROM consultations",
            expected: .refused("permission denied for table consultations")),
        Attack(
            name: "a consultation's history read without a trace", login: "wdoc@ZRYY", sql: "SELECT count(*) FROM consultation_events",
            expected: .refused("permission denied for table consultation_events")),
        Attack(
            name: "the event feed read without a trace", login: "wdoc@ZRYY", sql: "SELECT count(*) FROM feed",
            expected: .refused("permission denied for table feed")),
        Attack(
            name: "another hospital's referral through the read function", login: "wang@MYQYY",
            sql: "SELECT count(*) FROM yilian_api.referral(NULL, 'referral.get', 'R-000002')", expected: .answers("0")),
        Attack(
            name: "another hospital's history through the read function", login: "wang@MYQYY",
            sql: "SELECT count(*) FROM yilian_api.referral_events(NULL, 'referral.get', 'R-000002')", expected: .answers("0")),
        Attack(
            name: "another hospital's consultation through the read function", login: "wang@MYQYY",
            sql: "SELECT count(*) FROM yilian_api.consultation(NULL, 'consultation.get', 'C-000002')", expected: .answers("0")),
        Attack(
            name: "another hospital's worklist", login: "wang@MYQYY",
            sql: "SELECT count(*) FROM yilian_api.worklist(NULL, 'ZRYY', now(), 10)",
            expected: .refused("only a hospital's own worklist is read, a page at a time")),
        Attack(
            name: "another hospital's open consultations", login: "wang@MYQYY",
            sql: "SELECT count(*) FROM yilian_api.consultations(NULL, 'worklist.get', 'ZRYY', NULL, NULL, 10, true)",
            expected: .refused("consultations are listed a page at a time, the open ones of one's own hospital for its worklist")),
        Attack(
            name: "every referral of the database in one page", login: "wdoc@ZRYY",
            sql:
                "SELECT count(*) FROM yilian_api.referrals(NULL, NULL, NULL, 'any', NULL, NULL, NULL, NULL, now(), NULL, 100000000, NULL, NULL, NULL)",
            expected: .refused("a page holds 1 to 1001 referrals")),
        // Consultations: changed only by yilian_api.consultation_action.
        Attack(
            name: "the requester rewrites the expert's opinions and conclusion", login: "wang@MYQYY",
            sql: """
                UPDATE consultations SET opinions = '[{"expert": "li@ZRYY", "summary": "无需处理", "recommendation": "manage_locally"}]',
                    conclusion = '无需处理' WHERE id = 'C-000001'
                """, expected: .refused("permission denied for table consultations")),
        Attack(
            name: "a consultation event appended by the requester", login: "wang@MYQYY",
            sql: """
                INSERT INTO consultation_events (consultation, seq, action, from_status, to_status, actor, at)
                VALUES ('C-000001', 2, 'conclude', 'requested', 'answered', 'li@ZRYY', now())
                """, expected: .refused("permission denied for table consultation_events")),
        Attack(
            name: "the requester gives the consultant's opinion", login: "wang@MYQYY",
            sql: consulting("opine", carrying: ["reason": "'x'", "recommendation": "'manage_locally'"]),
            expected: .answers("this change of consultation C-000001 is not a move its requester may make")),
        Attack(
            name: "an accept by the consultant that also records a conversion", login: "li@ZRYY",
            sql: consulting("accept", actor: "li@ZRYY", carrying: ["reason": "'无需处理'", "converted_to": "'R-000001'"]),
            expected: .answers("accept carries only what it changes")),
        Attack(
            name: "a physician of the consultant accepts", login: "wdoc@ZRYY",
            sql: consulting("accept", actor: "wdoc@ZRYY"),
            expected: .answers("this change of consultation C-000001 is not a move its consultant may make")),
        Attack(
            name: "a consultation asked for another hospital", login: "wang@MYQYY",
            sql: """
                SELECT yilian_api.request_consultation('PAIN-BJ', 'JGYY', 'ZRYY', 'advice', 'routine',
                    '{"name": "李四", "sex": "male", "birthDate": "1970-01-01"}', true, '[]', '?', '[]', NULL, now() + interval '72 hours',
                    now(), 'wang@MYQYY', NULL)
                """, expected: .refused("wang@MYQYY may not ask consultations for JGYY")),
    ]

    /// A call of the wall's consultation_action on C-000001 as psql would make it, answering why
    /// it was refused or the status it wrote; `carrying` names what the action carries, as SQL.
    static func consulting(_ action: String, actor: String = "wang@MYQYY", carrying: [String: String] = [:]) -> String {
        let carried = ["reason", "decline_code", "scheduled_at", "recommendation", "converted_to"].map { carrying[$0] ?? "NULL" }
        return """
            SELECT coalesce(refusal, 'written ' || (consultation).status)
            FROM yilian_api.consultation_action('C-000001', '\(action)', NULL, '\(actor)', now(), \(carried.joined(separator: ", ")))
            """
    }

    /// A call of the wall's referral_action on R-000001 as psql would make it, answering why it was
    /// refused or the status it wrote; `carrying` names what the action carries, as SQL.
    static func acting(
        _ action: String, actor: String = "wang@MYQYY", at: String = "now()", carrying: [String: String] = [:], id: String = "R-000001"
    ) -> String {
        let carried = ["reason", "reject_code", "to_hospital", "slot_date", "slot_expert", "outcome"].map { carrying[$0] ?? "NULL" }
        return """
            SELECT coalesce(refusal, 'written ' || (referral).status)
            FROM yilian_api.referral_action('\(id)', '\(action)', NULL, '\(actor)', \(at), \(carried.joined(separator: ", ")))
            """
    }

    /// A call of the wall's file_referral as psql would make it (`patient`, `key`, `diagnosis`,
    /// `reason` and the times as SQL).
    static func filing(
        from: String, to: String, respondBy: String = "now() + interval '72 hours'", createdAt: String = "now()",
        patient: String = #"'{"name": "李四", "sex": "male", "birthDate": "1970-01-01"}'"#, consent: Bool = true,
        diagnosis: String = "'[]'", reason: String = "'x'", senderIdentifier: String = "NULL"
    ) -> String {
        """
        SELECT yilian_api.file_referral('PAIN-BJ', 'up', 'outpatient', 'routine', '\(from)', '\(to)', \(patient), \(consent), \(diagnosis),
            \(reason), NULL, '[]', NULL, \(respondBy), \(createdAt), 'wang@MYQYY', 'x', NULL, NULL, \(senderIdentifier), NULL)
        """
    }

    @Test(arguments: attacks)
    func anAttackWithAUsersOwnLoginIsRefused(_ attack: Attack) async throws {
        try await Self.attempt(attack, on: try await Self.sharedWorld())
    }

    static func attempt(_ attack: Attack, on url: String) async throws {
        let outcome = try Psql.run(Psql.url(url, as: attack.login), attack.sql)
        switch attack.expected {
        case .refused(let reason):
            #expect(!outcome.succeeded, "allowed, printing: \(outcome.output)")
            #expect(outcome.error.contains("ERROR:  \(reason)"), "\(outcome.error)")
        case .answers(let text):
            #expect(outcome.succeeded, "\(outcome.error)")
            #expect(outcome.output == text)
        }
        // Whatever the attack did, the rows it aimed at are as they were.
        let fingerprint = try await PGQuery.value(url, Self.fingerprint)
        #expect(fingerprint == Self.expectedFingerprint)
    }

    /// The same attacks on a database whose rows were written under the grants before the wall
    /// (schema 23, as its users could write them), then migrated: every attack is refused alike.
    @Test(arguments: attacks)
    func anAttackOnADatabaseMigratedFromBeforeTheWallIsRefused(_ attack: Attack) async throws {
        try await Self.attempt(attack, on: try await Self.migrated.value)
    }

    private static let migrated = Task { try await migratedWorld() }

    /// The world of `world()`, written row by row at schema 23 (before the wall), then migrated.
    static func migratedWorld() async throws -> String {
        let url = try await TestPostgres.emptyDatabase()
        let connection = try await PGConnection.connect(url)
        try await Migrator(migrations: Migration.all.filter { $0.version <= 23 }).migrate(on: connection)
        // The logins the attacks use (not every template user: another test disables coordinator@ZRYY).
        let logins: Set = [
            "ops@admin", "li@ZRYY", "wang@MYQYY", "wang@JGYY", "wang@SYMY", "coordinator@SYMY", "wdoc@ZRYY", "waud@ZRYY",
            "waud@JGYY", "wdesk@ZRYY",
        ]
        for (login, duty) in TestPostgres.users where logins.contains(login) {
            try await TestPostgres.register(login, duty: duty, on: connection)
        }
        let patient = #"{"name": "张三", "sex": "male", "birthDate": "1980-01-01", "idNumber": "11010519800101018X"}"#
        try await connection.runScript(
            """
            INSERT INTO hospitals (code, name, level, departments) VALUES
                ('ZRYY', '中日友好医院', 3, '{pain}'), ('MYQYY', '密云区医院', 2, '{pain}'), ('JGYY', '健宫医院', 2, '{pain}'),
                ('SYMY', '首都医科大学附属医院', 2, '{pain}');
            INSERT INTO alliances (code, name, specialty, core, criteria_version) VALUES ('PAIN-BJ', '北京地区疼痛专科医联体', 'pain', 'ZRYY', 1);
            INSERT INTO criteria_versions (alliance, version, document, created_by, created_at)
            VALUES ('PAIN-BJ', 1, '{"passScore": 0, "criteria": [{"id": "level", "title": "level", "rule": {"fact": "level", "op": "exists"}}]}',
                'li@ZRYY', now());
            INSERT INTO memberships (alliance, hospital, role, status, since, updated_at) VALUES
                ('PAIN-BJ', 'ZRYY', 'core', 'active', now(), now()), ('PAIN-BJ', 'MYQYY', 'cooperating', 'active', now(), now()),
                ('PAIN-BJ', 'JGYY', 'cooperating', 'active', now(), now());
            INSERT INTO applications (id, alliance, hospital, role, status, facts, criteria_version, evaluation, created_at, updated_at) VALUES
                ('A-000001', 'PAIN-BJ', 'MYQYY', 'cooperating', 'approved', '{}', 1, '{"decision": "eligible"}', now(), now()),
                ('A-000002', 'PAIN-BJ', 'JGYY', 'cooperating', 'approved', '{}', 1, '{"decision": "eligible"}', now(), now()),
                ('A-000003', 'PAIN-BJ', 'SYMY', 'cooperating', 'submitted', '{}', 1, '{"decision": "eligible"}', now(), now());
            SELECT setval('application_numbers', 3);
            INSERT INTO membership_events (alliance, hospital, application, action, from_status, to_status, actor, at) VALUES
                ('PAIN-BJ', 'ZRYY', NULL, 'create', NULL, 'active', 'ops@admin', now()),
                ('PAIN-BJ', 'MYQYY', 'A-000001', 'apply', NULL, 'submitted', 'wang@MYQYY', now()),
                ('PAIN-BJ', 'MYQYY', 'A-000001', 'approve', 'submitted', 'approved', 'li@ZRYY', now()),
                ('PAIN-BJ', 'MYQYY', 'A-000001', 'admit', NULL, 'active', 'li@ZRYY', now()),
                ('PAIN-BJ', 'JGYY', 'A-000002', 'apply', NULL, 'submitted', 'wang@JGYY', now()),
                ('PAIN-BJ', 'JGYY', 'A-000002', 'approve', 'submitted', 'approved', 'li@ZRYY', now()),
                ('PAIN-BJ', 'JGYY', 'A-000002', 'admit', NULL, 'active', 'li@ZRYY', now()),
                ('PAIN-BJ', 'SYMY', 'A-000003', 'apply', NULL, 'submitted', 'wang@SYMY', now());
            INSERT INTO slots (hospital, specialty, date, capacity) VALUES ('ZRYY', 'pain', '2030-12-01', 2);
            INSERT INTO referrals (id, alliance, specialty, direction, setting, priority, from_hospital, to_hospital, patient, consent,
                diagnosis, reason, status, respond_by, clock_start, created_at, updated_at)
            SELECT 'R-00000' || n, 'PAIN-BJ', 'pain', 'up', 'outpatient', 'routine', h, 'ZRYY', '\(patient)', true,
                '[{"code": "M79.2", "name": "神经痛"}]', '疼痛控制不佳', 'requested', now() + interval '72 hours', now(), now(), now()
            FROM (VALUES (1, 'MYQYY'), (2, 'JGYY')) AS f(n, h);
            INSERT INTO referral_events (referral, seq, action, from_status, to_status, actor, at)
            SELECT id, 1, 'file', NULL, 'requested', 'wang@' || from_hospital, created_at FROM referrals;
            SELECT setval('referral_numbers', 2);
            INSERT INTO consultations (id, alliance, specialty, from_hospital, to_hospital, mode, priority, patient, consent, diagnosis,
                question, status, respond_by, created_at, updated_at)
            SELECT 'C-00000' || n, 'PAIN-BJ', 'pain', h, 'ZRYY', 'advice', 'routine', '\(patient)', true, '[]', '是否需要介入治疗？',
                'requested', now() + interval '72 hours', now(), now()
            FROM (VALUES (1, 'MYQYY'), (2, 'JGYY')) AS f(n, h);
            INSERT INTO consultation_events (consultation, seq, action, from_status, to_status, actor, at)
            SELECT id, 1, 'request', NULL, 'requested', 'wang@' || from_hospital, created_at FROM consultations;
            SELECT setval('consultation_numbers', 2);
            """)
        try await Migrator().migrate(on: connection)
        try await connection.runScript(Self.named)
        return url
    }

    /// Numbers past 999,999 keep every digit: the six-digit format cut them, so ten numbers made
    /// one id and filing failed (spent numbers come sooner than filings: a user's rolled-back
    /// calls spend them too).
    @Test func theMillionthReferralHasAnIdOfItsOwn() async throws {
        let url = try await TestPostgres.freshDatabase()
        try ReliabilityFixture.seed(url, slots: [])
        try await PGConnection.connect(url).runScript(
            "SELECT setval('referral_numbers', 999999)")
        var ids: [String] = []
        for _ in 0..<2 {
            let filed = try await YilianBinary.run(
                CoordinatorDayTests.filing(
                    from: "MYQYY", to: "ZRYY", CoordinatorDayTests.zhang,
                    ["--diagnosis", "M79.2:神经痛", "--allow-duplicate", "--as", "wang@MYQYY", "--json"]),
                environment: ["YILIAN_DATABASE_URL": url])
            #expect(filed.exitCode == 0, "\(filed.stderr)")
            ids.append(try JSONDecoder().decode(JSONValue.self, from: Data(filed.stdout.utf8))["id"]?.stringValue ?? "")
        }
        #expect(ids == ["R-1000000", "R-1000001"])
    }

    /// A stored result is replayed only to the login that claimed the key: a physician that
    /// claims a key its hospital's integration will use, and stores a result of its choosing,
    /// gets that integration a mismatch, never the forged answer.
    @Test func anIdempotencyResultIsReplayedOnlyToTheLoginThatClaimedTheKey() async throws {
        let url = try await Self.world()
        let claim = "SELECT claimed || ' ' || coalesce(result, '-') FROM yilian_api.claim_key('k-1', 'referral.file', '{\"a\": 1}')"
        let forged = try Psql.run(Psql.url(url, as: "wdoc@ZRYY"), claim + "; SELECT yilian_api.complete_key('k-1', 'R-000002')")
        #expect(forged.succeeded, "\(forged.error)")
        #expect(try Psql.run(Psql.url(url, as: "wdoc@ZRYY"), claim).output == "false R-000002")
        #expect(try Psql.run(Psql.url(url, as: "wdesk@ZRYY"), claim).output == "false -")
    }

    /// The wall's functions look before they lock: a user calling referral_action on another
    /// hospital's referral in a transaction it keeps open locks nothing (it used to hold the row,
    /// and every action on it waited).
    @Test func aFunctionCalledOnAnotherHospitalsReferralLocksNothing() async throws {
        let url = try await Self.world()
        let wang = try await PGConnection.connect(Psql.url(url, as: "wang@MYQYY"))
        try await wang.runScript("BEGIN")
        let answer = try await wang.query(Self.acting("cancel", carrying: ["reason": "'x'"], id: "R-000002"))
        #expect(answer.rowCount == 0)  // R-000002 is not MYQYY's to see
        let owner = try await PGConnection.connect(url)
        let locked = try await owner.query("SELECT id FROM referrals WHERE id = 'R-000002' FOR UPDATE NOWAIT")
        #expect(locked.rowCount == 1)
        try await wang.runScript("ROLLBACK")
    }

    /// A write refused by a constraint says which, without the row: PostgreSQL quoted the whole
    /// row ("Failing row contains …") in the error's detail, and once the whole referral (the
    /// patient, the diagnosis, its key), a read that left no trace and could be repeated. Here a
    /// cancel whose reason is larger than any event may hold.
    @Test func aWriteRefusedByAConstraintQuotesNoRow() async throws {
        let url = try await Self.world()
        let outcome = try Psql.run(
            Psql.url(url, as: "wang@MYQYY"), Self.acting("cancel", carrying: ["reason": "'张三' || repeat('x', 2000000)"]))
        #expect(
            outcome.output == "new row for relation \"referral_events\" violates check constraint \"referral_events_within_limits\"",
            "\(outcome)")
        #expect(
            !outcome.output.contains("张三") && !outcome.error.contains("张三") && !outcome.error.contains("Failing row"), "\(outcome.error)")
    }

    /// A user's transaction held open (its idle timeout turned off, the feed's numbering held)
    /// is ended by the owner, as the sweep does for those open longer than a minute; the owner's
    /// own sessions are left.
    @Test func aTransactionAUserHoldsOpenIsEndedByTheOwner() async throws {
        let url = try await Self.world()
        let wang = try await PGConnection.connect(Psql.url(url, as: "wang@MYQYY"))
        let owner = try await PGConnection.connect(url)
        try await owner.runScript("BEGIN")
        try await wang.runScript("SET idle_in_transaction_session_timeout = 0; BEGIN")
        _ = try await wang.query("SELECT yilian_feed_advance()")
        let ended = try await PGQuery.value(url, "SELECT yilian_end_long_transactions('0 seconds')")
        #expect(ended == "1")
        await #expect(throws: PGError.self) { try await wang.query("SELECT 1") }
        #expect(try await owner.query("SELECT 1 AS one")[0].decode("one", as: Int.self) == 1)
        try await owner.runScript("COMMIT")
        // Users may not call it.
        #expect(
            try Psql.run(Psql.url(url, as: "wang@MYQYY"), "SELECT yilian_end_long_transactions('0 seconds')")
                .error.contains("permission denied for function yilian_end_long_transactions"))
    }

    /// One login cannot fill the server: a person's role logs in at most eight times at once (an
    /// integration's 72, what `serve --concurrency 64` opens); the owner still logs in.
    @Test func oneUserCannotHoldEveryConnection() async throws {
        let url = try await Self.world()
        // Logins of their own: a role's limit counts its connections to every database of the cluster.
        try await TestPostgres.register("flood@MYQYY", duty: "coordinator", in: url)
        try await TestPostgres.register("pipe@MYQYY", duty: "integration", in: url)
        var held: [PGConnection] = []
        for _ in 0..<8 { held.append(try await PGConnection.connect(Psql.url(url, as: "flood@MYQYY"))) }
        let refused = try Psql.run(Psql.url(url, as: "flood@MYQYY"), "SELECT 1")
        #expect(refused.error.contains("too many connections for role \"flood@MYQYY\""), "\(refused.error)")
        // What the person sees, in their language: the cause and what to do, not a refused password.
        let cli = try await YilianBinary.run(
            ["referral", "list"], environment: ["YILIAN_DATABASE_URL": Psql.url(url, as: "flood@MYQYY"), "LANG": "zh_CN.UTF-8"])
        #expect(cli.exitCode == 69 && cli.stderr.contains("登录名 flood@MYQYY 同时打开的数据库连接已达上限"), "\(cli.stderr)")
        #expect(try await PGQuery.value(url, "SELECT 1") == "1")
        let limits = try await PGQuery.value(
            url,
            "SELECT string_agg(rolname || ' ' || rolconnlimit, ', ' ORDER BY rolname) FROM pg_roles WHERE rolname IN ('flood@MYQYY', 'pipe@MYQYY')"
        )
        #expect(limits == "flood@MYQYY 8, pipe@MYQYY 72")
        held.removeAll()
    }

    /// A user holding the advisory lock the migrations once took (any login may take any
    /// advisory lock, and keep it while idle) does not hold the migrations back.
    @Test func aUsersAdvisoryLockDoesNotHoldMigrationsBack() async throws {
        let url = try await Self.world()
        let wang = try await PGConnection.connect(Psql.url(url, as: "wang@MYQYY"))
        _ = try await wang.query("SELECT pg_advisory_lock(7262011)")
        final class Finished: @unchecked Sendable {
            private let lock = NSLock()
            private var done = false
            var value: Bool {
                get { lock.withLock { done } }
                set { lock.withLock { done = newValue } }
            }
        }
        let finished = Finished()
        let migration = Task {
            _ = try await Migrator().migrate(conninfo: url)
            finished.value = true
        }
        // Held up, the migrations would wait for as long as the lock is held: a minute tells them
        // apart from a slow run on a loaded machine (10 s once ran out in CI).
        for _ in 0..<600 where !finished.value { try await Task.sleep(for: .milliseconds(100)) }
        #expect(finished.value, "the migrations waited for a user's advisory lock")
        _ = try await wang.query("SELECT pg_advisory_unlock_all()")
        try await migration.value
    }

    /// A resident ID guessed right, filed in a transaction then rolled back, is confirmed by
    /// nothing: the list by that ID finds only the referral just filed with it, never the other
    /// hospital's referral of that patient (filing used to make the hospital "hold" the ID, and
    /// the list then found R-000001), and nothing read carries a key to compare.
    @Test func aGuessedResidentIDFiledAndRolledBackIsConfirmedByNothing() async throws {
        let url = try await Self.world()
        let guess = "11010519800101018X"  // R-000001's patient (MYQYY → ZRYY), which ZRYY sees masked
        let outcome = try Psql.run(
            Psql.url(url, as: "wdesk@ZRYY"),
            """
            BEGIN;
            SELECT 'filed ' || yilian_api.file_referral('PAIN-BJ', 'down', 'outpatient', 'routine', 'ZRYY', 'MYQYY',
                '{"name": "张三", "sex": "male", "birthDate": "1980-01-01", "idNumber": "\(guess)"}', true, '[]', 'x', NULL, '[]', NULL,
                now() + interval '72 hours', now(), 'wdesk@ZRYY', 'x', NULL, NULL, NULL, NULL);
            SELECT 'found ' || string_agg(id, ',') FROM yilian_api.referrals(NULL, NULL, NULL, 'any', NULL, NULL, NULL, NULL, now(), NULL, 10,
                '\(guess)', NULL, NULL);
            SELECT 'keys ' || count(patient_key) FROM yilian_api.referrals(NULL, NULL, NULL, 'any', NULL, NULL, NULL, NULL, now(), NULL, 10,
                NULL, NULL, NULL);
            ROLLBACK
            """)
        #expect(outcome.succeeded, "\(outcome.error)")
        let lines = outcome.output.split(separator: "\n").map(String.init)
        #expect(lines.contains("filed R-000003") && lines.contains("found R-000003") && lines.contains("keys 0"), "\(outcome.output)")
    }

    /// What a lookup by a guessed patient reads, as `EXPLAIN (ANALYZE, BUFFERS)` counts it (every
    /// buffer the owner's function touched), is the same for a right guess and a wrong one, asked
    /// by a hospital that treats neither (a fifth attacker unmasked whole resident IDs so: one
    /// buffer more for a patient some hospital had). By whole ID, and by name, birth date and
    /// masked ID (the duplicate rule's lookup), and a list by name and birth date.
    @Test func aLookupReadsAsMuchForARightGuessAsForAWrongOne() async throws {
        let url = try await Self.world()
        func buffers(_ call: String) throws -> String {
            let outcome = try Psql.run(
                Psql.url(url, as: "wang@SYMY"),
                """
                DO $$
                DECLARE
                    line text;
                    last text;
                BEGIN
                    FOR k IN 1..12 LOOP
                        FOR line IN EXECUTE 'EXPLAIN (ANALYZE, BUFFERS, COSTS OFF, TIMING OFF, SUMMARY OFF) \(call)' LOOP
                            IF line ~ 'Buffers' AND last IS NULL OR k = 12 AND line ~ 'Buffers' THEN last := line; END IF;
                        END LOOP;
                    END LOOP;
                    RAISE NOTICE '%', coalesce(trim(last), 'no buffers');
                END
                $$
                """)
            #expect(outcome.succeeded, "\(outcome.error)")
            return outcome.error.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        // R-000001's patient, whose whole ID MYQYY entered, and other people.
        let lookups = [
            (
                "SELECT * FROM yilian_api.open_referrals(''张三'', ''male'', ''1980-01-01'', ''%@'')", "11010519800101018X",
                "110105198001010024"
            ),
            (
                "SELECT * FROM yilian_api.referrals(NULL, NULL, NULL, ''any'', NULL, NULL, NULL, NULL, now(), NULL, 10, ''%@'', NULL, NULL)",
                "11010519800101018X", "110105198001010024"
            ),
            ("SELECT * FROM yilian_api.open_referrals(''张三'', ''male'', ''%@'', ''**************018X'')", "1980-01-01", "1980-01-02"),
            (
                "SELECT * FROM yilian_api.referrals(NULL, NULL, NULL, ''any'', NULL, NULL, NULL, NULL, now(), NULL, 10, NULL, ''张三'', ''%@'')",
                "1980-01-01", "1980-01-02"
            ),
        ]
        for (call, right, wrong) in lookups {
            let read = try buffers(call.replacingOccurrences(of: "%@", with: right))
            let readWrong = try buffers(call.replacingOccurrences(of: "%@", with: wrong))
            #expect(read == readWrong, "\(call): \(read) for \(right), \(readWrong) for \(wrong)")
        }
    }

    /// A list by name and birth date still finds the patient for every hospital that sees the
    /// referral, along its new index (migration 0039), and for nobody else (the platform sees no
    /// patients).
    @Test func aListByNameAndBirthDateFindsThePatientForThoseWhoSeeIt() async throws {
        let url = try await Self.world()
        for (login, found) in [("wang@MYQYY", "R-000001"), ("wdesk@ZRYY", "R-000001,R-000002"), ("ops@admin", ""), ("wang@SYMY", "")] {
            let outcome = try Psql.run(
                Psql.url(url, as: login),
                """
                SELECT coalesce(string_agg(id, ','), '') FROM yilian_api.referrals(NULL, NULL, NULL, 'any', NULL, NULL, NULL, NULL, now(), NULL,
                    10, NULL, '张三', '1980-01-01')
                """)
            #expect(outcome.succeeded && outcome.output == found, "\(login): \(outcome)")
        }
    }

    /// Another hospital's wake-ups cannot be heard: PostgreSQL has no privilege on `LISTEN`, so
    /// a hospital's channel is named by a keyed hash that only `yilian_listen` computes, for the
    /// caller's own hospital (a fifth attacker listened on `yilian_feed:ZRYY` and learnt when its
    /// referrals moved). ZRYY accepts R-000001 (of MYQYY) while SYMY's user listens on both names.
    @Test func anotherHospitalsWakeUpsCannotBeHeard() async throws {
        let url = try await Self.world()
        let listened = Mutex<Psql.Outcome?>(nil)
        let listener = Thread {
            listened.withLock {
                $0 = try? Psql.run(
                    Psql.url(url, as: "wang@SYMY"), "LISTEN \"yilian_feed:ZRYY\"",
                    then: ["LISTEN \"yilian_feed:MYQYY\"", "SELECT pg_sleep(3)"])
            }
        }
        listener.start()
        try await Task.sleep(for: .seconds(1))
        let session = try ServeSession(environment: ["YILIAN_DATABASE_URL": url])
        #expect(
            try session.call("referral.accept", ["id": "R-000001", "actor": ReliabilityFixture.coordinator("ZRYY")])?["result"]?["status"]
                == "accepted")
        _ = try session.finish()
        while listened.withLock({ $0 == nil }) { try await Task.sleep(for: .milliseconds(100)) }
        let outcome = try #require(listened.withLock { $0 })
        #expect(outcome.succeeded && !outcome.output.contains("notification"), "\(outcome)")
    }

    /// Nothing inside the owner's functions is printed to a user who turns PostgreSQL's debugging
    /// output on (migration 0043): a sixth attacker read in the plans `debug_print_plan` printed the
    /// keyed hash of any guessed resident ID and another hospital's patient key, and whole IDs
    /// followed. Nor does `trace_notify` name the channel of the other hospital its cancel wakes.
    @Test func theOwnersFunctionsPrintNothingOfTheirInside() async throws {
        let url = try await Self.world()
        let id = "11010519800101018X"  // R-000001's patient, MYQYY's
        let key = try #require(try await PGQuery.value(url, "SELECT yilian_patient_key('\(id)')"))
        let channel = try #require(try await PGQuery.value(url, "SELECT yilian_feed_channel('ZRYY')"))
        let printing =
            "SET plan_cache_mode = force_custom_plan; SET client_min_messages = debug1; SET debug_print_plan = on; "
            + "SET debug_print_parse = on; SET debug_print_rewritten = on; SET trace_notify = on; SET trace_sort = on"
        let guessed = try Psql.run(
            Psql.url(url, as: "wang@SYMY"), printing,
            then: [
                "SELECT yilian_visible_patient_key('\(id)')",
                "SELECT * FROM yilian_api.open_referrals('张三', 'male', '1980-01-01', '\(id)')",
                Self.filing(
                    from: "SYMY", to: "ZRYY",
                    patient: #"'{"name": "张三", "sex": "male", "birthDate": "1980-01-01", "idNumber": "**************018X"}'"#
                ).replacingOccurrences(of: "'[]', NULL, now()", with: "'[]', 'R-000001', now()"),
            ])
        #expect(!Self.printedConstants(guessed.error).contains { $0.contains(key) }, "\(guessed.error.suffix(2000))")
        let cancelled = try Psql.run(Psql.url(url, as: "wang@MYQYY"), printing, then: [Self.acting("cancel", carrying: ["reason": "'重复'"])])
        #expect(cancelled.output.hasSuffix("written cancelled"), "\(cancelled)")
        #expect(!cancelled.error.contains(channel.dropFirst("yilian_feed:".count)), "\(cancelled.error.suffix(2000))")
    }

    /// An integration acts in the name of its hospital's users only where their duty may (a sixth
    /// attacker's integration accepted in a physician's name, and gave opinions in a coordinator's
    /// and an auditor's; every writing function, filing too, names only writers: migration 0041);
    /// in a coordinator's name it may. And a completion carries an outcome the
    /// core would take: the wall completed a referral with none.
    @Test func anActionIsMadeOnlyInTheNameOfThoseWhoMayAndCarriesWhatItMust() async throws {
        let url = try await Self.world()
        let session = try ServeSession(environment: ["YILIAN_DATABASE_URL": url])
        #expect(
            try session.call("user.add", ["user": "int", "hospital": "ZRYY", "duty": "integration", "actor": ReliabilityFixture.admin])?[
                "result"] != nil)
        _ = try session.finish()
        let integration = Psql.url(url, as: "int@ZRYY")
        #expect(
            try Psql.run(integration, Self.acting("accept", actor: "wdoc@ZRYY")).output
                == "this change of referral R-000001 is not a move its receiver may make")
        #expect(
            try Psql.run(integration, Self.consulting("accept", actor: "wdoc@ZRYY")).output
                == "this change of consultation C-000001 is not a move its consultant may make")
        #expect(try Psql.run(integration, Self.acting("accept", actor: "wdesk@ZRYY")).output == "written accepted")
        let filed = try Psql.run(
            integration, Self.filing(from: "ZRYY", to: "MYQYY").replacingOccurrences(of: "'wang@MYQYY', 'x'", with: "'wdoc@ZRYY', 'x'"))
        #expect(filed.error.contains("ERROR:  int@ZRYY may not file referrals of ZRYY"), "\(filed)")
        _ = try await PGQuery.value(url, "UPDATE referrals SET status = 'in_treatment' WHERE id = 'R-000001' RETURNING id")
        for outcome in [
            "NULL", #"'{"summary": " ", "diagnosis": [], "recommendation": "discharge"}'"#,
            #"'{"summary": "好转", "diagnosis": [], "recommendation": "discharge", "followUpDays": -5}'"#,
        ] {
            #expect(
                try Psql.run(integration, Self.acting("complete", actor: "wdesk@ZRYY", carrying: ["outcome": outcome])).output
                    == "a completion carries an outcome with a summary, and a follow-up of 1 to 3650 days", "\(outcome)")
        }
        let outcome = #"'{"summary": "好转", "diagnosis": [], "recommendation": "discharge", "followUpDays": 30}'"#
        #expect(
            try Psql.run(integration, Self.acting("complete", actor: "wdesk@ZRYY", carrying: ["outcome": outcome])).output
                == "written completed")
    }

    /// The text constants in the trees PostgreSQL printed (`:constvalue 68 [ 68 0 0 0 49 … ]`: a
    /// value's bytes, its length header first), as the attacker read them; each read both ways.
    static func printedConstants(_ printed: String) -> [String] {
        let flat = printed.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        return flat.components(separatedBy: ":constvalue ").dropFirst().flatMap { part -> [String] in
            guard let open = part.firstIndex(of: "["), let close = part.firstIndex(of: "]") else { return [] }
            let bytes = part[part.index(after: open)..<close].split(separator: " ").compactMap { Int($0) }.map {
                UInt8(truncatingIfNeeded: $0)
            }
            // A short value's header is one byte, a long one's four.
            return [1, 4].map { String(decoding: bytes.dropFirst($0), as: UTF8.self) }
        }
    }

    /// A filing with a guessed resident ID, rolled back, leaves the same counts in the session's
    /// own statistics whether the guess is right or wrong: the ID used to be kept only when it
    /// was new, and pg_stat_xact_user_tables showed one insert fewer for a right guess. (Users
    /// may no longer read the statistics at all: the superuser reads them here, acting as the user.)
    @Test func aGuessedResidentIDFiledAndRolledBackCountsTheSameRightOrWrong() async throws {
        let url = try await Self.world()
        func inserted(_ guess: String) throws -> String {
            let outcome = try Psql.run(
                Psql.url(url, as: "postgres"),
                """
                DO $$
                DECLARE
                    before bigint;
                    after  bigint;
                BEGIN
                    SELECT coalesce(sum(n_tup_ins), 0) INTO before FROM pg_stat_xact_user_tables;
                    SET ROLE "wdesk@ZRYY";
                    BEGIN
                        PERFORM yilian_api.file_referral('PAIN-BJ', 'down', 'outpatient', 'routine', 'ZRYY', 'MYQYY',
                            '{"name": "x", "sex": "male", "birthDate": "1980-01-01", "idNumber": "\(guess)"}', true, '[]', 'x', NULL, '[]',
                            NULL, now() + interval '72 hours', now(), 'wdesk@ZRYY', 'x', NULL, NULL, NULL, NULL);
                        RAISE EXCEPTION 'undo';
                    EXCEPTION WHEN raise_exception THEN NULL;
                    END;
                    RESET ROLE;
                    SELECT coalesce(sum(n_tup_ins), 0) INTO after FROM pg_stat_xact_user_tables;
                    RAISE NOTICE 'inserted %', after - before;
                END
                $$
                """)
            #expect(outcome.succeeded, "\(outcome.error)")
            return outcome.error.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        // R-000001's patient, whose ID MYQYY entered, and another person's.
        let right = try inserted("11010519800101018X")
        let wrong = try inserted("110105198001010024")
        #expect(right.hasPrefix("NOTICE:  inserted ") && right == wrong, "\(right) \(wrong)")
    }

    /// A user cannot keep itself from being disabled: its own role's row, locked in a transaction
    /// it left open in another database of the cluster, held `disable_user` back without end.
    /// Disabling ends the user's sessions first, in every database.
    @Test func aUserLockingItsOwnRoleIsDisabledAllTheSame() async throws {
        let url = try await Self.world()
        try await TestPostgres.register("hold@MYQYY", duty: "coordinator", in: url)
        let elsewhere = try await TestPostgres.emptyDatabase()
        let hold = try await PGConnection.connect(Psql.url(elsewhere, as: "hold@MYQYY"))
        try await hold.runScript("SET idle_in_transaction_session_timeout = 0; BEGIN; ALTER ROLE CURRENT_USER PASSWORD NULL")
        let disabled = try Psql.run(
            Psql.url(url, as: "ops@admin"), "SET statement_timeout = '10s'; SELECT yilian_api.disable_user('hold@MYQYY')")
        #expect(disabled.succeeded && disabled.output.split(separator: "\n").last == "t", "\(disabled.output) \(disabled.error)")
        await #expect(throws: PGError.self) { try await hold.query("SELECT 1") }
    }

    /// The cluster's other databases are closed to users (`EmbeddedCluster.closedToUsers`): in
    /// `postgres` a user made temporary tables and, in a transaction left open there, held a lock
    /// on its own role that kept the platform from disabling it.
    @Test func theClustersOtherDatabasesAreClosedToUsers() async throws {
        let url = try await Self.world()
        for database in ["postgres", "template1"] {
            let other = url.replacingOccurrences(of: #":///[^?]+"#, with: ":///\(database)", options: .regularExpression)
            #expect(other != url)
            let refused = try Psql.run(Psql.url(other, as: "wang@MYQYY"), "SELECT 1")
            #expect(refused.error.contains("permission denied for database \"\(database)\""), "\(refused.error)")
        }
    }

    /// What the world's rows look like; every attack leaves it so.
    static let fingerprint = """
        SELECT (SELECT string_agg(id || ':' || status || ':' || to_hospital || ':' || version, ',' ORDER BY id) FROM referrals)
            || ' ' || (SELECT string_agg(id || ':' || status || ':' || version, ',' ORDER BY id) FROM consultations)
            || ' ' || (SELECT string_agg(hospital || ':' || status, ',' ORDER BY hospital) FROM memberships)
            || ' ' || (SELECT count(*) FROM referral_events) || ' ' || (SELECT count(*) FROM membership_events)
            || ' ' || (SELECT string_agg(date || ':' || booked, ',' ORDER BY date) FROM slots)
            || ' ' || (SELECT string_agg(id || ':' || capacity || ':' || booked || ':' || (date - current_date), ',' ORDER BY id) FROM outreach_sessions)
            || ' ' || (SELECT count(*) || ':' || count(cancelled_at) FROM outreach_bookings) || ' ' || (SELECT count(*) FROM practice_records)
            || ' ' || (SELECT count(*) FROM referrals WHERE outreach IS NOT NULL) || ' ' || (SELECT count(*) FROM burden)
        """
    static let expectedFingerprint =
        "R-000001:requested:ZRYY:1,R-000002:requested:ZRYY:1 C-000001:requested:1,C-000002:requested:1 "
        + "JGYY:active,MYQYY:active,ZRYY:active 2 8 2030-12-01:0 O-000001:5:1:2,O-000002:5:1:-1 2:0 1 0 1"

    /// The attacks share one world: each is refused or changes nothing, which the fingerprint checks.
    static func sharedWorld() async throws -> String {
        try await shared.value
    }
    private static let shared = Task { try await world() }
}
