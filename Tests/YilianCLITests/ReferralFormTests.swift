import Foundation
import Testing
import YilianJSON
import YilianTestSupport

/// `yilian referral print` (SPEC §9): the two-way referral form, up and down, as one
/// self-contained A4 page with its three parts; printing is logged, and a third hospital prints nothing.
@Suite struct ReferralFormTests {
    /// The page's text as a reader sees it: tags dropped, white space collapsed, times and the
    /// appointment date (which depend on today) named.
    static func content(_ html: String, appointment: String) -> String {
        html.replacing(/<style>.*<\/style>/.dotMatchesNewlines(), with: "").replacing(/<br>/, with: " / ").replacing(/<[^>]+>/, with: " ")
            .replacing(/\d{4}-\d{2}-\d{2} \d{2}:\d{2} 北京时间/, with: "‹时间›").replacing(appointment, with: "‹预约日›")
            .replacing(/\s+/, with: " ").trimmingCharacters(in: .whitespaces)
    }

    @Test func theUpAndDownFormsHaveTheirThreePartsAndNothingFetched() async throws {
        let c = ReferralCommandTests.Coordinator(url: try await TestPostgres.freshDatabase(), transcript: .init())
        let date = CoordinatorDayTests.day(3)
        try ReliabilityFixture.seed(c.url, slots: [(date: date, capacity: 2)])
        try await c.run(
            CoordinatorDayTests.filing(
                from: "MYQYY", to: "ZRYY", CoordinatorDayTests.zhang + ["--patient-phone", "13800138000"],
                [
                    "--diagnosis", "M51.2:腰椎间盘突出症", "--summary", "腰痛 3 年，保守治疗 3 个月无效\n近 1 周加重", "--attachment",
                    "imaging:腰椎 MRI:PACS-2026-0001:MRI-L:2026-11-20:MYQYY", "--attachment", "lab:血常规:LIS-88",
                ]), as: "wang@MYQYY")
        try await c.run(["referral", "accept", "R-000001"], as: "li@ZRYY")
        try await c.run(["referral", "schedule", "R-000001", "--date", date], as: "li@ZRYY")
        try await c.run(["referral", "arrive", "R-000001"], as: "li@ZRYY")
        try await c.run(
            [
                "referral", "complete", "R-000001", "--summary", "行射频消融术，疼痛明显缓解", "--recommendation", "down_refer",
                "--diagnosis", "M51.2:腰椎间盘突出症", "--follow-up-days", "30",
            ], as: "li@ZRYY")
        try await c.run(
            [
                "referral", "file", "--alliance", "PAIN-BJ", "--from", "ZRYY", "--to", "MYQYY", "--setting", "outpatient",
                "--priority", "routine", "--consent", "--reason", "术后康复治疗", "--parent", "R-000001",
            ], as: "li@ZRYY")
        let chinese = ["YILIAN_DATABASE_URL": c.url, "LANG": "zh_CN.UTF-8", "TZ": "Asia/Shanghai"]

        let up = try await YilianBinary.run(["referral", "print", "R-000001", "--as", "wang@MYQYY"], environment: chinese)
        #expect(up.exitCode == 0, "\(up.stderr)")
        #expect(
            Self.content(up.stdout, appointment: date) == """
                双向转诊单（上转） 单号 R-000001 \
                双向转诊单（上转） 存根 密云区医院 → 中日友好医院 转出单位留存 单号 R-000001 \
                患者姓名 张三 性别 男 出生日期 1980-01-01 身份证号 **************018X 联系电话 13800138000 就诊方式 门诊 \
                转入单位 中日友好医院 疼痛科 转诊时间 ‹时间› 经办人 wang@MYQYY 初步诊断 M51.2 腰椎间盘突出症 转诊原因 疼痛控制不佳 紧急程度 普通 \
                ✂ 沿此线剪开 \
                双向转诊单（上转） 转诊单 密云区医院 → 中日友好医院 由患者携带至接诊单位 单号 R-000001 \
                中日友好医院疼痛科： / 兹有患者张三，因病情需要，转至贵院进一步诊治，请予接诊。 \
                患者姓名 张三 性别 男 出生日期 1980-01-01 身份证号 **************018X 联系电话 13800138000 就诊方式 门诊 \
                初步诊断 M51.2 腰椎间盘突出症 病史摘要 腰痛 3 年，保守治疗 3 个月无效 / 近 1 周加重 \
                已做检查 影像 腰椎 MRI（PACS-2026-0001） / 项目 MRI-L，2026-11-20 于 MYQYY 完成 / 不互认：MRI-L 不在本联盟此类结果的互认目录中 \
                / 检验 血常规（LIS-88） / 不互认：未注明本联盟互认目录中的项目 转诊原因 疼痛控制不佳 \
                紧急程度 普通 预约日期 ‹预约日› 转诊时间 ‹时间› 转出单位 密云区医院 经办人 wang@MYQYY 医联体 PAIN-BJ \
                转诊医生（签名） 密云区医院（盖章） 年 月 日 \
                ✂ 沿此线剪开 \
                双向转诊单（上转） 回执 密云区医院 → 中日友好医院 接诊单位填写后交回转出单位 单号 R-000001 \
                密云区医院： / 贵单位于 ‹时间› 转来的患者张三（单号 R-000001）已于 ‹时间› 到达中日友好医院疼痛科。 \
                接诊医生（签名） 中日友好医院（盖章） 年 月 日
                """)

