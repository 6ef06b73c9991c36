import Foundation
import Testing
import YilianJSON
import YilianTestSupport

/// `fhir.import` (issue 29, SPEC §11): a hospital system files through FHIR what Yilian exports,
/// once per its own identifier, and hears of every problem at its FHIR path.
@Suite struct FHIRImportTests {
    /// Who sends each case of the export scenario, and the patient's whole resident ID its
    /// sending system holds (the export masks it).
    static let senders = [
        "R-000001": "wang@MYQYY", "R-000002": "li@ZRYY", "R-000003": "wang@JGYY", "R-000004": "wang@JGYY", "C-000001": "wang@MYQYY",
    ]
    static let idNumbers = ["R-000001": "11010519800101018X", "R-000002": "11010519800101018X", "C-000001": "11010519800101018X"]

    /// `bundle` written to a file, imported by `actor`.
    static func importing(_ bundle: JSONValue, into c: ReferralCommandTests.Coordinator, as actor: String, expect code: Int32 = 0)
        async throws -> YilianBinary.Outcome
    {
        let file = FileManager.default.temporaryDirectory.appending(path: "bundle-\(UUID().uuidString).json")
        try Data(bundle.serialized).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        return try await c.run(["fhir", "import", file.path, "--json"], as: actor, expect: code)
    }

    static func sent(_ bundle: String, _ id: String) throws -> JSONValue {
        FHIRSender.asSent(
            try JSONValue(parsing: Array(bundle.utf8)), system: "urn:oid:1.2.156.1.his", value: "HIS-\(id)", idNumber: idNumbers[id])
    }

    /// Every case of the scenario, exported from one Yilian and imported into another as its
    /// sending hospital's system would send it (what happened between the filings done again
    /// there), is filed equal in every field FHIR carries.
    @Test func everyCaseOfTheScenarioComesBackEqualThroughFHIR() async throws {
        let a = try await FHIRExportTests.scenario()
        let bundles = try await FHIRExportTests.exports(a)
        let b = ReferralCommandTests.Coordinator(url: try await TestPostgres.freshDatabase(), transcript: .init())
        try ReliabilityFixture.seed(b.url, slots: [(date: CoordinatorDayTests.day(0), capacity: 2)])
        for (id, bundle) in zip(FHIRExportTests.cases, bundles) {
            let filed = try JSONDecoder().decode(
                JSONValue.self,
                from: Data(try await Self.importing(try Self.sent(bundle, id), into: b, as: Self.senders[id] ?? "").stdout.utf8))
            #expect(filed["id"] == .string(id))
            #expect(filed["senderIdentifier"] == ["system": "urn:oid:1.2.156.1.his", "value": .string("HIS-\(id)")])
            // What happened in the first Yilian before the next filing.
            if id == "R-000001" {
                for action in [["accept"], ["schedule", "--date", CoordinatorDayTests.day(0)], ["arrive"]] {
                    try await b.run(["referral", action[0], id] + action.dropFirst(), as: "li@ZRYY")
                }
                try await b.run(["referral", "complete", id, "--summary", "缓解", "--recommendation", "down_refer"], as: "li@ZRYY")
            }
            if id == "R-000003" { try await b.run(["referral", "cancel", id, "--reason", "患者改变主意"], as: "wang@JGYY") }
        }
        let carried = [
            "R": [
                "alliance", "from", "to", "direction", "setting", "priority", "patient", "consent", "diagnosis", "reason", "summary",
                "attachments", "parent",
            ],
            "C": ["alliance", "from", "to", "mode", "priority", "patient", "consent", "diagnosis", "question", "attachments", "referral"],
        ]
        for id in FHIRExportTests.cases {
            let show = [id.hasPrefix("C-") ? "consultation" : "referral", "show", id]
            let (original, imported) = (try await a.json(show, as: "li@ZRYY"), try await b.json(show, as: "li@ZRYY"))
            #expect(original["alliance"] == "PAIN-BJ" && original["patient"]?["name"] != nil)
            for field in carried[String(id.prefix(1))] ?? [] {
                #expect(original[field] == imported[field], "\(id).\(field)")
            }
        }
        // The export of an imported case names the sender's identifier beside Yilian's.
        let again = try await b.run(["fhir", "export", "R-000003"], as: "li@ZRYY")
        #expect(again.stdout.contains(#"{"system":"urn:oid:1.2.156.1.his","value":"HIS-R-000003"}"#))
    }

