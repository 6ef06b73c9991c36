import ArgumentParser
import YilianCore
import YilianJSON

struct AllianceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alliance", abstract: "Specialty alliances and their members.", subcommands: [Create.self, Show.self, List.self])

    static func describe(_ alliance: JSONValue) -> String {
        let hours = alliance["responseHours"] ?? [:]
        let language = Language.current
        let header = TextTable.keyValue([
            (language("col.code"), alliance.cell("code")), (language("col.name"), alliance.cell("name")),
            (language("col.specialty"), alliance.word("specialty", "specialty")), (language("col.core"), alliance.cell("core")),
            (language("col.status"), alliance.word("allianceStatus", "status")),
            (language("alliance.criteria"), language("alliance.version", alliance.cell("criteriaVersion"))),
            (language("alliance.respondWithin"), language("alliance.hours", hours.cell("emergency"), hours.cell("urgent"), hours.cell("routine"))),
            (language("alliance.timeZone"), alliance.cell("timeZone")), (language("alliance.slotsEarly"), language("alliance.days", alliance.cell("slotLeadDays"))),
        ])
        let members = TextTable(
            headers: [language("col.member"), language("col.role"), language("col.status"), LocalTime.heading("col.since")],
            rows: (alliance["members"]?.items ?? []).map {
                [$0.cell("hospital"), $0.word("role", "role"), $0.word("membershipStatus", "status"), ($0["since"] ?? nil).tableTime]
            })
        return header + "\n\n" + members.render()
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create an alliance led by a level-3 core hospital (platform administrator).")
        @OptionGroup var options: GlobalOptions
        @OptionGroup var change: ChangeOptions
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
            try await CommandContext.run(options, change: change) { context in
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
                     "timeZone": timeZone.map(JSONValue.string), "slotLeadDays": slotLeadDays.map(JSONValue.integer)], text: AllianceCommand.describe)
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
                    pageText(page, headers: headings("code", "name", "specialty", "core", "members", "status")) {
                        [$0.cell("code"), $0.cell("name"), $0.word("specialty", "specialty"), $0.cell("core"), String($0["members"]?.items.count ?? 0),
                         $0.word("allianceStatus", "status")]
                    }
                }
            }
        }
    }
}
