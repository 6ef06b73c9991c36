import Foundation
import Testing
import YilianCore
import YilianJSON
import YilianPostgres
import YilianTestSupport

/// SPEC §13: whether the alliance recognises an attachment is decided by the database, when the
/// referral is filed (on that day) and when its slot date changes (on the slot date), against the
/// catalogue of that moment, with the reason; never taken from the sender.
@Suite struct RecognitionTests {
    static let core: JSONValue = ReliabilityFixture.core
    static let members: Set<String> = ["ZRYY", "MYQYY", "JGYY"]

    /// The catalogue: a lumbar MRI recognised from every active member for `mriDays`, a blood
    /// count from ZRYY only for 7 days.
    static func catalogue(mriDays: Int) -> JSONValue {
        [
            "items": [
                ["code": "MRI-L", "name": "腰椎 MRI", "kind": "imaging", "validDays": .integer(mriDays)],
                ["code": "CBC", "name": "血常规", "kind": "lab", "validDays": 7, "qualified": ["ZRYY"]],
            ]
        ]
    }

    /// The day `days` before today in the alliance's time zone (Asia/Shanghai; negative: after).
    static func day(_ days: Int) -> String {
        let now = Date()
        let offset = TimeZone(identifier: "Asia/Shanghai")!.secondsFromGMT(for: now)
        let today = Int(((now.timeIntervalSince1970 + Double(offset)) / 86_400).rounded(.down))
        return CalendarDate(daysSinceEpoch: today - days).description
    }

    /// Each attachment sent, with the reason the rules give it.
    static let cases: [(attachment: JSONValue, reason: RecognitionReason)] = [
        (
            [
                "kind": "imaging", "title": "MRI", "reference": "P1", "item": "MRI-L", "performedAt": .string(day(10)),
                "performedBy": "MYQYY",
            ], .recognized
        ),
        (
            [
                "kind": "imaging", "title": "MRI", "reference": "P2", "item": "MRI-L", "performedAt": .string(day(40)),
                "performedBy": "MYQYY",
            ], .expired
        ),
        (
            ["kind": "lab", "title": "血常规", "reference": "L1", "item": "CBC", "performedAt": .string(day(1)), "performedBy": "MYQYY"],
            .notQualified
        ),
        (
            ["kind": "lab", "title": "血常规", "reference": "L2", "item": "CBC", "performedAt": .string(day(1)), "performedBy": "ZRYY"],
            .recognized
        ),
        (
            ["kind": "imaging", "title": "MRI", "reference": "P3", "item": "MRI-L", "performedAt": .string(day(3)), "performedBy": "SYMY"],
            .notQualified
        ),
        (
            [
                "kind": "imaging", "title": "CT", "reference": "P4", "item": "CT-HEAD", "performedAt": .string(day(3)),
                "performedBy": "MYQYY",
            ], .notInCatalogue
        ),
        (
            ["kind": "lab", "title": "MRI?", "reference": "P5", "item": "MRI-L", "performedAt": .string(day(3)), "performedBy": "MYQYY"],
            .notInCatalogue
        ),
        (["kind": "imaging", "title": "MRI", "reference": "P6", "item": "MRI-L"], .notPerformed),
        (["kind": "lab", "title": "尿常规", "reference": "L3"], .noItem),
        (["kind": "document", "title": "出院小结", "reference": "D1"], .noItem),
    ]

    static func decisions(_ referral: JSONValue?) -> [Recognition?] {
        (referral?["attachments"]?.arrayValue ?? []).map { try? Attachment(json: $0).recognition }
    }

