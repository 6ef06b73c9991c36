import Foundation
import Testing
import YilianJSON
import YilianTestSupport

/// Issue 16, a coordinator's day: what a new coordinator in a Beijing hospital tried, each with
/// its exact output.
@Suite struct CoordinatorDayTests {
    @Test func theCatalogHasGeneralPracticeAndAChineseNameIsPointedToItsCode() async throws {
        let url = try await TestPostgres.freshDatabase()
        try ReliabilityFixture.seed(url, slots: [])
        let environment = ["YILIAN_DATABASE_URL": url]
        let list = try await YilianBinary.run(["specialty", "list", "--as", "wang@MYQYY"], environment: environment)
        #expect(list.exitCode == 0, "\(list.stderr)")
        let lines = list.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 16)
        #expect(lines[2] == "general         全科")
        #expect(lines[3] == "pain            疼痛科")
        let chinese = try await YilianBinary.run(
            ["slots", "publish", "--hospital", "ZRYY", "--specialty", "疼痛科", "--from", "2030-12-01", "--capacity", "2", "--as", "li@ZRYY"],
            environment: environment)
        #expect(chinese.exitCode == 65)
        #expect(chinese.stderr == "--specialty: 疼痛科 is the name of specialty pain; give its code, pain.\n")
    }

    /// A patient's age today, as lists name it (issue 28: the patient on every line).
    static func age(_ birthDate: String) -> Int {
        let parts = Calendar(identifier: .gregorian).dateComponents(in: .current, from: Date())
        let born = birthDate.split(separator: "-").compactMap { Int($0) }
        return parts.year! - born[0] - ((parts.month!, parts.day!) < (born[1], born[2]) ? 1 : 0)
    }

    /// The date `days` after today in Beijing, where the alliance is.
    static func day(_ days: Int) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Shanghai")!
        let parts = calendar.dateComponents([.year, .month, .day], from: Date().addingTimeInterval(Double(days) * 86_400))
        return String(format: "%04d-%02d-%02d", parts.year!, parts.month!, parts.day!)
    }

    static let zhang = [
        "--patient-name", "张三", "--patient-sex", "male", "--patient-birth-date", "1980-01-01", "--patient-id-number", "11010519800101018X",
    ]
    static let li = ["--patient-name", "李四", "--patient-sex", "female", "--patient-birth-date", "1975-05-05"]

    /// C-000001: MYQYY asks ZRYY's advice on 张三, ZRYY accepts, and its physician wdoc gives an opinion.
    static func opined(_ c: ReferralCommandTests.Coordinator) async throws {
        try await c.run(
            [
                "consultation", "request", "--alliance", "PAIN-BJ", "--from", "MYQYY", "--to", "ZRYY", "--mode", "advice", "--priority",
                "urgent", "--question", "是否需要介入治疗？", "--diagnosis", "M54.5:腰痛", "--consent",
            ] + zhang, as: "wang@MYQYY")
        try await c.run(["consultation", "accept", "C-000001"], as: "li@ZRYY")
        try await c.run(["consultation", "opine", "C-000001", "--summary", "建议射频治疗", "--recommendation", "refer_up"], as: "wdoc@ZRYY")
    }

    static func filing(from: String, to: String, _ patient: [String], _ more: [String] = []) -> [String] {
        [
            "referral", "file", "--alliance", "PAIN-BJ", "--from", from, "--to", to, "--setting", "outpatient", "--priority", "routine",
            "--consent",
            "--reason", "疼痛控制不佳",
        ] + patient + more
    }

    @Test func aScheduledPatientIsExpectedOnTheAppointmentDateAndDownReferralsContinueThePatient() async throws {
        let c = ReferralCommandTests.Coordinator(url: try await TestPostgres.freshDatabase(), transcript: .init())
        let date = Self.day(3)
        try ReliabilityFixture.seed(c.url, slots: [(date: date, capacity: 2)])
        try await c.run(Self.filing(from: "MYQYY", to: "ZRYY", Self.zhang, ["--diagnosis", "M79.2:神经痛"]), as: "wang@MYQYY")
        try await c.run(["referral", "accept", "R-000001"], as: "li@ZRYY")
        try await c.run(["referral", "schedule", "R-000001", "--date", date], as: "li@ZRYY")
        let worklist = try await c.run(["worklist", "--hospital", "ZRYY"], as: "li@ZRYY")
        #expect(
            worklist.stdout.contains(
                "Expected (1)\n  R-000001 up MYQYY → ZRYY, 张三 (male, \(Self.age("1980-01-01"))), routine outpatient, scheduled, appointment \(date)\n"
                    + "In treatment (0)"),
            "\(worklist.stdout)")
        let listed = try await c.run(["referral", "list"], as: "li@ZRYY")
        #expect(
            listed.stdout.contains(
                "R-000001  up   MYQYY  ZRYY  routine   张三 (male, \(Self.age("1980-01-01")))  scheduled  appointment \(date)"),
            "\(listed.stdout)")

        // The same patient again from the same sender to the same receiver: a duplicate.
        let again = try await c.run(
            Self.filing(from: "MYQYY", to: "ZRYY", Self.zhang, ["--diagnosis", "M79.2:神经痛"]), as: "wang@MYQYY", expect: 1)
        #expect(
            again.stderr
                == "This patient already has an open referral from MYQYY to ZRYY, R-000001; give allowDuplicate (--allow-duplicate) to file another anyway.\n"
        )
        try await c.run(
            Self.filing(from: "MYQYY", to: "ZRYY", Self.zhang, ["--diagnosis", "M79.2:神经痛", "--allow-duplicate"]), as: "wang@MYQYY")
        try await c.run(Self.filing(from: "JGYY", to: "ZRYY", Self.li, ["--diagnosis", "M54.5:腰痛"]), as: "wang@JGYY")

        try await c.run(["referral", "arrive", "R-000001"], as: "li@ZRYY")
        try await c.run(
            [
                "referral", "complete", "R-000001", "--summary", "腰椎间盘突出症，射频治疗后缓解", "--recommendation", "down_refer",
                "--diagnosis", "M51.2:腰椎间盘突出症",
            ], as: "li@ZRYY")
        // The down-referral names no patient: it is the parent's, with the treated diagnosis.
        let down = try await c.json(
            [
                "referral", "file", "--alliance", "PAIN-BJ", "--from", "ZRYY", "--to", "MYQYY", "--setting", "outpatient", "--priority",
                "routine",
                "--consent", "--reason", "康复治疗", "--parent", "R-000001",
            ], as: "li@ZRYY")
        #expect(down["id"] == "R-000004")
        #expect(
            down["patient"] == ["name": "张三", "sex": "male", "birthDate": "1980-01-01", "idNumber": "**************018X", "phone": .null])
        #expect(down["diagnosis"] == [["code": "M51.2", "name": "腰椎间盘突出症"]])
        // Another person as the parent's patient: refused.
        let other = try await c.run(
            [
                "referral", "file", "--alliance", "PAIN-BJ", "--from", "ZRYY", "--to", "MYQYY", "--setting", "outpatient", "--priority",
                "routine",
                "--consent", "--reason", "康复治疗", "--parent", "R-000001", "--allow-duplicate",
            ] + Self.li, as: "li@ZRYY", expect: 1)
        #expect(
            other.stderr
                == "The patient given is not the patient of R-000001, which this down-referral continues; leave the patient out to take theirs.\n"
        )
        let refused = try await c.json(
            ["referral", "list", "--status", "requested", "--hospital", "MYQYY", "--as-side", "receiver"], as: "li@ZRYY")
        #expect(refused["items"]?.arrayCount == 1)

        // Patient search: by resident ID (the referrals filed with it, by the hospital that entered
        // it: MYQYY), and by name and birth date; nobody else's referrals. ZRYY never typed the ID:
        // it finds nothing by it.
        let byID = try await c.json(["referral", "list", "--patient-id-number", "11010519800101018x"], as: "wang@MYQYY")
        #expect(byID["items"]?.ids == ["R-000001", "R-000002"])
        let notEntered = try await c.json(["referral", "list", "--patient-id-number", "11010519800101018x"], as: "li@ZRYY")
        #expect(notEntered["items"]?.ids == [])
        let byName = try await c.json(["referral", "list", "--patient-name", "李四", "--patient-birth-date", "1975-05-05"], as: "li@ZRYY")
        #expect(byName["items"]?.ids == ["R-000003"])
        let half = try await c.run(["referral", "list", "--patient-name", "李四"], as: "li@ZRYY", expect: 65)
        #expect(half.stderr == "--patient-name: give either the resident ID, or the name with the birth date.\n")
        // JGYY sees its own referral of 李四 and none of 张三's.
        let jgyy = try await c.json(["referral", "list", "--patient-id-number", "11010519800101018X"], as: "wang@JGYY")
        #expect(jgyy["items"]?.arrayCount == 0)
    }
}

