import Foundation
import Testing
import YilianTestSupport

/// The database is the wall (SPEC §6 "Writes"): with nothing but a user's own login, `psql`
/// can neither borrow the owner's rights nor change what the user's actions do not own. Each
/// row is one attack, tried with a user's own login against a world of several hospitals'
/// referrals, consultations, applications and slots; its expected outcome is what PostgreSQL
/// must answer.
@Suite struct WallTests {
    enum Expected: Sendable, CustomStringConvertible {
        /// PostgreSQL refuses the statement (an ERROR).
        case refused
        /// The statement runs and prints exactly this (what the user may see).
        case answers(String)

        var description: String {
            switch self {
            case .refused: return "refused"
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
    /// likewise, MYQYY and JGYY admitted to PAIN-BJ), with a physician and an auditor of ZRYY and
    /// an auditor of JGYY.
    static func world() async throws -> String {
        let url = try await AccessTests.world()
        for (login, duty) in [("doc@ZRYY", "physician"), ("aud@ZRYY", "auditor"), ("aud@JGYY", "auditor")] {
            try await TestPostgres.register(login, duty: duty, in: url)
        }
        return url
    }

    static let attacks: [Attack] = [
        // Borrowing the owner's rights.
        Attack(name: "a temporary table shadows users, so yilian_hospital answers the platform", login: "wang@MYQYY",
               sql: "CREATE TEMP TABLE users (login text, hospital text, duty text, enabled boolean)", expected: .refused),
        Attack(name: "a table of its own in public, found by the owner's functions", login: "wang@MYQYY",
               sql: "CREATE TABLE public.referral_moves_mine (x int)", expected: .refused),
        Attack(name: "a function in public overloading yilian_hospital", login: "wang@MYQYY",
               sql: "CREATE FUNCTION public.yilian_hospital(role text) RETURNS text LANGUAGE sql AS $$SELECT 'ZRYY'$$", expected: .refused),
        Attack(name: "a schema of its own", login: "wang@MYQYY", sql: "CREATE SCHEMA mine", expected: .refused),
        Attack(name: "the owner's default privileges", login: "wang@MYQYY",
               sql: "ALTER DEFAULT PRIVILEGES FOR ROLE yilian GRANT ALL ON TABLES TO PUBLIC", expected: .refused),
        Attack(name: "a role that runs programs on the server", login: "wang@MYQYY",
               sql: "GRANT pg_execute_server_program TO \"wang@MYQYY\"", expected: .refused),
        Attack(name: "a shell command through COPY", login: "wang@MYQYY", sql: "COPY (SELECT 1) TO PROGRAM 'true'", expected: .refused),
        Attack(name: "the platform's group role", login: "wang@MYQYY", sql: "SET ROLE yilian_platform", expected: .refused),
        Attack(name: "another user's role", login: "wang@MYQYY", sql: "SET ROLE \"li@ZRYY\"", expected: .refused),
        Attack(name: "acting as another user through the owner's function", login: "wang@MYQYY",
               sql: "SELECT yilian_act_as('li@ZRYY')", expected: .refused),
        Attack(name: "a referral number rewound", login: "wang@MYQYY", sql: "SELECT setval('referral_numbers', 1)", expected: .refused),
        // Oracles: whether a resident ID is known to anyone.
        Attack(name: "whether a resident ID is known, by a hospital that treats nobody", login: "coordinator@SYMY",
               sql: "SELECT yilian_masked_id_of(yilian_patient_key('11010519800101018X'))", expected: .refused),
        Attack(name: "the keyed hash of any resident ID", login: "coordinator@SYMY",
               sql: "SELECT yilian_patient_key('11010519800101018X')", expected: .refused),
        Attack(name: "a resident ID kept aside without a referral", login: "coordinator@SYMY",
               sql: "SELECT yilian_keep_resident_id('110105198001010999')", expected: .refused),
        Attack(name: "whole resident IDs", login: "wang@MYQYY", sql: "SELECT count(*) FROM resident_ids", expected: .refused),
        // Membership events: the applicant's and the core's, written only by their actions.
        Attack(name: "other hospitals' membership events", login: "wang@MYQYY",
               sql: "SELECT count(*) FROM membership_events WHERE hospital <> 'MYQYY'", expected: .answers("0")),
        Attack(name: "a membership event revoking another member, by the core's coordinator", login: "aud@JGYY",
               sql: """
                   INSERT INTO membership_events (alliance, hospital, action, from_status, to_status, actor, at)
                   VALUES ('PAIN-BJ', 'MYQYY', 'revoke', 'active', 'revoked', 'li@ZRYY', now())
                   """, expected: .refused),
    ]

    @Test(arguments: attacks)
    func anAttackWithAUsersOwnLoginIsRefused(_ attack: Attack) async throws {
        let url = try await Self.sharedWorld()
        let outcome = try Psql.run(Psql.url(url, as: attack.login), attack.sql)
        switch attack.expected {
        case .refused:
            #expect(!outcome.succeeded, "allowed, printing: \(outcome.output)")
            #expect(outcome.error.contains("ERROR"), "\(outcome.error)")
        case .answers(let text):
            #expect(outcome.succeeded, "\(outcome.error)")
            #expect(outcome.output == text)
        }
        // Whatever the attack did, the rows it aimed at are as they were.
        let fingerprint = try await PGQuery.value(url, Self.fingerprint)
        #expect(fingerprint == Self.expectedFingerprint)
    }

    /// What the world's rows look like; every attack leaves it so.
    static let fingerprint = """
        SELECT (SELECT string_agg(id || ':' || status || ':' || to_hospital || ':' || version, ',' ORDER BY id) FROM referrals)
            || ' ' || (SELECT string_agg(id || ':' || status || ':' || version, ',' ORDER BY id) FROM consultations)
            || ' ' || (SELECT string_agg(hospital || ':' || status, ',' ORDER BY hospital) FROM memberships)
            || ' ' || (SELECT count(*) FROM referral_events) || ' ' || (SELECT count(*) FROM membership_events)
            || ' ' || (SELECT string_agg(date || ':' || booked, ',' ORDER BY date) FROM slots)
        """
    static let expectedFingerprint =
        "R-000001:requested:ZRYY:1,R-000002:requested:ZRYY:1 C-000001:requested:1,C-000002:requested:1 "
        + "JGYY:active,MYQYY:active,ZRYY:active 2 7 2030-12-01:0"

    /// The attacks share one world: each is refused or changes nothing, which the fingerprint checks.
    static func sharedWorld() async throws -> String {
        try await shared.value
    }
    private static let shared = Task { try await world() }
}
