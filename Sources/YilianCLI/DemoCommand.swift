import ArgumentParser
import Foundation
import YilianCore
import YilianJSON
import YilianRPC
import YilianServices

/// `yilian demo`: the story of SPEC §5 in a fresh database of its own (`yilian_demo`), narrated
/// one line per step. Every step goes through the same JSON-RPC methods as `yilian serve`.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo", abstract: Help.text("Run the demo scenario (北京地区疼痛专科医联体) in a fresh database of its own."))
    @OptionGroup(title: Help.text("Global options")) var options: DatabaseOptions

    func run() async throws {
        try await CommandContext.run(options) { context in
            let database = try await options.location.openFresh(database: "yilian_demo", logger: context.logger) {
                Stderr.print($0(Language.current))
            }
            let clock = ManualClock(Date())
            let story = Story(
                dispatcher: Dispatcher(
                    services: Services(database: database, logger: context.logger, clock: { clock.now }), logger: context.logger))
            try await story.tell(clock: clock)
        }
    }
}

private struct Story {
    let dispatcher: Dispatcher

    @discardableResult
    func call(_ method: String, _ params: JSONObject, as actor: String? = nil) async throws -> JSONValue {
        var params = params
        if let actor, let parsed = Actor(parsing: actor) {
            params["actor"] = ["user": .string(parsed.user), "hospital": .string(parsed.hospital)]
        }
        return try JSONValue(parsing: Array(try await dispatcher.call(method, params: .object(params))))
    }

    func say(_ line: String) { Terminal.print(line) }

    static let hospitals: [(code: String, name: String, level: Int, grade: String, kind: String, district: String, departments: [String])] =
        [
            ("ZRYY", "中日友好医院", 3, "A", "general", "朝阳区", ["pain", "rehabilitation", "orthopedics"]),
            ("BYSY", "北医三院", 3, "A", "general", "海淀区", ["pain", "orthopedics"]),
            ("PLAGH", "301医院", 3, "A", "general", "海淀区", ["pain", "neurology"]),
            ("JGYY", "健宫医院", 2, "A", "general", "西城区", ["pain"]),
            ("MYQYY", "密云区医院", 2, "A", "general", "密云区", ["pain", "rehabilitation"]),
            ("CHC-HPL", "和平里社区卫生服务中心", 1, "unrated", "community", "东城区", ["pain"]),
            ("CHC-GL", "密云区鼓楼社区卫生服务中心", 1, "unrated", "community", "密云区", ["pain"]),
            ("SYMY", "顺义某民营医院", 2, "B", "general", "顺义区", ["orthopedics"]),
            ("SYQYY", "顺义区医院", 2, "A", "general", "顺义区", ["pain", "rehabilitation"]),
        ]

    /// The key specialties the registry records (the commission's planning weighs them).
    static let keySpecialties: [String: JSONValue] = [
        "ZRYY": ["pain": "national"], "BYSY": ["orthopedics": "national"], "PLAGH": ["neurology": "national"],
        "JGYY": ["pain": "municipal"],
    ]

    /// What the registry records of a hospital beyond its tier: its key specialties, and for those
    /// with a pain clinic the facts an application would give (the planning judges by these).
    static func registered(_ code: String) -> JSONValue {
        var facts: JSONObject = ["keySpecialties": keySpecialties[code] ?? [:]]
        if hospitals.first(where: { $0.code == code })?.departments.contains("pain") == true {
            facts["labMutualRecognition"] = true
            facts["referralPlatformConnected"] = true
            facts["seniorPhysicians"] = ["pain": 2]
        }
        return .object(facts)
    }

    /// The alliance's 互认 catalogue: a lumbar MRI for 30 days, a blood count for 7, from every member.
    static let recognition: JSONValue = [
        "items": [
            ["code": "MRI-L", "name": "腰椎 MRI", "kind": "imaging", "validDays": 30],
            ["code": "CBC", "name": "血常规", "kind": "lab", "validDays": 7],
        ]
    ]