extension JSONValue {
    /// The `id` of each item of an array.
    var ids: [JSONValue?] {
        guard case .array(let items) = self else { return [] }
        return items.map { $0["id"] }
    }
}

/// Slots as the Beijing rule has them (SPEC §2).
@Suite struct SlotRuleTests {
    @Test func rangesWeekdaysExpertUnitsAndExplicitChanges() async throws {
        let c = ReferralCommandTests.Coordinator(url: try await TestPostgres.freshDatabase(), transcript: .init())
        try ReliabilityFixture.seed(c.url, slots: [])
        let first = CoordinatorDayTests.day(1)
        let last = CoordinatorDayTests.day(14)
        let published = try await c.json(
            [
                "slots", "publish", "--hospital", "ZRYY", "--specialty", "pain", "--from", first, "--to", last, "--weekdays", "1,3,5",
                "--capacity", "4", "--expert", "2", "--total", "10",
            ], as: "li@ZRYY")
        guard case .array(let dates) = published else {
            Issue.record("\(published)")
            return
        }
        #expect(dates.count == 6)  // two weeks: three weekdays each
        #expect(dates.allSatisfy { $0["change"] == "created" && $0["slot"]?["capacity"] == 4 && $0["slot"]?["expert"] == 2 })
        let day = dates[0]["slot"]?["date"]?.stringValue ?? ""

        // Published again with another capacity: said so, with what it was.
        let again = try await c.run(
            ["slots", "publish", "--hospital", "ZRYY", "--specialty", "pain", "--from", day, "--capacity", "5", "--expert", "2"],
            as: "li@ZRYY")
        #expect(again.stdout.contains("changed (was 4, 2 expert)"), "\(again.stdout)")
        // The Beijing rule of ZRYY's own slots: 25 reserved of 60, 12 of them expert, and those
        // published 14 days ahead (the last date, when it is one of the weekdays) released early.
        let report = try await c.json(
            ["report", "--alliance", "PAIN-BJ", "--from", CoordinatorDayTests.day(0), "--to", CoordinatorDayTests.day(20)],
            as: "li@ZRYY")
        let zryy = report["members"].flatMap { members -> JSONValue? in
            guard case .array(let items) = members else { return nil }
            return items.first { $0["hospital"] == "ZRYY" }?["received"]
        }
        let early = dates.contains { $0["slot"]?["date"]?.stringValue == last } ? 4.0 : 0
        #expect(zryy?["reservedShare"] == .number(0.4167))
        #expect(zryy?["expertShare"] == .number(0.48))
        #expect(zryy?["earlyShare"] == (early == 0 ? .integer(0) : .number(0.16)), "\(String(describing: zryy))")
        let table = try await c.run(
            [
                "report", "--alliance", "PAIN-BJ", "--from", CoordinatorDayTests.day(0), "--to", CoordinatorDayTests.day(20),
                "--lang", "zh",
            ], as: "li@ZRYY")
        #expect(table.stdout.contains("北京号源下沉要求"))
        #expect(table.stdout.contains("ZRYY  中日友好医院  42%       48%"), "\(table.stdout)")

        // A date in the past: refused.
        let past = try await c.run(
            [
                "slots", "publish", "--hospital", "ZRYY", "--specialty", "pain", "--from", CoordinatorDayTests.day(-2),
                "--capacity", "5",
            ], as: "li@ZRYY", expect: 1)
        #expect(past.stderr == "\(CoordinatorDayTests.day(-2)) is in the past in Asia/Shanghai; slots are published for today or later.\n")

        // Two expert units: a third expert booking is refused while ordinary units remain.
        for (index, patient) in ["张三", "李四", "王五"].enumerated() {
            try await c.run(
                CoordinatorDayTests.filing(
                    from: "MYQYY", to: "ZRYY",
                    [
                        "--patient-name", patient, "--patient-sex", "male",
                        "--patient-birth-date", "1980-01-0\(index + 1)", "--diagnosis", "M79.2:神经痛",
                    ]), as: "wang@MYQYY")
            try await c.run(["referral", "accept", "R-00000\(index + 1)"], as: "li@ZRYY")
        }
        try await c.run(["referral", "schedule", "R-000001", "--date", day, "--expert"], as: "li@ZRYY")
        try await c.run(["referral", "schedule", "R-000002", "--date", day, "--expert"], as: "li@ZRYY")
        let third = try await c.run(["referral", "schedule", "R-000003", "--date", day, "--expert"], as: "li@ZRYY", expect: 1)
        // Full, and the next date with a free expert unit named: the range's next weekday.
        let next = dates[1]["slot"]?["date"]?.stringValue ?? ""
        #expect(
            third.stderr
                == "ZRYY's reserved pain medicine expert slots on \(day) are fully booked; the next date with a free unit is \(next).\n")
        try await c.run(["referral", "schedule", "R-000003", "--date", day], as: "li@ZRYY")
        let slot = try await c.json(["slots", "list", "--hospital", "ZRYY", "--from", day, "--to", day], as: "li@ZRYY")
        guard case .array(let rows) = slot, let row = rows.first else {
            Issue.record("\(slot)")
            return
        }
        #expect(
            row == [
                "hospital": "ZRYY", "specialty": "pain", "date": .string(day), "capacity": 5, "booked": 3, "available": 2,
                "expert": 2, "expertBooked": 2, "total": 10, "publishedAt": row["publishedAt"] ?? nil,
            ])
        // Giving back an expert unit frees an expert unit.
        try await c.run(["referral", "cancel", "R-000001", "--reason", "患者改期"], as: "wang@MYQYY")
        let after = try await c.json(["slots", "list", "--hospital", "ZRYY", "--from", day, "--to", day], as: "li@ZRYY")
        guard case .array(let afterRows) = after, let afterRow = afterRows.first else {
            Issue.record("\(after)")
            return
        }
        #expect(afterRow["expertBooked"] == 1 && afterRow["booked"] == 2)
    }

    @Test func aDownReferralIsScheduledWithoutAReservedSlot() async throws {
        let c = ReferralCommandTests.Coordinator(url: try await TestPostgres.freshDatabase(), transcript: .init())
        try ReliabilityFixture.seed(c.url, slots: [])
        try await c.run(
            CoordinatorDayTests.filing(from: "ZRYY", to: "MYQYY", CoordinatorDayTests.li, ["--diagnosis", "M54.5:腰痛"]), as: "li@ZRYY")
        try await c.run(["referral", "accept", "R-000001"], as: "wang@MYQYY")
        let scheduled = try await c.run(["referral", "schedule", "R-000001", "--date", CoordinatorDayTests.day(2)], as: "wang@MYQYY")
        #expect(scheduled.stdout.contains("scheduled, appointment \(CoordinatorDayTests.day(2))"), "\(scheduled.stdout)")
        let slots = try await c.json(["slots", "list", "--hospital", "MYQYY"], as: "wang@MYQYY")
        #expect(slots == .array([]))
    }
}

