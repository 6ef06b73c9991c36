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
            (Self.record, "already_exists"),
        ]
        for (params, code) in refusedRecords {
            #expect(Self.refusal(try serve.call("practice.register", params)) == code, "\(params)")
        }
        #expect(try serve.call("practice.list", ["site": "MYQYY", "actor": Self.myqyy])?["result"]?.arrayValue?.count == 1)

        // A session only where and when a record covers it, by the expert's hospital.
        let session = try serve.call("outreach.publish", Self.session(on: 3))?["result"]
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

        // The indicators: a session, a patient, one member of two visited.
        let report = try serve.call(
            "report.indicators",
            ["alliance": "PAIN-BJ", "from": .string(RecognitionTests.day(1)), "to": .string(RecognitionTests.day(-10)), "actor": Self.core])?[
                "result"]
        #expect(
            report?["outreach"]?["sessions"] == 1 && report?["outreach"]?["patients"] == 1, "\(String(describing: report?["outreach"]))")
        #expect(report?["outreach"]?["visited"] == 1 && report?["outreach"]?["members"] == 2)
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
