import Foundation
import Testing
import YilianJSON
import YilianTestSupport

/// `yilian consultation` end to end (SPEC §7): written advice → an opinion → the conclusion →
/// converted into a referral that is carried through to closed; a third hospital sees nothing.
@Suite struct ConsultationCommandTests {
    @Test func adviceOpinionConclusionConversionAndTheReferralClosed() async throws {
        let c = ReferralCommandTests.Coordinator(url: try await TestPostgres.freshDatabase(), transcript: .init())
        let date = CoordinatorDayTests.day(3)
        try ReliabilityFixture.seed(c.url, slots: [(date: date, capacity: 2)])
        let asked = try await c.run(
            [
                "consultation", "request", "--alliance", "PAIN-BJ", "--from", "MYQYY", "--to", "ZRYY", "--mode", "advice", "--priority",
                "urgent",
                "--question", "保守治疗 3 个月无效，是否需要介入治疗？", "--diagnosis", "M54.5:腰痛", "--attachment", "imaging:腰椎 MRI:PACS-1",
            ]
                + CoordinatorDayTests.zhang + ["--consent"], as: "wang@MYQYY")
        #expect(asked.stdout.hasPrefix("Asked C-000001 written advice MYQYY → ZRYY, urgent, requested, respond by "), "\(asked.stdout)")
        try await c.run(["consultation", "accept", "C-000001"], as: "li@ZRYY")
        let early = try await c.run(["consultation", "conclude", "C-000001", "--conclusion", "x"], as: "li@ZRYY", expect: 1)
        #expect(early.stderr == "Consultation C-000001 has no opinion yet; conclude it after at least one.\n")
        try await c.run(["consultation", "opine", "C-000001", "--summary", "建议射频治疗", "--recommendation", "refer_up"], as: "li@ZRYY")
        let concluded = try await c.run(["consultation", "conclude", "C-000001", "--conclusion", "建议上转行射频治疗"], as: "li@ZRYY")
        #expect(concluded.stdout == "C-000001 written advice MYQYY → ZRYY, urgent, answered\n")
        let wrongSide = try await c.run(["consultation", "convert", "C-000001", "--setting", "outpatient"], as: "li@ZRYY", expect: 77)
        #expect(wrongSide.stderr == "Only the requesting hospital may convert a consultation.\n")
        let converted = try await c.run(["consultation", "convert", "C-000001", "--setting", "outpatient"], as: "wang@MYQYY")
        // It names the referral it filed.
        let said = converted.stdout.split(separator: "\n").map(String.init)
        #expect(said.first == "C-000001 written advice MYQYY → ZRYY, urgent, answered", "\(converted.stdout)")
        #expect(said.last?.hasPrefix("Filed the referral: R-000001 up MYQYY → ZRYY, urgent outpatient, requested, respond by ") == true)

        // The referral it became, carried through to closed.
        let referral = try await c.json(["referral", "show", "R-000001"], as: "li@ZRYY")
        #expect(referral["consultation"] == "C-000001" && referral["reason"] == "建议上转行射频治疗" && referral["direction"] == "up")
        try await c.run(["referral", "accept", "R-000001"], as: "li@ZRYY")
        try await c.run(["referral", "schedule", "R-000001", "--date", date], as: "li@ZRYY")
        try await c.run(["referral", "arrive", "R-000001"], as: "li@ZRYY")
        try await c.run(["referral", "complete", "R-000001", "--summary", "射频治疗后缓解", "--recommendation", "follow_up"], as: "li@ZRYY")
        try await c.run(["referral", "acknowledge", "R-000001"], as: "wang@MYQYY")
        #expect(try await c.json(["referral", "show", "R-000001"], as: "wang@MYQYY")["status"] == "closed")
        try await c.run(["consultation", "acknowledge", "C-000001"], as: "wang@MYQYY")

        let shown = try await YilianBinary.run(
            ["consultation", "show", "C-000001", "--as", "wang@MYQYY"],
            environment: ["YILIAN_DATABASE_URL": c.url, "LANG": "zh_CN.UTF-8", "TZ": "Asia/Shanghai"])
        let lines = shown.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "会诊单      C-000001 图文会诊 MYQYY → ZRYY，加急，已闭环", "\(shown.stdout)")
        #expect(lines.contains("专家意见    li@ZRYY：建议射频治疗 → 建议上转"))
        #expect(lines.contains("会诊结论    建议上转行射频治疗"))
        #expect(lines.contains("已转为转诊  R-000001"))
        #expect(lines.contains("附件        影像 腰椎 MRI (PACS-1)"))
        #expect(LanguageTests.english(shown.stdout) == [], "\(shown.stdout)")
        let referralShown = try await c.run(["referral", "show", "R-000001"], as: "li@ZRYY")
        #expect(
            referralShown.stdout.contains("from consultation  C-000001") || referralShown.stdout.contains("from consultation C-000001"),
            "\(referralShown.stdout)")
        let history = try await c.json(["consultation", "history", "C-000001"], as: "li@ZRYY")
        #expect(
            (history["history"]?.arrayValue ?? []).map { $0["action"]?.stringValue ?? "" } == [
                "request", "accept", "opine", "conclude", "convert", "acknowledge",
            ])

        // Printed: the 会诊意见单, its text as the reader sees it, nothing fetched, logged.
        let printed = try await YilianBinary.run(
            ["consultation", "print", "C-000001", "--as", "wang@MYQYY"],
            environment: ["YILIAN_DATABASE_URL": c.url, "LANG": "zh_CN.UTF-8", "TZ": "Asia/Shanghai"])
        let page = ReferralFormTests.content(printed.stdout, appointment: "no appointment on this page")
        #expect(page.hasPrefix("会诊意见单 单号 C-000001 会诊意见单 图文会诊 密云区医院 → 中日友好医院 已闭环 单号 C-000001 患者姓名 张三"), "\(page)")
        #expect(page.contains("身份证号 **************018X 申请单位 密云区医院 申请时间 ‹时间›"))
        #expect(page.contains("会诊目的 保守治疗 3 个月无效，是否需要介入治疗？ 已做检查 影像 腰椎 MRI（PACS-1） "))
        #expect(page.contains("会诊专家 li@ZRYY 建议 建议上转 意见时间 ‹时间› 专家意见 建议射频治疗 会诊结论 建议上转行射频治疗 已转为转诊 R-000001"))
        #expect(page.hasSuffix("会诊专家（签名） 中日友好医院（盖章） 年 月 日"))
        #expect(!printed.stdout.contains("<script") && !printed.stdout.contains("http") && !printed.stdout.contains("11010519800101018X"))
        let log = try await c.json(["audit", "list", "--referral", "C-000001"], as: "ops@admin")
        #expect((log["items"]?.arrayValue ?? []).contains { $0["method"] == "consultation.print" })

        // A third hospital: nothing.
        let stranger = try await c.run(["consultation", "show", "C-000001"], as: "wang@JGYY", expect: 66)
        #expect(stranger.stderr == "No consultation has the id C-000001.\n")
        #expect(try await c.run(["consultation", "list"], as: "wang@JGYY").stdout == "Nothing found.\n")
    }
}
