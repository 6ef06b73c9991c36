import ArgumentParser
import Foundation
import YilianCore
import YilianJSON

struct HospitalCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hospital", abstract: "The hospital registry.",
        subcommands: [Register.self, Import.self, Show.self, List.self])

    static func describe(_ hospital: JSONValue) -> String {
        TextTable.keyValue([
            ("code", hospital.cell("code")), ("name", hospital.cell("name")), ("level", hospital.cell("level")),
            ("grade", hospital.cell("grade")), ("kind", hospital.cell("kind")), ("district", hospital.cell("district")),
            ("beds", hospital.cell("beds")), ("departments", hospital.cell("departments")),
            ("facts", hospital["facts"]?.compactJSON ?? "{}"),
        ])
    }

    struct Register: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Register a hospital (platform administrator).")
        @OptionGroup var options: GlobalOptions
        @OptionGroup var change: ChangeOptions
        @Option var code: String
        @Option var name: String
        @Option(help: "1, 2 or 3.") var level: Int
        @Option(help: "A, B, C or unrated.") var grade: String?
        @Option(help: "general, specialty, tcm, community, township or other.") var kind: String?
        @Option var district: String?
        @Option var beds: Int?
        @Option(help: "Specialty codes, comma-separated.") var departments: String?
        @Option(help: "Other facts as a JSON object.") var facts: String?
        @Option(help: "Other facts from a JSON file.") var factsFile: String?

        func run() async throws {
            try await CommandContext.run(options, change: change) { context in
                try await context.call(
                    "hospital.register",
                    [
                        "code": .string(code), "name": .string(name), "level": .integer(level), "grade": grade.map(JSONValue.string),
                        "kind": kind.map(JSONValue.string), "district": district.map(JSONValue.string), "beds": beds.map(JSONValue.integer),
                        "departments": Input.list(departments), "facts": try Input.json(inline: facts, file: factsFile, name: "facts"),
                    ]
                ) { Language.current("hospital.registered", $0.cell("code"), $0.cell("name"), $0.cell("level")) }
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one hospital.")
        @OptionGroup var options: GlobalOptions
        @Argument var code: String

        func run() async throws {
            try await CommandContext.run(options) { context in
                try await context.call("hospital.get", ["code": .string(code)], text: HospitalCommand.describe)
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List hospitals.")
        @OptionGroup var options: GlobalOptions
        @Option var level: Int?
        @Option var district: String?
        @Option(help: "Only hospitals with a department of this specialty.") var specialty: String?
        @Option var limit: Int?
        @Option var cursor: String?

        func run() async throws {
            try await CommandContext.run(options) { context in
                try await context.call(
                    "hospital.list",
                    [
                        "level": level.map(JSONValue.integer), "district": district.map(JSONValue.string),
                        "specialty": specialty.map(JSONValue.string), "limit": limit.map(JSONValue.integer), "cursor": cursor.map(JSONValue.string),
                    ]
                ) { page in
                    pageText(page, headers: headings("code", "name", "level", "grade", "kind", "district", "departments")) {
                        [$0.cell("code"), $0.cell("name"), $0.cell("level"), $0.word("grade", "grade"), $0.word("kind", "kind"), $0.cell("district"),
                         $0.cell("departments")]
                    }
                }
            }
        }
    }
}

extension HospitalCommand {
    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import hospitals from a CSV file, all or nothing (platform administrator).",
            discussion: "Columns: code,name,level,grade,kind,district,beds,departments (departments separated by ;).")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "The CSV file (UTF-8, header row).") var file: String

        func run() async throws {
            try await CommandContext.run(options) { context in
                guard let actor = options.actingUser else {
                    throw YilianError.invalidParams([Problem("actor", "is required: pass --as USER@HOSPITAL or set YILIAN_ACTOR")])
                }
                guard let data = FileManager.default.contents(atPath: file) else {
                    throw YilianError(.invalidParams, Text("error.unreadableFile", file))
                }
                guard let text = String(validating: data, as: UTF8.self) else {
                    throw YilianError(.invalidParams, Text("file.notUTF8", file))
                }
                // A progress bar only for a person at a terminal.
                let showProgress = !options.json && isatty(STDERR_FILENO) == 1
                let result = try await context.services().importHospitals(csv: text, file: file, by: actor) { done, total in
                    guard showProgress else { return }
                    let width = 30, filled = total == 0 ? width : done * width / total
                    Stderr.write("\r[" + String(repeating: "#", count: filled) + String(repeating: " ", count: width - filled) + "] \(done)/\(total)")
                }
                if showProgress { Stderr.write("\n") }
                try context.output(result) { Language.current("hospital.imported", result.imported, file) }
            }
        }
    }
}