/// SPEC §3: on a Chinese locale every screen a coordinator reads is Chinese and in Beijing time;
/// with `--lang en` the same screens are English.
@Suite struct LanguageTests {
    /// The text with what may stay as typed or stored removed: codes (`ZRYY`, `R-000001`,
    /// `M79.2`), logins, flags, the specialty code, FHIR statuses, and a code with its word
    /// (`urgent（加急）`, as a list of choices says it).
    static func english(_ text: String) -> [String] {
        let kept = text.replacing(/FHIR 状态 +[a-z-]+|[a-z]+@[A-Z0-9-]+|--[a-z-]+|[A-Z][A-Z0-9.-]*|pain|[a-z_]+（/, with: "")
        return kept.matches(of: /[A-Za-z]{2,}/).map { String($0.output) }
    }

    @Test func everyScreenInChineseAndBeijingTimeOrInEnglish() async throws {
        let c = ReferralCommandTests.Coordinator(url: try await TestPostgres.freshDatabase(), transcript: .init())
        let date = CoordinatorDayTests.day(3)
        try ReliabilityFixture.seed(c.url, slots: [(date: date, capacity: 2)])
        try await c.run(
            CoordinatorDayTests.filing(from: "MYQYY", to: "ZRYY", CoordinatorDayTests.zhang, ["--diagnosis", "M79.2:神经痛"]), as: "wang@MYQYY"
        )
        try await c.run(
            CoordinatorDayTests.filing(from: "JGYY", to: "ZRYY", CoordinatorDayTests.li, ["--diagnosis", "M54.5:腰痛"]), as: "wang@JGYY")
        try await c.run(["referral", "accept", "R-000001"], as: "li@ZRYY")
        try await c.run(["referral", "schedule", "R-000001", "--date", date], as: "li@ZRYY")
        try await c.run(["referral", "reject", "R-000002", "--reason-code", "capacity_full"], as: "li@ZRYY")
        let screens: [(arguments: [String], actor: String)] = [
            (["worklist", "--hospital", "ZRYY"], "li@ZRYY"), (["referral", "show", "R-000001"], "li@ZRYY"),
            (["referral", "history", "R-000001"], "li@ZRYY"), (["referral", "list"], "li@ZRYY"),
            (["referral", "accept", "R-000001"], "li@ZRYY"),  // refused: already scheduled
            (["referral", "show", "R-000009"], "li@ZRYY"),  // not found
            (
                [
                    "referral", "file", "--alliance", "PAIN-BJ", "--from", "MYQYY", "--to", "ZRYY", "--setting", "outpatient", "--priority",
                    "soon",
                    "--patient-name", "", "--patient-sex", "male", "--patient-birth-date", "1980-13-01", "--reason", "x",
                ], "wang@MYQYY"
            ),
            (["report", "--alliance", "PAIN-BJ", "--from", CoordinatorDayTests.day(-1), "--to", CoordinatorDayTests.day(5)], "li@ZRYY"),
            (["slots", "list"], "li@ZRYY"),
        ]
        for (arguments, actor) in screens {
            let chinese = try await YilianBinary.run(
                arguments + ["--as", actor], environment: ["YILIAN_DATABASE_URL": c.url, "LANG": "zh_CN.UTF-8", "TZ": "Asia/Shanghai"])
            let text = chinese.stdout + chinese.stderr
            #expect(Self.english(text) == [], "\(arguments.joined(separator: " ")): \(text)")
            #expect(!text.contains("UTC"), "\(text)")
            let english = try await YilianBinary.run(
                arguments + ["--as", actor, "--lang", "en"], environment: ["YILIAN_DATABASE_URL": c.url])
            let shown = (english.stdout + english.stderr).replacing(/张三|李四|疼痛控制不佳|神经痛|腰痛|中日友好医院|密云区医院|健宫医院|北京地区疼痛专科医联体/, with: "")
            #expect(!shown.contains { ("\u{4E00}"..."\u{9FFF}").contains($0) }, "\(arguments.joined(separator: " ")): \(shown)")
        }
        // Every problem of a request at once, each naming the flag typed.
        let five = try await YilianBinary.run(screens[6].arguments + ["--as", "wang@MYQYY"], environment: ["YILIAN_DATABASE_URL": c.url])
        #expect(five.exitCode == 65)
        #expect(
            five.stderr == "The request has 5 problems: --priority: must be one of routine, urgent, emergency; --consent: is required; "
                + "--patient-name: must not be empty; --patient-birth-date: must be a date YYYY-MM-DD from 1900-01-01 to 2200-12-31; "
                + "--diagnosis: needs at least one diagnosis.\n")
        let shown = try await YilianBinary.run(
            ["referral", "show", "R-000001", "--as", "li@ZRYY"],
            environment: ["YILIAN_DATABASE_URL": c.url, "LANG": "zh_CN.UTF-8", "TZ": "Asia/Shanghai"])
        #expect(shown.stdout.contains("北京时间"))
        #expect(shown.stdout.contains("转诊单     R-000001 上转 MYQYY → ZRYY，普通门诊，已预约，预约 \(date)"), "\(shown.stdout)")
    }
}

