import Foundation
import Testing
import YilianCore
import YilianJSON
import YilianTestSupport

/// SPEC §6 through `serve`: every method, tried by each duty of JGYY — a member of the alliance
/// but no party to R-000001 (filed MYQYY → ZRYY) — and by the platform. Each answer is the one
/// the table says, and none reveals the patient.
@Suite struct AccessMatrixTests {
    static let duties = ["coordinator", "physician", "hospital_admin", "auditor", "integration", "platform"]
    static let actors: [String: JSONValue] = [
        "coordinator": ["user": "wang", "hospital": "JGYY"], "physician": ["user": "doc", "hospital": "JGYY"],
        "hospital_admin": ["user": "boss", "hospital": "JGYY"], "auditor": ["user": "aud", "hospital": "JGYY"],
        "integration": ["user": "his", "hospital": "JGYY"], "platform": ReliabilityFixture.admin,
    ]

    /// Method, params (R-000001, MYQYY's and ZRYY's things), and the answer for each duty in
    /// `duties`' order: `ok`, `empty` (an empty list), or the error's `data.code`.
    static let table: [(method: String, params: JSONValue, answers: [String])] = [
        ("referral.get", ["id": "R-000001"], Array(repeating: "not_found", count: 6)),
        ("referral.history", ["id": "R-000001"], Array(repeating: "not_found", count: 6)),
        ("fhir.export", ["id": "R-000001"], Array(repeating: "not_found", count: 6)),
        ("referral.list", [:], Array(repeating: "empty", count: 6)),
        ("referral.list", ["hospital": "MYQYY"], Array(repeating: "empty", count: 6)),
        ("referral.accept", ["id": "R-000001"], Array(repeating: "not_found", count: 6)),
        ("referral.reject", ["id": "R-000001", "reasonCode": "capacity_full"], Array(repeating: "not_found", count: 6)),
        ("referral.requestInfo", ["id": "R-000001", "question": "?"], Array(repeating: "not_found", count: 6)),
        ("referral.provideInfo", ["id": "R-000001", "answer": "!"], Array(repeating: "not_found", count: 6)),
        ("referral.redirect", ["id": "R-000001", "to": "JGYY"], Array(repeating: "not_found", count: 6)),
        ("referral.schedule", ["id": "R-000001", "date": "2030-12-01"], Array(repeating: "not_found", count: 6)),
        ("referral.reschedule", ["id": "R-000001", "date": "2030-12-01"], Array(repeating: "not_found", count: 6)),
        ("referral.arrive", ["id": "R-000001"], Array(repeating: "not_found", count: 6)),
        ("referral.noShow", ["id": "R-000001"], Array(repeating: "not_found", count: 6)),
        (
            "referral.complete",
            [
                "id": "R-000001",
                "outcome": ["summary": "s", "diagnosis": [["code": "M79.2", "name": "神经痛"]], "recommendation": "discharge"],
            ],
            Array(repeating: "not_found", count: 6)
        ),
        ("referral.acknowledge", ["id": "R-000001"], Array(repeating: "not_found", count: 6)),
        ("referral.cancel", ["id": "R-000001", "reason": "x"], Array(repeating: "not_found", count: 6)),
        ("referral.file", ReliabilityFixture.filing(from: "MYQYY").removing("actor"), Array(repeating: "forbidden", count: 6)),
        ("fhir.import", ["bundle": FHIRSender.referral(from: "MYQYY", identifier: "A-1")], Array(repeating: "forbidden", count: 6)),
        (
            "fhir.task",
            [
                "task": [
                    "resourceType": "Task", "status": "accepted", "identifier": [["system": "urn:yilian:referral", "value": "R-000001"]],
                ]
            ],
            Array(repeating: "not_found", count: 6)
        ),
        ("worklist.get", ["hospital": "ZRYY"], Array(repeating: "forbidden", count: 6)),
        (
            "slots.publish", ["hospital": "ZRYY", "specialty": "pain", "from": "2030-12-02", "capacity": 3],
            Array(repeating: "forbidden", count: 6)
        ),
        ("audit.list", ["hospital": "ZRYY"], ["forbidden", "forbidden", "forbidden", "forbidden", "forbidden", "empty"]),
        (
            "user.add", ["user": "mallory", "hospital": "ZRYY", "duty": "coordinator"],
            ["forbidden", "forbidden", "forbidden", "forbidden", "forbidden", "ok"]
        ),
        ("user.list", ["hospital": "ZRYY"], ["empty", "empty", "empty", "empty", "empty", "ok"]),
        (
            "user.disable", ["user": "coordinator", "hospital": "ZRYY"],
            ["not_found", "not_found", "not_found", "not_found", "not_found", "ok"]
        ),
        (
            "hospital.register", ["code": "FAKE", "name": "假医院", "level": 3],
            ["forbidden", "forbidden", "forbidden", "forbidden", "forbidden", "ok"]
        ),
        (
            "hospital.import", ["csv": "code,name,level\nFAKE-CSV,假医院,2\n"],
            ["forbidden", "forbidden", "forbidden", "forbidden", "forbidden", "ok"]
        ),
        (
            "alliance.create", ["code": "FAKE-BJ", "name": "假", "specialty": "pain", "core": "ZRYY"],
            ["forbidden", "forbidden", "forbidden", "forbidden", "forbidden", "ok"]
        ),
        (
            "criteria.set",
            [
                "alliance": "PAIN-BJ",
                "criteria": ["passScore": 0, "criteria": [["id": "l", "title": "l", "rule": ["fact": "level", "op": "exists"]]]],
            ], Array(repeating: "forbidden", count: 6)
        ),
        ("recognition.set", ["alliance": "PAIN-BJ", "catalogue": ["items": []]], Array(repeating: "forbidden", count: 6)),
        // ZRYY's expert at MYQYY, O-000001 held there with 张三 booked (see below).
        ("practice.register", OutreachTests.record.removing("actor"), Array(repeating: "forbidden", count: 6)),
        ("outreach.publish", OutreachTests.session(on: 5).removing("actor"), Array(repeating: "forbidden", count: 6)),
        ("outreach.book", ["session": "O-000001", "patient": OutreachTests.patient], Array(repeating: "forbidden", count: 6)),
        ("outreach.cancel", ["session": "O-000001", "booking": 1], Array(repeating: "forbidden", count: 6)),
        ("outreach.list", [:], Array(repeating: "ok", count: 6)),
        // The commission's planning: the platform's administrator's alone.
        (
            "plan.burden", ["csv": "district,specialty,year,cases\n东城区,pain,2026,10\n"],
            ["forbidden", "forbidden", "forbidden", "forbidden", "forbidden", "ok"]
        ),
        ("plan.specialties", [:], ["forbidden", "forbidden", "forbidden", "forbidden", "forbidden", "ok"]),
        ("plan.alliance", ["specialty": "pain"], ["forbidden", "forbidden", "forbidden", "forbidden", "forbidden", "ok"]),
        (
            "membership.apply", ["alliance": "PAIN-BJ", "hospital": "MYQYY", "role": "cooperating", "facts": [:]],
            Array(repeating: "forbidden", count: 6)
        ),
        ("membership.update", ["id": "A-000001", "facts": [:]], Array(repeating: "not_found", count: 6)),
        ("membership.decide", ["id": "A-000001", "decision": "reject", "reason": "x"], Array(repeating: "not_found", count: 6)),
        ("membership.withdraw", ["id": "A-000001"], Array(repeating: "not_found", count: 6)),
        ("membership.get", ["id": "A-000001"], Array(repeating: "not_found", count: 6)),
        ("membership.suspend", ["alliance": "PAIN-BJ", "hospital": "MYQYY", "reason": "x"], Array(repeating: "forbidden", count: 6)),
        ("membership.reinstate", ["alliance": "PAIN-BJ", "hospital": "MYQYY", "reason": "x"], Array(repeating: "forbidden", count: 6)),
        ("membership.revoke", ["alliance": "PAIN-BJ", "hospital": "MYQYY", "reason": "x"], Array(repeating: "forbidden", count: 6)),
        ("membership.review", ["alliance": "PAIN-BJ"], Array(repeating: "forbidden", count: 6)),
        ("referral.sweep", [:], Array(repeating: "ok", count: 6)),
        ("report.indicators", ["alliance": "PAIN-BJ", "from": "2026-01-01", "to": "2026-12-31"], Array(repeating: "ok", count: 6)),
        ("system.whoami", [:], Array(repeating: "ok", count: 6)),
        ("consultation.request", ReliabilityFixture.consulting(from: "MYQYY").removing("actor"), Array(repeating: "forbidden", count: 6)),
        ("consultation.get", ["id": "C-000001"], Array(repeating: "not_found", count: 6)),
        ("consultation.history", ["id": "C-000001"], Array(repeating: "not_found", count: 6)),
        ("consultation.list", [:], Array(repeating: "empty", count: 6)),
        ("consultation.list", ["hospital": "MYQYY"], Array(repeating: "empty", count: 6)),
        ("consultation.accept", ["id": "C-000001"], Array(repeating: "not_found", count: 6)),
        ("consultation.decline", ["id": "C-000001", "reasonCode": "no_capacity"], Array(repeating: "not_found", count: 6)),
        ("consultation.schedule", ["id": "C-000001", "at": "2030-12-01T14:00+08:00"], Array(repeating: "not_found", count: 6)),
        ("consultation.opine", ["id": "C-000001", "summary": "s", "recommendation": "refer_up"], Array(repeating: "not_found", count: 6)),
        ("consultation.conclude", ["id": "C-000001", "conclusion": "c"], Array(repeating: "not_found", count: 6)),
        ("consultation.acknowledge", ["id": "C-000001"], Array(repeating: "not_found", count: 6)),
        ("consultation.cancel", ["id": "C-000001", "reason": "x"], Array(repeating: "not_found", count: 6)),
        ("consultation.convert", ["id": "C-000001", "setting": "outpatient"], Array(repeating: "not_found", count: 6)),
        // Its own membership's events only (checked below: no referral's or consultation's).
        ("events.list", [:], ["ok", "ok", "ok", "ok", "ok", "empty"]),
        // Anyone subscribes (to what its hospital may see); one session holds at most 4.
        ("events.subscribe", [:], ["ok", "ok", "ok", "ok", "rule_violation", "rule_violation"]),
        ("events.unsubscribe", ["subscription": "S99"], Array(repeating: "not_found", count: 6)),
    ]