    @Test func eachRuleDecidesWithItsReasonAndALaterCatalogueOnlyLaterDecisions() async throws {
        let url = try await TestPostgres.freshDatabase()
        try ReliabilityFixture.seed(url, slots: [(date: Self.day(-3), capacity: 5)])
        let session = try ServeSession(environment: ["YILIAN_DATABASE_URL": url])
        defer { _ = try? session.finish() }
        let first = try session.call(
            "recognition.set", ["alliance": "PAIN-BJ", "catalogue": Self.catalogue(mriDays: 30), "actor": Self.core])
        #expect(first?["result"]?["version"] == 1, "\(String(describing: first))")
        let filing = ReliabilityTests.with(ReliabilityFixture.filing(from: "MYQYY"), ["attachments": .array(Self.cases.map(\.attachment))])
        let filed = try session.call("referral.file", filing)?["result"]
        let decided = Self.decisions(filed)
        #expect(decided.map { $0?.reason } == Self.cases.map(\.reason))
        #expect(decided.allSatisfy { $0?.on.description == Self.day(0) && $0?.catalogueVersion == 1 })
        #expect(decided[0]?.validUntil?.description == Self.day(10 - 30))
        // The pure rules (RecognitionCatalogue.decide) say what the database decided.
        let (catalogue, problems) = RecognitionCatalogue.read(Self.catalogue(mriDays: 30))
        #expect(problems.isEmpty)
        for (index, sent) in Self.cases.enumerated() {
            let attachment = try Attachment(json: sent.attachment)
            #expect(catalogue?.decide(attachment, on: CalendarDate(Self.day(0))!, version: 1, active: Self.members) == decided[index])
        }

        // A stricter catalogue leaves what was decided as it was recorded...
        #expect(
            try session.call("recognition.set", ["alliance": "PAIN-BJ", "catalogue": Self.catalogue(mriDays: 5), "actor": Self.core])?[
                "result"] != nil)
        let id = try #require(filed?["id"]?.stringValue)
        let read = try session.call("referral.get", ["id": .string(id), "actor": Self.core])?["result"]
        #expect(Self.decisions(read) == decided)
        // ...until the slot date is set: then decided again, on that date, against the new one.
        #expect(try session.call("referral.accept", ["id": .string(id), "actor": Self.core])?["result"] != nil)
        let scheduled = try session.call("referral.schedule", ["id": .string(id), "date": .string(Self.day(-3)), "actor": Self.core])?[
            "result"]
        let again = Self.decisions(scheduled)
        #expect(again[0]?.reason == .expired && again[0]?.on.description == Self.day(-3) && again[0]?.catalogueVersion == 2)
        #expect(again[3]?.reason == .recognized)
        // The report counts the results as last decided: in all, by sending member and by item.
        let report = try session.call(
            "report.indicators", ["alliance": "PAIN-BJ", "from": .string(Self.day(1)), "to": .string(Self.day(-1)), "actor": Self.core])?[
                "result"]
        let results = Self.cases.enumerated().filter { $0.element.attachment["kind"] != "document" }
        let recognized = results.filter { again[$0.offset]?.recognized == true }.count
        #expect(report?["recognition"]?["results"] == .integer(results.count))
        #expect(report?["recognition"]?["recognized"] == .integer(recognized))
        let myqyy = report?["members"]?.arrayValue?.first { $0["hospital"] == "MYQYY" }
        #expect(myqyy?["recognition"]?["results"] == .integer(results.count))
        let mri = report?["recognitionItems"]?.arrayValue?.first { $0["item"] == "MRI-L" }
        #expect(mri?["recognition"]?["results"] == .integer(results.filter { $0.element.attachment["item"] == "MRI-L" }.count))
        #expect(mri?["name"] == "腰椎 MRI")
        // The same in the report's text and CSV.
        let period = ["report", "--alliance", "PAIN-BJ", "--from", Self.day(1), "--to", Self.day(-1), "--as", "li@ZRYY"]
        let text = try await YilianBinary.run(period + ["--lang", "zh"], environment: ["YILIAN_DATABASE_URL": url])
        #expect(text.stdout.contains("检查检验结果互认：转诊携带检查检验结果 \(results.count) 项，联盟互认 \(recognized) 项"), "\(text.stdout)")
        let mriResults = results.filter { $0.element.attachment["item"] == "MRI-L" }
        let mriShare = String(mriResults.filter { again[$0.offset]?.recognized == true }.count * 100 / mriResults.count)
        #expect(text.stdout.split(separator: "\n").contains { $0.hasPrefix("MRI-L  ") && $0.hasSuffix(" \(mriShare)%") }, "\(text.stdout)")
        let csv = try await YilianBinary.run(period + ["--format", "csv"], environment: ["YILIAN_DATABASE_URL": url])
        #expect(csv.stdout.contains("\r\nItem,Name,Results,Recognised,Share recognised\r\nCBC,血常规,"), "\(csv.stdout)")
        #expect(
            try session.call("recognition.list", ["alliance": "PAIN-BJ", "version": 1, "actor": Self.core])?["result"]?["catalogue"]
                == Self.catalogue(mriDays: 30))
    }

    /// What a sender claims is replaced by what the database decides, even through psql.
    @Test func aRecognitionClaimedThroughPsqlIsDecidedAnew() async throws {
        let url = try await TestPostgres.freshDatabase()
        try ReliabilityFixture.seed(url, slots: [])
        let claimed =
            #"'[{"kind": "imaging", "title": "t", "reference": "r", "item": "MRI-L", "performedAt": "2020-01-01", "performedBy": "MYQYY", "recognition": {"recognized": true, "reason": "recognized", "on": "2020-01-01", "catalogueVersion": 9}, "recognized": true}]'"#
        let sql = WallTests.filing(from: "MYQYY", to: "ZRYY").replacingOccurrences(of: "NULL, '[]', NULL,", with: "NULL, \(claimed), NULL,")
        let outcome = try Psql.run(Psql.url(url, as: "wang@MYQYY"), sql)
        #expect(outcome.succeeded, "\(outcome.error)")
        let stored = try await PGQuery.value(url, "SELECT attachments::text FROM referrals WHERE id = 'R-000001'")
        let attachment = try Attachment(json: try JSONValue(parsing: Array((stored ?? "").utf8)).arrayValue?.first ?? .null)
        #expect(attachment.recognition?.reason == .notInCatalogue && attachment.recognition?.catalogueVersion == 0)
        #expect(stored?.contains(#""recognized": true"#) == false)
    }

    /// A consultation keeps no decision: a forged one sent through psql is dropped. A result dated
    /// outside the years Yilian reads is refused, so no stored decision can break a reader.
    @Test func aConsultationKeepsNoDecisionAndNoResultIsDatedOutOfRange() async throws {
        let url = try await TestPostgres.freshDatabase()
        try ReliabilityFixture.seed(url, slots: [])
        let claimed = #"'[{"kind": "imaging", "title": "t", "reference": "r", "item": "NOPE", "recognition": {"recognized": true}}]'"#
        let consulting = """
            SELECT yilian_api.request_consultation('PAIN-BJ', 'MYQYY', 'ZRYY', 'advice', 'routine',
                '{"name": "李四", "sex": "male", "birthDate": "1970-01-01"}', true, '[{"code": "M79.2", "name": "x"}]', 'q', \(claimed),
                NULL, t + interval '72 hours', t, 'wang@MYQYY', NULL) FROM (SELECT now() t) x
            """
        let asked = try Psql.run(Psql.url(url, as: "wang@MYQYY"), consulting)
        #expect(asked.succeeded, "\(asked.error)")
        let kept = try await PGQuery.value(
            url, "SELECT (attachments -> 0 ? 'recognition')::text || (attachments -> 0 ->> 'item') FROM consultations")
        #expect(kept == "falseNOPE")
        for day in ["1850-01-01", "9999-12-31"] {
            let dated =
                #"'[{"kind": "imaging", "title": "t", "reference": "r", "item": "MRI-L", "performedAt": "\#(day)", "performedBy": "MYQYY"}]'"#
            let sql = WallTests.filing(from: "MYQYY", to: "ZRYY").replacingOccurrences(
                of: "NULL, '[]', NULL,", with: "NULL, \(dated), NULL,")
            let outcome = try Psql.run(Psql.url(url, as: "wang@MYQYY"), sql)
            #expect(!outcome.succeeded && outcome.error.contains("are not as Yilian reads them"), "\(day): \(outcome.error)")
        }
    }

    /// An appointment is not set before today: a result would be judged on a day already past (a
    /// down-referral books no slot, and took any date, through Yilian as through psql).
    @Test func anAppointmentInThePastIsRefusedAndItsResultsAreNotJudgedOnIt() async throws {
        let url = try await TestPostgres.freshDatabase()
        try ReliabilityFixture.seed(url, slots: [(date: Self.day(-3), capacity: 5)])
        let session = try ServeSession(environment: ["YILIAN_DATABASE_URL": url])
        defer { _ = try? session.finish() }
        // Down to MYQYY, which books no slot for it.
        let down = ReliabilityTests.with(ReliabilityFixture.filing(from: "ZRYY"), ["to": "MYQYY", "actor": Self.core])
        let filed = try session.call("referral.file", down)
        #expect(filed?["result"]?["id"] == "R-000001", "\(String(describing: filed))")
        let myqyy = ReliabilityFixture.coordinator("MYQYY")
        #expect(try session.call("referral.accept", ["id": "R-000001", "actor": myqyy])?["result"] != nil)
        let past = try session.call("referral.schedule", ["id": "R-000001", "date": .string(Self.day(20)), "actor": myqyy])
        #expect(past?["error"]?["data"]?["rule"] == "past_appointment", "\(String(describing: past))")
        #expect(
            past?["error"]?["message"]?.stringValue
                == "\(Self.day(20)) is before today, so R-000001 cannot be booked on it; give today or a later date.")
        let psql = try Psql.run(
            Psql.url(url, as: "wang@MYQYY"),
            WallTests.acting("schedule", actor: "wang@MYQYY", carrying: ["slot_date": "'\(Self.day(20))'", "slot_expert": "false"]))
        #expect(psql.output == "an appointment of R-000001 is not set before today", "\(psql.error)")
        #expect(try session.call("referral.schedule", ["id": "R-000001", "date": .string(Self.day(-3)), "actor": myqyy])?["result"] != nil)
    }

    /// A catalogue with mistakes hears of all of them, at their places, and nothing is published.
    @Test func aCatalogueWithMistakesIsRefusedWhole() async throws {
        let url = try await TestPostgres.freshDatabase()
        try ReliabilityFixture.seed(url, slots: [])
        let session = try ServeSession(environment: ["YILIAN_DATABASE_URL": url])
        defer { _ = try? session.finish() }
        let bad: JSONValue = [
            "items": [
                ["code": "MRI-L", "name": "腰椎 MRI", "kind": "imaging", "validDays": 0],
                ["code": "MRI-L", "name": "", "kind": "document", "validDays": 30, "qualified": ["zryy"]],
            ]
        ]
        let refused = try session.call("recognition.set", ["alliance": "PAIN-BJ", "catalogue": bad, "actor": Self.core])
        let paths = refused?["error"]?["data"]?["problems"]?.arrayValue?.compactMap { $0["path"]?.stringValue }
        #expect(
            paths == [
                "catalogue.items[0].validDays", "catalogue.items[1].code", "catalogue.items[1].name", "catalogue.items[1].kind",
                "catalogue.items[1].qualified",
            ], "\(String(describing: refused))")
        #expect(
            try session.call("recognition.list", ["alliance": "PAIN-BJ", "actor": Self.core])?["error"]?["data"]?["code"] == "not_found")
        // On the command line, each at its place in the file.
        let file = FileManager.default.temporaryDirectory.appending(path: "catalogue-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: file) }
        try Data(bad.serialized).write(to: file)
        let cli = try await YilianBinary.run(
            ["recognition", "set", file.path, "--alliance", "PAIN-BJ", "--as", "li@ZRYY"], environment: ["YILIAN_DATABASE_URL": url])
        #expect(cli.exitCode == 65)
        #expect(
            cli.stderr.contains(
                "items[0].validDays: must be a whole number of days from 1 to 3650; items[1].code: MRI-L is in the catalogue twice"),
            "\(cli.stderr)")
    }
}
