import Testing

@testable import YilianCLI

@Suite struct TextTableTests {
    @Test(arguments: [
        ("ZRYY", 4), ("中日友好医院", 12), ("北医三院 BYSY", 13), ("疼痛科", 6), ("ｆｕｌｌ", 8), ("e\u{301}", 1),
        ("🏥", 2), ("", 0), ("한국", 4), ("・", 2), ("\u{FF65}", 1),
    ])
    func displayWidthCountsWideCharactersTwice(text: String, width: Int) {
        #expect(TextTable.displayWidth(text) == width)
    }

    /// A wide last column is wrapped under itself to fit: broken between Chinese characters or at
    /// spaces, no line starting with a space or a closing mark.
    @Test func aLongLastColumnWrapsUnderItselfToFit() {
        let table = TextTable(
            headers: ["编号", "规则"],
            rows: [["lab", "全部满足（参加检查检验结果互认：要求 = true；不得满足（区县：要求 = 外埠））"], ["level3", "医院级别：要求 ≥ 3"]])
        #expect(
            table.render(width: 36) == """
                编号    规则
                ──────  ────────────────────────────
                lab     全部满足（参加检查检验结果互
                        认：要求 = true；不得满足
                        （区县：要求 = 外埠））
                level3  医院级别：要求 ≥ 3
                """)
        #expect(TextTable.wrap("要求 = true，还有", to: 6) == ["要求", "=", "true，", "还有"])
    }

    @Test func columnsLineUpWithChineseNames() {
        let table = TextTable(
            headers: ["Code", "Name", "Level"],
            rows: [["ZRYY", "中日友好医院", "3"], ["MYQYY", "密云区医院", "2"], ["CHC-1", "Community 1", "1"]])
        #expect(
            table.render() == """
                Code   Name          Level
                ─────  ────────────  ─────
                ZRYY   中日友好医院  3
                MYQYY  密云区医院    2
                CHC-1  Community 1   1
                """)
    }
}
