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
