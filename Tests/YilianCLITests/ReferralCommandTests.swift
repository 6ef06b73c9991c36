import Foundation
import Testing
import YilianCore
import YilianJSON
import YilianTestSupport

/// A whole episode through the `yilian` binary, as coordinators would type it.
@Suite struct ReferralCommandTests {
    static let residentID = "11010519800101018X"

    /// Every stdout and stderr of the test, to search for the resident ID.
    final class Transcript: @unchecked Sendable {
        var text = ""
    }

    struct Coordinator {
        let url: String
        let transcript: Transcript

        @discardableResult
        func run(_ arguments: [String], as actor: String, expect code: Int32 = 0, sourceLocation: SourceLocation = #_sourceLocation)
            async throws -> YilianBinary.Outcome
        {
            let outcome = try await YilianBinary.run(
                arguments + ["--log-level", "trace"], environment: ["YILIAN_DATABASE_URL": url, "YILIAN_ACTOR": actor])
            transcript.text += outcome.stdout + outcome.stderr
            #expect(outcome.exitCode == code, "\(arguments): \(outcome.stderr)", sourceLocation: sourceLocation)
            return outcome
        }

        func json(_ arguments: [String], as actor: String, sourceLocation: SourceLocation = #_sourceLocation) async throws -> JSONValue {
            let outcome = try await run(arguments + ["--json"], as: actor, sourceLocation: sourceLocation)
            return try JSONDecoder().decode(JSONValue.self, from: Data(outcome.stdout.utf8))
        }
    }

    @Test func aFullEpisodeUpAndBackDown() async throws {
        let transcript = Transcript()
        let c = Coordinator(url: try await TestPostgres.freshDatabase(), transcript: transcript)
        for (code, name, level) in [("ZRYY", "中日友好医院", "3"), ("MYQYY", "密云区医院", "2"), ("JGYY", "健宫医院", "2")] {
            try await c.run(
                ["hospital", "register", "--code", code, "--name", name, "--level", level, "--departments", "pain"], as: "ops@admin")
        }
        try await c.run(
            ["alliance", "create", "--code", "PAIN-BJ", "--name", "北京地区疼痛专科医联体", "--specialty", "pain", "--core", "ZRYY"], as: "ops@admin")
        let criteria = FileManager.default.temporaryDirectory.appending(path: "c-\(UUID().uuidString).json")
        try
            #"{"passScore":0,"criteria":[{"id":"dept","title":"设有疼痛科","required":true,"rule":{"fact":"departments","op":"contains","value":"pain"}}]}"#
            .write(to: criteria, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: criteria) }
        try await c.run(["criteria", "set", criteria.path, "--alliance", "PAIN-BJ"], as: "li@ZRYY")
        for (index, hospital) in ["MYQYY", "JGYY"].enumerated() {
            try await c.run(
                ["membership", "apply", "--alliance", "PAIN-BJ", "--hospital", hospital, "--role", "cooperating"], as: "wang@\(hospital)")
            try await c.run(["membership", "decide", "A-00000\(index + 1)", "--decision", "approve", "--reason", "符合"], as: "li@ZRYY")
        }

        let filed = try await c.json(
            [
                "referral", "file", "--alliance", "PAIN-BJ", "--from", "MYQYY", "--to", "ZRYY", "--setting", "outpatient", "--priority",
                "routine",
                "--patient-name", "张三", "--patient-sex", "male", "--patient-birth-date", "1980-01-01", "--patient-id-number",
                Self.residentID,
                "--consent", "--diagnosis", "M79.2:神经痛", "--reason", "疼痛控制不佳",
            ], as: "wang@MYQYY")
        let id = filed["id"]?.stringValue ?? ""
        #expect(id == "R-000001")
        #expect(filed["direction"] == "up")
        #expect(filed["patient"]?["idNumber"] == "**************018X")

        // A repeat with the same key changes nothing and says what the first call did, read back
        // from the first result's JSON.
        let accept = ["referral", "accept", id, "--expected-version", "1", "--idempotency-key", "accept-1"]
        let accepted = try await c.run(accept, as: "li@ZRYY")
        let repeated = try await c.run(accept, as: "li@ZRYY")
        #expect(accepted.stdout.contains("R-000001 up MYQYY → ZRYY, routine outpatient, accepted"))
        #expect(repeated.stdout == accepted.stdout)
        // A stale version: 75.
        try await c.run(["referral", "cancel", id, "--reason", "x", "--expected-version", "1"], as: "wang@MYQYY", expect: 75)
        // Not this hospital's referral: it does not exist for JGYY, 66.
        try await c.run(["referral", "acknowledge", id], as: "wang@JGYY", expect: 66)
        // Another hospital's user: 77.
        try await c.run(["referral", "acknowledge", id], as: "zhang@BYSY", expect: 77)
        // Refused by the state machine: 1.
        let refused = try await c.run(
            ["referral", "complete", id, "--summary", "x", "--recommendation", "discharge"], as: "li@ZRYY", expect: 1)
        #expect(refused.stderr.hasPrefix("A referral that is accepted cannot be completed; allowed: schedule."))

