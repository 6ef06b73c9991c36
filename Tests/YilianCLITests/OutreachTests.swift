import Foundation
import Testing
import YilianCore
import YilianJSON
import YilianPostgres
import YilianTestSupport

/// SPEC §14: an expert of the core works only at a member's site that a valid multi-site practice
/// record covers on the day; the site's coordinators book their patients into a session, never
/// beyond its capacity; a booked patient is up-referred with the session as context.
@Suite struct OutreachTests {
    static let core = ReliabilityFixture.core
    static let myqyy = ReliabilityFixture.coordinator("MYQYY")
    static let zryy = ReliabilityFixture.coordinator("ZRYY")
    static let patient: JSONValue = ["name": "张三", "sex": "male", "birthDate": "1980-01-01"]

    /// A record of wdoc@ZRYY (a physician) at MYQYY, valid from yesterday for 30 days.
    static var record: JSONValue {
        [
            "alliance": "PAIN-BJ", "expert": "wdoc@ZRYY", "title": "主任医师", "specialty": "pain", "site": "MYQYY",
            "filingNumber": "BJ2026-0001", "validFrom": .string(RecognitionTests.day(1)), "validUntil": .string(RecognitionTests.day(-29)),
            "actor": core,
        ]
    }

    static func session(on days: Int, capacity: Int = 5, site: String = "MYQYY", actor: JSONValue = zryy) -> JSONValue {
        [
            "alliance": "PAIN-BJ", "expert": "wdoc@ZRYY", "site": .string(site), "date": .string(RecognitionTests.day(-days)),
            "kind": "clinic", "capacity": .integer(capacity), "actor": actor,
        ]
    }

    /// The error's code and its message's start, or the result's absence said.
    static func refusal(_ response: JSONValue?) -> String {
        guard let error = response?["error"] else { return "no error: \(String(describing: response))" }
        return error["data"]?["code"]?.stringValue ?? "?"
    }

