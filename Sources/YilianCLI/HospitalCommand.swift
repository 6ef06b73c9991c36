import ArgumentParser
import Foundation
import YilianCore
import YilianJSON
import YilianRPC

struct HospitalCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hospital", abstract: Help.text("The hospital registry."),
        subcommands: [Register.self, Import.self, Show.self, List.self])

    static func describe(_ hospital: Hospital) -> String {
        let facts = hospital.facts == [:] ? "-" : hospital.facts.compactJSON
        return TextTable.keyValue(
            Array(
                zip(
                    headings("code", "name", "level", "grade", "kind", "district", "beds", "departments", "facts"),
                    [
                        hospital.code.cell, hospital.name.cell, Language.current("hospital.level", hospital.level),
                        hospital.grade.word("grade"), hospital.kind.word("kind"), hospital.district.cell, hospital.beds.cell,
                        departments(hospital), facts,
                    ])))
    }

    static func departments(_ hospital: Hospital) -> String {
        hospital.departments.map(\.cell).joined(separator: Language.current("list.separator"))
    }

    struct Register: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "register", abstract: Help.text("Register a hospital (platform administrator)."))
        @OptionGroup(title: Help.text("Global options")) var options: GlobalOptions
        @OptionGroup var change: ChangeOptions
        @Option(help: .text("The hospital's code: capitals, digits and -, e.g. ZRYY. Required.")) var code: String
        @Option(help: .text("Its name, e.g. 中日友好医院. Required.")) var name: String
        @Option(help: .text("Its level: 1, 2 or 3 (一级、二级、三级). Required."), completion: .list(["1", "2", "3"])) var level: Int
        @Option(help: Choices.help("Its grade (甲、乙、丙等)", Hospital.Grade.self), completion: .list(Choices.codes(Hospital.Grade.self)))
        var grade: String?
        @Option(help: Choices.help("Its kind", Hospital.Kind.self), completion: .list(Choices.codes(Hospital.Kind.self))) var kind: String?
        @Option(help: .text("Its district, e.g. 朝阳区.")) var district: String?
        @Option(help: .text("Its number of beds.")) var beds: Int?
        @Option(help: .text("Its departments: specialty codes, comma-separated (yilian specialty list).")) var departments: String?
        @Option(help: .text("Other facts as a JSON object.")) var facts: String?
        @Option(help: .text("Other facts from a JSON file.")) var factsFile: String?

        func run() async throws {
            try await CommandContext.run(options, change: change) { context in
                try await context.call(
                    HospitalRegister.self,
                    [
                        "code": .string(code), "name": .string(name), "level": .integer(level), "grade": grade.map(JSONValue.string),
                        "kind": kind.map(JSONValue.string), "district": district.map(JSONValue.string), "beds": beds.map(JSONValue.integer),
                        "departments": Input.list(departments), "facts": try Input.json(inline: facts, file: factsFile, name: "facts"),
                    ]
                ) { Language.current("hospital.registered", $0.code.cell, $0.name.cell, String($0.level)) }
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: Help.text("Show one hospital."))
        @OptionGroup(title: Help.text("Global options")) var options: GlobalOptions
        @Argument(help: .text("The hospital's code, e.g. ZRYY."), completion: Choices.codes(of: .hospital)) var code: String

        func run() async throws {
            try await CommandContext.run(options) { context in
                try await context.call(HospitalGet.self, ["code": .string(code)], text: HospitalCommand.describe)
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: Help.text("List hospitals."))
        @OptionGroup(title: Help.text("Global options")) var options: GlobalOptions
        @Option(help: .text("Only hospitals of this level: 1, 2 or 3."), completion: .list(["1", "2", "3"])) var level: Int?
        @Option(help: .text("Only hospitals of this district.")) var district: String?
        @Option(help: .text("Only hospitals with a department of this specialty."), completion: Choices.codes(of: .specialty))
        var specialty: String?
        @OptionGroup var page: PageOptions

        func run() async throws {
            try await CommandContext.run(options) { context in
                try await context.call(
                    HospitalList.self,
                    [
                        "level": level.map(JSONValue.integer), "district": district.map(JSONValue.string),
                        "specialty": specialty.map(JSONValue.string),
                    ].merging(page.params) { $1 }
                ) { page in
                    pageText(page, headers: headings("code", "name", "level", "grade", "kind", "district", "departments")) {
                        [
                            $0.code.cell, $0.name.cell, String($0.level), $0.grade.word("grade"), $0.kind.word("kind"), $0.district.cell,
                            HospitalCommand.departments($0),
                        ]
                    }
                }
            }
        }
    }
}

extension HospitalCommand {
    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract: Help.text("Import hospitals from a CSV file, all or nothing (platform administrator)."),
            discussion: Help.text("Columns: code,name,level,grade,kind,district,beds,departments (departments separated by ;)."))
        @OptionGroup(title: Help.text("Global options")) var options: GlobalOptions
        @Argument(help: .text("The CSV file (UTF-8, header row).")) var file: String
        @OptionGroup var change: ChangeOptions

        func run() async throws {
            try await CommandContext.run(options, change: change) { context in
                let text = try Input.text(file: file)
                // A progress bar only for a person at a terminal.
                let showProgress = !options.json && isatty(STDERR_FILENO) == 1
                try await context.call(
                    HospitalImport.self, ["csv": .string(text), "file": .string(file)],
                    progress: { done, total in
                        guard showProgress else { return }
                        let width = 30
                        let filled = total == 0 ? width : done * width / total
                        Stderr.write(
                            "\r[" + String(repeating: "#", count: filled) + String(repeating: " ", count: width - filled)
                                + "] \(done)/\(total)"
                                + (done == total ? "\n" : ""))
                    }
                ) { Language.current("hospital.imported", $0.imported, file) }
            }
        }
    }
}
