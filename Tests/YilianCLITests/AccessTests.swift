import Foundation
import Testing
import YilianCore
import YilianTestSupport

/// SPEC §6 enforced by PostgreSQL: with nothing but a coordinator's own login, `psql` gets no
/// further than `yilian` does.
@Suite struct AccessTests {
    /// ZRYY (core) with MYQYY and JGYY; R-000001 filed MYQYY → ZRYY, R-000002 JGYY → ZRYY.
    static func world() async throws -> String {
        let url = try await TestPostgres.freshDatabase()
        try ReliabilityFixture.seed(url, slots: [(date: "2030-12-01", capacity: 2)])
        let session = try ServeSession(environment: ["YILIAN_DATABASE_URL": url])
        for from in ["MYQYY", "JGYY"] {
            #expect(try session.call("referral.file", ReliabilityFixture.filing(from: from))?["result"] != nil)
        }
        // C-000001 asked by MYQYY, C-000002 by JGYY, both of ZRYY.
        for from in ["MYQYY", "JGYY"] {
            #expect(try session.call("consultation.request", ReliabilityFixture.consulting(from: from))?["result"] != nil)
        }
        _ = try session.finish()
        return url
    }

    /// The referrals the session's user may see (`referral.list`'s read function, logged).
    static let listed = "yilian_api.referrals(NULL, NULL, NULL, 'any', NULL, NULL, NULL, NULL, now(), NULL, 100, NULL, NULL, NULL)"

    static let referralsCounted =
        "SELECT referrals FROM yilian_referral_indicators('PAIN-BJ', '2000-01-01', '2100-01-01', now(), false) WHERE grouping_set = 7"

