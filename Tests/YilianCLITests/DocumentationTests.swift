import Foundation
import Testing
import YilianCore
import YilianJSON
import YilianTestSupport

/// Every example in docs/json-rpc.md, run against a real `yilian serve`.
@Suite struct DocumentationTests {
    static let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appending(path: "../../docs")

    /// The ```jsonrpc blocks: (request line, expected response line).
    static func examples() throws -> [(String, String)] {
        let text = try String(contentsOf: docs.appending(path: "json-rpc.md"), encoding: .utf8)
        return text.components(separatedBy: "```jsonrpc\n").dropFirst().map { block in
            let lines = block.components(separatedBy: "```")[0].split(separator: "\n").map(String.init)
            return (lines[0], lines.count > 1 ? lines[1] : "")
        }
    }

    @Test func everyJSONRPCExampleGetsTheDocumentedResponse() async throws {
        let examples = try Self.examples()
        #expect(examples.count >= 5)
        let input = examples.map(\.0).joined(separator: "\n") + "\n"
        let outcome = try await YilianBinary.run(
            ["serve"], environment: ["YILIAN_DATABASE_URL": try await TestPostgres.freshDatabase()], input: Data(input.utf8))
        #expect(outcome.exitCode == 0)
        let responses = outcome.stdoutLines
        #expect(responses.count == examples.count)
        for (example, response) in zip(examples, responses) {
            let expected = try JSONDecoder().decode(JSONValue.self, from: Data(example.1.utf8))
            let actual = try JSONDecoder().decode(JSONValue.self, from: Data(response.utf8))
            #expect(actual == expected, "request: \(example.0)")
        }
    }
}
