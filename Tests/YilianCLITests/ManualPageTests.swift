import Foundation
import Testing
import YilianTestSupport

/// The man page yilian(1) in docs/man is what `yilian manual` writes from the binary's own
/// command definitions: every command is in it, with its Chinese intact.
@Suite struct ManualPageTests {
    @Test func docsManIsTheBinarysOwnManualPage() async throws {
        let written = try String(contentsOf: DocumentationTests.docs.appending(path: "man/yilian.1"), encoding: .utf8)
        let generated = try await YilianBinary.run(["manual"])
        #expect(generated.exitCode == 0, "\(generated.stderr)")
        #expect(written == generated.stdout, "docs/man/yilian.1 is out of date: run `swift run yilian manual > docs/man/yilian.1`")
        #expect(written.contains("yilian \\- Yilian (医联): two\\-way referrals"))
        let sections = Set(written.split(separator: "\n").filter { $0.hasPrefix(".SS ") }.map { String($0.dropFirst(4)) })
        for (path, command) in try await HelpTests.commands() where !path.isEmpty && command["shouldDisplay"] != false {
            #expect(sections.contains("\"yilian \(path.joined(separator: " "))\""), "\(path) is not in the man page")
        }
        #expect(!sections.contains("\"yilian manual\""))
    }
}
