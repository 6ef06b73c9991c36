import ArgumentParser
import Foundation
import YilianCore
import YilianJSON
import YilianRPC
import YilianServices

/// `yilian fhir`: HL7 FHIR R4 interchange with hospital systems (SPEC §11).
struct FHIRCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fhir", abstract: Help.text("HL7 FHIR R4 interchange with hospital systems."),
        subcommands: [Export.self, Import.self, TaskUpdate.self])

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

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract: Help.text(
                "File a referral, or request a consultation, from a hospital system's HL7 FHIR R4 Bundle (the sending hospital)."),
            discussion: Help.text(
                """
                The Bundle holds one ServiceRequest with the sending system's own identifier: the same Bundle again files nothing new, and the same identifier with other content is refused. Every problem is told at its FHIR path.

                Example:
                  yilian fhir import referral.json --as wang@MYQYY
                """))
        @OptionGroup(title: Help.text("Global options")) var options: GlobalOptions
        @OptionGroup var change: ChangeOptions
        @Argument(help: .text("The Bundle, a JSON file of at most 1 MiB.")) var file: String

        func run() async throws {
            try await CommandContext.run(options, change: change) { context in
                try await context.call(FHIRImport.self, ["bundle": try Input.json(inline: nil, file: file, name: "bundle")]) { filed in
                    try FHIRCommand.line(filed, saying: ("consultation.requested", "referral.filed"))
                }
            }
        }
    }

    struct TaskUpdate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "task",
            abstract: Help.text("Apply a hospital system's HL7 FHIR R4 Task update as the action it asks, with every rule of that action."),
            discussion: Help.text(
                """
                The Task names the referral or consultation by the identifier the export gave it; its status asks the action: accepted, rejected (with statusReason), in-progress (arrived), completed (with output), cancelled (with statusReason).

                Example:
                  yilian fhir task task.json --as li@ZRYY
                """))
        @OptionGroup(title: Help.text("Global options")) var options: GlobalOptions
        @OptionGroup var change: ChangeOptions
        @Argument(help: .text("The Task, a JSON file of at most 1 MiB.")) var file: String

        func run() async throws {
            try await CommandContext.run(options, change: change) { context in
                try await context.call(FHIRTask.self, ["task": try Input.json(inline: nil, file: file, name: "task")]) { changed in
                    try FHIRCommand.line(changed, saying: nil)
                }
            }
        }
    }

    /// The line of the referral or consultation a FHIR method answered, in the sentence
    /// `saying` names for a consultation and a referral.
    static func line(_ answered: JSONValue, saying: (consultation: String, referral: String)?) throws -> String {
        if answered["id"]?.stringValue?.hasPrefix("C-") == true {
            let line = ConsultationCommand.line(try ConsultationView(json: answered))
            return saying.map { Language.current($0.consultation, line) } ?? line
        }
        let line = ReferralCommand.line(try ReferralView(json: answered))
        return saying.map { Language.current($0.referral, line) } ?? line
    }
}
