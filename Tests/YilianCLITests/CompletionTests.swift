import Foundation
import Testing
import YilianTestSupport

/// Shell completion: the scripts argument-parser generates from the same definitions load in
/// bash and complete enumerated values, and codes from the database in use.
@Suite struct CompletionTests {
    /// What bash completes for the command line `words` (the last one being typed), with the
    /// script `yilian --generate-completion-script bash` loaded and `environment` set.
    static func complete(_ words: [String], environment: [String: String] = [:]) async throws -> [String] {
        let script = try await YilianBinary.run(["--generate-completion-script", "bash"])
        #expect(script.exitCode == 0)
        let file = FileManager.default.temporaryDirectory.appending(path: "yilian-completion-\(UUID().uuidString).bash")
        defer { try? FileManager.default.removeItem(at: file) }
        try script.stdout.write(to: file, atomically: true, encoding: .utf8)
        let quoted = words.map { "'\($0)'" }.joined(separator: " ")
        let line = words.joined(separator: " ")
        let arguments = [
            "-c",
            """
            source '\(file.path)'
            complete -p yilian >&2
            COMP_WORDS=(\(quoted)); COMP_CWORD=\(words.count - 1); COMP_LINE='\(line)'; COMP_POINT=${#COMP_LINE}
            _yilian yilian '\(words.last ?? "")' '\(words.dropLast().last ?? "")'
            printf '%s\\n' "${COMPREPLY[@]}"
            """,
        ]
        var base = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("YILIAN_") }
        base["PATH"] = YilianBinary.url.deletingLastPathComponent().path + ":" + (base["PATH"] ?? "/usr/bin:/bin")
        base.merge(environment) { _, new in new }
        let (_, data, errors) = try Child.run("/bin/bash", arguments, environment: base)
        let registered = String(decoding: errors, as: UTF8.self)
        #expect(registered.contains("-F _yilian yilian"), "\(registered)")
        return String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
    }

    @Test func bashCompletesEnumeratedValues() async throws {
        #expect(try await Self.complete(["yilian", "referral", "file", "--priority", ""]) == ["routine", "urgent", "emergency"])
        #expect(
            try await Self.complete(["yilian", "referral", "reject", "R-000001", "--reason-code", "in"]) == ["insufficient_information"])
        #expect(try await Self.complete(["yilian", "user", "add", "--duty", "p"]) == ["physician", "platform_admin"])
        #expect(try await Self.complete(["yilian", "referral", "pr"]).sorted() == ["print", "provide-info"])
    }

    @Test func bashCompletesHospitalCodesFromTheDatabase() async throws {
        let url = try await TestPostgres.freshDatabase()
        try ReliabilityFixture.seed(url, slots: [])
        let codes = try await Self.complete(["yilian", "worklist", "--hospital", "M"], environment: ["YILIAN_DATABASE_URL": url])
        #expect(codes == ["MYQYY"])
        let alliances = try await Self.complete(["yilian", "report", "--alliance", ""], environment: ["YILIAN_DATABASE_URL": url])
        #expect(alliances == ["PAIN-BJ"])
        // No database: nothing, and no error on the terminal.
        #expect(
            try await Self.complete(
                ["yilian", "worklist", "--hospital", ""], environment: ["YILIAN_DATABASE_URL": "postgresql:///x?host=/nowhere"]) == [])
    }

    @Test func zshAndFishScriptsAreGenerated() async throws {
        let zsh = try await YilianBinary.run(["--generate-completion-script", "zsh"])
        #expect(zsh.stdout.hasPrefix("#compdef yilian"))
        let fish = try await YilianBinary.run(["--generate-completion-script", "fish"])
        #expect(fish.stdout.contains("complete -c 'yilian'") || fish.stdout.contains("complete -c yilian"), "\(fish.stdout.prefix(400))")
    }
}
