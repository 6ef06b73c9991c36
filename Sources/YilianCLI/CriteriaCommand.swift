import ArgumentParser
import YilianCore
import YilianJSON

struct CriteriaCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "criteria", abstract: "An alliance's admission criteria (准入标准); see docs/criteria.md.",
        subcommands: [Set.self, Show.self, Evaluate.self])

    static func describe(_ view: JSONValue) -> String {
        let document = view["criteria"] ?? [:]
        let rows = (document["criteria"]?.items ?? []).map { criterion -> [String] in
            [
                criterion.cell("id"), criterion.cell("title"), criterion["required"] == true ? Language.current("criteria.required") : "",
                criterion["weight"].map(\.cell) ?? "",
                criterion["roles"].map { roles in
                    roles.items.map { Language.current.word("role", $0.stringValue ?? "") }.joined(
                        separator: Language.current("list.separator"))
                } ?? Language.current("criteria.allRoles"),
                criterion["rule"]?.compactJSON ?? "",
            ]
        }
        return Language.current("criteria.title", view.cell("alliance"), view.cell("version"), document.cell("passScore")) + "\n\n"
            + TextTable(headers: headings("id", "title", "required", "weight", "roles", "rule"), rows: rows).render()
    }

    static func describeEvaluation(_ evaluation: JSONValue) -> String {
        Language.current(
            "criteria.evaluation", evaluation.word("decision", "decision"), evaluation.cell("score"), evaluation.cell("passScore"),
            evaluation.cell("alliance"), evaluation.cell("criteriaVersion"), evaluation.word("role", "role")) + "\n\n"
            + TextTable(
                headers: headings("criterion", "title", "required", "weight", "result", "explanation"),
                rows: (evaluation["criteria"]?.items ?? []).map {
                    [
                        $0.cell("id"), $0.cell("title"), $0["required"] == true ? Language.current("criteria.required") : "",
                        $0.cell("weight"),
                        $0.word("result", "result"), $0.cell("explanation"),
                    ]
                }
            ).render()
    }

    struct Set: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set", abstract: "Publish a new criteria version from a JSON file (core hospital).")
        @OptionGroup(title: "Global options") var options: GlobalOptions
        @OptionGroup var change: ChangeOptions
        @Argument(help: "The criteria JSON file.") var file: String
        @Option(help: "The alliance, e.g. PAIN-BJ. Required.", completion: Choices.codes(of: .alliance)) var alliance: String

        func run() async throws {
            try await CommandContext.run(options, change: change) { context in
                try await context.call(
                    "criteria.set", ["alliance": .string(alliance), "criteria": try Input.json(inline: nil, file: file, name: "criteria")],
                    text: CriteriaCommand.describe)
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Show the current (or a given) criteria version.")
        @OptionGroup(title: "Global options") var options: GlobalOptions
        @Option(help: "The alliance, e.g. PAIN-BJ. Required.", completion: Choices.codes(of: .alliance)) var alliance: String
        @Option(help: "A criteria version (default: the current one).") var version: Int?

        func run() async throws {
            try await CommandContext.run(options) { context in
                try await context.call(
                    "criteria.get", ["alliance": .string(alliance), "version": version.map(JSONValue.integer)],
                    text: CriteriaCommand.describe)
            }
        }
    }

    struct Evaluate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "evaluate", abstract: "What would this hospital get? A dry run of facts against the criteria.")
        @OptionGroup(title: "Global options") var options: GlobalOptions
        @Argument(help: "A JSON file with the facts.") var factsFile: String
        @Option(help: "The alliance, e.g. PAIN-BJ. Required.", completion: Choices.codes(of: .alliance)) var alliance: String
        @Option(help: Choices.help("The role applied for (required)", MemberRole.self), completion: .list(Choices.codes(MemberRole.self)))
        var role: String
        @Option(help: "A criteria version (default: the current one).") var version: Int?

        func run() async throws {
            try await CommandContext.run(options) { context in
                try await context.call(
                    "criteria.evaluate",
                    [
                        "alliance": .string(alliance), "role": .string(role),
                        "facts": try Input.json(inline: nil, file: factsFile, name: "facts"),
                        "version": version.map(JSONValue.integer),
                    ],
                    text: CriteriaCommand.describeEvaluation)
            }
        }
    }
}
