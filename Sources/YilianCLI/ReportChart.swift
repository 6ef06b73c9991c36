import Foundation
import YilianCore
import YilianJSON
import YilianServices

/// Self-contained pictures of an indicator report: an SVG chart of monthly up and down
/// referrals with the 下转率 line, and one HTML page with the tables and the chart. No scripts,
/// no external fonts, images or style sheets.
enum ReportChart {
    static func number(_ value: Double) -> String { String(format: "%.1f", value) }

    static func svg(_ report: IndicatorReport) -> String {
        let months = report.months ?? []
        let width = 760.0
        let height = 380.0
        let left = 56.0
        let right = 56.0
        let top = 56.0
        let bottom = 64.0
        let plotWidth = width - left - right
        let plotHeight = height - top - bottom
        let language = Language.current
        // Transferred (the patients who arrived), as 下转率 counts them.
        let ups = months.map { Double($0.indicators.up.transferred.total) }
        let downs = months.map { Double($0.indicators.down.transferred.total) }
        let ratios = months.map(\.indicators.downUpRatio)
        let maxCount = max(1, (ups + downs).max() ?? 1)
        let countStep = max(1, (maxCount / 5).rounded(.up))
        let countTop = countStep * 5
        let ratioTop = max(1, (ratios.compactMap { $0 }.max() ?? 0).rounded(.up))
        let slot = plotWidth / Double(max(1, months.count))
        let bar = min(28, slot / 3)
        func y(_ count: Double) -> Double { top + plotHeight * (1 - count / countTop) }
        func yRatio(_ ratio: Double) -> Double { top + plotHeight * (1 - ratio / ratioTop) }

        var svg = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" viewBox="0 0 \(Int(width)) \(Int(height))" font-family="\(HTML.fonts)" font-size="12">
            <title>\(HTML.escape(language("chart.title", report.alliance.cell, report.from.cell, report.to.cell)))</title>
            <rect width="100%" height="100%" fill="#ffffff"/>
            <text x="\(Int(left))" y="28" font-size="16" font-weight="bold" fill="#222">\(HTML.escape(language("chart.heading", report.alliance.cell)))</text>

            """
        for step in 0...5 {
            let value = countStep * Double(step)
            let lineY = y(value)
            svg +=
                "<line x1=\"\(number(left))\" y1=\"\(number(lineY))\" x2=\"\(number(width - right))\" y2=\"\(number(lineY))\" stroke=\"#e5e5e5\"/>\n"
            svg += "<text x=\"\(number(left - 8))\" y=\"\(number(lineY + 4))\" text-anchor=\"end\" fill=\"#555\">\(Int(value))</text>\n"
            let ratio = ratioTop * Double(step) / 5
            svg +=
                "<text x=\"\(number(width - right + 8))\" y=\"\(number(lineY + 4))\" fill=\"#c2410c\">\(number((ratio * 100).rounded()))%</text>\n"
        }
        svg += "<text x=\"\(number(left - 40))\" y=\"\(number(top - 12))\" fill=\"#555\">\(HTML.escape(language("chart.count")))</text>\n"
        svg +=
            "<text x=\"\(number(width - right - 8))\" y=\"\(number(top - 12))\" fill=\"#c2410c\">\(HTML.escape(language("report.downUpRatio")))</text>\n"
        var points: [String] = []
        for (index, month) in months.enumerated() {
            let center = left + slot * (Double(index) + 0.5)
            svg +=
                "<rect x=\"\(number(center - bar - 1))\" y=\"\(number(y(ups[index])))\" width=\"\(number(bar))\" height=\"\(number(top + plotHeight - y(ups[index])))\" fill=\"#2563eb\"><title>\(HTML.escape(language("chart.up"))) \(Int(ups[index]))</title></rect>\n"
            svg +=
                "<rect x=\"\(number(center + 1))\" y=\"\(number(y(downs[index])))\" width=\"\(number(bar))\" height=\"\(number(top + plotHeight - y(downs[index])))\" fill=\"#16a34a\"><title>\(HTML.escape(language("chart.down"))) \(Int(downs[index]))</title></rect>\n"
            svg +=
                "<text x=\"\(number(center))\" y=\"\(number(top + plotHeight + 18))\" text-anchor=\"middle\" fill=\"#333\">\(HTML.escape(month.month.cell))</text>\n"
            if let ratio = ratios[index] {
                points.append("\(number(center)),\(number(yRatio(ratio)))")
                svg +=
                    "<circle cx=\"\(number(center))\" cy=\"\(number(yRatio(ratio)))\" r=\"3.5\" fill=\"#ea580c\"><title>\(HTML.escape(language("report.downUpRatio"))) \(number((ratio * 100).rounded()))%</title></circle>\n"
            }
        }
        if points.count > 1 {
            svg += "<polyline points=\"\(points.joined(separator: " "))\" fill=\"none\" stroke=\"#ea580c\" stroke-width=\"2\"/>\n"
        }
        svg +=
            "<line x1=\"\(number(left))\" y1=\"\(number(top + plotHeight))\" x2=\"\(number(width - right))\" y2=\"\(number(top + plotHeight))\" stroke=\"#333\"/>\n"
        // The legend's items follow each other by the width of their labels (12 px type: about
        // 6.5 px per column, a CJK character two columns).
        let legendY = height - 18
        let up = language("chart.up")
        let down = language("chart.down")
        let downX = left + 30 + Double(TextTable.displayWidth(up)) * 6.5
        let ratioX = downX + 30 + Double(TextTable.displayWidth(down)) * 6.5
        svg += """
            <rect x="\(Int(left))" y="\(number(legendY - 10))" width="12" height="12" fill="#2563eb"/><text x="\(Int(left + 18))" y="\(number(legendY))">\(HTML.escape(up))</text>
            <rect x="\(Int(downX))" y="\(number(legendY - 10))" width="12" height="12" fill="#16a34a"/><text x="\(Int(downX + 18))" y="\(number(legendY))">\(HTML.escape(down))</text>
            <line x1="\(Int(ratioX))" y1="\(number(legendY - 4))" x2="\(Int(ratioX + 20))" y2="\(number(legendY - 4))" stroke="#ea580c" stroke-width="2"/><text x="\(Int(ratioX + 26))" y="\(number(legendY))">\(HTML.escape(language("chart.ratio")))</text>
            </svg>

            """
        return svg
    }

    static func html(_ report: IndicatorReport) -> String {
        let table = HTML.table
        let language = Language.current
        let received = report.members.map { [$0.hospital.cell, $0.name.cell] + ReportCommand.cells($0.received) }
        return """
            <!DOCTYPE html>
            <html lang="\(language == .zh ? "zh-CN" : "en")"><head><meta charset="utf-8">
            <title>\(HTML.escape(language("html.title", report.alliance.cell, report.from.cell, report.to.cell)))</title>
            <style>
            body { font-family: \(HTML.fonts); margin: 24px; color: #222; }
            table { border-collapse: collapse; margin: 12px 0 28px; font-size: 13px; }
            th, td { border: 1px solid #ddd; padding: 4px 8px; text-align: right; }
            th:nth-child(-n+2), td:nth-child(-n+2) { text-align: left; }
            th { background: #f3f4f6; }
            </style></head><body>
            <h1>\(HTML.escape(language("html.heading", report.alliance.cell)))</h1>
            <p>\(HTML.escape(language("html.period", report.from.cell, report.to.cell)))</p>
            \(svg(report))
            <h2>\(HTML.escape(language("html.sent")))</h2>
            \(table(ReportCommand.headers("report.group"), ReportCommand.tableRows(report)))
            <h2>\(HTML.escape(language("html.received")))</h2>
            \(table(ReportCommand.headers("report.member"), received))
            \(ReportCommand.rule(report).map { "<h2>\(HTML.escape(language("report.rule")))</h2>\n" + table($0.headers, $0.rows) } ?? "")
            <p>\(HTML.escape(ReportCommand.consultations(report)))</p>
            <h2>\(HTML.escape(language("html.recognition")))</h2>
            <p>\(HTML.escape(ReportCommand.recognition(report)))</p>
            \(ReportCommand.recognitionTables(report).map { table($0.headers, $0.rows) }.joined(separator: "\n"))
            <h2>\(HTML.escape(language("html.outreach")))</h2>
            <p>\(HTML.escape(ReportCommand.outreach(report)))</p>
            \(ReportCommand.outreachTables(report).map { table($0.headers, $0.rows) }.joined(separator: "\n"))
            </body></html>

            """
    }
}