    /// The receiver's own users: all read R-000001; only those whose duty is to handle referrals
    /// act on it or publish slots (SPEC §6). In this order: each refusal comes before the one
    /// success that changes the referral.
    static let receiver: [(method: String, params: JSONValue, answers: [(duty: String, answer: String)])] = [
        ("referral.get", ["id": "R-000001"], [("physician", "ok"), ("auditor", "ok"), ("integration", "ok"), ("coordinator", "ok")]),
        ("worklist.get", ["hospital": "ZRYY"], [("physician", "ok"), ("auditor", "ok"), ("coordinator", "ok")]),
        ("referral.accept", ["id": "R-000001"], [("physician", "forbidden"), ("auditor", "forbidden"), ("coordinator", "ok")]),
        (
            "referral.schedule", ["id": "R-000001", "date": "2030-12-01"],
            [("physician", "forbidden"), ("auditor", "forbidden"), ("integration", "ok")]
        ),
        (
            "slots.publish", ["hospital": "ZRYY", "specialty": "pain", "from": "2030-12-02", "capacity": 3],
            [("physician", "forbidden"), ("auditor", "forbidden"), ("coordinator", "ok")]
        ),
        (
            "audit.list", [:],
            [("physician", "forbidden"), ("coordinator", "forbidden"), ("hospital_admin", "forbidden"), ("auditor", "ok")]
        ),
        (
            "user.add", ["user": "new", "hospital": "ZRYY", "duty": "physician"],
            [("coordinator", "forbidden"), ("auditor", "forbidden"), ("hospital_admin", "ok")]
        ),
        (
            "membership.review", ["alliance": "PAIN-BJ"],
            [("coordinator", "forbidden"), ("physician", "forbidden"), ("hospital_admin", "ok")]
        ),
        (
            "recognition.set", ["alliance": "PAIN-BJ", "catalogue": ["items": []]],
            [("coordinator", "forbidden"), ("physician", "forbidden"), ("auditor", "forbidden"), ("hospital_admin", "ok")]
        ),
    ]

