import Testing
import YilianCore

@Suite struct HospitalCSVTests {
    @Test func quotedFieldsWithCommasQuotesAndNewlines() {
        let text =
            "\u{FEFF}code,name,level,departments\r\n"
            + "ZRYY,\"中日友好医院, 朝阳\",3,pain;orthopedics\r\n"
            + "BYSY,\"北医\"\"三院\"\"\",3,\r\n"
            + "MYQYY,\"密云区\n医院\",2,pain\n"
            + "JGYY,健宫医院,2,pain"
        let (hospitals, problems) = HospitalCSV.parse(text)
        #expect(problems.isEmpty)
        #expect(hospitals.map(\.line) == [2, 3, 4, 6])
        #expect(hospitals.map(\.hospital.name) == ["中日友好医院, 朝阳", "北医\"三院\"", "密云区\n医院", "健宫医院"])
        #expect(hospitals[0].hospital.departments == ["pain", "orthopedics"])
        #expect(hospitals[1].hospital.departments == [])
        #expect(hospitals[0].hospital.grade == .unrated)
    }

    @Test func whiteSpaceAroundFieldsIsCutASCIIAndIdeographicAlike() {
        let text = " Code ,name\t, level\n ZRYY\t,\u{3000}中日友好医院\u{3000}, 3 \n\"  BYSY \",北医 三院,3\n"
        let (hospitals, problems) = HospitalCSV.parse(text)
        #expect(problems.isEmpty)
        #expect(hospitals.map(\.hospital.code) == ["ZRYY", "BYSY"])
        #expect(hospitals.map(\.hospital.name) == ["中日友好医院", "北医 三院"])
    }

    @Test func headerProblems() {
        let (_, problems) = HospitalCSV.parse("code,title,level,code\nA1,x,1\n")
        #expect(
            problems.listed == [
                Problem("line 1: title", "is not a known column; use code, name, level, grade, kind, district, beds, departments"),
                Problem("line 1: code", "appears twice"),
                Problem("line 1: name", "is missing"),
            ])
        #expect(HospitalCSV.parse("").problems.listed == [Problem("line 1", "the file is empty; it needs a header row")])
    }

    @Test func everyBadRowIsListedAndNothingReturned() {
        let (hospitals, problems) = HospitalCSV.parse(
            "code,name,level,beds\nOK1,好,1,10\nbad,x,2,5\nOK2,,9,-3\nOK1,again,1,1\nOK3,短,1\n")
        #expect(hospitals.isEmpty)
        #expect(problems.rows == 4 && problems.unlisted == 0)
        #expect(
            problems.listed == [
                Problem("line 3: code", Codes.rule),
                Problem("line 4: name", "is missing"),
                Problem("line 4: level", "must be 1, 2 or 3"),
                Problem("line 4: beds", "must be a whole number between 0 and 100000"),
                Problem("line 5: code", "OK1 appears again (first on line 2)"),
                Problem("line 6: columns", "has 3 fields, the header has 4"),
            ])
    }

    /// SPEC §10: 1,000,000 bad rows once took 19.3 s, 2.03 GiB and a 222 MB error.
    @Test func theFirst100ProblemsAreListedAndTheRestCounted() {
        let text = "code,name,level\nOK,好,1\n" + (1...1_000).map { "H\($0),x,7\n" }.joined()
        let (hospitals, problems) = HospitalCSV.parse(text)
        #expect(hospitals.isEmpty)
        #expect(problems.listed.count == 100 && problems.unlisted == 900 && problems.rows == 1_000)
        #expect(problems.listed.last == Problem("line 102: level", "must be 1, 2 or 3"))
    }
}
