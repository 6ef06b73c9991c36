import ArgumentParser
import Foundation
import YilianCore
import YilianJSON
import YilianRPC
import YilianServices

// What a referral shows: one referral, a list, the printed form, the timeline.
extension ReferralCommand {
    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show", abstract: Help.text("Show a referral, its episode (up → outcome → down) and its timeline."))
        @OptionGroup(title: Help.text("Global options")) var options: GlobalOptions
        @Argument(help: .text("The referral, e.g. R-000042.")) var id: String

        func run() async throws {
            try await CommandContext.run(options) { context in
                guard !options.json else { return try await context.call(ReferralGet.self, ["id": .string(id)]) { _ in "" } }
                let referral = try await context.fetch(ReferralGet.self, ["id": .string(id)])
                // The episode: the referral this one continues, this one, and those continuing it.
                var chain: [ReferralView] = []
                if let parent = referral.parent { chain.append(try await context.fetch(ReferralGet.self, ["id": .string(parent)])) }
                chain.append(referral)
                for next in referral.continuations ?? [] { chain.append(try await context.fetch(ReferralGet.self, ["id": .string(next)])) }
                var text = ReferralCommand.describe(referral)
                if chain.count > 1 {
                    text +=
                        "\n\n" + Language.current("show.episode") + "\n"
                        + chain.map { link in
                            var line = (link.id == referral.id ? "▶ " : "  ") + ReferralCommand.line(link)
                            if let outcome = link.outcome {
                                line +=
                                    "\n      "
                                    + Language.current(
                                        "show.outcomeLine", outcome.summary.cell, outcome.recommendation.word("recommendation"))
                            }
                            return line
                        }.joined(separator: "\n")
                }
                Terminal.print(text)
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: Help.text("List referrals."))
        @OptionGroup(title: Help.text("Global options")) var options: GlobalOptions
        @Option(help: .text("The alliance, e.g. PAIN-BJ."), completion: Choices.codes(of: .alliance)) var alliance: String?
        @Option(help: .text("Only this hospital's referrals (see --as-side)."), completion: Choices.codes(of: .hospital)) var hospital:
            String?
        @Option(
            name: .customLong("as-side"), help: .text("With --hospital: as sender, receiver or any (default)."),
            completion: .list(["sender", "receiver", "any"]))
        var side: String?
        @Option(
            help: Choices.help("Only these statuses, comma-separated", ReferralMachine.Status.self),
            completion: .list(Choices.codes(ReferralMachine.Status.self)))
        var status: String?
        @Option(help: Choices.help("Only this direction", Direction.self), completion: .list(Choices.codes(Direction.self))) var direction:
            String?
        @Option(help: Choices.help("Only this priority", Priority.self), completion: .list(Choices.codes(Priority.self))) var priority:
            String?
        @Flag(help: .text("Only overdue referrals.")) var overdue = false
        @Option(help: .text("One patient's referrals, by a resident ID your hospital entered (else by name and birth date)."))
        var patientIdNumber: String?
        @Option(help: .text("One patient's referrals, by name (with --patient-birth-date).")) var patientName: String?
        @Option(help: .text("With --patient-name: YYYY-MM-DD.")) var patientBirthDate: String?
        @OptionGroup var page: PageOptions

        func run() async throws {
            try await CommandContext.run(options) { context in
                var patient = JSONObject()
                for (key, value) in [("idNumber", patientIdNumber), ("name", patientName), ("birthDate", patientBirthDate)] {
                    if let value { patient[key] = .string(value) }
                }
                let params: [String: JSONValue?] = [
                    "alliance": alliance.map(JSONValue.string), "hospital": hospital.map(JSONValue.string),
                    "as": side.map(JSONValue.string),
                    "status": Input.list(status), "direction": direction.map(JSONValue.string), "priority": priority.map(JSONValue.string),
                    "overdue": overdue ? true : nil, "patient": patient.isEmpty ? nil : .object(patient),
                ]
                let headers = [
                    "list.id", "list.direction", "list.from", "list.to", "list.priority", "list.patient", "list.status", "list.when",
                ]
                try await context.call(ReferralList.self, params.merging(page.params) { $1 }) { page in
                    pageText(page, headers: headers.map { Language.current($0) }) { referral in
                        [
                            referral.id.cell, referral.direction.word("direction"), referral.from.cell, referral.to.cell,
                            referral.priority.word("priority"), ReferralCommand.patient(referral.patient),
                            referral.status.word("status") + (referral.overdue ? Language.current("referral.overdue") : ""),
                            ReferralCommand.awaited(referral) ?? "",
                        ]
                    }
                }
            }
        }
    }

    struct Print: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "print",
            abstract: Help.text("Print the two-way referral form (双向转诊单): stub, form and receipt on one A4 HTML page."),
            discussion: Help.text(
                """
                Open the page in a browser and print it on A4. Printing is recorded in the access log.

                Example:
                  yilian referral print R-000042 --out R-000042.html --as wang@MYQYY
                """))

        @OptionGroup(title: Help.text("Global options")) var options: GlobalOptions
        @Argument(help: .text("The referral, e.g. R-000042.")) var id: String
        @Option(help: ArgumentHelp.text("Write the page to this file (else to standard output).", valueName: "file")) var out: String?

        func run() async throws {
            try await CommandContext.run(options) { context in
                let form = try await context.services().referralForm(id, by: context.actingUser)
                let page = ReferralFormPage.html(form)
                try HTML.emit(page, to: out)
            }
        }
    }

    struct History: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "history", abstract: Help.text("A referral's timeline."))
        @OptionGroup(title: Help.text("Global options")) var options: GlobalOptions
        @Argument(help: .text("The referral, e.g. R-000042.")) var id: String

        func run() async throws {
            try await CommandContext.run(options) { context in
                try await context.call(ReferralHistoryMethod.self, ["id": .string(id)]) { ReferralCommand.timeline($0.history) }
            }
        }
    }
}