    @Test func theReceiversUsersActOnlyAsTheirDutyAllows() async throws {
        let url = try await TestPostgres.freshDatabase()
        try ReliabilityFixture.seed(url, slots: [(date: "2030-12-01", capacity: 2)])
        let session = try ServeSession(environment: ["YILIAN_DATABASE_URL": url])
        #expect(try session.call("referral.file", ReliabilityFixture.filing(from: "MYQYY"))?["result"] != nil)
        let users: [String: String] = [
            "physician": "doc", "auditor": "aud", "integration": "his", "coordinator": "coordinator", "hospital_admin": "li",
        ]
        for duty in ["physician", "auditor", "integration"] {
            let added = try session.call(
                "user.add", ["user": .string(users[duty]!), "hospital": "ZRYY", "duty": .string(duty), "actor": ReliabilityFixture.admin])
            #expect(added?["result"] != nil, "\(duty): \(String(describing: added))")
        }
        var mismatches: [String] = []
        for row in Self.receiver {
            for (duty, expected) in row.answers {
                guard case .object(var params) = row.params else { continue }
                params["actor"] = ["user": .string(users[duty]!), "hospital": "ZRYY"]
                let response = try session.call(row.method, .object(params))
                let answer = response?["result"] != nil ? "ok" : response?["error"]?["data"]?["code"]?.stringValue ?? "no answer"
                if answer != expected { mismatches.append("\(row.method) as \(duty): \(answer), expected \(expected)") }
            }
        }
        #expect(mismatches == [])
        _ = try session.finish()
    }