    static let criteria: JSONValue = [
        "passScore": 60,
        "criteria": [
            [
                "id": "level3", "title": "三级医院", "roles": ["collaborating"], "required": true,
                "rule": ["fact": "level", "op": "gte", "value": 3],
            ],
            ["id": "dept", "title": "设有疼痛科", "required": true, "rule": ["fact": "departments", "op": "contains", "value": "pain"]],
            [
                "id": "key", "title": "疼痛科为重点专科", "weight": 40,
                "rule": ["fact": "keySpecialties.pain", "op": "in", "value": ["national", "municipal"]],
            ],
            [
                "id": "lab", "title": "参加检查检验结果互认", "weight": 20,
                "rule": [
                    "all": [
                        ["fact": "labMutualRecognition", "op": "eq", "value": true],
                        ["not": ["fact": "district", "op": "eq", "value": "外埠"]],
                    ]
                ],
            ],
            ["id": "platform", "title": "接入转诊平台", "weight": 20, "rule": ["fact": "referralPlatformConnected", "op": "eq", "value": true]],
            [
                "id": "seniors", "title": "疼痛科高级职称医师不少于2名", "roles": ["collaborating", "cooperating"], "weight": 20,
                "rule": ["fact": "seniorPhysicians.pain", "op": "gte", "value": 2],
            ],
        ],
    ]

    static let goodFacts: JSONValue = [
        "keySpecialties": ["pain": "municipal"], "labMutualRecognition": true, "referralPlatformConnected": true,
        "seniorPhysicians": ["pain": 3],
    ]

    /// A patient, with a resident ID unless the record takes none (an outreach booking).
    func patient(_ name: String, _ sex: String, _ birth: String, _ id: String?) -> JSONValue {
        ["name": .string(name), "sex": .string(sex), "birthDate": .string(birth), "idNumber": JSONValue(id)]
    }

    func file(
        from: String, to: String, setting: String, priority: String, patient: JSONValue, diagnosis: (String, String), reason: String,
        attachments: [JSONValue] = [], parent: String? = nil, by actor: String
    ) async throws -> JSONValue {
        var params: JSONObject = [
            "alliance": "PAIN-BJ", "from": .string(from), "to": .string(to), "setting": .string(setting), "priority": .string(priority),
            "patient": patient, "consent": true, "diagnosis": [["code": .string(diagnosis.0), "name": .string(diagnosis.1)]],
            "reason": .string(reason), "attachments": .array(attachments),
        ]
        if let parent { params["parent"] = .string(parent) }
        return try await call("referral.file", params, as: actor)
    }

    @discardableResult
    func act(_ action: String, _ id: String, _ extra: JSONObject = [:], by actor: String) async throws -> JSONValue {
        var params = extra
        params["id"] = .string(id)
        return try await call("referral.\(action)", params, as: actor)
    }