/// The rest of "Why": a referral card with every field, a criteria file's every mistake at once.
@Suite struct CoordinatorScreenTests {
    @Test func showHasThePhoneSummaryAndAttachments() async throws {
        let c = ReferralCommandTests.Coordinator(url: try await TestPostgres.freshDatabase(), transcript: .init())
        try ReliabilityFixture.seed(c.url, slots: [])
        try await c.run(
            CoordinatorDayTests.filing(
                from: "MYQYY", to: "ZRYY", CoordinatorDayTests.zhang + ["--patient-phone", "13800138000"],
                [
                    "--diagnosis", "M54.5:腰痛", "--summary", "保守治疗 3 个月无效", "--attachment",
                    "imaging:腰椎 MRI:PACS-2026-0001",
                ]), as: "wang@MYQYY")
        let shown = try await YilianBinary.run(
            ["referral", "show", "R-000001", "--as", "li@ZRYY"],
            environment: ["YILIAN_DATABASE_URL": c.url, "LANG": "zh_CN.UTF-8", "TZ": "Asia/Shanghai"])
        let lines = shown.stdout.split(separator: "\n").map(String.init)
        #expect(lines.contains("联系电话   13800138000"), "\(shown.stdout)")
        #expect(lines.contains("病情摘要   保守治疗 3 个月无效"))
        #expect(lines.contains("附件       影像 腰椎 MRI (PACS-2026-0001)"))
        #expect(lines.contains("           不互认：未注明本联盟互认目录中的项目"))
        // The label once (issue 28, point 12: it read 应答时限   应答时限 …).
        #expect(lines.contains { $0.hasPrefix("应答时限   20") && $0.hasSuffix(" 北京时间") }, "\(shown.stdout)")
    }