    @Test func eachDutyOfAHospitalNotPartyGetsTheTablesAnswerAndNoPatient() async throws {
        let url = try await TestPostgres.freshDatabase()
        try ReliabilityFixture.seed(url, slots: [(date: "2030-12-01", capacity: 2)])
        let session = try ServeSession(environment: ["YILIAN_DATABASE_URL": url])
        let filed = try session.call("referral.file", ReliabilityFixture.filing(from: "MYQYY", reason: "疼痛控制不佳，HIV阳性"))
        #expect(filed?["result"]?["id"] == "R-000001")
        let asked = try session.call("consultation.request", ReliabilityFixture.consulting(from: "MYQYY"))
        #expect(asked?["result"]?["id"] == "C-000001")
        #expect(try session.call("practice.register", OutreachTests.record)?["result"] != nil)
        #expect(try session.call("outreach.publish", OutreachTests.session(on: 2))?["result"]?["id"] == "O-000001")
        let booked = try session.call(
            "outreach.book", ["session": "O-000001", "patient": OutreachTests.patient, "actor": OutreachTests.myqyy])
        #expect(booked?["result"] != nil)
        for (duty, actor) in Self.actors where duty != "coordinator" && duty != "platform" {
            let added = try session.call(
                "user.add", ["user": actor["user"]!, "hospital": "JGYY", "duty": .string(duty), "actor": ReliabilityFixture.admin])
            #expect(added?["result"] != nil, "\(duty): \(String(describing: added))")
        }
        // Every method but the ones that need nobody (discover, ping, version) is in the table.
        guard case .array(let methods)? = try session.call("rpc.discover", [:])?["result"]?["methods"] else {
            Issue.record("rpc.discover gave no methods")
            return
        }
        let listed = Set(methods.compactMap { $0["name"]?.stringValue })
        #expect(
            listed.subtracting(Self.table.map(\.method)) == [
                "rpc.discover", "system.ping", "system.version", "specialty.list",
                "hospital.get", "hospital.list", "alliance.get", "alliance.list",
                "criteria.get", "criteria.evaluate", "membership.list", "slots.list", "recognition.list", "practice.list",
            ])
        var mismatches: [String] = []
        for row in Self.table {
            for (duty, expected) in zip(Self.duties, row.answers) {
                guard case .object(var params) = row.params else { continue }
                params["actor"] = Self.actors[duty]
                let response = try session.call(row.method, .object(params))
                let answer: String
                if let result = response?["result"] {
                    answer = result["items"]?.arrayCount == 0 ? "empty" : "ok"
                } else {
                    answer = response?["error"]?["data"]?["code"]?.stringValue ?? "no answer"
                }
                if answer != expected { mismatches.append("\(row.method) as \(duty): \(answer), expected \(expected)") }
                let text = String(decoding: try JSONEncoder().encode(response), as: UTF8.self)
                for secret in ["张三", "HIV", "1980-01-01", "018X"] + (row.method == "events.list" ? ["R-000001", "C-000001"] : []) {
                    #expect(!text.contains(secret), "\(row.method) as \(duty) revealed \(secret): \(text.prefix(500))")
                }
            }
        }
        #expect(mismatches == [])
        _ = try session.finish()
    }
}

extension JSONValue {
    func removing(_ key: String) -> JSONValue {
        guard case .object(var members) = self else { return self }
        members[key] = nil
        return .object(members)
    }
}
