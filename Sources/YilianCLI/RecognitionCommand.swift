import ArgumentParser
import YilianCore
import YilianJSON
import YilianRPC
import YilianServices

/// `yilian recognition`: an alliance's catalogue of mutually recognised results (SPEC §13).
struct RecognitionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recognition",
        abstract: Help.text("An alliance's catalogue of mutually recognised results (检查检验结果互认); see docs/recognition.md."),
        subcommands: [Set.self, List.self])

    static func describe(_ view: RecognitionView) -> String {
        let language = Language.current
        let rows = (view.catalogue["items"]?.items ?? []).map { item -> [String] in
            [
                item.cell("code"), item.cell("name"), item.word("attachment", "kind"), item["validDays"].map(\.cell) ?? "",
                item["qualified"]?.arrayValue.map { $0.map(\.cell).joined(separator: language("list.separator")) }
                    ?? language("recognition.everyMember"),
            ]
        }
        return language("recognition.title", view.alliance.cell, String(view.version)) + "\n\n"
            + TextTable(headers: headings("code", "name", "kind", "validDays", "qualified"), rows: rows).render(width: 100)
    }

    struct Set: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set", abstract: Help.text("Publish a new catalogue version from a JSON file (core hospital)."))
        @OptionGroup(title: Help.text("Global options")) var options: GlobalOptions
        @OptionGroup var change: ChangeOptions
        @Argument(help: .text("The catalogue JSON file.")) var file: String
        @Option(help: .text("The alliance, e.g. PAIN-BJ. Required."), completion: Choices.codes(of: .alliance)) var alliance: String

        func run() async throws {
            try await CommandContext.run(options, change: change) { context in
                try await context.call(
                    RecognitionSet.self,
                    ["alliance": .string(alliance), "catalogue": try Input.json(inline: nil, file: file, name: "catalogue")],
                    text: RecognitionCommand.describe)
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list", abstract: Help.text("Show the current (or a given) catalogue version."))
        @OptionGroup(title: Help.text("Global options")) var options: GlobalOptions
        @Option(help: .text("The alliance, e.g. PAIN-BJ. Required."), completion: Choices.codes(of: .alliance)) var alliance: String
        @Option(help: .text("A catalogue version (default: the current one).")) var version: Int?

        func run() async throws {
            try await CommandContext.run(options) { context in
                try await context.call(
                    RecognitionList.self, ["alliance": .string(alliance), "version": version.map(JSONValue.integer)],
                    text: RecognitionCommand.describe)
            }
        }
    }
}
