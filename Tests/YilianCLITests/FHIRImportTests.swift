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
        let changed = FHIRSender.changing(bundle, "ServiceRequest") { $0["note"] = [["text": "另一原因"]] }
        let refused = try await Self.importing(changed, into: b, as: "wang@JGYY", expect: 65)
        #expect(
            refused.stderr.contains(
                "JGYY already sent the ServiceRequest identifier HIS-R-000003 (system urn:oid:1.2.156.1.his) with other content"))
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

    /// A 10 MB Bundle is refused by its size, read no further than 1 MiB, within a second of CPU
    /// and 100 MiB (GNU time's user and system time and maximum resident set of the command: a
    /// wall clock would time the other tests sharing the machine).
    @Test func aTenMegabyteBundleIsRefusedByItsSize() async throws {
        let file = FileManager.default.temporaryDirectory.appending(path: "big-\(UUID().uuidString).json")
        let filler = String(repeating: "医", count: 10 << 20 / 3)
        try Data(#"{"resourceType":"Bundle","type":"transaction","entry":[],"x":"\#(filler)"}"#.utf8).write(to: file)
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
        #expect(text.contains("is 10485") && text.contains("bytes; a file may hold at most 1 MiB"), "\(text)")
        let figures = (text.split(separator: "\n").last ?? "").split(separator: " ").compactMap { Double($0) }
        #expect(figures.count == 3 && figures[0] + figures[1] < 1 && figures[2] < 100 * 1024, "\(text)")
    }
}
