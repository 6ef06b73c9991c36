import ArgumentParser
import YilianCore
import YilianJSON
import YilianRPC
import YilianServices

struct AllianceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alliance", abstract: Help.text("Specialty alliances and their members."),
        subcommands: [Create.self, Show.self, List.self])

    static func describe(_ alliance: AllianceView) -> String {
        let hours = alliance.responseHours
        let language = Language.current
        let header = TextTable.keyValue([
            (language("col.code"), alliance.code.cell), (language("col.name"), alliance.name.cell),
            (language("col.specialty"), language.word("specialty", alliance.specialty).cell), (language("col.core"), alliance.core.cell),
            (language("col.status"), language.word("allianceStatus", alliance.status).cell),
            (
                language("alliance.criteria"),
                alliance.criteriaVersion == 0
                    ? language("alliance.noCriteria") : language("alliance.version", String(alliance.criteriaVersion))
            ),
            (
                language("alliance.respondWithin"),
                language("alliance.hours", String(hours.emergency), String(hours.urgent), String(hours.routine))
            ),
            (language("alliance.timeZone"), alliance.timeZone.cell),
            (language("alliance.slotsEarly"), language("alliance.days", String(alliance.slotLeadDays))),
            (
                language("alliance.slotRule"),
                alliance.slotRule.map { language.word("slotRule", $0.rawValue) } ?? language("alliance.noSlotRule")
            ),
        ])
        let members = TextTable(
            headers: [language("col.member"), language("col.role"), language("col.status"), LocalTime.heading("col.since")],
            rows: alliance.members.map {
                [$0.hospital.cell, $0.role.word("role"), $0.status.word("membershipStatus"), $0.since.tableTime]
            })
        return header + "\n\n" + members.render()
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "create", abstract: Help.text("Create an alliance led by a level-3 core hospital (platform administrator)."))
        @OptionGroup(title: Help.text("Global options")) var options: GlobalOptions
        @OptionGroup var change: ChangeOptions
        @Option(help: .text("The alliance's code: capitals, digits and -, e.g. PAIN-BJ. Required.")) var code: String
        @Option(help: .text("Its name, e.g. 北京地区疼痛专科医联体. Required.")) var name: String
        @Option(help: .text("Its specialty code, e.g. pain (yilian specialty list). Required."), completion: Choices.codes(of: .specialty))
        var specialty: String
        @Option(help: .text("The core hospital's code (level 3). Required."), completion: Choices.codes(of: .hospital)) var core: String
        @Option(help: ArgumentHelp.text("Response windows in hours: EMERGENCY,URGENT,ROUTINE (default 2,24,72).", valueName: "hours"))
        var responseHours: String?
        @Option(
            help: ArgumentHelp.text("The time zone reports, slot dates and today are cut in (default Asia/Shanghai).", valueName: "zone"))
        var timeZone: String?
        @Option(help: .text("Slots published at least this many days ahead count as released early (default 14).")) var slotLeadDays: Int?
        @Option(
            help: Choices.help("The slot rule its report shows (default none)", SlotRule.self),
            completion: .list(Choices.codes(SlotRule.self)))
        var slotRule: String?

        func run() async throws {
            try await CommandContext.run(options, change: change) { context in
                var hours: JSONValue?
                if let responseHours {
                    let parts = responseHours.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
                    guard parts.count == 3 else {
                        throw YilianError.invalidParams([Problem("responseHours", Text("problem.responseHoursFormat"))])
                    }
                    hours = ["emergency": .integer(parts[0]), "urgent": .integer(parts[1]), "routine": .integer(parts[2])]
                }
                try await context.call(
                    AllianceCreate.self,
                    [
                        "code": .string(code), "name": .string(name), "specialty": .string(specialty), "core": .string(core),
                        "responseHours": hours,
                        "timeZone": timeZone.map(JSONValue.string), "slotLeadDays": slotLeadDays.map(JSONValue.integer),
                        "slotRule": slotRule.map(JSONValue.string),
                    ], text: AllianceCommand.describe)
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: Help.text("Show an alliance and its members."))
        @OptionGroup(title: Help.text("Global options")) var options: GlobalOptions
        @Argument(help: .text("The alliance's code, e.g. PAIN-BJ."), completion: Choices.codes(of: .alliance)) var code: String

        func run() async throws {
            try await CommandContext.run(options) { context in
                try await context.call(AllianceGet.self, ["code": .string(code)], text: AllianceCommand.describe)
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: Help.text("List alliances."))
        @OptionGroup(title: Help.text("Global options")) var options: GlobalOptions
        @OptionGroup var page: PageOptions

        func run() async throws {
            try await CommandContext.run(options) { context in
                try await context.call(AllianceList.self, page.params) { page in
                    pageText(page, headers: headings("code", "name", "specialty", "core", "members", "status")) {
                        [
                            $0.code.cell, $0.name.cell, Language.current.word("specialty", $0.specialty).cell, $0.core.cell,
                            String($0.members.count), Language.current.word("allianceStatus", $0.status).cell,
                        ]
                    }
                }
            }
        }
    }
}