        try await c.run(
            ["slots", "publish", "--hospital", "ZRYY", "--specialty", "pain", "--from", "2030-12-01", "--capacity", "1"], as: "li@ZRYY")
        try await c.run(["referral", "schedule", id, "--date", "2030-12-01"], as: "li@ZRYY")
        try await c.run(["referral", "arrive", id], as: "li@ZRYY")
        try await c.run(
            [
                "referral", "complete", id, "--summary", "诊断明确，病情稳定", "--recommendation", "down_refer", "--diagnosis", "M79.2:神经痛",
                "--follow-up-days", "30",
            ], as: "li@ZRYY")
        let closed = try await c.json(["referral", "acknowledge", id], as: "wang@MYQYY")
        #expect(closed["status"] == "closed")
        #expect(closed["version"] == 6)

        let down = try await c.json(
            [
                "referral", "file", "--alliance", "PAIN-BJ", "--from", "ZRYY", "--to", "MYQYY", "--setting", "inpatient", "--priority",
                "routine",
                "--patient-name", "张三", "--patient-sex", "male", "--patient-birth-date", "1980-01-01", "--patient-id-number",
                Self.residentID,
                "--consent", "--diagnosis", "M79.2:神经痛", "--reason", "康复治疗", "--parent", id,
            ], as: "li@ZRYY")
        #expect(down["direction"] == "down")
        #expect(down["parent"] == .string(id))
        try await c.run(["referral", "accept", "R-000002"], as: "wang@MYQYY")
        try await c.run(
            [
                "referral", "file", "--alliance", "PAIN-BJ", "--from", "ZRYY", "--to", "MYQYY", "--setting", "outpatient", "--priority",
                "routine",
                "--patient-name", "李四", "--patient-sex", "female", "--patient-birth-date", "1975-05-05", "--consent", "--diagnosis",
                "M54.5:腰痛",
                "--reason", "康复治疗",
            ], as: "li@ZRYY")
        try await c.run(["referral", "accept", "R-000003"], as: "wang@MYQYY")

        // The episode as a coordinator reads it.
        let shown = try await c.run(["referral", "show", id], as: "wang@MYQYY")
        #expect(shown.stdout.contains("R-000001 up MYQYY → ZRYY, routine outpatient, closed"))
        #expect(shown.stdout.contains("continued by  R-000002"))
        #expect(shown.stdout.contains("诊断明确，病情稳定 → down-refer"))
        #expect(shown.stdout.contains("ID **************018X"))
        let downShown = try await c.run(["referral", "show", "R-000002"], as: "wang@MYQYY")
        #expect(
            downShown.stdout.contains(
                """
                Episode
                  R-000001 up MYQYY → ZRYY, routine outpatient, closed
                      outcome: 诊断明确，病情稳定 → down-refer
                ▶ R-000002 down ZRYY → MYQYY, routine inpatient, accepted
                """))
        // Each worklist line names the patient (name, sex, age), whom the coordinator phones.
        let zhang = CoordinatorDayTests.age("1980-01-01")
        let worklist = try await c.run(["worklist", "--hospital", "MYQYY"], as: "wang@MYQYY")
        #expect(worklist.stdout.contains("In treatment (0)"))
        #expect(
            worklist.stdout.contains(
                "To schedule (2)\n  R-000002 down ZRYY → MYQYY, 张三 (male, \(zhang)), routine inpatient, accepted\n  R-000003 "))
        // A section cut at --limit says how many it holds.
        let first = try await c.run(["worklist", "--hospital", "MYQYY", "--limit", "1"], as: "wang@MYQYY")
        #expect(
            first.stdout.contains(
                "To schedule (first 1 of 2)\n  R-000002 down ZRYY → MYQYY, 张三 (male, \(zhang)), routine inpatient, accepted\nExpected (0)\n"
                    + "In treatment (0)"))
        try await c.run(["referral", "list", "--hospital", "ZRYY", "--as-side", "receiver"], as: "li@ZRYY")
        try await c.run(["referral", "history", id], as: "li@ZRYY")
        try await c.run(["slots", "list", "--hospital", "ZRYY"], as: "li@ZRYY")

        // Through JSON-RPC too.
        let rpc = try await YilianBinary.run(
            ["serve", "--log-level", "trace"], environment: ["YILIAN_DATABASE_URL": c.url],
            input: Data(
                (#"{"jsonrpc":"2.0","id":1,"method":"referral.get","params":{"id":"R-000001","actor":{"user":"li","hospital":"ZRYY"}}}"#
                    + "\n"
                    + #"{"jsonrpc":"2.0","id":2,"method":"worklist.get","params":{"hospital":"ZRYY","actor":{"user":"li","hospital":"ZRYY"}}}"#
                    + "\n").utf8))
        transcript.text += rpc.stdout + rpc.stderr
        #expect(rpc.stdout.contains("**************018X"))

        #expect(!transcript.text.isEmpty)
        #expect(!transcript.text.contains(Self.residentID))
        #expect(!transcript.text.contains("19800101018X"))
    }
}