    func tell(clock: ManualClock) async throws {
        let language = Language.current
        // Days as the alliance counts them.
        let today = Services.today(clock.now, in: AllianceDefaults.timeZone)
        func day(_ offset: Int) -> String { CalendarDate(daysSinceEpoch: today.daysSinceEpoch + offset).description }
        let admin = "ops@admin"
        let zryy = "li@ZRYY"
        let myqyy = "wang@MYQYY"

        say(language("demo.title"))
        // The platform's operator first: the database's owner names nobody, so it acts as the platform.
        try await call("user.add", ["user": "ops", "hospital": "admin", "duty": "platform_admin"])
        for h in Self.hospitals {
            try await call(
                "hospital.register",
                [
                    "code": .string(h.code), "name": .string(h.name), "level": .integer(h.level), "grade": .string(h.grade),
                    "kind": .string(h.kind),
                    "district": .string(h.district), "departments": .array(h.departments.map(JSONValue.string)),
                    "facts": Self.registered(h.code),
                ], as: admin)
        }
        // A coordinator login for every hospital and two administrators.
        for h in Self.hospitals {
            try await call("user.add", ["user": "coordinator", "hospital": .string(h.code), "duty": "coordinator"], as: admin)
        }
        // The administrators by name: the form's 经办人 and the timelines name them.
        for (user, name) in [(zryy, "李明"), (myqyy, "王芳")] {
            let login = Actor(parsing: user)!
            try await call(
                "user.add",
                [
                    "user": .string(login.user), "hospital": .string(login.hospital), "duty": "hospital_admin",
                    "displayName": .string(name),
                ], as: admin)
        }
        say(
            language(
                "demo.1", Self.hospitals.count,
                Self.hospitals.map { language("demo.hospital", $0.name, $0.level) }.joined(separator: language("list.separator")),
                zryy, myqyy))
        try await call(
            "alliance.create", ["code": "PAIN-BJ", "name": "北京地区疼痛专科医联体", "specialty": "pain", "core": "ZRYY", "slotRule": "beijing"],
            as: admin)
        say(language("demo.2"))
        try await call("criteria.set", ["alliance": "PAIN-BJ", "criteria": Self.criteria], as: zryy)
        say(language("demo.3"))
        try await call("recognition.set", ["alliance": "PAIN-BJ", "catalogue": Self.recognition], as: zryy)
        say(language("demo.catalogue"))

        for (code, role) in [
            ("BYSY", "collaborating"), ("PLAGH", "collaborating"), ("JGYY", "cooperating"), ("MYQYY", "cooperating"),
            ("CHC-HPL", "primary"), ("CHC-GL", "primary"),
        ] {
            let application = try await call(
                "membership.apply", ["alliance": "PAIN-BJ", "hospital": .string(code), "role": .string(role), "facts": Self.goodFacts],
                as: "coordinator@\(code)")
            let evaluation = application["evaluation"] ?? [:]
            try await call("membership.decide", ["id": application["id"] ?? nil, "decision": "approve", "reason": "符合准入标准"], as: zryy)
            if code == "MYQYY" {
                say(language("demo.4", evaluation.word("decision", "decision"), evaluation.cell("score"), evaluation.cell("passScore")))
                for criterion in evaluation["criteria"]?.items ?? [] {
                    say(
                        "     \(criterion.cell("result") == "pass" ? "✔" : "✘") "
                            + language("demo.criterion", criterion.cell("title"), criterion.cell("explanation")))
                }
            }
        }
        say(language("demo.5"))
        let refused = try await call(
            "membership.apply",
            [
                "alliance": "PAIN-BJ", "hospital": "SYMY", "role": "cooperating",
                "facts": ["labMutualRecognition": true, "referralPlatformConnected": false],
            ],
            as: "coordinator@SYMY")
        let refusedEvaluation = refused["evaluation"] ?? [:]
        try await call("membership.decide", ["id": refused["id"] ?? nil, "decision": "reject", "reason": "未设疼痛科，不符合准入标准"], as: zryy)
        let reasons = (refusedEvaluation["criteria"]?.items ?? []).filter { $0["result"] != "pass" }.map {
            language("demo.reason", $0.cell("title"), $0.cell("explanation"))
        }
        say(
            language(
                "demo.6", refusedEvaluation.word("decision", "decision"), reasons.joined(separator: language("error.problemSeparator"))))

        // Beijing rule: 6 of the clinic's 20 slots a weekday reserved, half of them expert, released four weeks ahead.
        try await call(
            "slots.publish",
            [
                "hospital": "ZRYY", "specialty": "pain", "from": .string(day(1)), "to": .string(day(28)),
                "weekdays": [1, 2, 3, 4, 5], "capacity": 6, "expert": 3, "total": 20,
            ], as: zryy)
        say(language("demo.7", day(1), day(28)))

        // Done at 密云区医院 before: an MRI five days ago, a blood count three weeks ago.
        let up = try await file(
            from: "MYQYY", to: "ZRYY", setting: "outpatient", priority: "urgent",
            patient: patient("张建国", "male", "1956-03-12", "110228195603120016"),
            diagnosis: ("M54.5", "腰痛"), reason: "腰腿痛反复发作，保守治疗效果差，需上级医院评估介入治疗",
            attachments: [
                [
                    "kind": "imaging", "title": "腰椎 MRI", "reference": "PACS-MY-20261", "item": "MRI-L", "performedAt": .string(day(-5)),
                    "performedBy": "MYQYY",
                ],
                [
                    "kind": "lab", "title": "血常规", "reference": "LIS-MY-3377", "item": "CBC", "performedAt": .string(day(-21)),
                    "performedBy": "MYQYY",
                ],
            ], by: myqyy)
        let id = up["id"]?.stringValue ?? ""
        say(language("demo.8", id, (up["respondBy"] ?? nil).shortTime, up["patient"]?["idNumber"]?.cell ?? "-"))
        clock.advance(hours: 1.5)
        try await act("accept", id, ["note": "同意接收"], by: zryy)
        let slots = try await call("slots.list", ["hospital": "ZRYY", "from": .string(day(1)), "to": .string(day(7))])
        let appointment = slots.items.first?["date"]?.stringValue ?? day(2)
        let scheduled = try await act("schedule", id, ["date": .string(appointment), "expert": true], by: zryy)
        // Judged on the appointment day against the alliance's catalogue: the MRI spares a repeat.
        let decisions = (scheduled["attachments"]?.items ?? []).compactMap { try? Attachment(json: $0) }
        say(
            language(
                "demo.recognition", id, decisions.first?.recognitionText.map { $0(language) } ?? "-",
                decisions.last?.recognitionText.map { $0(language) } ?? "-"))
        let expected = try await call("worklist.get", ["hospital": "ZRYY"], as: zryy)
        say(language("demo.expected", id, appointment, expected["expected"]?.items.count ?? 0))
        clock.advance(hours: 48)
        try await act("arrive", id, by: zryy)
        try await act(
            "complete", id,
            [
                "outcome": [
                    "summary": "腰椎间盘突出症，行射频消融术，疼痛明显缓解", "diagnosis": [["code": "M51.2", "name": "腰椎间盘突出"]],
                    "recommendation": "down_refer", "followUpDays": 30,
                ]
            ], by: zryy)
        let closed = try await act("acknowledge", id, by: myqyy)
        say(language("demo.9", id, appointment, closed.word("status", "status"), closed.cell("fhirStatus")))
        // The down-referral names no patient: it continues the parent's.
        let down = try await call(
            "referral.file",
            [
                "alliance": "PAIN-BJ", "from": "ZRYY", "to": "MYQYY", "setting": "inpatient", "priority": "routine", "consent": true,
                "reason": "术后康复治疗", "parent": .string(id),
            ], as: zryy)
        try await act("accept", down["id"]?.stringValue ?? "", by: myqyy)
        say(
            language(
                "demo.10", down.cell("id"), id, (down["patient"] ?? [:]).cell("name"), (down["diagnosis"]?.items.first ?? [:]).cell("name"))
        )

        // The core hospital's coordinator keeps `yilian watch` open: what it shows of the emergency.
        let mark = try await call("events.list", ["limit": 500], as: zryy)["nextCursor"]?.stringValue.flatMap { Int($0) } ?? 0
        let green = try await file(
            from: "CHC-HPL", to: "ZRYY", setting: "inpatient", priority: "emergency",
            patient: patient("刘芳", "female", "1971-08-09", "110105197108090023"),
            diagnosis: ("G50.0", "三叉神经痛"), reason: "剧烈疼痛，镇痛无效", by: "coordinator@CHC-HPL")
        clock.advance(hours: 0.25)
        try await act("accept", green["id"]?.stringValue ?? "", by: zryy)
        let arrived = try await act("arrive", green["id"]?.stringValue ?? "", by: zryy)
        say(language("demo.11", green.cell("id"), arrived.word("status", "status")))
        let watched = try await dispatcher.call(
            EventsList.self, params: ["since": .integer(mark), "actor": ["user": "li", "hospital": "ZRYY"]]
        ).result.items
        for event in watched where WatchCommand.rings(event) { say(language("demo.watch", WatchCommand.line(event))) }

        // A consultation (会诊) first, then the referral it advises.
        let consultation = try await call(
            "consultation.request",
            [
                "alliance": "PAIN-BJ", "from": "JGYY", "to": "ZRYY", "mode": "advice", "priority": "urgent", "consent": true,
                "patient": patient("孙强", "male", "1965-07-15", "110102196507150018"), "diagnosis": [["code": "M54.1", "name": "神经根病"]],
                "question": "腰骶部放射痛半年，药物治疗无效，是否需要介入治疗？",
            ], as: "coordinator@JGYY")
        let consultationID = consultation["id"] ?? nil
        clock.advance(hours: 2)
        try await call("consultation.accept", ["id": consultationID], as: zryy)
        try await call(
            "consultation.opine", ["id": consultationID, "summary": "影像提示 L5/S1 神经根受压，建议射频治疗", "recommendation": "refer_up"], as: zryy)
        try await call("consultation.conclude", ["id": consultationID, "conclusion": "建议上转行脉冲射频治疗"], as: zryy)
        let converted = try await call("consultation.convert", ["id": consultationID, "setting": "outpatient"], as: "coordinator@JGYY")
        say(language("demo.consultation", consultation.cell("id"), converted.cell("convertedTo")))

        let rejected = try await file(
            from: "JGYY", to: "ZRYY", setting: "outpatient", priority: "routine",
            patient: patient("陈静", "female", "1988-11-30", "110102198811300040"),
            diagnosis: ("R51", "头痛"), reason: "慢性头痛会诊", by: "coordinator@JGYY")
        clock.advance(hours: 6)
        try await act("reject", rejected["id"]?.stringValue ?? "", ["reasonCode": "outside_scope", "reason": "建议神经内科就诊"], by: zryy)
        say(language("demo.12", rejected.cell("id"), language.word("rejectReason", "outside_scope")))

        let late = try await file(
            from: "CHC-GL", to: "MYQYY", setting: "outpatient", priority: "routine",
            patient: patient("赵大山", "male", "1949-01-20", "11022819490120001X"),
            diagnosis: ("M17.9", "膝关节病"), reason: "膝关节疼痛", by: "coordinator@CHC-GL")
        clock.advance(hours: 80)
        let worklist = try await call("worklist.get", ["hospital": "MYQYY"], as: myqyy)
        let sweep = try await call("referral.sweep", [:])
        say(
            language(
                "demo.13", late.cell("id"), worklist["overdue"]?.items.count ?? 0,
                sweep["escalated"]?.items.map(\.cell).joined(separator: ", ") ?? "-"))

        try await tellOutreach(clock: clock)

        let report = try await dispatcher.call(
            ReportIndicators.self,
            params: ["alliance": "PAIN-BJ", "from": .string(day(-1)), "to": .string(day(28)), "actor": ["user": "li", "hospital": "ZRYY"]]
        ).result
        say(language("demo.14", day(-1), day(28)) + "\n")
        say(ReportCommand.body(report))
        try await tellPlanning(year: today.year)
        say("\n" + language("demo.done"))
    }
}

