import Foundation
import Testing
import YilianJSON
import YilianTestSupport

/// SPEC §3: text output never passes control characters from stored data to the terminal, and
/// CSV output never hands a spreadsheet a formula.
@Suite struct TerminalSafetyTests {
    /// Screen clear, a window title (OSC), an OSC 8 link, hidden text, a C1 CSI, a bell and a
    /// right-to-left override.
    static let hostile = "\u{1B}[2J\u{1B}]0;pwned\u{7}\u{1B}]8;;http://evil\u{1B}\\点我\u{1B}]8;;\u{1B}\\\u{1B}[8m隐藏\u{9B}31m\u{202E}反向"

    /// A character a terminal obeys (line feeds and tabs aside).
    static func isObeyed(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x0A, 0x09: return false
        case 0x00...0x1F, 0x7F...0x9F, 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: return true
        default: return false
        }
    }

    static func obeyed(_ text: String) -> [String] {
        text.unicodeScalars.filter(isObeyed).map { String(format: "U+%04X", $0.value) }
    }

    /// `text` as the text layouts show it: each obeyed character as `\u001B`.
    static func shown(_ text: String) -> String {
        text.unicodeScalars.map { isObeyed($0) ? String(format: "\\u%04X", $0.value) : String($0) }.joined()
    }

    @Test func noTextCommandPassesAStoredControlCharacter() async throws {
        let url = try await TestPostgres.freshDatabase()
        try ReliabilityFixture.seed(url, slots: [(date: "2030-12-01", capacity: 2)])
        let session = try ServeSession(environment: ["YILIAN_DATABASE_URL": url])
        var filing = ReliabilityFixture.filing(from: "MYQYY", reason: "疼痛" + Self.hostile, patientName: "张三" + Self.hostile)
        if case .object(var members) = filing {
            members["diagnosis"] = [["code": "M79.2", "name": .string("神经痛" + Self.hostile)]]
            members["summary"] = .string(Self.hostile)
            filing = .object(members)
        }
        #expect(try session.call("referral.file", filing)?["result"]?["id"] == "R-000001")
        let hospital: JSONValue = [
            "code": "EVIL", "name": .string("医院" + Self.hostile), "level": 2, "district": .string(Self.hostile),
            "actor": ReliabilityFixture.admin,
        ]
        #expect(try session.call("hospital.register", hospital)?["result"] != nil)
        #expect(
            try session.call("referral.accept", ["id": "R-000001", "note": .string(Self.hostile), "actor": ReliabilityFixture.core])?[
                "result"] != nil)
        let alliance: JSONValue = [
            "code": "EVIL-A", "name": .string("联盟" + Self.hostile), "specialty": "pediatrics", "core": "ZRYY",
            "actor": ReliabilityFixture.admin,
        ]
        #expect(try session.call("alliance.create", alliance)?["result"] != nil)
        let criteria: JSONValue = [
            "passScore": 0,
            "criteria": [
                [
                    "id": "district", "title": .string("区" + Self.hostile), "required": true,
                    "rule": ["fact": "district", "op": "eq", "value": "朝阳"],
                ]
            ],
        ]
        #expect(
            try session.call("criteria.set", ["alliance": "PAIN-BJ", "criteria": criteria, "actor": ReliabilityFixture.core])?["result"]
                != nil)
        let application: JSONValue = [
            "alliance": "PAIN-BJ", "hospital": "EVIL", "role": "cooperating",
            "facts": ["district": .string(Self.hostile)], "actor": ReliabilityFixture.coordinator("EVIL"),
        ]
        #expect(
            try session.call("user.add", ["user": "wang", "hospital": "EVIL", "duty": "coordinator", "actor": ReliabilityFixture.admin])?[
                "result"] != nil)
        let applied = try session.call("membership.apply", application)
        #expect(applied?["result"]?["id"] == "A-000003", "\(String(describing: applied))")
        let decision: JSONValue = [
            "id": "A-000003", "decision": "approve", "reason": .string(Self.hostile), "override": .string(Self.hostile),
            "actor": ReliabilityFixture.core,
        ]
        #expect(try session.call("membership.decide", decision)?["result"] != nil)
        // A consultation with escapes in its question, an opinion and its conclusion.
        guard case .object(var asked) = ReliabilityFixture.consulting(from: "MYQYY") else { return }
        asked["question"] = .string("问题" + Self.hostile)
        #expect(try session.call("consultation.request", .object(asked))?["result"]?["id"] == "C-000001")
        for (method, params) in [
            ("consultation.accept", [:]),
            ("consultation.opine", ["summary": JSONValue.string(Self.hostile), "recommendation": "refer_up"]),
            ("consultation.conclude", ["conclusion": .string(Self.hostile)]),
        ] as [(String, JSONObject)] {
            var members = params
            members["id"] = "C-000001"
            members["actor"] = ReliabilityFixture.core
            #expect(try session.call(method, .object(members))?["result"] != nil, "\(method)")
        }
        _ = try session.finish()

        let environment = ["YILIAN_DATABASE_URL": url]
        for (arguments, actor) in [
            (["referral", "show", "R-000001"], "wang@MYQYY"), (["referral", "list"], "wang@MYQYY"),
            (["referral", "history", "R-000001"], "li@ZRYY"), (["worklist", "--hospital", "ZRYY"], "li@ZRYY"),
            (["hospital", "list"], "wang@MYQYY"), (["hospital", "show", "EVIL"], "wang@MYQYY"),
            (["referral", "reject", "R-000001", "--reason-code", "other", "--reason", Self.hostile], "li@ZRYY"),
            (["hospital", "show", "EVIL" + Self.hostile], "wang@MYQYY"),
            (["alliance", "show", "EVIL-A"], "wang@MYQYY"), (["alliance", "list"], "wang@MYQYY"),
            (["criteria", "show", "--alliance", "PAIN-BJ"], "wang@MYQYY"),
            (["membership", "show", "A-000003"], "li@ZRYY"), (["membership", "list", "--alliance", "PAIN-BJ"], "li@ZRYY"),
            (["membership", "review", "--alliance", "PAIN-BJ"], "li@ZRYY"),
            (["slots", "list"], "wang@MYQYY"), (["user", "list"], "ops@admin"), (["audit", "list"], "ops@admin"),
            (["report", "--alliance", "PAIN-BJ", "--from", "2020-01-01", "--to", "2030-12-31"], "li@ZRYY"),
            (["report", "--alliance", "PAIN-BJ", "--from", "2020-01-01", "--to", "2030-12-31", "--by", "month"], "li@ZRYY"),
            (["consultation", "show", "C-000001"], "wang@MYQYY"), (["consultation", "history", "C-000001"], "li@ZRYY"),
            (["consultation", "list"], "li@ZRYY"),
        ] {
            let outcome = try await YilianBinary.run(arguments + ["--as", actor], environment: environment)
            let output = outcome.stdout + outcome.stderr
            #expect(Self.obeyed(output) == [], "\(arguments.joined(separator: " ")): \(output.prefix(400))")
            #expect(
                outcome.exitCode == 0 || arguments[1] == "reject" || arguments.last!.hasSuffix(Self.hostile),
                "\(arguments.joined(separator: " ")): \(outcome.stderr)")
            if !["worklist", "slots", "user", "audit"].contains(arguments[0]) && !["reject", "list"].contains(arguments[1]) {
                #expect(
                    output.contains("\\u001B[2J"),
                    "\(arguments.joined(separator: " ")) does not show the stored text: \(output.prefix(400))")
            }
        }
    }

    @Test func csvNeutralisesFormulasStartsWithABOMAndWritesNumbers() async throws {
        let url = try await TestPostgres.freshDatabase()
        try ReliabilityFixture.seed(url, slots: [])
        let session = try ServeSession(environment: ["YILIAN_DATABASE_URL": url])
        #expect(try session.call("referral.file", ReliabilityFixture.filing(from: "MYQYY"))?["result"] != nil)
        _ = try session.finish()
        _ = try await PGQuery.value(url, "UPDATE hospitals SET name = '=cmd|'' /C calc''!A0' WHERE code = 'MYQYY'")
        _ = try await PGQuery.value(url, "UPDATE hospitals SET name = '@SUM(1+1)' WHERE code = 'JGYY'")
        let outcome = try await YilianBinary.run(
            ["report", "--alliance", "PAIN-BJ", "--from", "2020-01-01", "--to", "2030-12-31", "--format", "csv", "--as", "li@ZRYY"],
            environment: ["YILIAN_DATABASE_URL": url])
        #expect(outcome.exitCode == 0, "\(outcome.stderr)")
        let lines = outcome.stdout.components(separatedBy: "\r\n")
        #expect(lines.first?.hasPrefix("\u{FEFF}Group,Name,Up outpatient filed,Up inpatient filed,Up outpatient transferred,") == true)
        #expect(lines.first?.contains("Accepted (%)") == true)
        #expect(lines.contains { $0.hasPrefix("MYQYY,'=cmd|' /C calc'!A0,1,0,0,0,0,") }, "\(lines)")
        #expect(lines.contains { $0.hasPrefix("JGYY,'@SUM(1+1),0,0,0,0,") }, "\(lines)")
        #expect(!outcome.stdout.contains("%,") && !outcome.stdout.contains(",-"))
    }

    /// A hospital's name is its registrar's text: a CSV report on a terminal shows its controls
    /// as the tables do; to a file (here a pipe) the CSV is the spreadsheet's, the name as stored.
    @Test func csvOnATerminalShowsControlsAndInAFileKeepsTheText() async throws {
        let url = try await TestPostgres.freshDatabase()
        try ReliabilityFixture.seed(url, slots: [])
        let session = try ServeSession(environment: ["YILIAN_DATABASE_URL": url])
        let name = "医院" + Self.hostile
        let calls: [(String, JSONValue)] = [
            ("hospital.register", ["code": "EVIL", "name": .string(name), "level": 2, "actor": ReliabilityFixture.admin]),
            ("user.add", ["user": "wang", "hospital": "EVIL", "duty": "coordinator", "actor": ReliabilityFixture.admin]),
            (
                "membership.apply",
                [
                    "alliance": "PAIN-BJ", "hospital": "EVIL", "role": "cooperating", "facts": [:],
                    "actor": ReliabilityFixture.coordinator("EVIL"),
                ]
            ),
            ("membership.decide", ["id": "A-000003", "decision": "approve", "reason": "ok", "actor": ReliabilityFixture.core]),
        ]
        for (method, params) in calls {
            let response = try session.call(method, params)
            #expect(response?["result"] != nil, "\(method): \(String(describing: response))")
        }
        _ = try session.finish()
        let arguments = [
            "report", "--alliance", "PAIN-BJ", "--from", "2020-01-01", "--to", "2030-12-31", "--format", "csv", "--as", "li@ZRYY",
        ]
        let file = try await YilianBinary.run(arguments, environment: ["YILIAN_DATABASE_URL": url])
        let terminal = try await YilianBinary.run(arguments, environment: ["YILIAN_DATABASE_URL": url], onTerminal: true)
        #expect(file.exitCode == 0 && terminal.exitCode == 0, "\(file.stderr) \(terminal.stderr)")
        #expect(file.stdout.contains("\r\nEVIL," + name + ",0,0,0,0,0,0,0,0,"), "\(file.stdout)")
        // CSV's own line ends aside.
        #expect(Self.obeyed(terminal.stdout.replacingOccurrences(of: "\r\n", with: "\n")) == [], "\(terminal.stdout)")
        // Byte for byte the file's CSV but for the name.
        #expect(
            Array(terminal.stdout.utf8) == Array(file.stdout.replacingOccurrences(of: name, with: Self.shown(name)).utf8),
            "\(terminal.stdout)")
        // JSON escapes them all, and reads back as stored.
        let json = try await YilianBinary.run(
            arguments.map { $0 == "csv" ? "json" : $0 }, environment: ["YILIAN_DATABASE_URL": url], onTerminal: true)
        #expect(Self.obeyed(json.stdout) == [], "\(json.stdout)")
        let members = try JSONValue(parsing: Array(json.stdout.utf8))["members"]?.arrayValue ?? []
        #expect(members.contains { $0["name"]?.stringValue == name }, "\(json.stdout)")
    }
}
