import ArgumentParser
import YilianCore
import YilianJSON
import YilianRPC
import YilianServices

/// `yilian plan`: the commission's planning of alliances (SPEC §15), the platform's administrator's.
struct PlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan", abstract: Help.text("The commission's planning: which specialties need an alliance, who leads, who joins."),
        subcommands: [Burden.self, Specialties.self, Alliance.self])

    struct Burden: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "burden", abstract: Help.text("The disease-burden table per district, specialty and year."),
            subcommands: [Import.self])

        struct Import: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "import",
                abstract: Help.text("Import the burden table from a CSV file, replacing the years it gives (platform administrator)."),
                discussion: Help.text("Columns: district,specialty,year,cases[,incidence] (incidence per 100,000)."))
            @OptionGroup(title: Help.text("Global options")) var options: GlobalOptions
            @Argument(help: .text("The CSV file (UTF-8, header row).")) var file: String
            @OptionGroup var change: ChangeOptions

            func run() async throws {
                try await CommandContext.run(options, change: change) { context in
                    try await context.call(PlanBurden.self, ["csv": .string(try Input.text(file: file)), "file": .string(file)]) {
                        Language.current("plan.imported", $0.imported, file)
                    }
                }
            }
        }
    }

    static func share(_ value: Double?) -> String { value.map(ReportCommand.number) ?? "-" }

    /// The specialties, most in need first, under the year's title.
    static func ranking(_ plan: SpecialtiesPlan) -> String {
        let language = Language.current
        guard let year = plan.year, !plan.specialties.isEmpty else {
            if plan.years.isEmpty { return language("plan.noBurden") }
            return language(
                "plan.noYear", plan.year.map(String.init) ?? "-", plan.years.map(String.init).joined(separator: language("list.separator")))
        }
        let rows = plan.specialties.enumerated().map { rank, item in
            let need = item.need
            return [
                String(rank + 1), item.specialty.cell, item.name.cell, String(need.cases), String(need.members),
                share(need.membersPer10k), share(need.slotsPer10k),
                need.alliances.isEmpty ? language("plan.none") : need.alliances.map(\.cell).joined(separator: " "),
                need.worstDistricts.map(\.cell).joined(separator: language("list.separator")),
            ]
        }
        return language("plan.specialtiesTitle", year) + "\n\n"
            + TextTable(
                headers: headings(
                    "rank", "code", "specialtyName", "cases", "members", "membersPer10k", "slotsPer10k", "alliances", "worstDistricts"),
                rows: rows
            ).render(width: 100)
            + (plan.unregisteredDistricts.isEmpty
                ? ""
                : "\n\n"
                    + language("plan.unregistered", plan.unregisteredDistricts.map(\.cell).joined(separator: language("list.separator"))))
    }

    struct Specialties: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "specialties",
            abstract: Help.text("Specialties ranked by burden against what alliances offer (most in need first)."))
        @OptionGroup(title: Help.text("Global options")) var options: GlobalOptions
        @Option(help: .text("The burden table's year (default: its latest).")) var year: Int?

        func run() async throws {
            try await CommandContext.run(options) { context in
                try await context.call(PlanSpecialties.self, ["year": year.map(JSONValue.integer)], text: PlanCommand.ranking)
            }
        }
    }

    struct Alliance: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "alliance",
            abstract: Help.text("Plan a specialty's alliance: the core to propose and every hospital evaluated, by district."),
            discussion: Help.text(
                """
                Without --criteria-file the specialty's alliance's current criteria are used.

                Example:
                  yilian plan alliance --specialty pain --as ops@admin
                """))
        @OptionGroup(title: Help.text("Global options")) var options: GlobalOptions
        @Option(help: .text("The specialty code, e.g. pain. Required."), completion: Choices.codes(of: .specialty)) var specialty: String
        @Option(help: .text("Criteria JSON to evaluate against (as criteria set takes them).")) var criteriaFile: String?
        @Option(help: .text("Also write one self-contained HTML page with the district chart and the tables to this file.")) var html:
            String?

        func run() async throws {
            try await CommandContext.run(options) { context in
                let answer = try await context.answer(
                    PlanAlliance.self,
                    ["specialty": .string(specialty), "criteria": try Input.json(inline: nil, file: criteriaFile, name: "criteria")])
                if let html { try HTML.write(PlanPage.html(answer.0), to: html) }
                try await context.show(answer, text: PlanCommand.describe)
            }
        }
    }

    /// The plan in sentences: the proposed core, what the hospitals were judged by, and an
    /// existing alliance's expansion.
    static func summary(_ plan: AlliancePlanView) -> String {
        let language = Language.current
        func listed(_ items: [String]) -> String {
            items.isEmpty ? language("plan.none") : items.map(\.cell).joined(separator: language("list.separator"))
        }
        var text =
            plan.proposedCore.map {
                language(
                    "plan.core", plan.name.cell, $0.name.cell, $0.code.cell, $0.level,
                    $0.keySpecialty.map { language.word("keySpecialty", $0).cell } ?? "-")
            } ?? language("plan.noCore", plan.name.cell)
        if let alliance = plan.alliance {
            text +=
                "\n"
                + language("plan.expansion", alliance.cell, listed(named(plan.expansion, in: plan)), listed(plan.districtsWithoutMembers))
        }
        return text
    }

    /// Hospitals of the plan by name with their codes (`顺义区医院（SYQYY）`), stored text made safe.
    static func named(_ codes: [String], in plan: AlliancePlanView) -> [String] {
        let names = Dictionary(plan.districts.flatMap(\.hospitals).map { ($0.code, $0.name) }) { first, _ in first }
        return codes.map { code in names[code].map { "\($0.cell)（\(code.cell)）" } ?? code.cell }
    }

    /// Every hospital as judged, district by district.
    static func rows(_ plan: AlliancePlanView) -> [[String]] {
        let language = Language.current
        return plan.districts.flatMap { district in
            district.hospitals.map {
                [
                    district.district?.cell ?? language("plan.noDistrict"), $0.code.cell, $0.name.cell, String($0.level),
                    $0.role.word("role"),
                    $0.decision.word("decision"), "\($0.score)/\($0.passScore)", $0.member ? language("yes") : "",
                ]
            }
        }
    }

    /// The plan as the terminal shows it: the summary, what judged, the hospitals' table.
    static func describe(_ plan: AlliancePlanView) -> String {
        let language = Language.current
        let judged =
            plan.criteriaVersion.map { language("plan.criteriaVersion", plan.alliance?.cell ?? "-", $0) } ?? language("plan.criteriaGiven")
        return summary(plan) + "\n" + judged + "\n\n"
            + TextTable(headers: headings("district", "code", "name", "level", "role", "decision", "score", "isMember"), rows: rows(plan))
            .render()
    }
}
