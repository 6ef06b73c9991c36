import ArgumentParser
import Foundation
import YilianCore
import YilianJSON
import YilianRPC
import YilianServices

struct WorklistCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worklist", abstract: Help.text("A hospital's worklist: what waits for it, section by section."),
        discussion: Help.text("Example:\n  yilian worklist --as li@ZRYY"))
    @OptionGroup(title: Help.text("Global options")) var options: GlobalOptions
    @Option(help: .text("Your hospital's code (default: the acting user's)."), completion: Choices.codes(of: .hospital)) var hospital:
        String?
    @Option(help: .text("At most this many referrals per section (default 50, at most 500).")) var limit: Int?

    func run() async throws {
        try await CommandContext.run(options) { context in
            let hospital = try await context.hospital(hospital)
            try await context.call(WorklistGet.self, ["hospital": .string(hospital), "limit": limit.map(JSONValue.integer)]) { worklist in
                let language = Language.current
                // Each line names the patient, whom the coordinator phones.
                let sections =
                    Worklist.sectionNames.map { ($0, worklist[$0].map(ReferralCommand.entry)) }
                    + [("consultations", worklist.consultations.map(ConsultationCommand.entry))]
                return language("worklist.title", worklist.hospital.cell, LocalTime.text(Date())) + "\n"
                    + sections.map { key, lines in
                        let count = worklist.counts[key].map(String.init) ?? String(lines.count)
                        // A section cut at the limit says so: the rest are in `referral list` (`consultation list`).
                        let size =
                            count == String(lines.count) ? language("worklist.count", count) : language("worklist.cut", lines.count, count)
                        return language("section.\(key)") + language("worklist.size", size)
                            + (lines.isEmpty ? "" : "\n" + lines.map { "  " + $0 }.joined(separator: "\n"))
                    }.joined(separator: "\n")
            }
        }
    }
}
