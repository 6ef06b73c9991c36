import ArgumentParser
import Foundation
import YilianCore
import YilianJSON

struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "Alliance indicators for a period.",
        discussion: """
            Example: the year by month, as a table, a spreadsheet and an HTML page:
              yilian report --alliance PAIN-BJ --from 2026-01-01 --to 2026-12-31 \\
                --by month --as li@ZRYY
              yilian report --alliance PAIN-BJ --from 2026-01-01 --to 2026-12-31 \\
                --format csv --as li@ZRYY > 2026.csv
              yilian report --alliance PAIN-BJ --from 2026-01-01 --to 2026-12-31 \\
                --html 2026.html --as li@ZRYY
            """)
    @OptionGroup(title: "Global options") var options: GlobalOptions
    @Option(help: "The alliance, e.g. PAIN-BJ. Required.", completion: Choices.codes(of: .alliance)) var alliance: String
    @Option(help: "First filing date, YYYY-MM-DD (a day of the alliance's time zone). Required.") var from: String
    @Option(help: "Last filing date, YYYY-MM-DD (inclusive). Required.") var to: String
    @Option(help: "month: also month by month, every month of the period.", completion: .list(["month"])) var by: String?
    @Option(help: "table (default), json or csv (for a spreadsheet).", completion: .list(["table", "json", "csv"])) var format: String =
        "table"
    @Option(help: "Also write an SVG chart of monthly up and down referrals and 下转率 to this file.") var svg: String?
    @Option(help: "Also write one self-contained HTML page with the tables and the chart to this file.") var html: String?

    func validate() throws {
        guard ["table", "json", "csv"].contains(format) else { throw ValidationError(Language.current("usage.format")) }
    }

    /// One indicator column: its heading (a catalogue key), whether it is a percent, and its
    /// value in a group's indicators (nil where there is nothing to count it on).
    struct Column: Sendable {
        let key: String
        let percent: Bool
        let value: @Sendable (JSONValue) -> Double?
    }

    static func number(_ value: JSONValue?) -> Double? {
        switch value {
        case .integer(let number)?: return Double(number)
        case .number(let number)?: return number
        default: return nil
        }
    }

    static func count(_ direction: String, _ kind: String, _ setting: String) -> Column {
        Column(key: "report.\(direction).\(kind).\(setting)", percent: false) { number($0[direction]?[kind]?[setting]) }
    }

    static func rate(_ key: String) -> Column {
        Column(key: "report.\(key)", percent: true) { number($0[key]).map { ($0 * 100).rounded() } }
    }

    /// The rates and figures after the counts, in every layout.
    static let figures = [
        Column(key: "report.downUpRatio", percent: false) { number($0["downUpRatio"]).map { ($0 * 100).rounded() / 100 } },
        rate("acceptanceRate"),
        Column(key: "report.medianHoursToFirstResponse", percent: false) { number($0["medianHoursToFirstResponse"]) },
        rate("overdueShare"), rate("noShowRate"), rate("closedLoopRate"), rate("slotUtilisation"),
    ]

    /// CSV: one number per cell, filed and transferred apart.
    static let csvColumns =
        ["up", "down"].flatMap { direction in
            ["filed", "transferred"].flatMap { kind in ["outpatient", "inpatient"].map { count(direction, kind, $0) } }
        } + figures

    /// The table: per direction and setting `filed/transferred` in one cell, to fit a terminal.
    static let tableCounts = ["up", "down"].flatMap { direction in ["outpatient", "inpatient"].map { (direction, $0) } }

    /// Rows: the alliance, each member's sent referrals, and months when asked: the group and
    /// name as stored, and the indicators.
    static func rows(_ report: JSONValue) -> [(group: String, name: String, indicators: JSONValue)] {
        var rows = [(Language.current("report.all"), report.text("alliance"), report["overall"] ?? [:])]
        for member in report["members"]?.items ?? [] {
            rows.append((member.text("hospital"), member.text("name"), member["sent"] ?? [:]))
        }
        for month in report["months"]?.items ?? [] {
            rows.append((month.text("month"), "", month["indicators"] ?? [:]))
        }
        return rows
    }

    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }

    static func headers(_ first: String) -> [String] {
        let language = Language.current
        return [language(first), language("report.name")]
            + tableCounts.map { language("report.\($0.0).\($0.1)") } + figures.map { language($0.key) }
    }

    /// The table's text of a group's indicators: `filed/transferred` counts, `-` where there is
    /// no value, `80%` for rates.
    static func cells(_ indicators: JSONValue) -> [String] {
        let counts = tableCounts.map { direction, setting in
            ["filed", "transferred"].map { count(direction, $0, setting).value(indicators).map(number) ?? "0" }.joined(separator: "/")
        }
        return counts
            + figures.map { column in
                guard let value = column.value(indicators) else { return "-" }
                return number(value) + (column.percent ? "%" : "")
            }
    }

    /// The period's consultations in one sentence: asked, answered, the median first response,
    /// answered in time and converted.
    static func consultations(_ report: JSONValue) -> String {
        let c = report["consultations"] ?? [:]
        func figure(_ key: String, percent: Bool) -> String {
            guard let value = number(c[key] ?? nil) else { return "-" }
            return percent ? number(value * 100) + "%" : number(value)
        }
        return Language.current(
            "report.consultations", c.cell("asked"), c.cell("answered"), figure("medianHoursToFirstResponse", percent: false),
            figure("answeredInTimeShare", percent: true), figure("convertedShare", percent: true))
    }

    /// The table's rows (see `rows`).
    static func tableRows(_ report: JSONValue) -> [[String]] {
        rows(report).map { [$0.group.visible(keepingLines: false), $0.name.visible(keepingLines: false)] + cells($0.indicators) }
    }

    /// The Beijing slot rule of the core and tertiary members (their own slots): headers and rows.
    static func rule(_ report: JSONValue) -> (headers: [String], rows: [[String]]) {
        let language = Language.current
        let shares = ["reservedShare", "expertShare", "earlyShare"].map(rate)
        let members = (report["members"]?.items ?? []).filter { ["core", "collaborating"].contains($0["role"]?.stringValue ?? "") }
        return (
            [language("report.member"), language("report.name")] + shares.map { language($0.key) },
            members.map { member in
                [member.cell("hospital"), member.cell("name")]
                    + shares.map { share in
                        share.value(member["received"] ?? [:]).map { number($0) + "%" } ?? "-"
                    }
            }
        )
    }

    /// CSV as a spreadsheet opens it safely (SPEC §3): a UTF-8 BOM so Excel reads the Chinese,
    /// numbers as numbers (percent columns say so in their heading), empty cells where there is
    /// no value, and text cells that a spreadsheet would run as a formula neutralised. For a
    /// terminal the text cells' controls are shown as the tables show them, else (a file) the
    /// text is as stored.
    static func csv(_ report: JSONValue, forTerminal: Bool) -> String {
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
        return "\u{FEFF}" + lines.map { $0.joined(separator: ",") }.joined(separator: "\r\n")
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
            var params: JSONObject = ["alliance": .string(alliance), "from": .string(from), "to": .string(to)]
            params["by"] = monthly.map(JSONValue.string)
            let report = try await context.fetch("report.indicators", params)
            for (path, text) in [(svg, ReportChart.svg(report)), (html, ReportChart.html(report))] {
                if let path { try HTML.write(text, to: path) }
            }
            if format == "csv" {
                // Written as it is (CRLF lines), to a terminal with the text cells made visible.
                let csv = Self.csv(report, forTerminal: isatty(STDOUT_FILENO) == 1)
                FileHandle.standardOutput.write(Data((csv + "\r\n").utf8))
                return
            }
            try context.output(report) {
                let rule = Self.rule(report)
                return Language.current("report.title", report.cell("alliance"), report.cell("from"), report.cell("to")) + "\n\n"
                    + TextTable(headers: Self.headers("report.group"), rows: Self.tableRows(report)).render()
                    + (rule.rows.isEmpty
                        ? "" : "\n\n" + Language.current("report.rule") + "\n" + TextTable(headers: rule.headers, rows: rule.rows).render())
                    + "\n\n" + Self.consultations(report)
            }
        }
    }

}
