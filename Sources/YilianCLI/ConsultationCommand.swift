import ArgumentParser
import Foundation
import YilianCore
import YilianJSON
import YilianRPC
import YilianServices

/// `yilian consultation`: ask a higher-tier member for an opinion (会诊) without transferring
/// the patient (SPEC §7).
struct ConsultationCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "consultation", abstract: Help.text("Consultations (会诊): ask, answer, follow, convert to a referral."),
        subcommands: [
            Request.self, Accept.self, Decline.self, Schedule.self, Opine.self, Conclude.self, Acknowledge<Self>.self, Cancel<Self>.self,
            Convert.self,
            Show.self, List.self, History.self, Print.self,
        ])

    /// One line: id, mode, hospitals, priority, status, and what it waits for.
    static func line(_ consultation: ConsultationView) -> String { line(consultation, namingThePatient: false) }

    /// A list's line (the worklist's) also names the patient.
    static func entry(_ consultation: ConsultationView) -> String { line(consultation, namingThePatient: true) }

    private static func line(_ consultation: ConsultationView, namingThePatient: Bool) -> String {
        let language = Language.current
        let (id, mode, from, to) = (consultation.id.cell, consultation.mode.word("mode"), consultation.from.cell, consultation.to.cell)
        let (priority, status) = (consultation.priority.word("priority"), consultation.status.word("consultationStatus"))
        var text =
            namingThePatient
            ? language("consultation.entry", id, mode, from, to, ReferralCommand.patient(consultation.patient), priority, status)
            : language("consultation.line", id, mode, from, to, priority, status)
        switch consultation.status {
        case .requested, .accepted: text += language("referral.then", language("referral.respondBy", consultation.respondBy.shortTime))
        case .scheduled:
            text += language("referral.then", language("consultation.sits", consultation.scheduledAt?.shortTime ?? "-"))
        case .declined, .answered, .closed, .cancelled, .expired: break
        }
        return text
    }

    /// Every field a coordinator needs, the opinions, then the timeline.
    static func describe(_ consultation: ConsultationView) -> String {
        let language = Language.current
        var rows: [(String, String)] = [
            (language("consultation.title"), line(consultation)),
            (language("show.patient"), ReferralCommand.patientLine(consultation.patient)),
            (language("show.diagnosis"), ReferralCommand.diagnoses(consultation.diagnosis)),
            (language("consultation.question"), consultation.question.cell),
        ]
        rows += consultation.attachments.flatMap(ReferralCommand.attachmentRows)
        rows += consultation.opinions.map { opinion in
            (
                language("consultation.opinion"),
                language(
                    "consultation.opinionLine", opinion.expert.cell, opinion.summary.cell,
                    opinion.recommendation.word("opinionRecommendation"))
            )
        }
        if let conclusion = consultation.conclusion { rows.append((language("consultation.conclusion"), conclusion.cell)) }
        if let convertedTo = consultation.convertedTo { rows.append((language("consultation.convertedTo"), convertedTo.cell)) }
        rows += [(language("show.created"), consultation.createdAt.shortTime), (language("show.version"), String(consultation.version))]
        var text = TextTable.keyValue(rows)
        if let history = consultation.history { text += "\n\n" + ReferralCommand.timeline(history, width: 100, words: .consultation) }
        return text
    }

    struct Request: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "request",
            abstract: Help.text("Ask a higher-tier member (or the core) for an opinion (the requesting hospital)."),
            discussion: Help.text(
                """
                Example:
                  yilian consultation request --alliance PAIN-BJ --from MYQYY --to ZRYY \\
                    --mode advice --priority urgent --patient-name 张三 --patient-sex male \\
                    --patient-birth-date 1956-03-12 --consent --diagnosis M54.5:腰痛 \\
                    --question 保守治疗无效，是否需要介入治疗？ --as wang@MYQYY
                """))
        @OptionGroup(title: Help.text("Global options")) var options: GlobalOptions
        @OptionGroup var change: ChangeOptions
        @Option(help: .text("The alliance, e.g. PAIN-BJ. Required."), completion: Choices.codes(of: .alliance)) var alliance: String
        @Option(help: .text("Your hospital's code, the requester. Required."), completion: Choices.codes(of: .hospital)) var from: String
        @Option(
            help: .text("The consulting hospital's code: a higher tier, or the core. Required."), completion: Choices.codes(of: .hospital))
        var to: String
        @Option(
            help: Choices.help("Written advice (图文), remote (远程) or MDT, required", ConsultationMachine.Mode.self),
            completion: .list(Choices.codes(ConsultationMachine.Mode.self)))
        var mode: String
        @Option(help: Choices.help("How urgent, required", Priority.self), completion: .list(Choices.codes(Priority.self))) var priority:
            String
        @OptionGroup var patient: PatientOptions
        @Option(help: .text("What you ask the experts. Required.")) var question: String
        @Option(help: .text("A referral the consultation concerns, e.g. R-000042.")) var referral: String?

        func run() async throws {
            try await CommandContext.run(options, change: change) { context in
                var params: [String: JSONValue?] = [
                    "alliance": .string(alliance), "from": .string(from), "to": .string(to), "mode": .string(mode),
                    "priority": .string(priority),
                    "question": .string(question), "referral": referral.map(JSONValue.string),
                ]
                try await context.refuse(patient.apply(to: &params), ConsultationRequestMethod.self, params)
                try await context.act(ConsultationCommand.self, .request, params) {
                    Language.current("consultation.requested", ConsultationCommand.line($0))
                }
            }
        }
    }

    struct Accept: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "accept", abstract: Help.text("Accept a consultation (the consulting hospital)."))
        @OptionGroup(title: Help.text("Global options")) var options: GlobalOptions
        @OptionGroup var action: ActionOptions<ConsultationCommand>
        @Option(help: .text("A note for the requester.")) var note: String?
        func run() async throws { try await action.run(.accept, ["note": note.map(JSONValue.string)], options) }
    }

    struct Decline: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "decline", abstract: Help.text("Decline a consultation (the consulting hospital)."))
        @OptionGroup(title: Help.text("Global options")) var options: GlobalOptions
        @OptionGroup var action: ActionOptions<ConsultationCommand>
        @Option(help: Choices.help("Why (required)", DeclineReason.self), completion: .list(Choices.codes(DeclineReason.self)))
        var reasonCode: String
        @Option(help: .text("In words; required with other.")) var reason: String?
        func run() async throws {
            try await action.run(.decline, ["reasonCode": .string(reasonCode), "reason": reason.map(JSONValue.string)], options)
        }
    }

    struct Schedule: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "schedule",
            abstract: Help.text("Set when a remote or MDT consultation sits (the consulting hospital)."),
            discussion: Help.text("Example:\n  yilian consultation schedule C-000042 --at 2026-12-02T14:00+08:00 --as li@ZRYY"))
        @OptionGroup(title: Help.text("Global options")) var options: GlobalOptions
        @OptionGroup var action: ActionOptions<ConsultationCommand>
        @Option(help: ArgumentHelp.text("When, ISO 8601 with its zone, e.g. 2026-12-02T14:00+08:00. Required.", valueName: "time")) var at:
            String
        func run() async throws { try await action.run(.schedule, ["at": .string(at)], options) }
    }

    struct Opine: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "opine",
            abstract: Help.text("Give your opinion as an expert of the consulting hospital (one per expert)."))
        @OptionGroup(title: Help.text("Global options")) var options: GlobalOptions
        @OptionGroup var action: ActionOptions<ConsultationCommand>
        @Option(help: .text("Your opinion. Required.")) var summary: String
        @Option(
            help: Choices.help("What you recommend (required)", OpinionRecommendation.self),
            completion: .list(Choices.codes(OpinionRecommendation.self)))
        var recommendation: String
        func run() async throws {
            try await action.run(.opine, ["summary": .string(summary), "recommendation": .string(recommendation)], options)
        }
    }

    struct Conclude: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "conclude",
            abstract: Help.text("Give the consultation's conclusion, after at least one opinion (the consulting hospital)."))
        @OptionGroup(title: Help.text("Global options")) var options: GlobalOptions
        @OptionGroup var action: ActionOptions<ConsultationCommand>
        @Option(help: .text("The conclusion (会诊意见). Required.")) var conclusion: String
        func run() async throws { try await action.run(.conclude, ["conclusion": .string(conclusion)], options) }
    }

    struct Convert: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "convert",
            abstract: Help.text("Turn the answered consultation into an up-referral to the consulting hospital (the requesting hospital)."),
            discussion: Help.text("Example:\n  yilian consultation convert C-000042 --setting outpatient --as wang@MYQYY"))
        @OptionGroup(title: Help.text("Global options")) var options: GlobalOptions
        @OptionGroup var action: ActionOptions<ConsultationCommand>
        @Option(help: Choices.help("The referral's setting (required)", Setting.self), completion: .list(Choices.codes(Setting.self)))
        var setting: String
        @Option(help: .text("The referral's reason (default: the conclusion).")) var reason: String?
        @Flag(help: .text("File even though this patient already has an open referral between the same hospitals.")) var allowDuplicate =
            false
        func run() async throws {
            try await action.run(
                .convert,
                ["setting": .string(setting), "reason": reason.map(JSONValue.string), "allowDuplicate": allowDuplicate ? true : nil],
                options
            ) { consultation, context in
                // The referral it filed, as a referral's line says it.
                guard let id = consultation.convertedTo else { return ConsultationCommand.line(consultation) }
                let referral = try await context.fetch(ReferralGet.self, ["id": .string(id)])
                return ConsultationCommand.line(consultation) + "\n"
                    + Language.current("consultation.filed", ReferralCommand.line(referral))
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show", abstract: Help.text("Show a consultation, its opinions and its timeline."))
        @OptionGroup(title: Help.text("Global options")) var options: GlobalOptions
        @Argument(help: .text("The consultation, e.g. C-000042.")) var id: String
        func run() async throws {
            try await CommandContext.run(options) { context in
                try await context.call(ConsultationGet.self, ["id": .string(id)], text: ConsultationCommand.describe)
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list", abstract: Help.text("List your hospital's consultations, asked or to answer."))
        @OptionGroup(title: Help.text("Global options")) var options: GlobalOptions
        @Option(help: .text("Only those this hospital asked or was asked."), completion: Choices.codes(of: .hospital)) var hospital: String?
        @Option(
            help: Choices.help("Only these statuses, comma-separated", ConsultationMachine.Status.self),
            completion: .list(Choices.codes(ConsultationMachine.Status.self)))
        var status: String?
        @OptionGroup var page: PageOptions

        func run() async throws {
            try await CommandContext.run(options) { context in
                try await context.call(
                    ConsultationList.self,
                    ["hospital": hospital.map(JSONValue.string), "status": Input.list(status)].merging(page.params) { $1 }
                ) { page in
                    pageText(
                        page,
                        headers: [
                            "list.id", "consultation.mode", "consultation.from", "consultation.to", "list.priority", "list.patient",
                            "list.status",
                        ].map {
                            Language.current($0)
                        }
                    ) {
                        [
                            $0.id.cell, $0.mode.word("mode"), $0.from.cell, $0.to.cell, $0.priority.word("priority"),
                            ReferralCommand.patient($0.patient),
                            $0.status.word("consultationStatus"),
                        ]
                    }
                }
            }
        }
    }

    struct Print: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "print",
            abstract: Help.text("Print the consultation opinion (会诊意见单) on one A4 HTML page."),
            discussion: Help.text(
                "Printing is recorded in the access log.\n\nExample:\n  yilian consultation print C-000042 --out C-000042.html --as wang@MYQYY"
            ))
        @OptionGroup(title: Help.text("Global options")) var options: GlobalOptions
        @Argument(help: .text("The consultation, e.g. C-000042.")) var id: String
        @Option(help: ArgumentHelp.text("Write the page to this file (else to standard output).", valueName: "file")) var out: String?

        func run() async throws {
            try await CommandContext.run(options) { context in
                let form = try await context.services().consultationForm(id, by: context.actingUser)
                let page = ConsultationFormPage.html(form.consultation.json, from: form.from, to: form.to)
                try HTML.emit(page, to: out)
            }
        }
    }

    struct History: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "history", abstract: Help.text("A consultation's timeline."))
        @OptionGroup(title: Help.text("Global options")) var options: GlobalOptions
        @Argument(help: .text("The consultation, e.g. C-000042.")) var id: String
        func run() async throws {
            try await CommandContext.run(options) { context in
                try await context.call(ConsultationHistoryMethod.self, ["id": .string(id)]) {
                    ReferralCommand.timeline($0.history, words: .consultation)
                }
            }
        }
    }
}