        let down = try await YilianBinary.run(["referral", "print", "R-000002", "--as", "li@ZRYY"], environment: chinese)
        #expect(down.exitCode == 0, "\(down.stderr)")
        #expect(
            Self.content(down.stdout, appointment: date) == """
                双向转诊单（下转） 单号 R-000002 \
                双向转诊单（下转） 存根 中日友好医院 → 密云区医院 转出单位留存 单号 R-000002 \
                患者姓名 张三 性别 男 出生日期 1980-01-01 身份证号 **************018X 联系电话 13800138000 就诊方式 门诊 \
                转入单位 密云区医院 疼痛科 转诊时间 ‹时间› 经办人 li@ZRYY 初步诊断 M51.2 腰椎间盘突出症 转诊原因 术后康复治疗 紧急程度 普通 \
                ✂ 沿此线剪开 \
                双向转诊单（下转） 转诊单 中日友好医院 → 密云区医院 由患者携带至接诊单位 单号 R-000002 \
                密云区医院疼痛科： / 患者张三诊断明确、病情稳定，转回贵单位继续治疗和康复，请予接诊。 \
                患者姓名 张三 性别 男 出生日期 1980-01-01 身份证号 **************018X 联系电话 13800138000 就诊方式 门诊 \
                初步诊断 M51.2 腰椎间盘突出症 病史摘要 — 已做检查 — \
                治疗经过 行射频消融术，疼痛明显缓解 出院诊断 M51.2 腰椎间盘突出症 后续建议 下转继续治疗，30 天后随访 \
                转诊原因 术后康复治疗 紧急程度 普通 预约日期 待预约 转诊时间 ‹时间› 转出单位 中日友好医院 经办人 li@ZRYY 医联体 PAIN-BJ \
                转诊医生（签名） 中日友好医院（盖章） 年 月 日 \
                ✂ 沿此线剪开 \
                双向转诊单（下转） 回执 中日友好医院 → 密云区医院 接诊单位填写后交回转出单位 单号 R-000002 \
                中日友好医院： / 贵单位于 ‹时间› 转来的患者张三（单号 R-000002）已于 到达密云区医院疼痛科。 \
                接诊医生（签名） 密云区医院（盖章） 年 月 日
                """)

        for page in [up.stdout, down.stdout] {
            #expect(page.hasPrefix("<!DOCTYPE html>"))
            #expect(page.components(separatedBy: "<section class=\"part\">").count == 4)
            #expect(page.contains("@page { size: A4;"))
            for fetched in ["<script", "src=", "href=", "url(", "@import", "<link", "http:", "https:"] {
                #expect(!page.contains(fetched), "\(fetched)")
            }
            #expect(!page.contains("11010519800101018X"))
        }

        // A third hospital prints nothing; the printing was logged.
        let stranger = try await YilianBinary.run(
            ["referral", "print", "R-000001", "--as", "wang@JGYY"], environment: ["YILIAN_DATABASE_URL": c.url])
        #expect(stranger.exitCode == 66)
        #expect(stranger.stdout == "")
        let log = try await c.json(["audit", "list"], as: "ops@admin")
        let prints = (log["items"]?.arrayValue ?? []).filter { $0["method"] == "referral.print" }.map {
            "\($0["user"]?.stringValue ?? "")@\($0["hospital"]?.stringValue ?? ""): "
                + String(decoding: ($0["referrals"] ?? nil)?.serialized ?? [], as: UTF8.self)
        }
        #expect(prints == [#"li@ZRYY: ["R-000002","R-000001"]"#, #"wang@MYQYY: ["R-000001"]"#])
    }

    /// Written to a file with `--out`, in English with `--lang en`, the green channel marked.
    @Test func anEmergencyInEnglishToAFile() async throws {
        let c = ReferralCommandTests.Coordinator(url: try await TestPostgres.freshDatabase(), transcript: .init())
        try ReliabilityFixture.seed(c.url, slots: [])
        try await c.run(
            [
                "referral", "file", "--alliance", "PAIN-BJ", "--from", "MYQYY", "--to", "ZRYY", "--setting", "inpatient", "--priority",
                "emergency",
                "--consent", "--reason", "剧烈疼痛，镇痛无效", "--diagnosis", "G50.0:三叉神经痛",
            ] + CoordinatorDayTests.li, as: "wang@MYQYY")
        let file = FileManager.default.temporaryDirectory.appending(path: "form-\(UUID().uuidString).html")
        defer { try? FileManager.default.removeItem(at: file) }
        let printed = try await c.run(["referral", "print", "R-000001", "--out", file.path, "--lang", "en"], as: "wang@MYQYY")
        // Not silently: where it went, and what to do with it.
        #expect(printed.stdout == "Wrote \(file.path): open it in a browser and print it on A4.\n")
        let page = try String(contentsOf: file, encoding: .utf8)
        #expect(page.contains("<html lang=\"en\">"))
        #expect(page.components(separatedBy: "GREEN CHANNEL").count == 3)  // on the stub and on the form
        #expect(page.contains("We refer 李四 to you for diagnosis and treatment that their condition needs; please receive the patient."))
        #expect(page.contains("<th>Appointment</th><td>to be scheduled</td>"))
    }
}
