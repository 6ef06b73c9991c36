import Foundation
import Testing
import YilianCore
import YilianJSON
import YilianRepository
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

    /// README and docs stand alone: a clone has no SPEC.md and nothing beside the repository.
    @Test func theDocsReferToNothingOutsideTheRepository() throws {
        let files =
            try FileManager.default.contentsOfDirectory(atPath: Self.docs.path).filter { $0.hasSuffix(".md") }.map {
                Self.docs.appending(path: $0)
            }
            + [Self.docs.appending(path: "../README.md")]
        #expect(files.count >= 8)
        for file in files {
            let text = try String(contentsOf: file, encoding: .utf8)
            #expect(!text.contains("SPEC"), "\(file.lastPathComponent) names the contract, which a clone does not have")
            #expect(!text.contains("](../") && !text.contains("shared/"), "\(file.lastPathComponent) links outside the repository")
        }
    }

    /// architecture.md names every target Package.swift declares, and the front ends import the
    /// services and nothing under them (no `YilianRepository` in `YilianRPC` or `YilianCLI`, in
    /// their sources or their declared dependencies).
    @Test func theArchitectureIsThePackages() throws {
        let root = Self.docs.appending(path: "..")
        let package = try String(contentsOf: root.appending(path: "Package.swift"), encoding: .utf8)
        let architecture = try String(contentsOf: Self.docs.appending(path: "architecture.md"), encoding: .utf8)
        let targets = package.matches(of: /\.target\(\s*name: "(\w+)"/).map { String($0.output.1) }
        #expect(targets.count >= 7)
        for target in targets where target != "YilianTestSupport" {
            #expect(architecture.contains("| `\(target)` |"), "architecture.md has no row for \(target)")
        }
        for frontEnd in ["YilianRPC", "YilianCLI"] {
            let declaration = try #require(package.firstMatch(of: try Regex("name: \"\(frontEnd)\",\\s*dependencies: \\[([^\\]]*)\\]")))
            #expect(!String(declaration.output[1].substring ?? "").contains("YilianRepository"), "\(frontEnd) depends on YilianRepository")
            let folder = root.appending(path: "Sources/\(frontEnd)")
            for file in try FileManager.default.contentsOfDirectory(atPath: folder.path) where file.hasSuffix(".swift") {
                let text = try String(contentsOf: folder.appending(path: file), encoding: .utf8)
                #expect(!text.contains("import YilianRepository"), "\(frontEnd)/\(file) imports YilianRepository")
            }
        }
    }

    /// operations.md gives a shared server's administrator the script the embedded cluster runs
    /// as its superuser (`EmbeddedCluster.closedToUsers`), word for word.
    @Test func theSuperusersScriptInOperationsIsTheEmbeddedClusters() throws {
        let text = try String(contentsOf: Self.docs.appending(path: "operations.md"), encoding: .utf8)
        let block = try #require(text.components(separatedBy: "  ```sql\n").dropFirst().first?.components(separatedBy: "  ```")[0])
        let script = block.split(separator: "\n", omittingEmptySubsequences: false).map { $0.hasPrefix("  ") ? $0.dropFirst(2) : $0 }
        #expect(script.joined(separator: "\n") == EmbeddedCluster.closedToUsers + "\n")
    }

    /// The ```cli blocks of docs/cli.md: each `$ yilian …` line and the output that follows it.
    static func commandExamples() throws -> [(arguments: [String], output: String)] {
        let text = try String(contentsOf: docs.appending(path: "cli.md"), encoding: .utf8)
        var examples: [(arguments: [String], output: String)] = []
        for block in text.components(separatedBy: "```cli\n").dropFirst() {
            for example in block.components(separatedBy: "```")[0].components(separatedBy: "$ yilian ").dropFirst() {
                let lines = example.split(separator: "\n", omittingEmptySubsequences: false)
                // Words split on spaces; "" is an empty word.
                let arguments = lines[0].split(separator: " ").map { $0 == "\"\"" ? "" : String($0) }
                examples.append((arguments, lines.dropFirst().joined(separator: "\n")))
            }
        }
        return examples
    }

    @Test func everyCommandExampleGivesTheDocumentedOutput() async throws {
        let examples = try Self.commandExamples()
        #expect(examples.count >= 4)
        let url = try await TestPostgres.freshDatabase()
        try ReliabilityFixture.seed(url, slots: [])
        for (arguments, output) in examples {
            let outcome = try await YilianBinary.run(arguments, environment: ["YILIAN_DATABASE_URL": url, "TZ": "Asia/Shanghai"])
            #expect(outcome.stdout + outcome.stderr == output, "yilian \(arguments.joined(separator: " "))")
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