    @Test func anExpertWorksOnlyWhereAValidRecordCoversTheDayAndTheSiteBooksItsPatients() async throws {
        let url = try await TestPostgres.freshDatabase()
        try ReliabilityFixture.seed(url, slots: [])
        let serve = try ServeSession(environment: ["YILIAN_DATABASE_URL": url])
        defer { _ = try? serve.finish() }

        // Who registers, whom, where.
        let registered = try serve.call("practice.register", Self.record)?["result"]
        #expect(registered?["filingNumber"] == "BJ2026-0001" && registered?["registeredBy"] == "li@ZRYY")
        let refusedRecords: [(JSONValue, String)] = [
            (ReliabilityTests.with(Self.record, ["actor": Self.zryy]), "forbidden"),  // not an administrator
            (ReliabilityTests.with(Self.record, ["expert": "wdesk@ZRYY"]), "rule_violation"),  // not a physician
            (ReliabilityTests.with(Self.record, ["site": "ZRYY"]), "rule_violation"),  // the expert's own hospital
            (ReliabilityTests.with(Self.record, ["site": "SYMY"]), "rule_violation"),  // not a member
            (ReliabilityTests.with(Self.record, ["specialty": "nope"]), "invalid_params"),
            (ReliabilityTests.with(Self.record, ["title": "教授"]), "invalid_params"),
            (ReliabilityTests.with(Self.record, ["validUntil": .string(RecognitionTests.day(3))]), "invalid_params"),
            (ReliabilityTests.with(Self.record, ["validUntil": .string(RecognitionTests.day(1 - 3651))]), "invalid_params"),
            (Self.record, "already_exists"),
        ]
        for (params, code) in refusedRecords {
            #expect(Self.refusal(try serve.call("practice.register", params)) == code, "\(params)")
        }
        #expect(try serve.call("practice.list", ["site": "MYQYY", "actor": Self.myqyy])?["result"]?.arrayValue?.count == 1)

        // A session only where and when a record covers it, by the expert's hospital.
        let session = try serve.call("outreach.publish", Self.session(on: 0))?["result"]
        let id = try #require(session?["id"]?.stringValue)
        #expect(session?["available"] == 5 && session?["specialty"] == "pain")
        let refusedSessions: [(JSONValue, String)] = [
            (Self.session(on: 40), "rule_violation"),  // past the record's validity
            (Self.session(on: 3, site: "JGYY"), "rule_violation"),  // no record there
            (Self.session(on: -2), "rule_violation"),  // before today
            (Self.session(on: 3, actor: Self.myqyy), "forbidden"),  // not the expert's hospital
            (Self.session(on: 3, capacity: 0), "invalid_params"),
        ]
        for (params, code) in refusedSessions {
            #expect(Self.refusal(try serve.call("outreach.publish", params)) == code, "\(params)")
        }

        // Bookings by the site only; a cancelled place is free again.
        let booked = try serve.call("outreach.book", ["session": .string(id), "patient": Self.patient, "actor": Self.myqyy])?["result"]
        #expect(booked?["number"] == 1 && booked?["bookedBy"] == "wang@MYQYY")
        let jgyy = ReliabilityFixture.coordinator("JGYY")
        #expect(
            Self.refusal(try serve.call("outreach.book", ["session": .string(id), "patient": Self.patient, "actor": jgyy])) == "forbidden")
        #expect(
            Self.refusal(try serve.call("outreach.book", ["session": "O-999999", "patient": Self.patient, "actor": Self.myqyy]))
                == "not_found")
        let withID = ReliabilityTests.with(Self.patient, ["idNumber": "11010519800101018X"])
        #expect(
            Self.refusal(try serve.call("outreach.book", ["session": .string(id), "patient": withID, "actor": Self.myqyy]))
                == "invalid_params")
        let other: JSONValue = ["name": "李四", "sex": "female", "birthDate": "1975-05-05"]
        #expect(
            try serve.call("outreach.book", ["session": .string(id), "patient": other, "actor": Self.myqyy])?["result"]?["number"] == 2)
        #expect(
            try serve.call("outreach.cancel", ["session": .string(id), "booking": 2, "actor": Self.myqyy])?["result"]?["cancelledBy"]
                == "wang@MYQYY")
        #expect(
            Self.refusal(try serve.call("outreach.cancel", ["session": .string(id), "booking": 2, "actor": Self.myqyy])) == "not_found")
        let cancelLogged = try Psql.run(url, "SELECT referrals FROM access_log WHERE method = 'outreach.cancel' AND actor = 'wang@MYQYY'")
        #expect(cancelLogged.output.contains(id))

        // The bookings to the site and the expert's hospital only, the read logged.
        func listed(_ actor: JSONValue) throws -> JSONValue? {
            try serve.call("outreach.list", ["alliance": "PAIN-BJ", "actor": actor])?["result"]?.arrayValue?.first
        }
        #expect(try listed(Self.myqyy)?["booked"] == 1)
        #expect(try listed(Self.myqyy)?["bookings"]?.arrayValue?.map { $0["patient"]?["name"] } == ["张三", "李四"])
        #expect(try listed(Self.core)?["bookings"]?.arrayValue?.count == 2)
        #expect(try listed(jgyy)?["bookings"] == .null)
        let logged = try Psql.run(url, "SELECT referrals FROM access_log WHERE method = 'outreach.list' AND actor = 'li@ZRYY'")
        #expect(logged.output.contains(id))

        // Up-referred with the session as context: the booked patient only, to the expert's hospital.
        var filing = ReliabilityFixture.filing(from: "MYQYY")
        filing = ReliabilityTests.with(filing, ["outreach": .string(id)])
        let referral = try serve.call("referral.file", filing)?["result"]
        #expect(referral?["outreach"] == .string(id), "\(String(describing: referral))")
        let stranger = ReliabilityTests.with(ReliabilityFixture.filing(from: "MYQYY", patientName: "王五"), ["outreach": .string(id)])
        #expect(Self.refusal(try serve.call("referral.file", stranger)) == "rule_violation")
        let fromJGYY = ReliabilityTests.with(ReliabilityFixture.filing(from: "JGYY"), ["outreach": .string(id)])
        #expect(Self.refusal(try serve.call("referral.file", fromJGYY)) == "rule_violation")
        let cancelledPatient = ReliabilityTests.with(
            ReliabilityFixture.filing(from: "MYQYY", patientName: "李四"),
            ["outreach": .string(id), "patient": ["name": "李四", "sex": "female", "birthDate": "1975-05-05"]])
        #expect(Self.refusal(try serve.call("referral.file", cancelledPatient)) == "rule_violation")

        // The indicators: a session, a patient, one member of two visited.
        let report = try serve.call(
            "report.indicators",
            ["alliance": "PAIN-BJ", "from": .string(RecognitionTests.day(1)), "to": .string(RecognitionTests.day(-10)), "actor": Self.core])?[
                "result"]
        #expect(
            report?["outreach"]?["sessions"] == 1 && report?["outreach"]?["patients"] == 1, "\(String(describing: report?["outreach"]))")
        #expect(report?["outreach"]?["visited"] == 1 && report?["outreach"]?["members"] == 2)
        // The same in the report's text and CSV.
        let period = [
            "report", "--alliance", "PAIN-BJ", "--from", RecognitionTests.day(1), "--to", RecognitionTests.day(-10), "--as", "li@ZRYY",
        ]
        let text = try await YilianBinary.run(period + ["--lang", "zh"], environment: ["YILIAN_DATABASE_URL": url])
        #expect(text.stdout.contains("专家下沉：本期专家到成员单位坐诊、查房、带教排班 1 次（含尚未开诊的），预约患者 1 人次；2 家成员单位中有 1 家安排了专家下沉（50%）。"), "\(text.stdout)")
        let csv = try await YilianBinary.run(period + ["--format", "csv"], environment: ["YILIAN_DATABASE_URL": url])
        #expect(csv.stdout.contains("\r\nMember,Name,Sessions,Patients booked\r\nMYQYY,密云区医院,1,1\r\n"), "\(csv.stdout)")
        #expect(csv.stdout.contains("\r\nExpert,Name,Sessions,Patients booked\r\nwdoc@ZRYY,"), "\(csv.stdout)")

        // An unknown alliance is not found; a site that left takes no session and no booking.
        #expect(
            Self.refusal(try serve.call("outreach.publish", ReliabilityTests.with(Self.session(on: 1), ["alliance": "NOPE-BJ"])))
                == "not_found")
        let suspended = try serve.call(
            "membership.suspend", ["alliance": "PAIN-BJ", "hospital": "MYQYY", "reason": "整改", "actor": Self.core])
        #expect(suspended?["result"] != nil, "\(String(describing: suspended))")
        let left = try serve.call("outreach.publish", Self.session(on: 1))
        #expect(
            left?["error"]?["message"]?.stringValue?.contains("MYQYY is not an active member of PAIN-BJ") == true,
            "\(String(describing: left))")
        let closed = try serve.call("outreach.book", ["session": .string(id), "patient": other, "actor": Self.myqyy])
        #expect(closed?["error"]?["message"]?.stringValue?.contains("no longer an active member") == true, "\(String(describing: closed))")

        // A session whose day is over takes no booking and no cancellation.
        try await PGConnection.connect(url).runScript(
            """
            INSERT INTO outreach_sessions (id, alliance, expert, site, specialty, date, kind, capacity, published_by, published_at)
            VALUES ('O-000099', 'PAIN-BJ', 'wdoc@ZRYY', 'MYQYY', 'pain', '\(RecognitionTests.day(1))', 'teaching', 5, 'wang@ZRYY', now())
            """)
        let late = try serve.call("outreach.book", ["session": "O-000099", "patient": Self.patient, "actor": Self.myqyy])
        #expect(Self.refusal(late) == "rule_violation" && late?["error"]?["message"]?.stringValue?.contains("is over") == true)
    }

    /// Experts are physicians of the core or of a tertiary member: a secondary member's physician
    /// is not one, a tertiary member's is, each registered by its own hospital's administrator.
    @Test func anExpertComesFromTheCoreOrATertiaryMember() async throws {
        let url = try await TestPostgres.freshDatabase()
        try ReliabilityFixture.seed(url, slots: [])
        for (login, duty) in [
            ("oadm@MYQYY", "hospital_admin"), ("odoc@MYQYY", "physician"), ("oadm@BYSY", "hospital_admin"), ("odoc@BYSY", "physician"),
        ] {
            try await TestPostgres.register(login, duty: duty, in: url)
        }
        let serve = try ServeSession(environment: ["YILIAN_DATABASE_URL": url])
        defer { _ = try? serve.finish() }
        let admitted: [(String, JSONValue)] = [
            (
                "hospital.register",
                ["code": "BYSY", "name": "北医三院", "level": 3, "departments": ["pain"], "actor": ReliabilityFixture.admin]
            ),
            (
                "membership.apply",
                [
                    "alliance": "PAIN-BJ", "hospital": "BYSY", "role": "collaborating", "facts": [:],
                    "actor": ReliabilityFixture.coordinator("BYSY"),
                ]
            ),
            ("membership.decide", ["id": "A-000003", "decision": "approve", "reason": "ok", "actor": Self.core]),
        ]
        for (method, params) in admitted { #expect(try serve.call(method, params)?["result"] != nil, "\(method)") }
        func record(_ hospital: String) -> JSONValue {
            ReliabilityTests.with(
                Self.record,
                ["expert": .string("odoc@\(hospital)"), "site": "JGYY", "actor": ["user": "oadm", "hospital": .string(hospital)]])
        }
        let secondary = try serve.call("practice.register", record("MYQYY"))
        #expect(Self.refusal(secondary) == "rule_violation", "\(String(describing: secondary))")
        #expect(try serve.call("practice.register", record("BYSY"))?["result"]?["site"] == "JGYY")

        // An up-referral redirected to BYSY no longer names ZRYY's expert's session.
        #expect(try serve.call("practice.register", Self.record)?["result"] != nil)
        let id = try #require(try serve.call("outreach.publish", Self.session(on: 0))?["result"]?["id"])
        #expect(try serve.call("outreach.book", ["session": id, "patient": Self.patient, "actor": Self.myqyy])?["result"] != nil)
        let filed = try serve.call("referral.file", ReliabilityTests.with(ReliabilityFixture.filing(from: "MYQYY"), ["outreach": id]))
        let referral = try #require(filed?["result"]?["id"])
        #expect(filed?["result"]?["outreach"] == id)
        let redirected = try serve.call("referral.redirect", ["id": referral, "to": "BYSY", "actor": Self.myqyy])?["result"]
        #expect(redirected?["to"] == "BYSY" && redirected?["outreach"] == nil, "\(String(describing: redirected))")
    }

    /// Twenty coordinators' CLIs book into a session of five at once (held back together by a
    /// lock on the session, then let go): exactly five get a place, and the others are told it is
    /// full. Without the function's row lock, all twenty passed the check and fifteen then broke
    /// the table's CHECK (an error that explains nothing).
    @Test func twentyConcurrentBookingsIntoFivePlacesBookFive() async throws {
        let url = try await TestPostgres.freshDatabase()
        try ReliabilityFixture.seed(url, slots: [])
        let serve = try ServeSession(environment: ["YILIAN_DATABASE_URL": url])
        #expect(try serve.call("practice.register", Self.record)?["result"] != nil)
        let id = try #require(try serve.call("outreach.publish", Self.session(on: 2))?["result"]?["id"]?.stringValue)
        _ = try serve.finish()

        let blocker = try await PGConnection.connect(url)
        try await blocker.query("BEGIN")
        try await blocker.query("SELECT FROM outreach_sessions WHERE id = $1 FOR UPDATE", [id])
        let bookings = Task {
            try await withThrowingTaskGroup(of: YilianBinary.Outcome.self) { group in
                for n in 0..<20 {
                    group.addTask {
                        try await YilianBinary.run(
                            [
                                "outreach", "book", "--session", id, "--patient-name", "患者\(n)", "--patient-sex", "female",
                                "--patient-birth-date", "1960-01-01", "--as", n % 2 == 0 ? "wang@MYQYY" : "coordinator@MYQYY", "--json",
                            ], environment: ["YILIAN_DATABASE_URL": url])
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
        }
        let watcher = try await PGConnection.connect(url)
        #expect(try await watcher.someoneWaitsOnALock(count: 20))
        try await blocker.query("COMMIT")
        let outcomes = try await bookings.value
        #expect(outcomes.filter { $0.exitCode == 0 }.count == 5, "\(outcomes.map(\.stderr))")
        let refused = outcomes.filter { $0.exitCode != 0 }
        #expect(refused.allSatisfy { $0.stderr.contains("capacity_exhausted") }, "\(refused.map(\.stderr))")
        let stored = try Psql.run(
            url, "SELECT booked || '/' || (SELECT count(*) FROM outreach_bookings WHERE session = '\(id)') FROM outreach_sessions")
        #expect(stored.output.trimmingCharacters(in: .whitespacesAndNewlines) == "5/5")
    }
}
