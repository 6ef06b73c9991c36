import Foundation
import Testing
import YilianCore
import YilianJSON
import YilianRepository
import YilianTestSupport

#if canImport(Glibc)
    import Glibc
#endif

/// `yilian serve` as another tool would use it: a pipe in, a pipe out.
@Suite struct ServeTests {
    func lines(_ outcome: YilianBinary.Outcome) throws -> [JSONValue] {
        try outcome.stdoutLines.map { try JSONDecoder().decode(JSONValue.self, from: Data($0.utf8)) }
    }

    @Test func aMixedStreamGetsOneCorrectAnswerPerAnswerableMessageInOrder() async throws {
        let url = try await TestPostgres.freshDatabase()
        var input = Data()
        func add(_ line: String) { input += Data((line + "\n").utf8) }
        add(#"{"jsonrpc":"2.0","id":1,"method":"system.ping"}"#)
        add("this is not json")
        input += Data(repeating: UInt8(ascii: "x"), count: 2 << 20) + Data("\n".utf8)  // a 2 MiB line
        add(#"{"jsonrpc":"2.0","id":2,"method":"specialty.list"}"#)
        input += Data([0xFF, 0xFE, 0x7B, 0x0A])  // invalid UTF-8
        add("")
        add(#"[{"jsonrpc":"2.0","id":3,"method":"system.version"},{"jsonrpc":"2.0","method":"system.ping"}]"#)
        add(#"{"jsonrpc":"2.0","method":"system.ping"}"#)  // notification: no answer
        add(#"{"jsonrpc":"2.0","id":4,"method":"referral.teleport"}"#)
        input += Data(#"{"jsonrpc":"2.0","id":5,"method":"system.ping"}"#.utf8) + Data("\r\n".utf8)
        input += Data(#"{"jsonrpc":"2.0","id":6,"method":"system.ping"}"#.utf8)  // no final newline

        let outcome = try await YilianBinary.run(["serve"], environment: ["YILIAN_DATABASE_URL": url], input: input)
        #expect(outcome.exitCode == 0)
        let responses = try lines(outcome)
        #expect(responses.count == 9)
        guard responses.count == 9 else { return }
        #expect(responses[0] == ["jsonrpc": "2.0", "id": 1, "result": ["pong": true]])
        #expect(responses[1]["error"]?["code"] == -32700)
        #expect(responses[2]["error"]?["code"] == -32600)
        #expect(responses[2]["id"] == .null)
        #expect(responses[3]["id"] == 2)
        #expect(responses[3]["result"]?["items"]?.arrayCount == 14)
        #expect(responses[4]["error"]?["code"] == -32700)
        #expect(
            responses[5] == [
                ["jsonrpc": "2.0", "id": 3, "result": ["version": "0.1.0", "schemaVersion": .integer(Migration.latestVersion)]]
            ])
        #expect(responses[6] == ["jsonrpc": "2.0", "id": 4, "error": ["code": -32601, "message": "Method not found: referral.teleport."]])
        #expect(responses[7] == ["jsonrpc": "2.0", "id": 5, "result": ["pong": true]])
        #expect(responses[8] == ["jsonrpc": "2.0", "id": 6, "result": ["pong": true]])  // the line without a newline
    }

    @Test func theLastLineWithoutANewlineIsAnswered() async throws {
        let outcome = try await YilianBinary.run(
            ["serve"], environment: ["YILIAN_DATABASE_URL": try await TestPostgres.freshDatabase()],
            input: Data(#"{"jsonrpc":"2.0","id":6,"method":"system.ping"}"#.utf8))
        #expect(outcome.exitCode == 0)
        #expect(try lines(outcome) == [["jsonrpc": "2.0", "id": 6, "result": ["pong": true]]])
    }

    @Test func logsStayOffStdout() async throws {
        let outcome = try await YilianBinary.run(
            ["serve", "--log-level", "trace"], environment: ["YILIAN_DATABASE_URL": try await TestPostgres.freshDatabase()],
            input: Data("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"specialty.list\"}\n".utf8))
        #expect(outcome.exitCode == 0)
        #expect(outcome.stdoutLines.count == 1)
    }

    @Test func withConcurrencyEveryRequestIsAnsweredOnce() async throws {
        let url = try await TestPostgres.freshDatabase()
        let input = (1...200).map { #"{"jsonrpc":"2.0","id":\#($0),"method":"specialty.list"}"# }.joined(separator: "\n") + "\n"
        let outcome = try await YilianBinary.run(
            ["serve", "--concurrency", "4"], environment: ["YILIAN_DATABASE_URL": url], input: Data(input.utf8))
        #expect(outcome.exitCode == 0)
        let ids = try lines(outcome).compactMap { response -> Int? in
            guard case .integer(let id)? = response["id"], response["result"]?["items"]?.arrayCount == 14 else { return nil }
            return id
        }
        #expect(ids.sorted() == Array(1...200))
    }

    @Test func sigtermFinishesWhatIsInFlightAndExitsZero() async throws {
        let url = try await TestPostgres.freshDatabase()
        let running = try YilianBinary.start(["serve"], environment: ["YILIAN_DATABASE_URL": url])
        let stdout = running.stdout
        try running.stdin.write(contentsOf: Data("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"system.ping\"}\n".utf8))
        // Wait for the answer, then ask it to stop while stdin is still open.
        var received = Data()
        while !received.contains(UInt8(ascii: "\n")) {
            let chunk = stdout.availableData
            if chunk.isEmpty { break }
            received += chunk
        }
        kill(running.pid, SIGTERM)
        received += stdout.readDataToEndOfFile()
        #expect(running.wait().status == 0)
        #expect(String(decoding: received, as: UTF8.self) == "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"pong\":true}}\n")
    }

    @Test func aSchemaBehindIsRefusedWithExit69() async throws {
        let outcome = try await YilianBinary.run(
            ["serve"], environment: ["YILIAN_DATABASE_URL": try await TestPostgres.emptyDatabase()],
            input: Data("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"specialty.list\"}\n".utf8))
        // serve itself keeps running; the request gets the refusal.
        #expect(outcome.exitCode == 0)
        let response = try lines(outcome).first
        #expect(response?["error"]?["data"]?["code"] == "database_unavailable")
        #expect(
            response?["error"]?["message"]
                == .string(
                    "The database schema is behind this yilian (\(Migration.all.count) migration(s) pending); run `yilian db migrate`."))

        let status = try await YilianBinary.run(
            ["db", "migrate", "--json"], environment: ["YILIAN_DATABASE_URL": try await TestPostgres.emptyDatabase()])
        #expect(status.exitCode == 0)
        let names = Migration.all.map { "\"\($0.name)\"" }.joined(separator: ",")
        #expect(status.stdout == "{\"applied\":[\(names)],\"schemaVersion\":\(Migration.latestVersion)}\n")
    }
}

extension JSONValue {
    var arrayCount: Int? {
        if case .array(let items) = self { return items.count }
        return nil
    }
}
