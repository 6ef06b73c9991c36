import ArgumentParser
import YilianCore
import YilianJSON
import YilianRPC
import YilianServices

struct MembershipCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "membership", abstract: Help.text("Membership applications, decisions and the exit mechanism."),
        subcommands: [
            Apply.self, Update.self, Decide.self, Withdraw.self, Suspend.self, Reinstate.self, Revoke.self, List.self, Show.self,
            Review.self,
        ])

    static func describe(_ application: ApplicationView) -> String {
        let language = Language.current
        var text = language(
            "application.line", application.id.cell, application.hospital.cell, application.alliance.cell, application.role.word("role"),
            application.status.word("applicationStatus"))
        if let reason = application.decisionReason { text += "\n" + language("application.reason", reason.cell) }
        if let override = application.override { text += "\n" + language("application.override", override.cell) }
        text += "\n\n" + CriteriaCommand.describeEvaluation(application.evaluation)
        if let history = application.history, !history.isEmpty {
            text +=
                "\n\n"
                + TextTable(
                    headers: [
                        language("timeline.seq"), LocalTime.heading("timeline.at"), language("timeline.action"), language("timeline.to"),
                        language("timeline.by"), language("timeline.note"),
                    ],
                    rows: history.map { event in
                        let status = language.word("applicationStatus", event.toStatus).cell
                        return [
                            String(event.seq), event.at.tableTime, language.word("applicationAction", event.action).cell,
                            status == event.toStatus.cell ? language.word("membershipStatus", event.toStatus).cell : status,
                            event.actor.cell,
                            event.reason.cell,
                        ]
                    }
                ).render()
        }
        return text
    }

    struct FactsOptions: ParsableArguments {
        @Option(help: .text("Facts as a JSON object.")) var facts: String?
        @Option(help: .text("Facts from a JSON file.")) var factsFile: String?
        func value() throws -> JSONValue { try Input.json(inline: facts, file: factsFile, name: "facts") ?? [:] }
    }

    struct Apply: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "apply",
            abstract: Help.text("Apply for membership (the applicant hospital)."),
            discussion:
                "Example:\n  yilian membership apply --alliance PAIN-BJ --hospital MYQYY --role cooperating \\\n    --facts-file facts.json --as wang@MYQYY"
        )
        @OptionGroup(title: Help.text("Global options")) var options: GlobalOptions
        @OptionGroup var change: ChangeOptions
        @Option(help: .text("The alliance, e.g. PAIN-BJ. Required."), completion: Choices.codes(of: .alliance)) var alliance: String
        @Option(help: .text("The applicant hospital's code. Required."), completion: Choices.codes(of: .hospital)) var hospital: String
        @Option(help: Choices.help("The role applied for (required)", MemberRole.self), completion: .list(Choices.codes(MemberRole.self)))
        var role: String
        @OptionGroup var facts: FactsOptions

        func run() async throws {
            try await CommandContext.run(options, change: change) { context in
                try await context.call(
                    MembershipApply.self,
                    ["alliance": .string(alliance), "hospital": .string(hospital), "role": .string(role), "facts": try facts.value()],
                    text: MembershipCommand.describe)
            }
        }
    }

    struct Update: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "update", abstract: Help.text("Answer a request for information with new facts (the applicant)."))
        @OptionGroup(title: Help.text("Global options")) var options: GlobalOptions
        @OptionGroup var change: ChangeOptions
        @Argument(help: .text("The application, e.g. A-000042.")) var id: String
        @OptionGroup var facts: FactsOptions

        func run() async throws {
            try await CommandContext.run(options, change: change) { context in
                try await context.call(
                    MembershipUpdate.self, ["id": .string(id), "facts": try facts.value()], text: MembershipCommand.describe)
            }
        }
    }

    struct Decide: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "decide", abstract: Help.text("Approve, reject or request information (the core hospital)."))
        @OptionGroup(title: Help.text("Global options")) var options: GlobalOptions
        @OptionGroup var change: ChangeOptions
        @Argument(help: .text("The application, e.g. A-000042.")) var id: String
        @Option(
            help: ArgumentHelp.text("The decision (required): approve, reject or request_info."),
            completion: .list(["approve", "reject", "request_info"])) var decision: String
        @Option(help: .text("Why, for the applicant and the record (for request_info: what to add). Required.")) var reason: String
        @Option(help: .text("Why to approve an application that is not eligible.")) var override: String?

        func run() async throws {
            try await CommandContext.run(options, change: change) { context in
                try await context.call(
                    MembershipDecide.self,
                    [
                        "id": .string(id), "decision": .string(decision), "reason": .string(reason),
                        "override": override.map(JSONValue.string),
                    ], text: MembershipCommand.describe)
            }
        }
    }

    struct Withdraw: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "withdraw", abstract: Help.text("Withdraw an open application (the applicant)."))
        @OptionGroup(title: Help.text("Global options")) var options: GlobalOptions
        @OptionGroup var change: ChangeOptions
        @Argument(help: .text("The application, e.g. A-000042.")) var id: String

        func run() async throws {
            try await CommandContext.run(options, change: change) { context in
                try await context.call(MembershipWithdraw.self, ["id": .string(id)], text: MembershipCommand.describe)
            }
        }
    }

    /// suspend / reinstate / revoke.
    /// Shared by suspend, reinstate and revoke: which member, and why.
    struct MemberOptions: ParsableArguments {
        @Option(help: .text("The alliance, e.g. PAIN-BJ. Required."), completion: Choices.codes(of: .alliance)) var alliance: String
        @Option(help: .text("The member hospital's code. Required."), completion: Choices.codes(of: .hospital)) var hospital: String
        @Option(help: .text("Why, for the record. Required.")) var reason: String
        @OptionGroup var change: ChangeOptions

        func run(_ action: MembershipMachine.Action, _ options: GlobalOptions) async throws {
            try await CommandContext.run(options, change: change) { context in
                try await context.act(
                    action, ["alliance": .string(alliance), "hospital": .string(hospital), "reason": .string(reason)]
                ) { alliance in
                    let status = alliance.members.first { $0.hospital == hospital }?.status.word("membershipStatus") ?? "?"
                    return Language.current("membership.nowStatus", hospital, status, alliance.code.cell)
                }
            }
        }
    }

    struct Suspend: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "suspend", abstract: Help.text("Suspend a member (the core hospital)."))
        @OptionGroup(title: Help.text("Global options")) var options: GlobalOptions
        @OptionGroup var member: MemberOptions
        func run() async throws { try await member.run(.suspend, options) }
    }

    struct Reinstate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "reinstate", abstract: Help.text("Reinstate a suspended member (the core hospital)."))
        @OptionGroup(title: Help.text("Global options")) var options: GlobalOptions
        @OptionGroup var member: MemberOptions
        func run() async throws { try await member.run(.reinstate, options) }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "revoke", abstract: Help.text("Revoke a membership (the core hospital)."))
        @OptionGroup(title: Help.text("Global options")) var options: GlobalOptions
        @OptionGroup var member: MemberOptions
        func run() async throws { try await member.run(.revoke, options) }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: Help.text("List an alliance's applications."))
        @OptionGroup(title: Help.text("Global options")) var options: GlobalOptions
        @Option(help: .text("The alliance, e.g. PAIN-BJ. Required."), completion: Choices.codes(of: .alliance)) var alliance: String
        @Option(
            help: Choices.help("Only applications in this status", ApplicationMachine.Status.self),
            completion: .list(Choices.codes(ApplicationMachine.Status.self)))
        var status: String?
        @OptionGroup var page: PageOptions

        func run() async throws {
            try await CommandContext.run(options) { context in
                try await context.call(
                    MembershipList.self,
                    ["alliance": .string(alliance), "status": status.map(JSONValue.string)].merging(page.params) { $1 }
                ) { page in
                    pageText(
                        page,
                        headers: headings("id", "hospital", "role", "status", "decision", "score") + [LocalTime.heading("col.updated")]
                    ) {
                        [
                            $0.id.cell, $0.hospital.cell, $0.role.word("role"), $0.status.word("applicationStatus"),
                            $0.evaluation.decision.word("decision"), String($0.evaluation.score), $0.updatedAt.tableTime,
                        ]
                    }
                }
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show", abstract: Help.text("Show an application, its evaluation and the membership's history."))
        @OptionGroup(title: Help.text("Global options")) var options: GlobalOptions
        @Argument(help: .text("The application, e.g. A-000042.")) var id: String

        func run() async throws {
            try await CommandContext.run(options) { context in
                try await context.call(MembershipGet.self, ["id": .string(id)], text: MembershipCommand.describe)
            }
        }
    }

    struct Review: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "review",
            abstract: Help.text(
                "Re-evaluate active members against the current criteria; list who no longer meets them (the core hospital)."))
        @OptionGroup(title: Help.text("Global options")) var options: GlobalOptions
        @Option(help: .text("The alliance, e.g. PAIN-BJ. Required."), completion: Choices.codes(of: .alliance)) var alliance: String

        func run() async throws {
            try await CommandContext.run(options) { context in
                guard let actor = options.actingUser else {
                    throw YilianError.invalidParams([Problem("actor", "is required: pass --as USER@HOSPITAL or set YILIAN_ACTOR")])
                }
                try await context.call(
                    MembershipReview.self,
                    ["alliance": .string(alliance), "actor": ["user": .string(actor.user), "hospital": .string(actor.hospital)]]
                ) { review in
                    let failing = review.failing
                    let language = Language.current
                    let reviewed = language("review.done", String(review.reviewed), review.alliance.cell, String(review.criteriaVersion))
                    if failing.isEmpty { return reviewed + language("review.allMeet") }
                    var text = reviewed + language("review.failing", failing.count) + "\n\n"
                    text += TextTable(
                        headers: headings("member", "name", "role", "decision", "score", "notMet"),
                        rows: failing.map {
                            [
                                $0.hospital.cell, $0.name.cell, $0.role.word("role"), $0.decision.word("decision"),
                                "\($0.score)/\($0.passScore)",
                                $0.criteria.map { $0.explanation(language).cell }.joined(separator: "; "),
                            ]
                        }
                    ).render()
                    return text
                }
            }
        }
    }
}