    @Test func anImportsProblemsInChinese() async throws {
        let c = ReferralCommandTests.Coordinator(url: try await TestPostgres.freshDatabase(), transcript: .init())
        try ReliabilityFixture.seed(c.url, slots: [])
        let file = FileManager.default.temporaryDirectory.appending(path: "hospitals-\(UUID().uuidString).csv")
        defer { try? FileManager.default.removeItem(at: file) }
        try "code,name,level,grade\nBJ-1,北京一院,4,A\nZRYY,中日友好医院,3,甲\n".write(to: file, atomically: true, encoding: .utf8)
        let outcome = try await YilianBinary.run(
            ["hospital", "import", file.path, "--as", "ops@admin", "--lang", "zh"],
            environment: ["YILIAN_DATABASE_URL": c.url])
        #expect(outcome.exitCode == 65)
        #expect(
            outcome.stderr == "\(file.path) 有 2 行有误，未导入任何医院：第 2 行 level：须为 1、2 或 3；"
                + "第 3 行 grade：须为 A（甲等）、B（乙等）、C（丙等）或 unrated（未定等）。\n")
    }

    @Test func aCriteriaFileWithThreeMistakesHearsOfAllThree() async throws {
        let c = ReferralCommandTests.Coordinator(url: try await TestPostgres.freshDatabase(), transcript: .init())
        try ReliabilityFixture.seed(c.url, slots: [])
        let file = FileManager.default.temporaryDirectory.appending(path: "criteria-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: file) }
        try
            #"{"passScore": 90, "criteria": [{"id": "a", "title": "三级", "weight": 40, "rule": {"fact": "level", "op": "atleast", "value": 3}}, {"id": "a", "title": "", "weight": 40, "rule": {"fact": "beds", "op": "gte", "value": 100}}]}"#
            .write(to: file, atomically: true, encoding: .utf8)
        let outcome = try await c.run(["criteria", "set", file.path, "--alliance", "PAIN-BJ"], as: "li@ZRYY", expect: 65)
        #expect(outcome.stderr.hasPrefix("The request has 4 problems: "), "\(outcome.stderr)")
    }
}

