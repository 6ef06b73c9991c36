import ArgumentParser
import YilianCore
import YilianJSON
import YilianRPC

/// `yilian specialty list`: the catalog's codes, which `--specialty` and `--departments` take.
struct SpecialtyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "specialty", abstract: Help.text("The specialty catalog (专科目录)."), subcommands: [List.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list", abstract: Help.text("List the specialty codes and their Chinese names."))
        @OptionGroup(title: Help.text("Global options")) var options: GlobalOptions

        func run() async throws {
            try await CommandContext.run(options) { context in
                try await context.call(SpecialtyList.self, [:]) { page in
                    pageText(page, headers: [Language.current("catalog.code"), Language.current("catalog.name")]) {
                        [$0.code.cell, $0.name.cell]
                    }
                }
            }
        }
    }
}