extension Story {
    /// 樊教授's clinic at 密云区医院 (SPEC §14): the filing that lets him work there, the session,
    /// two patients booked, and one of them up-referred with the session as context.
    func tellOutreach(clock: ManualClock) async throws {
        let language = Language.current
        let today = Services.today(clock.now, in: AllianceDefaults.timeZone)
        func day(_ offset: Int) -> String { CalendarDate(daysSinceEpoch: today.daysSinceEpoch + offset).description }
        try await call("user.add", ["user": "fan", "hospital": "ZRYY", "duty": "physician", "displayName": "樊教授"], as: "ops@admin")
        let record = try await call(
            "practice.register",
            [
                "alliance": "PAIN-BJ", "expert": "fan@ZRYY", "title": "主任医师", "specialty": "pain", "site": "MYQYY",
                "filingNumber": "BJ-DX-2026-0418", "validFrom": .string(day(0)), "validUntil": .string(day(365)),
            ], as: "li@ZRYY")
        let session = try await call(
            "outreach.publish",
            ["alliance": "PAIN-BJ", "expert": "fan@ZRYY", "site": "MYQYY", "date": .string(day(0)), "kind": "clinic", "capacity": 10],
            as: "li@ZRYY")
        let id = session["id"] ?? nil
        for booked in [patient("周桂兰", "female", "1958-04-02", nil), patient("吴永福", "male", "1949-10-10", nil)] {
            try await call("outreach.book", ["session": id, "patient": booked], as: "wang@MYQYY")
        }
        let up = try await call(
            "referral.file",
            [
                "alliance": "PAIN-BJ", "from": "MYQYY", "to": "ZRYY", "setting": "outpatient", "priority": "routine", "consent": true,
                "patient": patient("周桂兰", "female", "1958-04-02", "11022819580402002X"),
                "diagnosis": [["code": "G53.0", "name": "带状疱疹后神经痛"]], "reason": "樊教授下沉坐诊时建议上级医院行神经阻滞治疗", "outreach": id,
            ], as: "wang@MYQYY")
        say(
            language(
                "demo.outreach", record.cell("filingNumber"), record.cell("validUntil"), session.cell("date"), session.cell("id"),
                session.cell("capacity"), 2, up.cell("id")))
    }
}