    /// The same Bundle twice files once; the same identifier with other content is refused; a
    /// hospital no one registered is told at its Organization's identifier.
    @Test func theSendersIdentifierFilesOnce() async throws {
        let a = try await FHIRExportTests.scenario()
        let bundle = try Self.sent(try await FHIRExportTests.exports(a)[2], "R-000003")
        let b = ReferralCommandTests.Coordinator(url: try await TestPostgres.freshDatabase(), transcript: .init())
        try ReliabilityFixture.seed(b.url, slots: [])
        let first = try await Self.importing(bundle, into: b, as: "wang@JGYY")
        let second = try await Self.importing(bundle, into: b, as: "wang@JGYY")
        #expect(first.stdout == second.stdout)
        let list = try await b.json(["referral", "list"], as: "wang@JGYY")
        #expect(list["items"]?.arrayValue?.count == 1)
        // Cancelled (no open referral left for the duplicate rule to find): the same Bundle still
        // answers R-000001 as it is now, and files nothing.
        try await b.run(["referral", "cancel", "R-000001", "--reason", "患者改变主意"], as: "wang@JGYY")
        let later = try JSONValue(parsing: Array(try await Self.importing(bundle, into: b, as: "wang@JGYY").stdout.utf8))
        #expect(later["id"] == "R-000001" && later["status"] == "cancelled")
        #expect(try await b.json(["referral", "list"], as: "wang@JGYY")["items"]?.arrayValue?.count == 1)
        let changed = FHIRSender.changing(bundle, "ServiceRequest") { $0["note"] = [["text": "另一原因"]] }
        let refused = try await Self.importing(changed, into: b, as: "wang@JGYY", expect: 65)
        #expect(
            refused.stderr.contains(
                "JGYY already filed R-000001 under the ServiceRequest identifier HIS-R-000003 (system urn:oid:1.2.156.1.his), with other content"
            ))
        #expect(refused.stderr.contains(#""code":"idempotency_mismatch""#))
        // Another hospital's system may use the same identifier for its own request.
        let unknown = FHIRSender.changing(
            FHIRSender.changing(bundle, "ServiceRequest") { $0["identifier"] = [["system": "urn:x", "value": "1"]] }, "Organization"
        ) { organization in
            if organization["id"] == "org-ZRYY" { organization["identifier"] = [["system": "urn:yilian:hospital", "value": "NOPE"]] }
        }
        let nobody = try await Self.importing(unknown, into: b, as: "wang@JGYY", expect: 65)
        #expect(nobody.stderr.contains(".resource.identifier: no registered hospital has the code NOPE"), "\(nobody.stderr)")
    }

    /// Through `serve` without an idempotency key (as a hospital system calls it): the filing
    /// refused by the identifier's uniqueness answers the case it filed, or the mismatch.
    @Test func aRepeatedImportThroughServeAnswersTheCaseItFiled() async throws {
        let url = try await TestPostgres.freshDatabase()
        try ReliabilityFixture.seed(url, slots: [])
        let session = try ServeSession(environment: ["YILIAN_DATABASE_URL": url])
        let bundle = FHIRSender.referral(from: "MYQYY", identifier: "S-1")
        let first = try session.call("fhir.import", ["bundle": bundle, "actor": ReliabilityFixture.coordinator("MYQYY")])?["result"]
        #expect(first?["id"] == "R-000001" && first?["senderIdentifier"]?["value"] == "S-1")
        let again = try session.call("fhir.import", ["bundle": bundle, "actor": ReliabilityFixture.coordinator("MYQYY")])?["result"]
        #expect(again == first)
        let changed = FHIRSender.changing(bundle, "ServiceRequest") { $0["note"] = [["text": "另一原因"]] }
        let refused = try session.call("fhir.import", ["bundle": changed, "actor": ReliabilityFixture.coordinator("MYQYY")])
        #expect(refused?["error"]?["data"]?["code"] == "idempotency_mismatch", "\(String(describing: refused))")
        // A NUL anywhere in the Bundle is refused where it is, before the Bundle is read.
        let nul = FHIRSender.changing(bundle, "Patient") { $0["birthDate"] = "1980-01-01\u{0}" }
        let refusedNUL = try session.call("fhir.import", ["bundle": nul, "actor": ReliabilityFixture.coordinator("MYQYY")])
        #expect(refusedNUL?["error"]?["data"]?["code"] == "invalid_params", "\(String(describing: refusedNUL))")
        #expect(refusedNUL?["error"]?["message"]?.stringValue?.contains("bundle.entry[1].resource.birthDate") == true)
        #expect(try session.finish() == 0)
    }

    /// A 10 MB Bundle is refused by its size, read no further than 1 MiB; one of 10,000 entries
    /// by their count, before any is read: each within a second of CPU and 100 MiB (GNU time's
    /// user and system time and maximum resident set of the command: a wall clock would time the
    /// other tests sharing the machine).
    @Test func aHugeBundleIsRefusedWithinASecondAnd100MiB() async throws {
        let filler = String(repeating: "医", count: 10 << 20 / 3)
        let entry = #"{"fullUrl":"urn:uuid:x","resource":{"resourceType":"Basic"}}"#
        for (bundle, said) in [
            (#"{"resourceType":"Bundle","type":"transaction","entry":[],"x":"\#(filler)"}"#, "bytes; a file may hold at most 1 MiB"),
            (
                #"{"resourceType":"Bundle","type":"transaction","entry":["# + Array(repeating: entry, count: 10_000).joined(separator: ",")
                    + "]}",
                "Bundle.entry: holds 10000 entries; a Bundle may hold at most 1000"
            ),
        ] {
            let file = FileManager.default.temporaryDirectory.appending(path: "big-\(UUID().uuidString).json")
            try Data(bundle.utf8).write(to: file)
            defer { try? FileManager.default.removeItem(at: file) }
            let measured = Process()
            measured.executableURL = URL(fileURLWithPath: "/usr/bin/time")
            measured.arguments = ["-f", "%U %S %M", YilianBinary.url.path, "fhir", "import", file.path, "--as", "wang@JGYY"]
            measured.environment = ["YILIAN_DATABASE_URL": "postgresql:///nowhere?host=/nonexistent", "PATH": "/usr/bin:/bin"]
            let errors = Pipe()
            (measured.standardError, measured.standardOutput) = (errors, FileHandle.nullDevice)
            try measured.run()
            let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            measured.waitUntilExit()
            #expect(measured.terminationStatus == 65)
            #expect(text.contains(said), "\(text)")
            let figures = (text.split(separator: "\n").last ?? "").split(separator: " ").compactMap { Double($0) }
            #expect(figures.count == 3 && figures[0] + figures[1] < 1 && figures[2] < 100 * 1024, "\(text)")
        }
    }
}

