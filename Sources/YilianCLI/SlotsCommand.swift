import ArgumentParser
import Foundation
import YilianCore
import YilianJSON
import YilianRPC
import YilianServices

struct SlotsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "slots", abstract: Help.text("Reserved referral slots (号源下沉)."), subcommands: [Publish.self, List.self])

    /// Slots, each with `change` (what publishing did) when given.
    static func table(_ slots: [Slot], changes: [String]? = nil) -> String {
        let language = Language.current
        if slots.isEmpty { return language("slots.none") }
        let headers = [
            "slots.date", "slots.hospital", "slots.specialty", "slots.capacity", "slots.booked", "slots.available", "slots.expert",
            "slots.total",
        ].map { language($0) }
        let rows = slots.enumerated().map { index, slot in
            [
                slot.date.cell, slot.hospital.cell, slot.specialty.cell, String(slot.capacity), String(slot.booked), String(slot.available),
                "\(slot.expertBooked)/\(slot.expert)", slot.total.cell,
            ] + (changes.map { [$0[index]] } ?? [])
        }
        return TextTable(headers: headers + (changes == nil ? [] : [language("slots.change")]), rows: rows).render()
    }

    struct Publish: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "publish",
            abstract: Help.text("Publish reserved capacity on a date or a range of dates (the receiving hospital)."),
            discussion: Help.text(
                """
                Reserved slots serve up-referrals. Each date says whether it was created, changed (and from what) or unchanged.

                Example: 6 of the clinic's 20 slots each weekday of December, 3 of them expert slots:
                  yilian slots publish --hospital ZRYY --specialty pain \\
                    --from 2026-12-01 --to 2026-12-31 --weekdays 1,2,3,4,5 \\
                    --capacity 6 --expert 3 --total 20 --as li@ZRYY
                """))

        @OptionGroup(title: Help.text("Global options")) var options: GlobalOptions
        @OptionGroup var change: ChangeOptions
        @Option(help: .text("Your hospital's code (default: the acting user's)."), completion: Choices.codes(of: .hospital)) var hospital:
            String?
        @Option(help: .text("The clinic's specialty code, e.g. pain. Required."), completion: Choices.codes(of: .specialty)) var specialty:
            String
        @Option(help: .text("The first date, YYYY-MM-DD (today or later). Required.")) var from: String
        @Option(help: .text("The last date (default: --from).")) var to: String?
        @Option(help: ArgumentHelp.text("Only these weekdays, 1 (Monday) to 7 (Sunday), e.g. 1,3,5.", valueName: "days")) var weekdays:
            String?
        @Option(help: .text("Reserved units on each date. Required.")) var capacity: Int
        @Option(help: .text("Of those, expert units (专家号).")) var expert: Int?
        @Option(help: .text("All slots of the clinic on each date (for the reserved share).")) var total: Int?

        func run() async throws {
            try await CommandContext.run(options, change: change) { context in
                let days = try weekdays.map { text in
                    try text.split(separator: ",").map { part -> JSONValue in
                        guard let day = Int(part.trimmingCharacters(in: .whitespaces)) else {
                            throw YilianError.invalidParams([Problem("weekdays", Text("problem.weekdays"))])
                        }
                        return .integer(day)
                    }
                }
                let hospital = try await context.hospital(hospital)
                try await context.call(
                    SlotsPublish.self,
                    [
                        "hospital": .string(hospital), "specialty": .string(specialty), "from": .string(from),
                        "to": to.map(JSONValue.string),
                        "weekdays": days.map(JSONValue.array), "capacity": .integer(capacity), "expert": expert.map(JSONValue.integer),
                        "total": total.map(JSONValue.integer),
                    ]
                ) { published in
                    SlotsCommand.table(
                        published.map(\.slot),
                        changes: published.map { item in
                            guard let before = item.before else { return Language.current("slots.\(item.change.cell)") }
                            return Language.current("slots.changedFrom", String(before.capacity), String(before.expert))
                        })
                }
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: Help.text("List reserved slots."))
        @OptionGroup(title: Help.text("Global options")) var options: GlobalOptions
        @Option(help: .text("Only this hospital's slots."), completion: Choices.codes(of: .hospital)) var hospital: String?
        @Option(help: .text("Only this specialty's slots."), completion: Choices.codes(of: .specialty)) var specialty: String?
        @Option(help: .text("From this date, YYYY-MM-DD.")) var from: String?
        @Option(help: .text("To this date, YYYY-MM-DD.")) var to: String?

        func run() async throws {
            try await CommandContext.run(options) { context in
                try await context.call(
                    SlotsList.self,
                    [
                        "hospital": hospital.map(JSONValue.string), "specialty": specialty.map(JSONValue.string),
                        "from": from.map(JSONValue.string),
                        "to": to.map(JSONValue.string),
                    ]
                ) { SlotsCommand.table($0) }
            }
        }
    }
}
