import ArgumentParser
import Foundation
import YilianCore
import YilianJSON
import YilianRPC
import YilianServices

struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: Help.text("Alliance indicators for a period."),
        discussion: Help.text(
            """
            Example: the year by month, as a table, a spreadsheet and an HTML page:
              yilian report --alliance PAIN-BJ --from 2026-01-01 --to 2026-12-31 \\
                --by month --as li@ZRYY
              yilian report --alliance PAIN-BJ --from 2026-01-01 --to 2026-12-31 \\
                --format csv --as li@ZRYY > 2026.csv
              yilian report --alliance PAIN-BJ --from 2026-01-01 --to 2026-12-31 \\
                --html 2026.html --as li@ZRYY
            """))

    @OptionGroup(title: Help.text("Global options")) var options: GlobalOptions
    @Option(help: .text("The alliance, e.g. PAIN-BJ. Required."), completion: Choices.codes(of: .alliance)) var alliance: String
    @Option(help: .text("First filing date, YYYY-MM-DD (a day of the alliance's time zone). Required.")) var from: String
    @Option(help: .text("Last filing date, YYYY-MM-DD (inclusive). Required.")) var to: String
    @Option(help: .text("month: also month by month, every month of the period."), completion: .list(["month"])) var by: String?
    @Option(help: .text("table (default), json or csv (for a spreadsheet)."), completion: .list(["table", "json", "csv"])) var format:
        String =
            "table"
    @Option(help: .text("Also write an SVG chart of monthly up and down referrals and 下转率 to this file.")) var svg: String?
    @Option(help: .text("Also write one self-contained HTML page with the tables and the chart to this file.")) var html: String?

    func validate() throws {
        guard ["table", "json", "csv"].contains(format) else { throw ValidationError(Language.current("usage.format")) }
    }

    /// One indicator column: its heading (a catalogue key), whether it is a percent, and its
    /// value in a group's indicators (nil where there is nothing to count it on).
    struct Column: Sendable {
        let key: String
        let percent: Bool
        let value: @Sendable (Indicators) -> Double?
    }

    typealias Path<Root, Value> = KeyPath<Root, Value> & Sendable

    /// The counts' parts as the catalogue names them: `report.up.filed.outpatient`.
    static let directions: [(String, Path<Indicators, DirectionCounts>)] = [("up", \.up), ("down", \.down)]
    static let kinds: [(String, Path<DirectionCounts, SettingCounts>)] = [("filed", \.filed), ("transferred", \.transferred)]
    static let settings: [(String, Path<SettingCounts, Int>)] = [("outpatient", \.outpatient), ("inpatient", \.inpatient)]

    static func count(
        _ direction: (String, Path<Indicators, DirectionCounts>), _ kind: (String, Path<DirectionCounts, SettingCounts>),
        _ setting: (String, Path<SettingCounts, Int>)
    ) -> Column {
        Column(key: "report.\(direction.0).\(kind.0).\(setting.0)", percent: false) {
            Double($0[keyPath: direction.1][keyPath: kind.1][keyPath: setting.1])
        }
    }

    static func rate(_ key: String, _ value: Path<Indicators, Double?>) -> Column {
        Column(key: "report.\(key)", percent: true) { $0[keyPath: value].map { ($0 * 100).rounded() } }
    }

    /// The rates and figures after the counts, in every layout.
    static let figures = [
        rate("downUpRatio", \.downUpRatio), rate("acceptanceRate", \.acceptanceRate),
        Column(key: "report.medianHoursToFirstResponse", percent: false) { $0.medianHoursToFirstResponse },
        rate("overdueShare", \.overdueShare), rate("noShowRate", \.noShowRate), rate("closedLoopRate", \.closedLoopRate),
        rate("slotUtilisation", \.slotUtilisation),
    ]

    /// CSV: one number per cell, filed and transferred apart.
    static let csvColumns =
        directions.flatMap { direction in kinds.flatMap { kind in settings.map { count(direction, kind, $0) } } } + figures

    /// The table: per direction and setting `filed/transferred` in one cell, to fit a terminal.
    static let tableCounts = directions.flatMap { direction in settings.map { (direction, $0) } }

    /// Rows: the alliance, each member's sent referrals, and months when asked: the group and
    /// name as stored, and the indicators.
    static func rows(_ report: IndicatorReport) -> [(group: String, name: String, indicators: Indicators)] {
        [(Language.current("report.all"), report.alliance, report.overall)]
            + report.members.map { ($0.hospital, $0.name, $0.sent) }
            + (report.months ?? []).map { ($0.month, "", $0.indicators) }
    }

    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }

    /// A share as a whole percent, as the table shows rates (`17%`); `-` without one.
    static func percent(_ share: Double?) -> String { share.map { number(($0 * 100).rounded()) + "%" } ?? "-" }

    static func headers(_ first: String) -> [String] {
        let language = Language.current
        return [language(first), language("report.name")]
            + tableCounts.map { language("report.\($0.0.0).\($0.1.0)") } + figures.map { language($0.key) }
    }

    /// The table's text of a group's indicators: `filed/transferred` counts, `-` where there is
    /// no value, `80%` for rates.
    static func cells(_ indicators: Indicators) -> [String] {
        let counts = tableCounts.map { direction, setting in
            kinds.map { count(direction, $0, setting).value(indicators).map(number) ?? "0" }.joined(separator: "/")
        }
        return counts
            + figures.map { column in
                guard let value = column.value(indicators) else { return "-" }
                return number(value) + (column.percent ? "%" : "")
            }
    }

    /// The period's consultations in one sentence: asked, answered, the median first response,
    /// answered in time and converted.
    static func consultations(_ report: IndicatorReport) -> String {
        let c = report.consultations
        func figure(_ value: Double?, percent: Bool) -> String {
            guard let value else { return "-" }
            return percent ? number(value * 100) + "%" : number(value)
        }
        return Language.current(
            "report.consultations", String(c.asked), String(c.answered), figure(c.medianHoursToFirstResponse, percent: false),
            figure(c.answeredInTimeShare, percent: true), figure(c.convertedShare, percent: true))
    }

    /// The period's results in one sentence: how many the referrals carried and the alliance
    /// recognised (each a repeat examination avoided, SPEC §13).
    static func recognition(_ report: IndicatorReport) -> String {
        let r = report.recognition
        return Language.current(
            "report.recognition", String(r.results), String(r.recognized), percent(r.recognizedShare))
    }

    /// The results by sending member (those that sent any) and by catalogue item: headers and rows.
    static func recognitionTables(_ report: IndicatorReport) -> [(headers: [String], rows: [[String]])] {
        let language = Language.current
        func figures(_ r: RecognitionIndicators) -> [String] {
            [String(r.results), String(r.recognized), percent(r.recognizedShare)]
        }
        let counts = ["report.results", "report.recognized", "report.recognizedShare"].map { language($0) }
        let members = report.members.filter { $0.recognition.results > 0 }.map {
            [$0.hospital.cell, $0.name.cell] + figures($0.recognition)
        }
        let items = report.recognitionItems.map {
            [$0.item?.cell ?? language("report.noItem"), $0.name?.cell ?? "-"] + figures($0.recognition)
        }
        return [
            ([language("report.member"), language("report.name")] + counts, members),
            ([language("report.item"), language("report.name")] + counts, items),
        ].filter { !$0.1.isEmpty }
    }

    /// The period's outreach in one sentence: sessions, patients booked and members visited
    /// (SPEC §14).
    static func outreach(_ report: IndicatorReport) -> String {
        let o = report.outreach
        return Language.current(
            "report.outreach", String(o.sessions), String(o.patients), String(o.visited), String(o.members),
            percent(o.visitedShare))
    }

    /// The sessions and patients by member visited and by expert: headers and rows.
    static func outreachTables(_ report: IndicatorReport) -> [(headers: [String], rows: [[String]])] {
        let language = Language.current
        let counts = [language("report.sessions"), language("report.patients")]
        let members = report.members.filter { $0.outreach.sessions > 0 }.map {
            [$0.hospital.cell, $0.name.cell, String($0.outreach.sessions), String($0.outreach.patients)]
        }
        let experts = report.outreach.experts.map {
            [$0.expert.cell, $0.name.cell, String($0.outreach.sessions), String($0.outreach.patients)]
        }
        return [
            ([language("report.member"), language("report.name")] + counts, members),
            ([language("report.expert"), language("report.expertName")] + counts, experts),
        ].filter { !$0.1.isEmpty }
    }

    /// The report under its title: the indicators' table, the slot rule's, the consultations, the
    /// results recognised and the experts' outreach (each part after a blank line).
    static func body(_ report: IndicatorReport) -> String {
        func tables(_ tables: [(headers: [String], rows: [[String]])]) -> String {
            tables.map { "\n\n" + TextTable(headers: $0.headers, rows: $0.rows).render() }.joined()
        }
        return TextTable(headers: headers("report.group"), rows: tableRows(report)).render() + ruleText(report) + "\n\n"
            + consultations(report) + "\n\n" + recognition(report) + tables(recognitionTables(report)) + "\n\n" + outreach(report)
            + tables(outreachTables(report))
    }

    /// The table's rows (see `rows`).
    static func tableRows(_ report: IndicatorReport) -> [[String]] {
        rows(report).map { [$0.group.cell, $0.name.cell] + cells($0.indicators) }
    }

    /// The Beijing slot rule of the core and tertiary members (their own slots): headers and rows;
    /// none for an alliance that does not follow it (`slotRule`).
    static func rule(_ report: IndicatorReport) -> (headers: [String], rows: [[String]])? {
        guard report.slotRule == .beijing else { return nil }
        let language = Language.current
        let shares = [rate("reservedShare", \.reservedShare), rate("expertShare", \.expertShare), rate("earlyShare", \.earlyShare)]
        let members = report.members.filter { $0.role == .core || $0.role == .collaborating }
        return (
            [language("report.member"), language("report.name")] + shares.map { language($0.key) },
            members.map { member in
                [member.hospital.cell, member.name.cell]
                    + shares.map { share in share.value(member.received).map { number($0) + "%" } ?? "-" }
            }
        )
    }

    /// The Beijing slot rule's table under its heading, after a blank line; nothing without it.
    static func ruleText(_ report: IndicatorReport) -> String {
        guard let rule = rule(report) else { return "" }
        return "\n\n" + Language.current("report.rule") + "\n" + TextTable(headers: rule.headers, rows: rule.rows).render()
    }

    /// CSV as a spreadsheet opens it safely (SPEC §3): a UTF-8 BOM so Excel reads the Chinese,
    /// numbers as numbers (percent columns say so in their heading), empty cells where there is
    /// no value, and text cells that a spreadsheet would run as a formula neutralised. For a
    /// terminal the text cells' controls are shown as the tables show them, else (a file) the
    /// text is as stored.
    static func csv(_ report: IndicatorReport, forTerminal: Bool) -> String {
        let language = Language.current
        func field(_ text: String) -> String { csvField(forTerminal ? text.visible(keepingLines: false) : text) }
        let headers =
            [language("report.group"), language("report.name")]
            + csvColumns.map { language($0.key) + ($0.percent ? " (%)" : "") }
        let lines =
            [headers.map(field)]
            + rows(report).map { row in
                [field(row.group), field(row.name)] + csvColumns.map { $0.value(row.indicators).map(number) ?? "" }
            }
        // The 互认 and outreach tables below, each after an empty line: two text columns (a code and
        // a name), then numbers as numbers.
        let below = (recognitionTables(report) + outreachTables(report)).flatMap { table in
            [[String]()] + [table.headers.map(field)]
                + table.rows.map { row in row.prefix(2).map(field) + row.dropFirst(2).map { $0.replacingOccurrences(of: "%", with: "") } }
        }
        return "\u{FEFF}" + (lines + below).map { $0.joined(separator: ",") }.joined(separator: "\r\n")
    }

    /// A text cell: starting with `=`, `+`, `-`, `@`, a tab or a carriage return it gets a
    /// leading `'` (OWASP's advice), so no spreadsheet runs it; quoted when it must be.
    static func csvField(_ text: String) -> String {
        var text = text
        if let first = text.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) { text = "'" + text }
        return text.contains(where: { ",\"\n\r".contains($0) }) ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
    }

    func run() async throws {
        var options = self.options
        if format == "json" { options.json = true }
        try await CommandContext.run(options) { context in
            // The chart is by month, so ask for months when a picture is wanted.
            let monthly = by ?? (svg != nil || html != nil ? "month" : nil)
            let params: [String: JSONValue?] = [
                "alliance": .string(alliance), "from": .string(from), "to": .string(to), "by": monthly.map(JSONValue.string),
            ]
            let (report, json) = try await context.answer(ReportIndicators.self, params)
            for (path, text) in [(svg, ReportChart.svg(report)), (html, ReportChart.html(report))] {
                if let path { try HTML.write(text, to: path) }
            }
            if format == "csv" {
                // Written as it is (CRLF lines), to a terminal with the text cells made visible.
                let csv = Self.csv(report, forTerminal: isatty(STDOUT_FILENO) == 1)
                FileHandle.standardOutput.write(Data((csv + "\r\n").utf8))
                return
            }
            try await context.show((report, json)) {
                Language.current("report.title", $0.alliance.cell, $0.from.cell, $0.to.cell)
                    + ($0.asOf.map { "\n" + Language.current("report.asOf", JSONCoding.iso8601($0)) } ?? "") + "\n\n" + Self.body($0)
            }
        }
    }

}