extension Story {
    /// The commission's planning (SPEC §15) from a sample burden table, said to be one.
    func tellPlanning(year: Int) async throws {
        let language = Language.current
        var csv = "district,specialty,year,cases\n"
        for (district, pain, rehabilitation, orthopedics) in [
            ("朝阳区", 4200, 1800, 3900), ("海淀区", 3800, 1500, 3600), ("西城区", 2100, 900, 1700), ("东城区", 1900, 800, 1500),
            ("密云区", 1300, 1100, 900), ("顺义区", 2600, 1400, 2200),
        ] {
            csv += "\(district),pain,\(year),\(pain)\n\(district),rehabilitation,\(year),\(rehabilitation)\n"
            csv += "\(district),orthopedics,\(year),\(orthopedics)\n"
        }
        let imported = try await call("plan.burden", ["csv": .string(csv), "file": "sample-burden.csv"], as: "ops@admin")
        let ranked = try await dispatcher.call(
            PlanSpecialties.self, params: ["actor": ["user": "ops", "hospital": "admin"]]
        ).result
        let plan = try await call("plan.alliance", ["specialty": "pain"], as: "ops@admin")
        say("\n" + language("demo.planning", imported.cell("imported")) + "\n")
        say(PlanCommand.ranking(ranked) + "\n")
        say(
            language(
                "demo.planAlliance", plan["proposedCore"]?.cell("name") ?? "-",
                listed(plan["expansion"]), listed(plan["districtsWithoutMembers"])))
        func listed(_ codes: JSONValue?) -> String {
            let items = codes?.items.map(\.cell) ?? []
            return items.isEmpty ? language("plan.none") : items.joined(separator: language("list.separator"))
        }
    }
}
