import ArgumentParser
import Foundation
import YilianCore
import YilianRPC

/// `yilian fhir`: HL7 FHIR R4 interchange with hospital systems (SPEC §11).
struct FHIRCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fhir", abstract: Help.text("HL7 FHIR R4 interchange with hospital systems."), subcommands: [Export.self])

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "export",
            abstract: Help.text("A referral or a consultation as an HL7 FHIR R4 Bundle, for a hospital system (its two hospitals)."),
            discussion: Help.text("Example:\n  yilian fhir export R-000042 --out R-000042.json --as li@ZRYY"))
        @OptionGroup(title: Help.text("Global options")) var options: GlobalOptions
        @Argument(help: .text("The referral or consultation, e.g. R-000042 or C-000042.")) var id: String
        @Option(help: ArgumentHelp.text("Write the Bundle to this file (else to standard output).", valueName: "file")) var out: String?

        func run() async throws {
            try await CommandContext.run(options) { context in
                let json = try await context.answer(FHIRExport.self, ["id": .string(id)]).json
                guard let out else {
                    FileHandle.standardOutput.write(json + Data("\n".utf8))
                    return
                }
                try HTML.write(String(decoding: json, as: UTF8.self), to: out)
                Terminal.print(Language.current("fhir.written", URL(fileURLWithPath: out).standardizedFileURL.path))
            }
        }
    }
}
