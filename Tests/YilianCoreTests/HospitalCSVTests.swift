import Testing
import YilianCore

@Suite struct HospitalCSVTests {
    @Test func quotedFieldsWithCommasQuotesAndNewlines() {
        let text = "\u{FEFF}code,name,level,departments\r\n"
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

    @Test func headerProblems() {
        let (_, problems) = HospitalCSV.parse("code,title,level,code\nA1,x,1\n")
        #expect(problems == [
            Problem("line 1: title", "is not a known column; use code, name, level, grade, kind, district, beds, departments"),
            Problem("line 1: code", "appears twice"),
            Problem("line 1: name", "is missing"),
        ])
        #expect(HospitalCSV.parse("").problems == [Problem("line 1", "the file is empty; it needs a header row")])
    }

    @Test func everyBadRowIsListedAndNothingReturned() {
        let (hospitals, problems) = HospitalCSV.parse(
            "code,name,level,beds\nOK1,好,1,10\nbad,x,2,5\nOK2,,9,-3\nOK1,again,1,1\nOK3,短,1\n")
        #expect(hospitals.isEmpty)
        #expect(problems == [
            Problem("line 3: code", Codes.rule),
            Problem("line 4: name", "is missing"),
            Problem("line 4: level", "must be 1, 2 or 3"),
            Problem("line 4: beds", "must be a whole number between 0 and 100000"),
            Problem("line 5: code", "OK1 appears again (first on line 2)"),
            Problem("line 6: columns", "has 3 fields, the header has 4"),
        ])
    }
}
