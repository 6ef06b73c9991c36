import Foundation
import ArgumentParser
import YilianCore
import YilianJSON

struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "report", abstract: "Alliance indicators for a period.")
    @OptionGroup var options: GlobalOptions
    @Option var alliance: String
    @Option(help: "First filing date, YYYY-MM-DD.") var from: String
    @Option(help: "Last filing date, YYYY-MM-DD (inclusive).") var to: String
    @Option(help: "month: also month by month.") var by: String?
    @Option(help: "table (default), json or csv.") var format: String = "table"
    @Option(help: "Also write an SVG chart of monthly up and down referrals and 下转率 to this file.") var svg: String?
    @Option(help: "Also write one self-contained HTML page with the tables and the chart to this file.") var html: String?

    func validate() throws {
        guard ["table", "json", "csv"].contains(format) else { throw ValidationError("--format must be table, json or csv.") }
    }

    static let columns = ["Up 门诊", "Up 住院", "Down 门诊", "Down 住院", "下转率", "Accepted", "Median h", "Overdue", "No-show", "Closed loop", "Slots"]

    /// The percent columns: shown as `80%` in the table, as the number 80 in CSV.
    static let percentColumns: Set<Int> = [5, 7, 8, 9, 10]

    /// One indicator row: counts, 下转率, median hours and rates in percent; nil where there is
    /// no value (no referral to count it on).
    static func values(_ indicators: JSONValue) -> [Double?] {
        func number(_ value: JSONValue?) -> Double? {
            switch value {
            case .integer(let number)?: return Double(number)
            case .number(let number)?: return number
            default: return nil
            }
        }
        func percent(_ key: String) -> Double? { number(indicators[key]).map { ($0 * 100).rounded() } }
        let up = indicators["up"] ?? [:], down = indicators["down"] ?? [:]
        return [number(up["outpatient"]), number(up["inpatient"]), number(down["outpatient"]), number(down["inpatient"]),
                number(indicators["downUpRatio"]).map(twoPlaces), percent("acceptanceRate"), number(indicators["medianHoursToFirstResponse"]),
                percent("overdueShare"), percent("noShowRate"), percent("closedLoopRate"), percent("slotUtilisation")]
    }

    /// Rows: the alliance, each member's sent referrals, and months when asked: the group and
    /// name as stored, and the indicators.
    static func rows(_ report: JSONValue) -> [(group: String, name: String, indicators: JSONValue)] {
        var rows = [("all", report.text("alliance"), report["overall"] ?? [:])]
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

    /// The table's text of indicator values: `-` where there is none, `80%` for rates.
    static func cells(_ indicators: JSONValue) -> [String] {
        values(indicators).enumerated().map { index, value in
            guard let value else { return "-" }
            return number(value) + (percentColumns.contains(index) ? "%" : "")
        }
    }

    /// The table's rows (see `rows`).
    static func tableRows(_ report: JSONValue) -> [[String]] {
        rows(report).map { [$0.group.visible(keepingLines: false), $0.name.visible(keepingLines: false)] + cells($0.indicators) }
    }

    /// CSV as a spreadsheet opens it safely (SPEC §3): a UTF-8 BOM so Excel reads the Chinese,
    /// numbers as numbers (percent columns say so in their heading), empty cells where there is
    /// no value, and text cells that a spreadsheet would run as a formula neutralised.
    static func csv(_ report: JSONValue) -> String {
        let headers = ["Group", "Name"] + columns.enumerated().map { percentColumns.contains($0) ? $1 + " (%)" : $1 }
        let lines = [headers.map(csvField)] + rows(report).map { row in
            [csvField(row.group), csvField(row.name)] + values(row.indicators).map { $0.map(number) ?? "" }
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
                guard let path else { continue }
                guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8)) else {
                    throw YilianError(.invalidParams, "Cannot write the file \(path).")
                }
            }
            if format == "csv" {
                // Not through the terminal's filter: the file is the spreadsheet's, neutralised for it.
                FileHandle.standardOutput.write(Data((Self.csv(report) + "\r\n").utf8))
                return
            }
            try context.output(report) {
                "Indicators of \(report.cell("alliance")), referrals filed \(report.cell("from")) to \(report.cell("to")) "
                    + "(members: referrals they sent)\n\n"
                    + TextTable(headers: ["Group", "Name"] + Self.columns, rows: Self.tableRows(report)).render()
            }
        }
    }

}

private func twoPlaces(_ value: Double) -> Double { (value * 100).rounded() / 100 }
