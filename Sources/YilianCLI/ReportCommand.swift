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

    static func cells(_ indicators: JSONValue) -> [String] {
        func percent(_ key: String) -> String {
            guard let value = indicators[key]?.number else { return "-" }
            return String(Int((value * 100).rounded())) + "%"
        }
        let up = indicators["up"] ?? [:], down = indicators["down"] ?? [:]
        return [up.cell("outpatient"), up.cell("inpatient"), down.cell("outpatient"), down.cell("inpatient"),
                indicators["downUpRatio"]?.number.map { String(twoPlaces($0)) } ?? "-", percent("acceptanceRate"),
                indicators.cell("medianHoursToFirstResponse"), percent("overdueShare"), percent("noShowRate"), percent("closedLoopRate"),
                percent("slotUtilisation")]
    }

    /// Rows: the alliance, each member's sent referrals, and months when asked.
    static func rows(_ report: JSONValue) -> [[String]] {
        var rows = [["all", report.cell("alliance")] + cells(report["overall"] ?? [:])]
        for member in report["members"]?.items ?? [] {
            rows.append([member.cell("hospital"), member.cell("name")] + cells(member["sent"] ?? [:]))
        }
        for month in report["months"]?.items ?? [] {
            rows.append([month.cell("month"), ""] + cells(month["indicators"] ?? [:]))
        }
        return rows
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
            try context.output(report) {
                let headers = ["Group", "Name"] + Self.columns
                if format == "csv" {
                    return ([headers] + Self.rows(report)).map { $0.map(Self.csvField).joined(separator: ",") }.joined(separator: "\n")
                }
                return "Indicators of \(report.cell("alliance")), referrals filed \(report.cell("from")) to \(report.cell("to")) "
                    + "(members: referrals they sent)\n\n" + TextTable(headers: headers, rows: Self.rows(report)).render()
            }
        }
    }

    static func csvField(_ text: String) -> String {
        text.contains(where: { ",\"\n".contains($0) }) ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
    }
}

private func twoPlaces(_ value: Double) -> Double { (value * 100).rounded() / 100 }