/// A referral or a consultation, as its actions on the command line need it.
protocol CaseCommand {
    associatedtype Action
    associatedtype View
    /// The JSON-RPC group: `referral`, `consultation`.
    static var group: String { get }
    /// An example id: `R-000042`.
    static var example: String { get }
    /// `acknowledge`: the action and its abstract.
    static var acknowledge: (Action, String) { get }
    /// `cancel`: the action, its abstract and the help of `--reason`.
    static var cancel: (Action, String, String) { get }
    /// One line of a result.
    static func line(_ view: View) -> String
    /// `action` as `serve` carries it out.
    static func act(_ action: Action, params: JSONValue, on dispatcher: Dispatcher) async throws -> (result: View, json: Data)
}

extension ReferralCommand: CaseCommand {
    static let group = "referral", example = "R-000042"
    static let acknowledge = (ReferralMachine.Action.acknowledge, "Acknowledge the outcome, closing the loop (sender).")
    static let cancel = (
        ReferralMachine.Action.cancel, "Cancel a referral (sender; not once in treatment).",
        "Why, for the receiver and the record. Required."
    )
    static func act(_ action: ReferralMachine.Action, params: JSONValue, on dispatcher: Dispatcher) async throws -> (
        result: ReferralView, json: Data
    ) { try await dispatcher.act(action, params: params) }
}

