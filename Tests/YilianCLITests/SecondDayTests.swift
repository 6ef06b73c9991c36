import Foundation
import Testing
import YilianCLI
import YilianJSON
import YilianTestSupport

/// Issue 28, a coordinator's second day: errors that point at the real cause. Each with its
/// exact output, in Chinese and in English.
@Suite struct SecondDayTests {
    static let chinese = ["LANG": "zh_CN.UTF-8", "TZ": "Asia/Shanghai"]

    /// Forgetting `--as` on the embedded database: the owner naming nobody acts as the platform,
    /// which sees no patient data. The referral is not gone; the reader is told why and what to type.
    @Test func forgettingAsSaysThatThePlatformActedAndHowToNameYourself() async throws {
        let c = ReferralCommandTests.Coordinator(url: try await TestPostgres.freshDatabase(), transcript: .init())
        try ReliabilityFixture.seed(c.url, slots: [])
        try await c.run(
            CoordinatorDayTests.filing(from: "MYQYY", to: "ZRYY", CoordinatorDayTests.zhang, ["--diagnosis", "M79.2:神经痛"]), as: "wang@MYQYY"
        )
        let environment = Self.chinese.merging(["YILIAN_DATABASE_URL": c.url]) { $1 }
        for arguments in [["referral", "show", "R-000001"], ["referral", "print", "R-000001"]] {
            let shown = try await YilianBinary.run(arguments, environment: environment)
            #expect(shown.exitCode == 66)
            #expect(
                shown.stderr
                    == "没有编号为 R-000001 的转诊单。您没有用 --as 指明身份，因此是以平台身份操作的，而平台看不到任何患者的资料；"
                    + "请加上 --as 用户@医院（例如 --as li@ZRYY），或设置 YILIAN_ACTOR，然后重试。\n", "\(arguments)")
        }
        let english = try await YilianBinary.run(["referral", "show", "R-000001", "--lang", "en"], environment: environment)
        #expect(
            english.stderr
                == "No referral has the id R-000001. You named nobody with --as, so you acted as the platform, which sees no patient data; "
                + "add --as USER@HOSPITAL (e.g. --as li@ZRYY), or set YILIAN_ACTOR, and try again.\n")
        // Named, the same referral is there; a code that does not exist says only that.
        let named = try await YilianBinary.run(["referral", "show", "R-000001", "--as", "wang@MYQYY"], environment: environment)
        #expect(named.exitCode == 0, "\(named.stderr)")
        let missing = try await YilianBinary.run(["referral", "show", "R-000009", "--as", "wang@MYQYY"], environment: environment)
        #expect(missing.stderr == "没有编号为 R-000009 的转诊单。\n")
    }

    /// `--out FILE` says where it wrote (point 6); `consultation convert` naming its referral is in
    /// ConsultationCommandTests.
    @Test func aPrintedFormSaysWhereItIs() async throws {
        let c = ReferralCommandTests.Coordinator(url: try await TestPostgres.freshDatabase(), transcript: .init())
        try ReliabilityFixture.seed(c.url, slots: [])
        try await c.run(
            CoordinatorDayTests.filing(from: "MYQYY", to: "ZRYY", CoordinatorDayTests.zhang, ["--diagnosis", "M79.2:神经痛"]), as: "wang@MYQYY"
        )
        let file = FileManager.default.temporaryDirectory.appending(path: "form-\(UUID().uuidString).html")
        defer { try? FileManager.default.removeItem(at: file) }
        let printed = try await YilianBinary.run(
            ["referral", "print", "R-000001", "--out", file.path, "--as", "wang@MYQYY"],
            environment: Self.chinese.merging(["YILIAN_DATABASE_URL": c.url]) { $1 })
        #expect(printed.stdout == "已写入 \(file.path)：请用浏览器打开，按 A4 打印。\n", "\(printed.stderr)")
        #expect(FileManager.default.fileExists(atPath: file.path))
    }

    /// A refusal says who may do it (point 8): the wall refuses by duty and side, and the message
    /// names the hospital and duty that may (criteria and membership refusals named them already).
    @Test func aRefusalSaysWhoMay() async throws {
        let c = ReferralCommandTests.Coordinator(url: try await TestPostgres.freshDatabase(), transcript: .init())
        try ReliabilityFixture.seed(c.url, slots: [])
        try await CoordinatorDayTests.opined(c)
        let environment = Self.chinese.merging(["YILIAN_DATABASE_URL": c.url]) { $1 }
        let cases: [([String], String)] = [
            (
                [
                    "slots", "publish", "--hospital", "ZRYY", "--specialty", "pain", "--from", CoordinatorDayTests.day(3), "--capacity",
                    "2",
                    "--as", "wdoc@ZRYY",
                ],
                "本院的转诊协调员、医院管理员或接口账号"
            ),
            (
                ["user", "add", "--user", "zhao", "--hospital", "MYQYY", "--duty", "coordinator", "--as", "wang@MYQYY"],
                "平台管理员，或该医院自己的医院管理员"
            ),
            (
                ["consultation", "conclude", "C-000001", "--conclusion", "建议上转", "--as", "wdoc@ZRYY"],
                "负责这一步的一方（申请医院或受邀医院）的转诊协调员、医院管理员或接口账号（会诊意见也可由受邀医院的医师给出）"
            ),
        ]
        for (arguments, who) in cases {
            let refused = try await YilianBinary.run(arguments, environment: environment)
            #expect(refused.exitCode == 77, "\(arguments)")
            #expect(refused.stderr == "您所在医院和职责不允许这样做：只有\(who)可以，请由他们办理。\n", "\(arguments)")
        }
        let english = try await YilianBinary.run(cases[0].0 + ["--lang", "en"], environment: environment)
        #expect(
            english.stderr
                == "Your user's hospital and duty do not allow it: only the hospital's own coordinators, hospital administrators or integrations may; ask them to do it.\n"
        )
    }

    /// A mistyped code is `not_found` naming it, with the closest code, never a rule about it
    /// (point 3): a hospital in slots and filings, an alliance.
    @Test func aMistypedCodeIsNotFoundWithTheClosestOne() async throws {
        let url = try await TestPostgres.freshDatabase()
        try ReliabilityFixture.seed(url, slots: [])
        let environment = Self.chinese.merging(["YILIAN_DATABASE_URL": url]) { $1 }
        let filing =
            ["--setting", "outpatient", "--priority", "routine", "--consent", "--reason", "疼痛控制不佳", "--diagnosis", "M79.2:神经痛"]
            + CoordinatorDayTests.li
        let cases: [([String], String)] = [
            (
                ["slots", "publish", "--hospital", "ZRJY", "--specialty", "pain", "--from", CoordinatorDayTests.day(3), "--capacity", "2"]
                    + ["--as", "li@ZRYY"],
                "没有编码为 ZRJY 的医院；是否为 ZRYY？"
            ),
            (
                ["referral", "file", "--alliance", "PAIN-BJ", "--from", "MYQY", "--to", "ZRYY", "--as", "wang@MYQYY"] + filing,
                "没有编码为 MYQY 的医院；是否为 MYQYY？"
            ),
            (
                ["referral", "file", "--alliance", "PAIN-BJ", "--from", "MYQYY", "--to", "ZRYX", "--as", "wang@MYQYY"] + filing,
                "没有编码为 ZRYX 的医院；是否为 ZRYY？"
            ),
            (
                ["referral", "file", "--alliance", "PAIN-BX", "--from", "MYQYY", "--to", "ZRYY", "--as", "wang@MYQYY"] + filing,
                "没有编码为 PAIN-BX 的医联体；是否为 PAIN-BJ？"
            ),
            (
                ["referral", "file", "--alliance", "PAIN-BJ", "--from", "MYQYY", "--to", "XQWZ", "--as", "wang@MYQYY"] + filing,
                "没有编码为 XQWZ 的医院。"
            ),
        ]
        for (arguments, sentence) in cases {
            let refused = try await YilianBinary.run(arguments, environment: environment)
            #expect(refused.exitCode == 66, "\(arguments): \(refused.stderr)")
            #expect(refused.stderr == sentence + "\n", "\(arguments)")
        }
        let english = try await YilianBinary.run(cases[2].0 + ["--lang", "en"], environment: environment)
        #expect(english.stderr == "No hospital is registered with the code ZRYX; did you mean ZRYY?\n")
    }

    /// Scheduling on a date with no slots published says so, not that they ran out, and names the
    /// next date with room (point 4).
    @Test func aDateWithoutSlotsSaysSoAndNamesTheNextWithRoom() async throws {
        let c = ReferralCommandTests.Coordinator(url: try await TestPostgres.freshDatabase(), transcript: .init())
        let open = CoordinatorDayTests.day(5)
        try ReliabilityFixture.seed(c.url, slots: [(date: open, capacity: 2)])
        try await c.run(
            CoordinatorDayTests.filing(from: "MYQYY", to: "ZRYY", CoordinatorDayTests.zhang, ["--diagnosis", "M79.2:神经痛"]), as: "wang@MYQYY"
        )
        try await c.run(["referral", "accept", "R-000001"], as: "li@ZRYY")
        let closed = CoordinatorDayTests.day(4)
        let refused = try await YilianBinary.run(
            ["referral", "schedule", "R-000001", "--date", closed, "--as", "li@ZRYY"],
            environment: Self.chinese.merging(["YILIAN_DATABASE_URL": c.url]) { $1 })
        #expect(refused.exitCode == 1)
        #expect(refused.stderr == "ZRYY 没有发布 \(closed) 的疼痛科预留号源；最近有空余号源的日期是 \(open)，可以约在这一天。\n")
        let english = try await YilianBinary.run(
            ["referral", "schedule", "R-000001", "--date", closed, "--as", "li@ZRYY", "--lang", "en"],
            environment: Self.chinese.merging(["YILIAN_DATABASE_URL": c.url]) { $1 })
        #expect(
            english.stderr
                == "ZRYY has not published reserved pain medicine slots for \(closed); the next date with a free unit is \(open).\n")
    }

    /// `worklist` and `slots publish` take the acting user's hospital when `--hospital` is left out
    /// (point 10): it was "缺少参数 --hospital".
    @Test func theWorklistAndSlotsAreYourHospitalsByDefault() async throws {
        let url = try await TestPostgres.freshDatabase()
        try ReliabilityFixture.seed(url, slots: [])
        let environment = Self.chinese.merging(["YILIAN_DATABASE_URL": url]) { $1 }
        let worklist = try await YilianBinary.run(["worklist", "--as", "li@ZRYY"], environment: environment)
        #expect(worklist.exitCode == 0, "\(worklist.stderr)")
        #expect(worklist.stdout.hasPrefix("ZRYY 工作台（"), "\(worklist.stdout)")
        let named = try await YilianBinary.run(["worklist"], environment: environment.merging(["YILIAN_ACTOR": "wang@MYQYY"]) { $1 })
        #expect(named.stdout.hasPrefix("MYQYY 工作台（"), "\(named.stderr)")
        let day = CoordinatorDayTests.day(3)
        let published = try await YilianBinary.run(
            ["slots", "publish", "--specialty", "pain", "--from", day, "--capacity", "2", "--as", "li@ZRYY", "--json"],
            environment: environment)
        #expect(published.exitCode == 0, "\(published.stderr)")
        #expect(published.stdout.contains(#""hospital":"ZRYY""#))
    }

    /// Small things (point 12): an alliance without criteria says so, not "第 0 版"; a bad `--from`
    /// alone does not also blame `--to`.
    @Test func smallThingsSayWhatIsTrue() async throws {
        let url = try await TestPostgres.freshDatabase()
        let environment = Self.chinese.merging(["YILIAN_DATABASE_URL": url]) { $1 }
        for arguments in [
            ["hospital", "register", "--code", "ZRYY", "--name", "中日友好医院", "--level", "3", "--departments", "pain"],
            ["alliance", "create", "--code", "PAIN-BJ", "--name", "北京地区疼痛专科医联体", "--specialty", "pain", "--core", "ZRYY"],
        ] {
            let made = try await YilianBinary.run(arguments + ["--as", "ops@admin"], environment: environment)
            #expect(made.exitCode == 0, "\(made.stderr)")
        }
        let shown = try await YilianBinary.run(["alliance", "show", "PAIN-BJ", "--as", "li@ZRYY"], environment: environment)
        #expect(shown.stdout.contains("准入标准      尚未发布（核心医院用 yilian criteria set 发布）\n"), "\(shown.stdout)")
        let bad = try await YilianBinary.run(
            ["slots", "publish", "--specialty", "pain", "--from", "2026-13-01", "--capacity", "2", "--as", "li@ZRYY"],
            environment: environment)
        #expect(bad.exitCode == 65)
        #expect(bad.stderr == "--from：须为 1900-01-01 至 2200-12-31 之间的日期，格式 YYYY-MM-DD。\n", "\(bad.stderr)")
        let english = try await YilianBinary.run(
            ["alliance", "show", "PAIN-BJ", "--as", "li@ZRYY", "--lang", "en"], environment: environment)
        #expect(
            english.stdout.contains(
                "Criteria              none published yet (the core hospital publishes them with yilian criteria set)\n"),
            "\(english.stdout)")
    }

    /// The worklist's and the list's lines name the patient, name, sex and age, whom a
    /// coordinator phones (point 10).
    @Test func everyLineNamesThePatient() async throws {
        let c = ReferralCommandTests.Coordinator(url: try await TestPostgres.freshDatabase(), transcript: .init())
        try ReliabilityFixture.seed(c.url, slots: [])
        try await c.run(
            CoordinatorDayTests.filing(from: "MYQYY", to: "ZRYY", CoordinatorDayTests.zhang, ["--diagnosis", "M79.2:神经痛"]), as: "wang@MYQYY"
        )
        let environment = Self.chinese.merging(["YILIAN_DATABASE_URL": c.url]) { $1 }
        let age = CoordinatorDayTests.age("1980-01-01")
        let worklist = try await YilianBinary.run(["worklist", "--as", "li@ZRYY"], environment: environment)
        #expect(worklist.stdout.contains("\n  R-000001 上转 MYQYY → ZRYY，张三（男，\(age) 岁），普通门诊，待接诊，应答时限 "), "\(worklist.stdout)")
        let listed = try await YilianBinary.run(["referral", "list", "--as", "li@ZRYY"], environment: environment)
        #expect(listed.stdout.contains("张三（男，\(age) 岁）"), "\(listed.stdout)")
        let english = try await YilianBinary.run(["worklist", "--as", "li@ZRYY", "--lang", "en"], environment: environment)
        #expect(
            english.stdout.contains("\n  R-000001 up MYQYY → ZRYY, 张三 (male, \(age)), routine outpatient, requested, respond by "),
            "\(english.stdout)")
    }

    /// A missing flag's error lists the values it takes, in Chinese too (point 11): the English
    /// help line that listed them is not shown to a Chinese reader.
    @Test func aMissingFlagListsItsValues() async throws {
        let missing = try await YilianBinary.run(["referral", "reject", "R-000001", "--as", "li@ZRYY"], environment: Self.chinese)
        #expect(missing.exitCode == 64)
        let lines = missing.stderr.split(separator: "\n").map(String.init)
        #expect(
            lines.prefix(2) == [
                "错误：缺少参数 --reason-code <reason-code>。",
                "可选值：capacity_full、outside_scope、insufficient_information、patient_declined、not_indicated、other。",
            ])
        let english = try await YilianBinary.run(
            ["referral", "reject", "R-000001", "--as", "li@ZRYY", "--lang", "en"], environment: Self.chinese)
        #expect(
            english.stderr.split(separator: "\n").prefix(2) == [
                "Error: Missing expected argument '--reason-code <reason-code>'",
                "Help:  --reason-code <reason-code>  Why (required): capacity_full, outside_scope, insufficient_information, patient_declined, not_indicated or other.",
            ])
    }

    /// The access log says what was read in words, not method names (point 12).
    @Test func theAccessLogSaysWhatWasReadInWords() async throws {
        let c = ReferralCommandTests.Coordinator(url: try await TestPostgres.freshDatabase(), transcript: .init())
        try ReliabilityFixture.seed(c.url, slots: [])
        try await c.run(
            CoordinatorDayTests.filing(from: "MYQYY", to: "ZRYY", CoordinatorDayTests.zhang, ["--diagnosis", "M79.2:神经痛"]), as: "wang@MYQYY"
        )
        try await c.run(["referral", "accept", "R-000001"], as: "li@ZRYY")
        try await c.run(["referral", "show", "R-000001"], as: "li@ZRYY")
        try await c.run(["worklist"], as: "li@ZRYY")
        let log = try await YilianBinary.run(
            ["audit", "list", "--as", "ops@admin"], environment: Self.chinese.merging(["YILIAN_DATABASE_URL": c.url]) { $1 })
        for words in ["转诊单：接诊", "查看转诊单", "查看工作台"] { #expect(log.stdout.contains(words), "\(log.stdout)") }
        #expect(!log.stdout.contains("referral.get") && !log.stdout.contains("worklist.get"))
    }

    /// The same patient filed again without the ID number (same name, sex and birth date) is a
    /// duplicate (point 2; SPEC §2): it made a second open referral silently.
    @Test func theSamePatientWithoutTheIDIsADuplicate() async throws {
        let c = ReferralCommandTests.Coordinator(url: try await TestPostgres.freshDatabase(), transcript: .init())
        try ReliabilityFixture.seed(c.url, slots: [])
        try await c.run(
            CoordinatorDayTests.filing(from: "MYQYY", to: "ZRYY", CoordinatorDayTests.zhang, ["--diagnosis", "M79.2:神经痛"]), as: "wang@MYQYY"
        )
        let withoutID = Array(CoordinatorDayTests.zhang.dropLast(2))
        let again = try await YilianBinary.run(
            CoordinatorDayTests.filing(from: "MYQYY", to: "ZRYY", withoutID, ["--diagnosis", "M79.2:神经痛", "--as", "wang@MYQYY"]),
            environment: Self.chinese.merging(["YILIAN_DATABASE_URL": c.url]) { $1 })
        #expect(again.exitCode == 1)
        #expect(again.stderr == "该患者已有一张从 MYQYY 到 ZRYY 的未结束转诊单 R-000001；确需再转，请加 --allow-duplicate。\n")
        let english = try await YilianBinary.run(
            CoordinatorDayTests.filing(
                from: "MYQYY", to: "ZRYY", withoutID, ["--diagnosis", "M79.2:神经痛", "--as", "wang@MYQYY", "--lang", "en"]),
            environment: Self.chinese.merging(["YILIAN_DATABASE_URL": c.url]) { $1 })
        #expect(
            english.stderr
                == "This patient already has an open referral from MYQYY to ZRYY, R-000001; give allowDuplicate (--allow-duplicate) to file another anyway.\n"
        )
        // Another patient of the same name but another birth date is not.
        let other = ["--patient-name", "张三", "--patient-sex", "male", "--patient-birth-date", "1981-01-01"]
        try await c.run(CoordinatorDayTests.filing(from: "MYQYY", to: "ZRYY", other, ["--diagnosis", "M79.2:神经痛"]), as: "wang@MYQYY")
    }

    /// The evaluation's headline says which required criterion was not met, which decides
    /// whatever the score (point 7): "不符合条件：得分 60，需 60 分" hid it.
    @Test func theHeadlineNamesTheRequiredCriterionNotMet() async throws {
        let url = try await TestPostgres.freshDatabase()
        let environment = Self.chinese.merging(["YILIAN_DATABASE_URL": url]) { $1 }
        let criteria = FileManager.default.temporaryDirectory.appending(path: "c-\(UUID().uuidString).json")
        try #"""
        {"passScore": 60, "criteria": [
          {"id": "dept", "title": "设有疼痛科", "required": true, "rule": {"fact": "departments", "op": "contains", "value": "pain"}},
          {"id": "platform", "title": "接入转诊平台", "weight": 60, "rule": {"fact": "referralPlatformConnected", "op": "eq", "value": true}}]}
        """#.write(to: criteria, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: criteria) }
        for (arguments, actor) in [
            (["hospital", "register", "--code", "ZRYY", "--name", "中日友好医院", "--level", "3", "--departments", "pain"], "ops@admin"),
            (["hospital", "register", "--code", "SYMY", "--name", "顺义某民营医院", "--level", "2", "--departments", "orthopedics"], "ops@admin"),
            (["alliance", "create", "--code", "PAIN-BJ", "--name", "北京地区疼痛专科医联体", "--specialty", "pain", "--core", "ZRYY"], "ops@admin"),
            (["criteria", "set", criteria.path, "--alliance", "PAIN-BJ"], "li@ZRYY"),
        ] {
            let done = try await YilianBinary.run(arguments + ["--as", actor], environment: environment)
            #expect(done.exitCode == 0, "\(arguments): \(done.stderr)")
        }
        let applied = try await YilianBinary.run(
            [
                "membership", "apply", "--alliance", "PAIN-BJ", "--hospital", "SYMY", "--role", "cooperating", "--facts",
                #"{"referralPlatformConnected": true}"#, "--as", "wang@SYMY",
            ], environment: environment)
        #expect(applied.exitCode == 0, "\(applied.stderr)")
        let headline = applied.stdout.split(separator: "\n").map(String.init).first { $0.hasPrefix("不符合条件") }
        #expect(headline?.hasSuffix("；必备条件未满足：设有疼痛科") == true, "\(applied.stdout)")
        let english = try await YilianBinary.run(
            ["membership", "show", "A-000001", "--as", "li@ZRYY", "--lang", "en"], environment: environment)
        #expect(
            english.stdout.contains(
                "ineligible: score 60 of 60 needed (PAIN-BJ criteria version 1, role cooperating); required and not met: 设有疼痛科\n"),
            "\(english.stdout)")
    }

    /// Point 5: a choice may be typed as the word a Chinese reader sees (`女`, `加急`), and a value
    /// that is neither is answered with each code and its word; in English, the codes.
    @Test func aChoiceTakesItsChineseWordAndAWrongOneListsBoth() async throws {
        let c = ReferralCommandTests.Coordinator(url: try await TestPostgres.freshDatabase(), transcript: .init())
        try ReliabilityFixture.seed(c.url, slots: [])
        let environment = Self.chinese.merging(["YILIAN_DATABASE_URL": c.url]) { $1 }
        let patient = ["--patient-name", "李四", "--patient-sex", "女", "--patient-birth-date", "1975-05-05", "--diagnosis", "M79.2:神经痛"]
        let filed = try await YilianBinary.run(
            CoordinatorDayTests.filing(from: "MYQYY", to: "ZRYY", patient, ["--priority", "加急", "--as", "wang@MYQYY", "--json"]),
            environment: environment)
        #expect(filed.exitCode == 0, "\(filed.stderr)")
        let referral = try JSONDecoder().decode(JSONValue.self, from: Data(filed.stdout.utf8))
        #expect(referral["patient"]?["sex"] == "female" && referral["priority"] == "urgent")
        let wrong = ["--patient-name", "李四", "--patient-sex", "女的", "--patient-birth-date", "1975-05-05", "--diagnosis", "M79.2:神经痛"]
        let refused = try await YilianBinary.run(
            CoordinatorDayTests.filing(from: "MYQYY", to: "ZRYY", wrong, ["--as", "wang@MYQYY"]), environment: environment)
        #expect(refused.exitCode == 65)
        #expect(refused.stderr == "--patient-sex：须为以下之一：male（男）、female（女）、unknown（未知）。\n")
        let english = try await YilianBinary.run(
            CoordinatorDayTests.filing(from: "MYQYY", to: "ZRYY", wrong, ["--as", "wang@MYQYY", "--lang", "en"]), environment: environment)
        #expect(english.stderr == "--patient-sex: must be one of male, female, unknown.\n")
    }

    /// Point 5: `hospital show` and `criteria show` in the reader's words, not field names and JSON.
    @Test func aHospitalAndCriteriaReadInChinese() async throws {
        let c = ReferralCommandTests.Coordinator(url: try await TestPostgres.freshDatabase(), transcript: .init())
        try ReliabilityFixture.seed(c.url, slots: [])
        let environment = Self.chinese.merging(["YILIAN_DATABASE_URL": c.url]) { $1 }
        let hospital = try await YilianBinary.run(["hospital", "show", "ZRYY", "--as", "li@ZRYY"], environment: environment)
        #expect(
            hospital.stdout
                == [
                    "编码      ZRYY", "名称      中日友好医院", "级别      3 级", "等次      未定等", "类别      综合医院", "区县      -", "床位数    -",
                    "科室      pain", "其他事实  -", "",
                ].joined(separator: "\n"))
        let criteria = FileManager.default.temporaryDirectory.appending(path: "criteria-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: criteria) }
        try Data(
            """
            {"passScore": 40, "criteria": [
              {"id": "level3", "title": "三级医院", "required": true, "rule": {"fact": "level", "op": "gte", "value": 3}},
              {"id": "key", "title": "疼痛科为重点专科", "weight": 40,
               "rule": {"any": [{"fact": "keySpecialties.pain", "op": "in", "value": ["national", "municipal"]},
                                {"not": {"fact": "district", "op": "eq", "value": "外埠"}}]}}]}
            """.utf8
        ).write(to: criteria)
        try await c.run(["criteria", "set", criteria.path, "--alliance", "PAIN-BJ"], as: "li@ZRYY")
        let shown = try await YilianBinary.run(["criteria", "show", "--alliance", "PAIN-BJ", "--as", "li@ZRYY"], environment: environment)
        // The rule column, its wrapped lines joined (a line of its own starts at the column).
        func rules(_ text: String) -> String {
            let lines = text.split(separator: "\n").drop { !$0.hasPrefix("──") }.dropFirst()
            return lines.map { $0.split(separator: "  ", omittingEmptySubsequences: true).last.map(String.init) ?? "" }.joined(
                separator: " ")
        }
        #expect(rules(shown.stdout) == "医院级别：要求 ≥ 3 满足其一（重点专科（pain）：要求为 national, municipal 之一；不得满足（区县：要求 = 外埠））")
        #expect(shown.stdout.split(separator: "\n").allSatisfy { TextTable.displayWidth(String($0)) <= 100 })
        let english = try await YilianBinary.run(
            ["criteria", "show", "--alliance", "PAIN-BJ", "--as", "li@ZRYY", "--lang", "en"], environment: environment)
        #expect(english.stdout.contains("level: needs ≥") && english.stdout.contains("(keySpecialties.pain:"), "\(english.stdout)")
    }

    /// Point 9: the report counts a cancelled duplicate nowhere among the filed, says 下转率 in
    /// percent as the other rates, and shows the Beijing slot rule only for an alliance that
    /// follows it (slotRule beijing); another alliance's report has no such section.
    @Test func theReportCountsWhatWasReferredInPercentAndTheRuleOnlyWhereItApplies() async throws {
        let c = ReferralCommandTests.Coordinator(url: try await TestPostgres.freshDatabase(), transcript: .init())
        let date = CoordinatorDayTests.day(0)
        try ReliabilityFixture.seed(c.url, slots: [(date: date, capacity: 2)])
        let zhang = CoordinatorDayTests.filing(from: "MYQYY", to: "ZRYY", CoordinatorDayTests.zhang, ["--diagnosis", "M79.2:神经痛"])
        try await c.run(zhang, as: "wang@MYQYY")
        try await c.run(zhang + ["--allow-duplicate"], as: "wang@MYQYY")
        try await c.run(["referral", "cancel", "R-000002", "--reason", "重复发起"], as: "wang@MYQYY")
        for action in [["accept"], ["schedule", "--date", date], ["arrive"]] {
            try await c.run(["referral", action[0], "R-000001"] + action.dropFirst(), as: "li@ZRYY")
        }
        let environment = Self.chinese.merging(["YILIAN_DATABASE_URL": c.url]) { $1 }
        let period = ["--from", CoordinatorDayTests.day(-1), "--to", CoordinatorDayTests.day(1), "--as", "li@ZRYY"]
        let beijing = try await YilianBinary.run(["report", "--alliance", "PAIN-BJ"] + period, environment: environment)
        #expect(beijing.exitCode == 0, "\(beijing.stderr)")
        let overall = beijing.stdout.split(separator: "\n").first { $0.hasPrefix("全联体") }.map { $0.split(separator: " ") } ?? []
        // 上转门诊 申请/到诊 1/1 (not 2/1), and 下转率 0% of one arrival up.
        #expect(overall.prefix(4) == ["全联体", "PAIN-BJ", "1/1", "0/0"], "\(beijing.stdout)")
        #expect(overall.dropFirst(6).first == "0%", "\(beijing.stdout)")
        #expect(beijing.stdout.contains("北京号源下沉要求"))
        let english = try await YilianBinary.run(["report", "--alliance", "PAIN-BJ", "--lang", "en"] + period, environment: environment)
        let total = english.stdout.split(separator: "\n").first { $0.hasPrefix("all ") }.map { $0.split(separator: " ") } ?? []
        #expect(total.dropFirst(2).prefix(2) == ["1/1", "0/0"] && total.dropFirst(6).first == "0%", "\(english.stdout)")
        #expect(english.stdout.contains("\nBeijing slot rule, core and tertiary members' own slots"))
        try await c.run(
            ["alliance", "create", "--code", "PAIN-SH", "--name", "上海疼痛专科联盟", "--specialty", "pain", "--core", "ZRYY"], as: "ops@admin")
        let shanghai = try await YilianBinary.run(["report", "--alliance", "PAIN-SH"] + period, environment: environment)
        #expect(shanghai.exitCode == 0, "\(shanghai.stderr)")
        #expect(!shanghai.stdout.contains("北京"), "\(shanghai.stdout)")
        let json = try await YilianBinary.run(["report", "--alliance", "PAIN-SH", "--json"] + period, environment: environment)
        let report = try JSONDecoder().decode(JSONValue.self, from: Data(json.stdout.utf8))
        #expect(report["slotRule"] == .null && report["overall"]?["reservedShare"] == .null)
        let shown = try await YilianBinary.run(["alliance", "show", "PAIN-BJ", "--as", "li@ZRYY"], environment: environment)
        #expect(shown.stdout.contains("号源规则      北京号源下沉要求"), "\(shown.stdout)")
    }

    /// Point 12: a flag the command cannot read (a diagnosis without its colon) is told with every
    /// other problem of the request, not alone; nothing is filed.
    @Test func aBadDiagnosisIsToldWithABadBirthDate() async throws {
        let c = ReferralCommandTests.Coordinator(url: try await TestPostgres.freshDatabase(), transcript: .init())
        try ReliabilityFixture.seed(c.url, slots: [])
        let patient = ["--patient-name", "王五", "--patient-sex", "male", "--patient-birth-date", "1980-13-01", "--diagnosis", "bad"]
        let refused = try await YilianBinary.run(
            CoordinatorDayTests.filing(from: "MYQYY", to: "ZRYY", patient, ["--as", "wang@MYQYY"]),
            environment: Self.chinese.merging(["YILIAN_DATABASE_URL": c.url]) { $1 })
        #expect(refused.exitCode == 65)
        #expect(
            refused.stderr
                == "请求有 2 处问题：--diagnosis：bad 不是 编码:名称 的格式（如 M79.2:神经痛）；"
                + "--patient-birth-date：须为 1900-01-01 至 2200-12-31 之间的日期，格式 YYYY-MM-DD。\n")
        let listed = try await YilianBinary.run(
            ["referral", "list", "--as", "wang@MYQYY"], environment: Self.chinese.merging(["YILIAN_DATABASE_URL": c.url]) { $1 })
        #expect(listed.stdout == "没有找到记录。\n")
        let english = try await YilianBinary.run(
            CoordinatorDayTests.filing(from: "MYQYY", to: "ZRYY", patient, ["--as", "wang@MYQYY", "--lang", "en"]),
            environment: Self.chinese.merging(["YILIAN_DATABASE_URL": c.url]) { $1 })
        #expect(
            english.stderr
                == "The request has 2 problems: --diagnosis: bad is not CODE:NAME, e.g. M79.2:神经痛; "
                + "--patient-birth-date: must be a date YYYY-MM-DD from 1900-01-01 to 2200-12-31.\n")
    }

    /// Point 12: an arrival two days before the appointment is recorded, and the receiver is told.
    @Test func anEarlyArrivalIsSaid() async throws {
        let c = ReferralCommandTests.Coordinator(url: try await TestPostgres.freshDatabase(), transcript: .init())
        let date = CoordinatorDayTests.day(2)
        try ReliabilityFixture.seed(c.url, slots: [(date: date, capacity: 2)])
        try await c.run(
            CoordinatorDayTests.filing(from: "MYQYY", to: "ZRYY", CoordinatorDayTests.zhang, ["--diagnosis", "M79.2:神经痛"]), as: "wang@MYQYY"
        )
        try await c.run(["referral", "accept", "R-000001"], as: "li@ZRYY")
        try await c.run(["referral", "schedule", "R-000001", "--date", date], as: "li@ZRYY")
        let arrived = try await YilianBinary.run(
            ["referral", "arrive", "R-000001", "--as", "li@ZRYY"], environment: Self.chinese.merging(["YILIAN_DATABASE_URL": c.url]) { $1 })
        #expect(arrived.exitCode == 0, "\(arrived.stderr)")
        #expect(arrived.stdout.hasSuffix("\n注意：预约日期为 \(date)，患者提前 2 天到诊，已按今天登记到诊。\n"), "\(arrived.stdout)")
        // In English, a second patient the same way.
        try await c.run(
            CoordinatorDayTests.filing(
                from: "MYQYY", to: "ZRYY", CoordinatorDayTests.zhang, ["--diagnosis", "M79.2:神经痛", "--allow-duplicate"]), as: "wang@MYQYY")
        try await c.run(["referral", "accept", "R-000002"], as: "li@ZRYY")
        try await c.run(["referral", "schedule", "R-000002", "--date", date], as: "li@ZRYY")
        let english = try await YilianBinary.run(
            ["referral", "arrive", "R-000002", "--as", "li@ZRYY", "--lang", "en"],
            environment: Self.chinese.merging(["YILIAN_DATABASE_URL": c.url]) { $1 })
        #expect(
            english.stdout.hasSuffix(
                "\nNote: the appointment is on \(date); the patient came 2 days early and is recorded as arrived today.\n"),
            "\(english.stdout)")
    }

    /// A person where a person is meant: a user added with `--name 刘明` is 经办人 on the form
    /// the receiver prints and `刘明（liu@MYQYY）` in the timeline; a user without one stays a login.
    @Test func aUsersNameIsOnTheFormAndInTheTimeline() async throws {
        let c = ReferralCommandTests.Coordinator(url: try await TestPostgres.freshDatabase(), transcript: .init())
        try ReliabilityFixture.seed(c.url, slots: [])
        let environment = Self.chinese.merging(["YILIAN_DATABASE_URL": c.url]) { $1 }
        try await c.run(["user", "add", "--user", "liu", "--hospital", "MYQYY", "--duty", "coordinator", "--name", "刘明"], as: "ops@admin")
        try await c.run(
            CoordinatorDayTests.filing(from: "MYQYY", to: "ZRYY", CoordinatorDayTests.zhang, ["--diagnosis", "M79.2:神经痛"]), as: "liu@MYQYY")
        try await c.run(["referral", "accept", "R-000001"], as: "li@ZRYY")
        let history = try await YilianBinary.run(["referral", "history", "R-000001", "--as", "li@ZRYY"], environment: environment)
        let lines = history.stdout.split(separator: "\n")
        #expect(lines.count == 4 && lines[2].contains("刘明（liu@MYQYY）") && lines[3].contains(" li@ZRYY "), "\(history.stdout)")
        // The names widen the timeline: `show` still fits 100 columns, the note cut to fit.
        let shown = try await YilianBinary.run(["referral", "show", "R-000001", "--as", "li@ZRYY"], environment: environment)
        #expect(shown.stdout.split(separator: "\n").allSatisfy { TextTable.displayWidth(String($0)) <= 100 }, "\(shown.stdout)")
        #expect(shown.stdout.contains("刘明（liu@MYQYY）  疼痛控制不佳"), "\(shown.stdout)")
        let form = try await YilianBinary.run(["referral", "print", "R-000001", "--as", "li@ZRYY"], environment: environment)
        #expect(form.stdout.contains("<th>经办人</th><td>刘明</td>"), "\(form.stdout)")
        // A name the checks refuse: too long, or with a control character.
        let refused = try await YilianBinary.run(
            [
                "user", "add", "--user", "zhao", "--hospital", "MYQYY", "--duty", "coordinator", "--name", "刘\u{1B}[2J明", "--as",
                "ops@admin",
            ],
            environment: environment)
        #expect(refused.stderr == "--name：须为 1 到 32 个字符，不含控制字符，首尾无空格。\n", "\(refused.stderr)")
    }

    /// Point 3: a mistyped `--as` names the registered login nearest to it (among those the
    /// session may see), instead of a rule about another hospital; one near nothing says only why.
    @Test func aMistypedActorNamesTheNearestLogin() async throws {
        let c = ReferralCommandTests.Coordinator(url: try await TestPostgres.freshDatabase(), transcript: .init())
        try ReliabilityFixture.seed(c.url, slots: [])
        let environment = Self.chinese.merging(["YILIAN_DATABASE_URL": c.url]) { $1 }
        let near = try await YilianBinary.run(["referral", "list", "--as", "wang@MYQY"], environment: environment)
        #expect(near.exitCode == 77)
        #expect(near.stderr == "wang@MYQY 不是已登记并启用的医联用户；是否为 wang@MYQYY？\n")
        let far = try await YilianBinary.run(["referral", "list", "--as", "nobody@XYZ"], environment: environment)
        #expect(far.stderr == "nobody@XYZ 不是已登记并启用的医联用户，只有登记用户可以操作。\n")
        let english = try await YilianBinary.run(["referral", "list", "--as", "wang@MYQY", "--lang", "en"], environment: environment)
        #expect(english.stderr == "wang@MYQY is not a registered, enabled Yilian user; did you mean wang@MYQYY?\n")
    }

    /// Point 7: a duplicate application refused draws no number: the next one is the next number.
    @Test func aRefusedDuplicateApplicationSkipsNoNumber() async throws {
        let c = ReferralCommandTests.Coordinator(url: try await TestPostgres.freshDatabase(), transcript: .init())
        try ReliabilityFixture.seed(c.url, slots: [])
        let environment = Self.chinese.merging(["YILIAN_DATABASE_URL": c.url]) { $1 }
        try await c.run(
            ["hospital", "register", "--code", "SYMY", "--name", "首都医科大学附属医院", "--level", "2", "--departments", "pain"], as: "ops@admin")
        let apply = ["membership", "apply", "--alliance", "PAIN-BJ", "--hospital", "SYMY", "--role", "cooperating", "--as", "wang@SYMY"]
        #expect(try await YilianBinary.run(apply, environment: environment).stdout.contains("A-000003"))
        let twice = try await YilianBinary.run(apply, environment: environment)
        #expect(twice.exitCode != 0 && twice.stderr == "SYMY 已有一份向医联体 PAIN-BJ 提交、尚未办结的申请。\n", "\(twice.stderr)")
        try await c.run(["membership", "withdraw", "A-000003"], as: "wang@SYMY")
        let again = try await YilianBinary.run(apply, environment: environment)
        #expect(again.stdout.contains("A-000004"), "\(again.stdout)")
    }

    /// Point 7: facts the applicant gave otherwise than the registry records are named, judged as
    /// recorded; facts the registry does not hold are not.
    @Test func theEvaluationSaysWhichFactsTheRegistryOverrode() async throws {
        let c = ReferralCommandTests.Coordinator(url: try await TestPostgres.freshDatabase(), transcript: .init())
        try ReliabilityFixture.seed(c.url, slots: [])
        try await c.run(
            ["hospital", "register", "--code", "SYMY", "--name", "首都医科大学附属医院", "--level", "2", "--departments", "orthopedics"],
            as: "ops@admin")
        let applied = try await YilianBinary.run(
            [
                "membership", "apply", "--alliance", "PAIN-BJ", "--hospital", "SYMY", "--role", "cooperating", "--facts",
                #"{"departments": ["pain", "orthopedics"], "level": 2, "beds": 300}"#, "--as", "wang@SYMY",
            ], environment: Self.chinese.merging(["YILIAN_DATABASE_URL": c.url]) { $1 })
        #expect(applied.exitCode == 0, "\(applied.stderr)")
        #expect(applied.stdout.contains("\n以下事实以医院名录为准（与申请所填不同）：科室。\n"), "\(applied.stdout)")
        let english = try await YilianBinary.run(
            ["membership", "show", "A-000003", "--as", "wang@SYMY", "--lang", "en"],
            environment: Self.chinese.merging(["YILIAN_DATABASE_URL": c.url]) { $1 })
        #expect(
            english.stdout.contains("\nJudged as the hospital registry records them (the application said otherwise): departments.\n"),
            "\(english.stdout)")
    }
}
