import ArgumentParser
import YilianCore
import YilianJSON

struct MembershipCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "membership", abstract: "Membership applications, decisions and the exit mechanism.",
        subcommands: [
            Apply.self, Update.self, Decide.self, Withdraw.self, Suspend.self, Reinstate.self, Revoke.self, List.self, Show.self,
            Review.self,
        ])

    static func describe(_ application: JSONValue) -> String {
        let language = Language.current
        var text = language(
            "application.line", application.cell("id"), application.cell("hospital"), application.cell("alliance"),
            application.word("role", "role"),
            application.word("applicationStatus", "status"))
        if case .string? = application["decisionReason"] {
            text += "\n" + language("application.reason", application.cell("decisionReason"))
        }
        if case .string? = application["override"] { text += "\n" + language("application.override", application.cell("override")) }
        text += "\n\n" + CriteriaCommand.describeEvaluation(application["evaluation"] ?? [:])
        if let history = application["history"]?.items, !history.isEmpty {
            text +=
                "\n\n"
                + TextTable(
                    headers: [
                        language("timeline.seq"), LocalTime.heading("timeline.at"), language("timeline.action"), language("timeline.to"),
                        language("timeline.by"), language("timeline.note"),
                    ],
                    rows: history.map { event in
                        let status = event.word("applicationStatus", "toStatus")
                        return [
                            event.cell("seq"), (event["at"] ?? nil).tableTime, event.word("applicationAction", "action"),
                            status == event.cell("toStatus") ? event.word("membershipStatus", "toStatus") : status, event.cell("actor"),
                            event.cell("reason"),
                        ]
                    }
                ).render()
        }
        return text
    }

    struct FactsOptions: ParsableArguments {
        @Option(help: "Facts as a JSON object.") var facts: String?
        @Option(help: "Facts from a JSON file.") var factsFile: String?
        func value() throws -> JSONValue { try Input.json(inline: facts, file: factsFile, name: "facts") ?? [:] }
    }

    struct Apply: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "apply",
            abstract: "Apply for membership (the applicant hospital).",
            discussion:
                "Example:\n  yilian membership apply --alliance PAIN-BJ --hospital MYQYY --role cooperating \\\n    --facts-file facts.json --as wang@MYQYY"
        )
        @OptionGroup(title: "Global options") var options: GlobalOptions
        @OptionGroup var change: ChangeOptions
        @Option(help: "The alliance, e.g. PAIN-BJ. Required.", completion: Choices.codes(of: .alliance)) var alliance: String
        @Option(help: "The applicant hospital's code. Required.", completion: Choices.codes(of: .hospital)) var hospital: String
        @Option(help: Choices.help("The role applied for (required)", MemberRole.self), completion: .list(Choices.codes(MemberRole.self)))
        var role: String
        @OptionGroup var facts: FactsOptions

        func run() async throws {
            try await CommandContext.run(options, change: change) { context in
                try await context.call(
                    "membership.apply",
                    ["alliance": .string(alliance), "hospital": .string(hospital), "role": .string(role), "facts": try facts.value()],
                    text: MembershipCommand.describe)
            }
        }
    }

    struct Update: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "update", abstract: "Answer a request for information with new facts (the applicant).")
        @OptionGroup(title: "Global options") var options: GlobalOptions
        @OptionGroup var change: ChangeOptions
        @Argument(help: "The application, e.g. A-000042.") var id: String
        @OptionGroup var facts: FactsOptions

        func run() async throws {
            try await CommandContext.run(options, change: change) { context in
                try await context.call(
                    "membership.update", ["id": .string(id), "facts": try facts.value()], text: MembershipCommand.describe)
            }
        }
    }

    struct Decide: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "decide", abstract: "Approve, reject or request information (the core hospital).")
        @OptionGroup(title: "Global options") var options: GlobalOptions
        @OptionGroup var change: ChangeOptions
        @Argument(help: "The application, e.g. A-000042.") var id: String
        @Option(
            help: ArgumentHelp("The decision (required): approve, reject or request_info."),
            completion: .list(["approve", "reject", "request_info"])) var decision: String
        @Option(help: "Why, for the applicant and the record (for request_info: what to add). Required.") var reason: String
        @Option(help: "Why to approve an application that is not eligible.") var override: String?

        func run() async throws {
            try await CommandContext.run(options, change: change) { context in
                try await context.call(
                    "membership.decide",
                    [
                        "id": .string(id), "decision": .string(decision), "reason": .string(reason),
                        "override": override.map(JSONValue.string),
                    ], text: MembershipCommand.describe)
            }
        }
    }

    struct Withdraw: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "withdraw", abstract: "Withdraw an open application (the applicant).")
        @OptionGroup(title: "Global options") var options: GlobalOptions
        @OptionGroup var change: ChangeOptions
        @Argument(help: "The application, e.g. A-000042.") var id: String

        func run() async throws {
            try await CommandContext.run(options, change: change) { context in
                try await context.call("membership.withdraw", ["id": .string(id)], text: MembershipCommand.describe)
            }
        }
    }

    /// suspend / reinstate / revoke.
    /// Shared by suspend, reinstate and revoke: which member, and why.
    struct MemberOptions: ParsableArguments {
        @Option(help: "The alliance, e.g. PAIN-BJ. Required.", completion: Choices.codes(of: .alliance)) var alliance: String
        @Option(help: "The member hospital's code. Required.", completion: Choices.codes(of: .hospital)) var hospital: String
        @Option(help: "Why, for the record. Required.") var reason: String
        @OptionGroup var change: ChangeOptions

        func run(_ action: String, _ options: GlobalOptions) async throws {
            try await CommandContext.run(options, change: change) { context in
                try await context.call(
                    "membership.\(action)", ["alliance": .string(alliance), "hospital": .string(hospital), "reason": .string(reason)]
                ) { alliance in
                    let status =
                        alliance["members"]?.items.first { $0["hospital"] == .string(hospital) }?.word("membershipStatus", "status") ?? "?"
                    return Language.current("membership.nowStatus", hospital, status, alliance.cell("code"))
                }
            }
        }
    }

    struct Suspend: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "suspend", abstract: "Suspend a member (the core hospital).")
        @OptionGroup(title: "Global options") var options: GlobalOptions
        @OptionGroup var member: MemberOptions
        func run() async throws { try await member.run("suspend", options) }
    }

    struct Reinstate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "reinstate", abstract: "Reinstate a suspended member (the core hospital).")
        @OptionGroup(title: "Global options") var options: GlobalOptions
        @OptionGroup var member: MemberOptions
        func run() async throws { try await member.run("reinstate", options) }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "revoke", abstract: "Revoke a membership (the core hospital).")
        @OptionGroup(title: "Global options") var options: GlobalOptions
        @OptionGroup var member: MemberOptions
        func run() async throws { try await member.run("revoke", options) }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List an alliance's applications.")
        @OptionGroup(title: "Global options") var options: GlobalOptions
        @Option(help: "The alliance, e.g. PAIN-BJ. Required.", completion: Choices.codes(of: .alliance)) var alliance: String
        @Option(
            help: Choices.help("Only applications in this status", ApplicationMachine.Status.self),
            completion: .list(Choices.codes(ApplicationMachine.Status.self)))
        var status: String?
        @OptionGroup var page: PageOptions

        func run() async throws {
            try await CommandContext.run(options) { context in
                try await context.call(
                    "membership.list",
                    ["alliance": .string(alliance), "status": status.map(JSONValue.string)].merging(page.params) { $1 }
                ) { page in
                    pageText(
                        page,
                        headers: headings("id", "hospital", "role", "status", "decision", "score") + [LocalTime.heading("col.updated")]
                    ) {
                        [
                            $0.cell("id"), $0.cell("hospital"), $0.word("role", "role"), $0.word("applicationStatus", "status"),
                            ($0["evaluation"] ?? [:]).word("decision", "decision"), ($0["evaluation"] ?? [:]).cell("score"),
                            ($0["updatedAt"] ?? nil).tableTime,
                        ]
                    }
                }
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show", abstract: "Show an application, its evaluation and the membership's history.")
        @OptionGroup(title: "Global options") var options: GlobalOptions
        @Argument(help: "The application, e.g. A-000042.") var id: String

        func run() async throws {
            try await CommandContext.run(options) { context in
                try await context.call("membership.get", ["id": .string(id)], text: MembershipCommand.describe)
            }
        }
    }

    struct Review: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "review",
            abstract: "Re-evaluate active members against the current criteria; list who no longer meets them (the core hospital).")
        @OptionGroup(title: "Global options") var options: GlobalOptions
        @Option(help: "The alliance, e.g. PAIN-BJ. Required.", completion: Choices.codes(of: .alliance)) var alliance: String

        func run() async throws {
            try await CommandContext.run(options) { context in
                guard let actor = options.actingUser else {
                    throw YilianError.invalidParams([Problem("actor", "is required: pass --as USER@HOSPITAL or set YILIAN_ACTOR")])
                }
                try await context.call(
                    "membership.review",
                    ["alliance": .string(alliance), "actor": ["user": .string(actor.user), "hospital": .string(actor.hospital)]]
                ) { review in
                    let failing = review["failing"]?.items ?? []
                    let language = Language.current
                    let reviewed = language("review.done", review.cell("reviewed"), review.cell("alliance"), review.cell("criteriaVersion"))
                    if failing.isEmpty { return reviewed + language("review.allMeet") }
                    var text = reviewed + language("review.failing", failing.count) + "\n\n"
                    text += TextTable(
                        headers: headings("member", "name", "role", "decision", "score", "notMet"),
                        rows: failing.map {
                            [
                                $0.cell("hospital"), $0.cell("name"), $0.word("role", "role"), $0.word("decision", "decision"),
                                "\($0.cell("score"))/\($0.cell("passScore"))",
                                ($0["criteria"]?.items ?? []).map { $0.cell("explanation") }.joined(separator: "; "),
                            ]
                        }
                    ).render()
                    return text
                }
            }
        }
    }
}