extension ConsultationCommand: CaseCommand {
    static let group = "consultation", example = "C-000042"
    static let acknowledge = (ConsultationMachine.Action.acknowledge, "Acknowledge the answer, closing the loop (the requesting hospital).")
    static let cancel = (
        ConsultationMachine.Action.cancel, "Cancel a consultation before its answer (the requesting hospital).",
        "Why, for the consulting hospital and the record. Required."
    )
    static func act(_ action: ConsultationMachine.Action, params: JSONValue, on dispatcher: Dispatcher) async throws -> (
        result: ConsultationView, json: Data
    ) { try await dispatcher.act(action, params: params) }
}

/// `referral acknowledge`, `consultation acknowledge`.
struct Acknowledge<Case: CaseCommand>: AsyncParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "acknowledge", abstract: Help.text(Case.acknowledge.1))
    }
    @OptionGroup(title: Help.text("Global options")) var options: GlobalOptions
    @OptionGroup var action: ActionOptions<Case>
    func run() async throws { try await action.run(Case.acknowledge.0, [:], options) }
}

/// `referral cancel`, `consultation cancel`.
struct Cancel<Case: CaseCommand>: AsyncParsableCommand {
    static var configuration: CommandConfiguration { CommandConfiguration(commandName: "cancel", abstract: Help.text(Case.cancel.1)) }
    @OptionGroup(title: Help.text("Global options")) var options: GlobalOptions
    @OptionGroup var action: ActionOptions<Case>
    @Option(help: .text(Case.cancel.2)) var reason: String
    func run() async throws { try await action.run(Case.cancel.0, ["reason": .string(reason)], options) }
}

/// Shared by every action: the case, the version it was read at, the idempotency key.
struct ActionOptions<Case: CaseCommand>: ParsableArguments {
    @Argument(help: ArgumentHelp.text("The \(Case.group), e.g. \(Case.example).")) var id: String
    @Option(help: .text("The version you read; a stale one is refused (exit 75).")) var expectedVersion: Int?
    @OptionGroup var change: ChangeOptions

    /// Carries out `action`, saying what it did as `text` does (by default the case's line).
    func run(
        _ action: Case.Action, _ extra: [String: JSONValue?] = [:], _ options: GlobalOptions,
        text: ((Case.View, CommandContext) async throws -> String)? = nil
    ) async throws {
        try await CommandContext.run(options, change: change) { context in
            var params = extra
            params["id"] = .string(id)
            params["expectedVersion"] = expectedVersion.map(JSONValue.integer)
            try await context.act(Case.self, action, params) { try await text?($0, context) ?? Case.line($0) }
        }
    }
}