/// One exit code per error kind: every permission refusal is 77, wherever it is decided.
@Suite struct ExitCodeTests {
    @Test func everyPermissionRefusalExits77() async throws {
        let c = ReferralCommandTests.Coordinator(url: try await TestPostgres.freshDatabase(), transcript: .init())
        try ReliabilityFixture.seed(c.url, slots: [])
        // wdoc@ZRYY, the template's physician: adding one here raced another test adding the same
        // login (roles belong to the whole cluster), which then found it registered.
        try await c.run(
            CoordinatorDayTests.filing(from: "MYQYY", to: "ZRYY", CoordinatorDayTests.zhang, ["--diagnosis", "M79.2:神经痛"]), as: "wang@MYQYY"
        )
        // Filing for another hospital (a service guard), the sender accepting (the state machine),
        // a physician accepting (PostgreSQL's privileges), publishing another hospital's slots.
        for (arguments, actor) in [
            (CoordinatorDayTests.filing(from: "MYQYY", to: "ZRYY", CoordinatorDayTests.li, ["--diagnosis", "M54.5:腰痛"]), "wang@JGYY"),
            (["referral", "accept", "R-000001"], "wang@MYQYY"),
            (["referral", "accept", "R-000001"], "wdoc@ZRYY"),
            (["slots", "publish", "--hospital", "ZRYY", "--specialty", "pain", "--from", "2030-12-01", "--capacity", "2"], "wang@MYQYY"),
        ] {
            try await c.run(arguments, as: actor, expect: 77)
        }
    }
}
