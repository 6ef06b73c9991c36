import ArgumentParser
import YilianCore
import YilianJSON

struct AllianceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alliance", abstract: "Specialty alliances and their members.", subcommands: [Create.self, Show.self, List.self])

    static func describe(_ alliance: JSONValue) -> String {
        let hours = alliance["responseHours"] ?? [:]
        let header = TextTable.keyValue([
            ("code", alliance.cell("code")), ("name", alliance.cell("name")), ("specialty", alliance.cell("specialty")),
            ("core", alliance.cell("core")), ("status", alliance.cell("status")), ("criteria", "version \(alliance.cell("criteriaVersion"))"),
            ("respond within", "\(hours.cell("emergency")) h emergency, \(hours.cell("urgent")) h urgent, \(hours.cell("routine")) h routine"),
            ("time zone", alliance.cell("timeZone")), ("slots early", "\(alliance.cell("slotLeadDays")) days ahead"),
        ])
        let members = TextTable(
            headers: ["Member", "Role", "Status", "Since"],
            rows: (alliance["members"]?.items ?? []).map { [$0.cell("hospital"), $0.cell("role"), $0.cell("status"), ($0["since"] ?? nil).shortTime] })
        return header + "\n\n" + members.render()
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create an alliance led by a level-3 core hospital (platform administrator).")
        @OptionGroup var options: GlobalOptions
        @Option var code: String
        @Option var name: String
        @Option(help: "A specialty code, e.g. pain.") var specialty: String
        @Option(help: "The core hospital's code.") var core: String
        @Option(help: ArgumentHelp("Response windows in hours: EMERGENCY,URGENT,ROUTINE (default 2,24,72).", valueName: "hours"))
        var responseHours: String?
        @Option(help: ArgumentHelp("The time zone reports, slot dates and today are cut in (default Asia/Shanghai).", valueName: "zone"))
        var timeZone: String?
        @Option(help: "Slots published at least this many days ahead count as released early (default 14).") var slotLeadDays: Int?

        func run() async throws {
            try await CommandContext.run(options) { context in
                var hours: JSONValue?
                if let responseHours {
                    let parts = responseHours.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
                    guard parts.count == 3 else {
                        throw YilianError.invalidParams([Problem("responseHours", "must be three whole numbers: EMERGENCY,URGENT,ROUTINE")])
                    }
                    hours = ["emergency": .integer(parts[0]), "urgent": .integer(parts[1]), "routine": .integer(parts[2])]
                }
                try await context.call(
                    "alliance.create",
                    ["code": .string(code), "name": .string(name), "specialty": .string(specialty), "core": .string(core), "responseHours": hours,
                     "timeZone": timeZone.map(JSONValue.string), "slotLeadDays": slotLeadDays.map(JSONValue.integer)],
                    mutating: true, text: AllianceCommand.describe)
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show an alliance and its members.")
        @OptionGroup var options: GlobalOptions
        @Argument var code: String

        func run() async throws {
            try await CommandContext.run(options) { context in
                try await context.call("alliance.get", ["code": .string(code)], text: AllianceCommand.describe)
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List alliances.")
        @OptionGroup var options: GlobalOptions
        @Option var limit: Int?
        @Option var cursor: String?

        func run() async throws {
            try await CommandContext.run(options) { context in
                try await context.call("alliance.list", ["limit": limit.map(JSONValue.integer), "cursor": cursor.map(JSONValue.string)]) { page in
                    pageText(page, headers: ["Code", "Name", "Specialty", "Core", "Members", "Status"]) {
                        [$0.cell("code"), $0.cell("name"), $0.cell("specialty"), $0.cell("core"), String($0["members"]?.items.count ?? 0), $0.cell("status")]
                    }
                }
            }
        }
    }
}
