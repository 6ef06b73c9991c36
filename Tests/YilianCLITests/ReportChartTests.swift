import Foundation
import Testing
import YilianCore
import YilianJSON
import YilianRepository

@testable import YilianCLI
@testable import YilianServices

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// The report pictures are self-contained: well-formed, no scripts, nothing fetched from elsewhere.
@Suite struct ReportChartTests {
    /// Indicators where `up` and `down` referrals arrived (the chart's bars; 下转率 is down / up).
    static func arrived(up: Int, down: Int) -> Indicators {
        var counts = IndicatorCounts()
        (counts.upOutpatientArrived, counts.downOutpatientArrived) = (up, down)
        return Indicators(counts, slotRule: .beijing)
    }

    static let none = ConsultationIndicators(
        asked: 0, answered: 0, medianHoursToFirstResponse: nil, answeredInTimeShare: nil, convertedShare: nil)

    static let report = IndicatorReport(
        alliance: "PAIN-BJ <script>alert(1)</script> & co", slotRule: .beijing, from: "2025-01-01", to: "2025-03-31",
        overall: arrived(up: 2, down: 1),
        consultations: none,
        members: [
            MemberIndicators(
                hospital: "ZRYY", name: "中日友好医院 \"核心\"", role: .core, sent: arrived(up: 0, down: 0), received: arrived(up: 0, down: 0),
                consultations: MemberConsultations(sent: none, received: none),
                recognition: RecognitionIndicators(results: 2, recognized: 1), outreach: OutreachCount(sessions: 0, patients: 0)),
            MemberIndicators(
                hospital: "MYQYY", name: "密云区医院 <i>", role: .cooperating, sent: arrived(up: 2, down: 0), received: arrived(up: 0, down: 1),
                consultations: MemberConsultations(sent: none, received: none),
                recognition: RecognitionIndicators(results: 0, recognized: 0), outreach: OutreachCount(sessions: 2, patients: 7)),
        ],
        recognition: RecognitionIndicators(results: 2, recognized: 1),
        recognitionItems: [
            ItemRecognition(item: "MRI-L", name: "腰椎 <b>MRI</b>", recognition: RecognitionIndicators(results: 2, recognized: 1))
        ],
        outreach: OutreachIndicators(
            sessions: 2, patients: 7, members: 1, visited: 1, visitedShare: 1,
            experts: [ExpertOutreach(expert: "fan@ZRYY", name: "樊教授 <b>", outreach: OutreachCount(sessions: 2, patients: 7))]),
        months: [
            MonthIndicators(month: "2025-01", indicators: arrived(up: 10, down: 4)),
            MonthIndicators(month: "2025-02", indicators: arrived(up: 0, down: 3)),
            MonthIndicators(month: "2025-03", indicators: arrived(up: 8, down: 8)),
        ])

    final class Collector: NSObject, XMLParserDelegate {
        var elements: [String] = []
        var attributes: [String: String] = [:]
        var texts = ""
        func parser(
            _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
            attributes: [String: String] = [:]
        ) {
            elements.append(name)
            self.attributes.merge(attributes) { first, _ in first }
        }
        func parser(_ parser: XMLParser, foundCharacters string: String) { texts += string }
    }

    @Test func theSVGIsWellFormedWithoutScriptsOrExternalReferences() throws {
        let svg = Language.$current.withValue(.zh) { ReportChart.svg(Self.report) }
        let parser = XMLParser(data: Data(svg.utf8))
        let collector = Collector()
        parser.delegate = collector
        #expect(parser.parse(), "\(String(describing: parser.parserError))")
        #expect(collector.elements.first == "svg")
        #expect(!collector.elements.contains("script"))
        #expect(!collector.elements.contains { ["image", "use", "foreignObject", "a", "style"].contains($0) })
        #expect(collector.attributes.keys.allSatisfy { !$0.hasPrefix("on") && $0 != "href" && $0 != "xlink:href" })
        #expect(!svg.contains("url("))
        #expect(!svg.contains("@import"))
        // The hostile alliance name is text, not markup.
        #expect(collector.texts.contains("PAIN-BJ <script>alert(1)</script> & co"))
        // Two bars a month and the 下转率 points where there is a ratio.
        #expect(collector.elements.filter { $0 == "rect" }.count == 1 + 3 * 2 + 2)  // background, bars, legend
        #expect(collector.elements.filter { $0 == "circle" }.count == 2)
        #expect(collector.texts.contains("下转率"))
    }

    @Test func theHTMLPageHoldsTheChartAndTablesAndFetchesNothing() {
        let html = ReportChart.html(Self.report)
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.contains("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        #expect(html.contains("中日友好医院 &quot;核心&quot;"))
        #expect(!html.lowercased().contains("<script"))
        #expect(!html.contains("src="))
        #expect(!html.contains("<link"))
        #expect(!html.contains("http://") || html.components(separatedBy: "http://").count == 2)  // only the SVG namespace
    }

    /// One language per page: the English page's own words are English (the stored names stay).
    @Test func eachPageIsInOneLanguage() {
        let english = Language.$current.withValue(.en) { ReportChart.html(Self.report) }
        let chinese = Language.$current.withValue(.zh) { ReportChart.html(Self.report) }
        #expect(english.contains("<html lang=\"en\">"))
        #expect(chinese.contains("<html lang=\"zh-CN\">"))
        let stored = english.replacing("中日友好医院 &quot;核心&quot;", with: "").replacing("密云区医院 &lt;i&gt;", with: "").replacing(
            "樊教授 &lt;b&gt;", with: ""
        ).replacing(
            "腰椎 &lt;b&gt;MRI&lt;/b&gt;", with: "")
        #expect(!stored.contains { $0.unicodeScalars.first!.value >= 0x4E00 && $0.unicodeScalars.first!.value <= 0x9FFF }, "\(stored)")
        #expect(chinese.contains("下转率") && chinese.contains("上转门诊") && !chinese.contains("Referrals filed"))
    }
}