/// `fhir.task` (issue 29, SPEC §11): a hospital system's Task update moves the case as the
/// action it asks does, and is refused as that action is.
@Suite struct FHIRTaskTests {
    /// The Task of `id`'s export, its status set to `status` and `change` made to it.
    static func task(_ c: ReferralCommandTests.Coordinator, _ id: String, _ status: String, _ change: (inout JSONObject) -> Void = { _ in })
        async throws -> JSONValue
    {
        let exported = try JSONValue(parsing: Array(try await c.run(["fhir", "export", id], as: "li@ZRYY").stdout.utf8))
        let task = try #require(exported["entry"]?.arrayValue?.compactMap { $0["resource"] }.first { $0["resourceType"] == "Task" })
        var members = FHIRSender.members(task)
        members["status"] = .string(status)
        change(&members)
        return .object(members)
    }

    static func sending(_ task: JSONValue, to c: ReferralCommandTests.Coordinator, as actor: String, expect code: Int32 = 0)
        async throws -> YilianBinary.Outcome
    {
        let file = FileManager.default.temporaryDirectory.appending(path: "task-\(UUID().uuidString).json")
        try Data(task.serialized).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        return try await c.run(["fhir", "task", file.path], as: actor, expect: code)
    }

    @Test func eachTaskUpdateIsTheActionItAsks() async throws {
        let c = ReferralCommandTests.Coordinator(url: try await TestPostgres.freshDatabase(), transcript: .init())
        let date = CoordinatorDayTests.day(0)
        try ReliabilityFixture.seed(c.url, slots: [(date: date, capacity: 2)])
        for (from, patient) in [("MYQYY", CoordinatorDayTests.zhang), ("JGYY", CoordinatorDayTests.li), ("MYQYY", CoordinatorDayTests.li)] {
            try await c.run(CoordinatorDayTests.filing(from: from, to: "ZRYY", patient, ["--diagnosis", "M54.5:腰痛"]), as: "wang@\(from)")
        }
        func status(_ id: String) async throws -> JSONValue? { try await c.json(["referral", "show", id], as: "li@ZRYY")["status"] }

        let accepted = try await Self.sending(try await Self.task(c, "R-000001", "accepted"), to: c, as: "li@ZRYY")
        #expect(accepted.stdout.contains("R-000001") && accepted.stdout.contains("accepted"), "\(accepted.stdout)")
        // Arriving before the appointment is booked is refused as `referral arrive` refuses it.
        let early = try await Self.sending(try await Self.task(c, "R-000001", "in-progress"), to: c, as: "li@ZRYY", expect: 1)
        let direct = try await c.run(["referral", "arrive", "R-000001"], as: "li@ZRYY", expect: 1)
        #expect(early.stderr == direct.stderr && !early.stderr.isEmpty)
        try await c.run(["referral", "schedule", "R-000001", "--date", date], as: "li@ZRYY")
        _ = try await Self.sending(try await Self.task(c, "R-000001", "in-progress"), to: c, as: "li@ZRYY")
        #expect(try await status("R-000001") == "in_treatment")
        // Completed without an outcome: the action's problem, told at the Task's output.
        let bare = try await Self.sending(
            try await Self.task(c, "R-000001", "completed") { $0["output"] = nil }, to: c, as: "li@ZRYY", expect: 65)
        #expect(bare.stderr.contains("Task.output[0].valueString: is required"), "\(bare.stderr)")
        let outcome: JSONValue = [
            ["type": ["text": "outcome"], "valueString": "射频治疗后缓解"], ["type": ["text": "recommendation"], "valueCode": "down_refer"],
        ]
        _ = try await Self.sending(try await Self.task(c, "R-000001", "completed") { $0["output"] = outcome }, to: c, as: "li@ZRYY")
        let completed = try await c.json(["referral", "show", "R-000001"], as: "li@ZRYY")
        #expect(completed["status"] == "completed" && completed["outcome"]?["summary"] == "射频治疗后缓解")

        // Rejected with a reason's code; its export then says why.
        let rejection = try await Self.task(c, "R-000002", "rejected") {
            $0["statusReason"] = ["coding": [["system": "urn:yilian:reject-reason", "code": "capacity_full"]], "text": "床位已满"]
        }
        _ = try await Self.sending(rejection, to: c, as: "li@ZRYY")
        #expect(try await status("R-000002") == "rejected")
        let ended = try await Self.task(c, "R-000002", "rejected")
        #expect(ended["statusReason"]?["coding"]?.arrayValue?.first?["code"] == "capacity_full" && ended["statusReason"]?["text"] == "床位已满")
        // `other` needs its text, at the Task's statusReason.
        let unsaid = try await Self.sending(try await Self.task(c, "R-000003", "rejected"), to: c, as: "li@ZRYY", expect: 65)
        #expect(unsaid.stderr.contains("Task.statusReason.text: must say why when reasonCode is other"), "\(unsaid.stderr)")
        // Only the sender cancels: the receiver is refused as `referral cancel` refuses it.
        let cancel = try await Self.task(c, "R-000003", "cancelled") { $0["statusReason"] = ["text": "患者改变主意"] }
        let refused = try await Self.sending(cancel, to: c, as: "li@ZRYY", expect: 77)
        let refusedDirectly = try await c.run(["referral", "cancel", "R-000003", "--reason", "患者改变主意"], as: "li@ZRYY", expect: 77)
        #expect(refused.stderr == refusedDirectly.stderr)
        _ = try await Self.sending(cancel, to: c, as: "wang@MYQYY")
        #expect(try await status("R-000003") == "cancelled")
        // Booked, then cancelled by a Task: the export's Appointment is cancelled, on the date booked.
        try await c.run(
            CoordinatorDayTests.filing(from: "JGYY", to: "ZRYY", CoordinatorDayTests.zhang, ["--diagnosis", "M54.5:腰痛"]), as: "wang@JGYY")
        _ = try await Self.sending(try await Self.task(c, "R-000004", "accepted"), to: c, as: "li@ZRYY")
        try await c.run(["referral", "schedule", "R-000004", "--date", date], as: "li@ZRYY")
        _ = try await Self.sending(
            try await Self.task(c, "R-000004", "cancelled") { $0["statusReason"] = ["text": "患者已在本院就诊"] }, to: c, as: "wang@JGYY")
        let exported = try JSONValue(parsing: Array(try await c.run(["fhir", "export", "R-000004"], as: "li@ZRYY").stdout.utf8))
        let appointment = exported["entry"]?.arrayValue?.compactMap { $0["resource"] }.first { $0["resourceType"] == "Appointment" }
        #expect(appointment?["status"] == "cancelled" && appointment?["start"] != nil, "\(String(describing: appointment))")
        // A status no action answers.
        let held = try await Self.sending(try await Self.task(c, "R-000001", "on-hold"), to: c, as: "li@ZRYY", expect: 65)
        #expect(held.stderr.contains("Task.status: must be one of accepted, rejected, in-progress, completed, cancelled"))

        // A consultation: accepted, an expert's opinion, completed with the conclusion.
        try await c.run(
            [
                "consultation", "request", "--alliance", "PAIN-BJ", "--from", "MYQYY", "--to", "ZRYY", "--mode", "advice", "--priority",
                "urgent", "--question", "是否需要介入治疗？", "--diagnosis", "M54.5:腰痛", "--consent",
            ] + CoordinatorDayTests.zhang, as: "wang@MYQYY")
        _ = try await Self.sending(try await Self.task(c, "C-000001", "accepted"), to: c, as: "li@ZRYY")
        try await c.run(["consultation", "opine", "C-000001", "--summary", "建议射频治疗", "--recommendation", "refer_up"], as: "wdoc@ZRYY")
        let concluded = try await Self.task(c, "C-000001", "completed") {
            $0["output"] = [["type": ["text": "conclusion"], "valueString": "建议上转行射频治疗"]]
        }
        _ = try await Self.sending(concluded, to: c, as: "li@ZRYY")
        let consultation = try await c.json(["consultation", "show", "C-000001"], as: "li@ZRYY")
        #expect(consultation["status"] == "answered" && consultation["conclusion"] == "建议上转行射频治疗")
    }
}
