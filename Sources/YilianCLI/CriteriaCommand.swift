import ArgumentParser
import YilianCore
import YilianJSON
import YilianRPC
import YilianServices

struct CriteriaCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "criteria", abstract: Help.text("An alliance's admission criteria (准入标准); see docs/criteria.md."),
        subcommands: [Set.self, Show.self, Evaluate.self])

    static func describe(_ view: CriteriaView) -> String {
        let document = view.criteria
        // Each rule in words; the document as stored when it cannot be read (it always can: the
        // wall stores only what `CriteriaSet.parse` took).
        let rules = (try? CriteriaSet.parse(document))?.criteria.map { $0.rule.described(Language.current).cell }
        let rows = (document["criteria"]?.items ?? []).enumerated().map { index, criterion -> [String] in
            [
                criterion.cell("id"), criterion.cell("title"), criterion["required"] == true ? Language.current("criteria.required") : "",
                criterion["weight"].map(\.cell) ?? "",
                criterion["roles"].map { roles in
                    roles.items.map { Language.current.word("role", $0.stringValue ?? "") }.joined(
                        separator: Language.current("list.separator"))
                } ?? Language.current("criteria.allRoles"),
                rules?[index] ?? criterion["rule"]?.compactJSON ?? "",
            ]
        }
        return Language.current("criteria.title", view.alliance.cell, String(view.version), document.cell("passScore")) + "\n\n"
            + TextTable(headers: headings("id", "title", "required", "weight", "roles", "rule"), rows: rows).render(width: 100)
    }

    static func describeEvaluation(_ evaluation: EvaluationView) -> String {
        let language = Language.current
        // A required criterion not met decides whatever the score: the headline says which.
        let unmet = evaluation.criteria.filter { $0.required && $0.result != .pass }.map(\.title.cell)
        // What the applicant gave otherwise than the registry records, judged as recorded.
        let overrode = (evaluation.registryOverrode ?? []).compactMap(FactPath.init).map { $0.named.text(in: language) }
        return language(
            "criteria.evaluation", evaluation.decision.word("decision"), String(evaluation.score), String(evaluation.passScore),
            evaluation.alliance.cell, String(evaluation.criteriaVersion), evaluation.role.word("role"))
            + (unmet.isEmpty ? "" : language("criteria.requiredUnmet", unmet.joined(separator: language("list.separator"))))
            + (overrode.isEmpty ? "" : "\n" + language("criteria.registryOverrode", overrode.joined(separator: language("list.separator"))))
            + "\n\n"
            + TextTable(
                headers: headings("criterion", "title", "required", "weight", "result", "explanation"),
                rows: evaluation.criteria.map {
                    [
                        $0.id.cell, $0.title.cell, $0.required ? language("criteria.required") : "", String($0.weight),
                        $0.result.word("result"),
                        $0.explanation(language).cell,
                    ]
                }
            ).render(width: 100)
    }

    struct Set: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set", abstract: Help.text("Publish a new criteria version from a JSON file (core hospital)."))
        @OptionGroup(title: Help.text("Global options")) var options: GlobalOptions
        @OptionGroup var change: ChangeOptions
        @Argument(help: .text("The criteria JSON file.")) var file: String
        @Option(help: .text("The alliance, e.g. PAIN-BJ. Required."), completion: Choices.codes(of: .alliance)) var alliance: String

        func run() async throws {
            try await CommandContext.run(options, change: change) { context in
                try await context.call(
                    CriteriaSetMethod.self,
                    ["alliance": .string(alliance), "criteria": try Input.json(inline: nil, file: file, name: "criteria")],
                    text: CriteriaCommand.describe)
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show", abstract: Help.text("Show the current (or a given) criteria version."))
        @OptionGroup(title: Help.text("Global options")) var options: GlobalOptions
        @Option(help: .text("The alliance, e.g. PAIN-BJ. Required."), completion: Choices.codes(of: .alliance)) var alliance: String
        @Option(help: .text("A criteria version (default: the current one).")) var version: Int?

        func run() async throws {
            try await CommandContext.run(options) { context in
                try await context.call(
                    CriteriaGet.self, ["alliance": .string(alliance), "version": version.map(JSONValue.integer)],
                    text: CriteriaCommand.describe)
            }
        }
    }

    struct Evaluate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "evaluate", abstract: Help.text("What would this hospital get? A dry run of facts against the criteria."))
        @OptionGroup(title: Help.text("Global options")) var options: GlobalOptions
        @Argument(help: .text("A JSON file with the facts.")) var factsFile: String
        @Option(help: .text("The alliance, e.g. PAIN-BJ. Required."), completion: Choices.codes(of: .alliance)) var alliance: String
        @Option(help: Choices.help("The role applied for (required)", MemberRole.self), completion: .list(Choices.codes(MemberRole.self)))
        var role: String
        @Option(help: .text("A criteria version (default: the current one).")) var version: Int?

        func run() async throws {
            try await CommandContext.run(options) { context in
                try await context.call(
                    CriteriaEvaluate.self,
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