    /// Indicators are for the alliance's members: a hospital outside it counts nothing of it.
    @Test func anAlliancesIndicatorsAreCountedForItsMembersOnly() async throws {
        let url = try await Self.world()
        let session = try ServeSession(environment: ["YILIAN_DATABASE_URL": url])
        #expect(
            try session.call("hospital.register", ["code": "OUTS", "name": "外院", "level": 2, "actor": ReliabilityFixture.admin])?["result"]
                != nil)
        #expect(
            try session.call("user.add", ["user": "zhao", "hospital": "OUTS", "duty": "coordinator", "actor": ReliabilityFixture.admin])?[
                "result"] != nil)
        // Through yilian: refused in words, not a report of zeros.
        let report = try session.call(
            "report.indicators",
            [
                "alliance": "PAIN-BJ", "from": "2026-01-01", "to": "2026-12-31",
                "actor": ["user": "zhao", "hospital": "OUTS"],
            ])
        #expect(report?["error"]?["data"]?["code"] == "forbidden")
        #expect(report?["error"]?["message"]?.stringValue?.contains("OUTS") == true)
        _ = try session.finish()
        #expect(try Psql.run(Psql.url(url, as: "zhao@OUTS"), Self.referralsCounted).output == "0")
        #expect(try Psql.run(Psql.url(url, as: "wang@MYQYY"), Self.referralsCounted).output == "2")
    }

    @Test func psqlAsACoordinatorSeesAndChangesOnlyWhatItsHospitalMay() async throws {
        let url = try await Self.world()
        let wang = Psql.url(url, as: "wang@MYQYY")
        func value(_ sql: String) throws -> String {
            let outcome = try Psql.run(wang, sql)
            #expect(outcome.succeeded, "\(sql): \(outcome.error)")
            return outcome.output
        }
        func refused(_ sql: String, _ sourceLocation: SourceLocation = #_sourceLocation) throws {
            let outcome = try Psql.run(wang, sql)
            #expect(!outcome.succeeded, "\(sql) was allowed", sourceLocation: sourceLocation)
            #expect(outcome.error.contains("ERROR"), "\(sql): \(outcome.error)", sourceLocation: sourceLocation)
        }
        // Reads: only MYQYY's referral, its events and its patient, through the functions that
        // log them; never the tables themselves.
        #expect(try value("SELECT current_user") == "wang@MYQYY")
        #expect(try value("SELECT string_agg(id, ',' ORDER BY id) FROM \(Self.listed)") == "R-000001")
        #expect(
            try value("SELECT string_agg(DISTINCT referral, ',') FROM yilian_api.referral_events(NULL, 'referral.history', 'R-000001')")
                == "R-000001")
        #expect(try value("SELECT count(*) FROM yilian_api.referral_events(NULL, 'referral.history', 'R-000002')") == "0")
        #expect(try value("SELECT count(*) FROM \(Self.listed) WHERE patient->>'name' = '张三'") == "1")
        for table in ["referrals", "referral_events", "consultations", "consultation_events", "feed"] {
            try refused("SELECT count(*) FROM \(table)")
        }
        // Its alliance's indicators as counts, never its referrals one by one (no facts to read
        // row by row), and no other alliance's.
        try refused("SELECT id FROM referral_facts")
        try refused("SELECT id FROM consultation_facts")
        #expect(try value(Self.referralsCounted) == "2")
        #expect(
            try value("SELECT asked FROM yilian_consultation_indicators('PAIN-BJ', '2000-01-01', '2100-01-01') WHERE grouping_set = 3")
                == "2")
        #expect(try value("SELECT string_agg(login, ',' ORDER BY login) FROM users") == "coordinator@MYQYY,wang@MYQYY")
        // Writes outside the state machine, the append-only logs, other hospitals' rows: refused.
        try refused("UPDATE referrals SET status = 'closed' WHERE id = 'R-000001'")
        try refused("UPDATE referrals SET status = 'cancelled', version = version + 1 WHERE id = 'R-000002'")
        try refused("UPDATE referrals SET reason = 'x' WHERE id = 'R-000001'")
        // Consultations likewise: its own only, changed only by its side's moves.
        #expect(
            try value(
                "SELECT string_agg((consultation).id, ',') FROM yilian_api.consultations(NULL, 'consultation.list', NULL, NULL, NULL, 100, false)"
            )
                == "C-000001")
        #expect(
            try value(
                "SELECT string_agg(DISTINCT consultation, ',') FROM yilian_api.consultation_events(NULL, 'consultation.get', 'C-000001')")
                == "C-000001")
        #expect(try value("SELECT count(*) FROM yilian_api.consultation_events(NULL, 'consultation.get', 'C-000002')") == "0")
        try refused("UPDATE consultations SET status = 'accepted', version = 2 WHERE id = 'C-000001'")  // the consultant's move
        try refused("UPDATE consultations SET question = 'x' WHERE id = 'C-000001'")
        try refused("UPDATE consultation_events SET reason = 'x' WHERE consultation = 'C-000001'")
        try refused("UPDATE consultations SET status = 'cancelled', version = 2 WHERE id = 'C-000002'")
        try refused("UPDATE referral_events SET reason = 'x' WHERE referral = 'R-000001'")
        try refused("DELETE FROM referral_events WHERE referral = 'R-000001'")
        try refused("DELETE FROM access_log")
        try refused("UPDATE access_log SET method = 'x'")
        // The access log: a coordinator appends its own reads only, and reads none.
        try refused(
            "INSERT INTO access_log (login, actor, hospital, method, referrals) VALUES ('li@ZRYY', 'li@ZRYY', 'ZRYY', 'x', '{R-000002}')")
        try refused("INSERT INTO access_log (actor, hospital, method, referrals) VALUES ('li@ZRYY', 'MYQYY', 'x', '{R-000001}')")
        try refused("SELECT count(*) FROM access_log")
        #expect(try value("SELECT count(*) FROM yilian_api.access_records(NULL, NULL, NULL, NULL, NULL, 1000)") == "0")
        try refused(
            """
            INSERT INTO referrals (id, alliance, specialty, direction, setting, priority, from_hospital, to_hospital, patient, consent,
                diagnosis, reason, status, respond_by, clock_start, created_at, updated_at)
            VALUES ('R-999999', 'PAIN-BJ', 'pain', 'up', 'outpatient', 'routine', 'JGYY', 'ZRYY', '{}', true, '[]', 'x', 'requested',
                now(), now(), now(), now())
            """)
        try refused("UPDATE slots SET capacity = 99 WHERE hospital = 'ZRYY'")
        try refused("INSERT INTO slots (hospital, specialty, date, capacity) VALUES ('ZRYY', 'pain', '2026-12-02', 5)")
        try refused("SELECT password FROM users")
        try refused("SET ROLE \"li@ZRYY\"")
        try refused("SELECT yilian_act_as('li@ZRYY')")
        try refused("COPY (SELECT 1) TO PROGRAM 'true'")
        // Its own worklist's counts (no patient data); another hospital's, even through a group
        // role it may take, refused.
        #expect(try value("SELECT incoming || ',' || outgoing FROM yilian_worklist_counts('MYQYY', now())") == "0,1")
        try refused("SELECT * FROM yilian_worklist_counts('ZRYY', now())")
        try refused("SET ROLE yilian_user; SELECT * FROM yilian_worklist_counts('MYQYY', now())")
        // Its own hospital's wake-ups only: a hostile channel name is refused, and runs nothing.
        #expect(try value("SELECT yilian_listen('MYQYY')") == "")
        try refused("SELECT yilian_listen('x\"; DROP TABLE referrals; --')")
        #expect(try value("SELECT string_agg(id, ',' ORDER BY id) FROM \(Self.listed)") == "R-000001")
        // The moves the machine gives the sender still work, through the wall's function:
        // cancelling its own referral.
        #expect(try value(WallTests.acting("cancel", carrying: ["reason": "'重复'"])) == "written cancelled")
        #expect(
            try value("SELECT count(*) FROM yilian_api.referral_events(NULL, 'referral.history', 'R-000001') WHERE action = 'cancel'")
                == "1")
        #expect(try await PGQuery.value(url, "SELECT status FROM referrals WHERE id = 'R-000002'") == "requested")
    }

    @Test func yilianWithACoordinatorsLoginActsAsThatUserOnly() async throws {
        let url = try await Self.world()
        let environment = ["YILIAN_DATABASE_URL": Psql.url(url, as: "wang@MYQYY")]
        let whoami = try await YilianBinary.run(["user", "whoami"], environment: environment)
        #expect(whoami.stdout == "wang@MYQYY (coordinator)\n")
        let own = try await YilianBinary.run(["referral", "show", "R-000001"], environment: environment)
        #expect(own.exitCode == 0, "\(own.stderr)")
        let other = try await YilianBinary.run(["referral", "show", "R-000002"], environment: environment)
        #expect(other.exitCode == 66)
        #expect(other.stderr == "No referral has the id R-000002.\n")
        #expect(!other.stdout.contains("张三"))
        let claimed = try await YilianBinary.run(["referral", "accept", "R-000001", "--as", "li@ZRYY"], environment: environment)
        #expect(claimed.exitCode == 77)
        #expect(claimed.stderr == "wang@MYQYY acts for MYQYY only; it may not act as li@ZRYY of another hospital.\n")
        let colleague = try await YilianBinary.run(["referral", "show", "R-000001", "--as", "coordinator@MYQYY"], environment: environment)
        #expect(colleague.exitCode == 77)
        let filing = try await YilianBinary.run(
            [
                "referral", "file", "--alliance", "PAIN-BJ", "--from", "JGYY", "--to", "ZRYY", "--setting", "outpatient", "--priority",
                "routine",
                "--patient-name", "张三", "--patient-sex", "male", "--patient-birth-date", "1980-01-01", "--consent", "--diagnosis",
                "M79.2:神经痛",
                "--reason", "x",
            ], environment: environment)
        #expect(filing.exitCode == 77)
    }
}
