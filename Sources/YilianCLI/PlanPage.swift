import Foundation
import YilianCore
import YilianServices

/// The plan of a specialty's alliance as one self-contained HTML page (SPEC §15): the proposed
/// core, a chart and a table of the districts (cases against members), and every hospital as the
/// criteria judge it. No scripts, nothing fetched.
enum PlanPage {
    /// The district's name as the page shows it (hospitals without one named so).
    static func name(_ district: DistrictPlan) -> String { district.district?.cell ?? Language.current("plan.noDistrict") }

    /// Bars of each district's cases, least served first, each labelled with its members per
    /// 10,000 cases.
    static func svg(_ plan: AlliancePlanView) -> String {
        let language = Language.current
        let rows = plan.byDistrict.filter { $0.cases != nil }
        let barHeight = 22.0
        let left = 120.0
        let width = 760.0
        let plotWidth = width - left - 250
        let top = 48.0
        let height = top + Double(max(rows.count, 1)) * (barHeight + 10) + 24
        let most = Double(max(1, rows.compactMap(\.cases).max() ?? 1))
        var svg = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" viewBox="0 0 \(Int(width)) \(Int(height))" font-family="\(HTML.fonts)" font-size="12">
            <rect width="100%" height="100%" fill="#ffffff"/>
            <text x="\(Int(left))" y="26" font-size="15" font-weight="bold" fill="#222">\(HTML.escape(language("plan.chart", plan.name.cell, plan.year.map(String.init) ?? "-")))</text>

            """
        for (index, row) in rows.enumerated() {
            let y = top + Double(index) * (barHeight + 10)
            let length = plotWidth * Double(row.cases ?? 0) / most
            let served = row.membersPer10k.map(ReportCommand.number) ?? "-"
            svg +=
                "<text x=\"\(Int(left - 8))\" y=\"\(ReportChart.number(y + 15))\" text-anchor=\"end\" fill=\"#333\">\(HTML.escape(name(row)))</text>\n"
            svg +=
                "<rect x=\"\(Int(left))\" y=\"\(ReportChart.number(y))\" width=\"\(ReportChart.number(length))\" height=\"\(Int(barHeight))\" fill=\"\(row.members == 0 ? "#dc2626" : "#2563eb")\"><title>\(HTML.escape(language("plan.barTitle", name(row), row.cases ?? 0, row.members)))</title></rect>\n"
            svg +=
                "<text x=\"\(ReportChart.number(left + length + 6))\" y=\"\(ReportChart.number(y + 15))\" fill=\"#333\">\(HTML.escape(language("plan.barLabel", row.cases ?? 0, row.members, served)))</text>\n"
        }
        return svg + "</svg>\n"
    }

    static func html(_ plan: AlliancePlanView) -> String {
        let language = Language.current
        let table = HTML.table
        let districtRows = plan.byDistrict.map {
            [
                name($0), $0.cases.map(String.init) ?? "-", String($0.members), $0.membersPer10k.map(ReportCommand.number) ?? "-",
                String($0.hospitals),
                $0.invite.isEmpty
                    ? "-" : PlanCommand.named($0.invite, in: plan).joined(separator: language("list.separator")),
            ]
        }
        let hospitals = PlanCommand.rows(plan)
        return """
            <!DOCTYPE html>
            <html lang="\(language == .zh ? "zh-CN" : "en")"><head><meta charset="utf-8">
            <title>\(HTML.escape(language("plan.htmlTitle", plan.name.cell)))</title>
            <style>
            body { font-family: \(HTML.fonts); margin: 24px; color: #222; }
            table { border-collapse: collapse; margin: 12px 0 28px; font-size: 13px; }
            th, td { border: 1px solid #ddd; padding: 4px 8px; text-align: left; }
            th { background: #f3f4f6; }
            .note { color: #555; font-size: 13px; }
            </style></head><body>
            <h1>\(HTML.escape(language("plan.htmlTitle", plan.name.cell)))</h1>
            \(PlanCommand.summary(plan).split(separator: "\n").map { "<p>\(HTML.escape(String($0)))</p>" }.joined(separator: "\n"))
            <p class="note">\(HTML.escape(language("plan.htmlNote")))</p>
            \(plan.need == nil ? "" : svg(plan))
            <h2>\(HTML.escape(language("plan.htmlDistricts")))</h2>
            \(table(headings("district", "cases", "members", "membersPer10k", "hospitals", "invite"), districtRows))
            <h2>\(HTML.escape(language("plan.htmlHospitals")))</h2>
            \(table(headings("district", "code", "name", "level", "role", "decision", "score", "isMember"), hospitals))
            </body></html>

            """
    }
}
