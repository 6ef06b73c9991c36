import ArgumentParser
import Foundation
import YilianCore
import YilianJSON
import YilianRPC
import YilianServices

// The referral actions (SPEC §2), each one method of `referral.*`, and the sweep.
extension ReferralCommand {
    struct Accept: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "accept",
            abstract: Help.text("Accept a referral (receiver)."),
            discussion: Help.text("Example:\n  yilian referral accept R-000042 --note 请带影像资料 --as li@ZRYY"))
        @OptionGroup(title: Help.text("Global options")) var options: GlobalOptions
        @OptionGroup var action: ActionOptions<ReferralCommand>
        @Option(help: .text("A note for the sender.")) var note: String?
        func run() async throws { try await action.run(.accept, ["note": note.map(JSONValue.string)], options) }
    }

    struct Reject: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "reject", abstract: Help.text("Reject a referral (receiver)."))
        @OptionGroup(title: Help.text("Global options")) var options: GlobalOptions
        @OptionGroup var action: ActionOptions<ReferralCommand>
        @Option(help: Choices.help("Why (required)", RejectReason.self), completion: .list(Choices.codes(RejectReason.self)))
        var reasonCode: String
        @Option(help: .text("In words; required with other.")) var reason: String?
        func run() async throws {
            try await action.run(.reject, ["reasonCode": .string(reasonCode), "reason": reason.map(JSONValue.string)], options)
        }
    }

    struct RequestInfo: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "request-info", abstract: Help.text("Ask the sender a question (receiver)."))
        @OptionGroup(title: Help.text("Global options")) var options: GlobalOptions
        @OptionGroup var action: ActionOptions<ReferralCommand>
        @Option(help: .text("What the sender should add. Required.")) var question: String
        func run() async throws { try await action.run(.requestInfo, ["question": .string(question)], options) }
    }

    struct ProvideInfo: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "provide-info", abstract: Help.text("Answer the receiver's question (sender)."))
        @OptionGroup(title: Help.text("Global options")) var options: GlobalOptions
        @OptionGroup var action: ActionOptions<ReferralCommand>
        @Option(help: .text("The answer to the receiver's question. Required.")) var answer: String
        func run() async throws { try await action.run(.provideInfo, ["answer": .string(answer)], options) }
    }

    struct Redirect: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "redirect", abstract: Help.text("Send the referral to another receiver (sender)."))
        @OptionGroup(title: Help.text("Global options")) var options: GlobalOptions
        @OptionGroup var action: ActionOptions<ReferralCommand>
        @Option(help: .text("The new receiving hospital's code. Required."), completion: Choices.codes(of: .hospital)) var to: String
        func run() async throws { try await action.run(.redirect, ["to": .string(to)], options) }
    }

    struct Schedule: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "schedule",
            abstract: Help.text("Give the patient an appointment date (receiver); an up-referral books a reserved slot."),
            discussion: Help.text("Example:\n  yilian referral schedule R-000042 --date 2026-12-02 --expert --as li@ZRYY"))
        @OptionGroup(title: Help.text("Global options")) var options: GlobalOptions
        @OptionGroup var action: ActionOptions<ReferralCommand>
        @Option(help: .text("The appointment date, YYYY-MM-DD. Required.")) var date: String
        @Flag(help: .text("Book an expert slot (专家号).")) var expert = false
        func run() async throws { try await action.run(.schedule, ["date": .string(date), "expert": expert ? true : nil], options) }
    }

    struct Reschedule: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "reschedule",
            abstract: Help.text("Move the appointment to another date (receiver); an up-referral's slot moves with it."))
        @OptionGroup(title: Help.text("Global options")) var options: GlobalOptions
        @OptionGroup var action: ActionOptions<ReferralCommand>
        @Option(help: .text("The appointment date, YYYY-MM-DD. Required.")) var date: String
        @Flag(help: .text("Book an expert slot (专家号).")) var expert = false
        func run() async throws { try await action.run(.reschedule, ["date": .string(date), "expert": expert ? true : nil], options) }
    }

    struct Arrive: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "arrive", abstract: Help.text("The patient arrived (receiver)."))
        @OptionGroup(title: Help.text("Global options")) var options: GlobalOptions
        @OptionGroup var action: ActionOptions<ReferralCommand>
        /// An arrival before the appointment is taken, and said (issue 28, point 12).
        func run() async throws {
            try await action.run(.arrive, [:], options) { referral, _ in
                let arrived = Services.today(referral.updatedAt, in: AllianceDefaults.timeZone)
                guard let slot = referral.slot, slot.daysSinceEpoch > arrived.daysSinceEpoch else { return ReferralCommand.line(referral) }
                return ReferralCommand.line(referral) + "\n"
                    + Language.current("referral.arrivedEarly", slot.description, slot.daysSinceEpoch - arrived.daysSinceEpoch)
            }
        }
    }

    struct NoShow: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "no-show", abstract: Help.text("The patient did not come (receiver)."))
        @OptionGroup(title: Help.text("Global options")) var options: GlobalOptions
        @OptionGroup var action: ActionOptions<ReferralCommand>
        func run() async throws { try await action.run(.noShow, [:], options) }
    }

    struct Complete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "complete", abstract: Help.text("Complete treatment with an outcome (receiver)."))
        @OptionGroup(title: Help.text("Global options")) var options: GlobalOptions
        @OptionGroup var action: ActionOptions<ReferralCommand>
        @Option(help: .text("The outcome as JSON {summary, diagnosis, recommendation, followUpDays}; or give the flags below."))
        var outcome: String?
        @Option(help: .text("The outcome's summary: what was done. Required without --outcome.")) var summary: String?
        @Option(
            help: Choices.help("What next (required without --outcome)", Recommendation.self),
            completion: .list(Choices.codes(Recommendation.self)))
        var recommendation: String?
        @Option(help: ArgumentHelp.text("A diagnosis at discharge, CODE:NAME; repeat for more.", valueName: "code:name")) var diagnosis:
            [String] = []
        @Option(help: .text("Follow up after this many days.")) var followUpDays: Int?

        func run() async throws {
            var value = try Input.json(inline: outcome, file: nil, name: "outcome")
            if value == nil, summary != nil || recommendation != nil {
                var members: JSONObject = ["diagnosis": .array(try PatientOptions.diagnoses(diagnosis))]
                members["summary"] = summary.map(JSONValue.string)
                members["recommendation"] = recommendation.map(JSONValue.string)
                members["followUpDays"] = followUpDays.map(JSONValue.integer)
                value = .object(members)
            }
            try await action.run(.complete, ["outcome": value], options)
        }
    }

    struct Sweep: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "sweep", abstract: Help.text("Escalate overdue referrals and expire stale ones (run periodically)."))
        @OptionGroup(title: Help.text("Global options")) var options: GlobalOptions
        @OptionGroup var change: ChangeOptions

        func run() async throws {
            try await CommandContext.run(options, change: change) { context in
                try await context.call(ReferralSweep.self, [:]) {
                    Language.current("sweep.result", $0.escalated.count, $0.expired.count)
                        + ($0.escalated + $0.expired).map { " \($0.cell)" }.joined()
                }
            }
        }
    }
}
