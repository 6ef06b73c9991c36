import ArgumentParser
import Foundation
import YilianCore
import YilianJSON
import YilianServices

struct WorklistCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worklist", abstract: "A hospital's worklist: what waits for it, section by section.",
        discussion: "Example:\n  yilian worklist --hospital ZRYY --as li@ZRYY")
    @OptionGroup(title: "Global options") var options: GlobalOptions
    @Option(help: "Your hospital's code. Required.", completion: Choices.codes(of: .hospital)) var hospital: String
    @Option(help: "At most this many referrals per section (default 50, at most 500).") var limit: Int?

    func run() async throws {
        try await CommandContext.run(options) { context in
            try await context.call("worklist.get", ["hospital": .string(hospital), "limit": limit.map(JSONValue.integer)]) { worklist in
                let language = Language.current
                let sections = Worklist.sectionNames.map { ($0, ReferralCommand.line) } + [("consultations", ConsultationCommand.line)]
                return language("worklist.title", worklist.cell("hospital"), LocalTime.text(Date())) + "\n"
                    + sections.map { key, line in
                        let items = worklist[key]?.items ?? []
                        let count = worklist["counts"]?[key]?.cell ?? String(items.count)
                        // A section cut at the limit says so: the rest are in `referral list` (`consultation list`).
                        let size =
                            count == String(items.count) ? language("worklist.count", count) : language("worklist.cut", items.count, count)
                        return language("section.\(key)") + language("worklist.size", size)
                            + (items.isEmpty ? "" : "\n" + items.map { "  " + line($0) }.joined(separator: "\n"))
                    }.joined(separator: "\n")
            }
        }
    }
}
