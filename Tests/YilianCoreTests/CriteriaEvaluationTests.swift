import Testing
import YilianCore
import YilianJSON

/// The rule language, evaluated: every operator against every kind of fact.
@Suite struct OperatorTests {
    static let facts: JSONValue = [
        "level": 3, "ratio": 0.75, "district": "朝阳区", "lab": true,
        "departments": ["pain", "orthopedics"], "keySpecialties": ["pain": "municipal"], "none": nil,
    ]

    static func rule(_ fact: String, _ op: String, _ value: JSONValue? = nil) throws -> Rule {
        var object: JSONObject = ["fact": .string(fact), "op": .string(op)]
        if let value { object["value"] = value }
        let set = try CriteriaSet.parse(["passScore": 0, "criteria": [["id": "x", "title": "x", "rule": .object(object)]]])
        return set.criteria[0].rule
    }

    // (fact, op, value, outcome, explanation)
    static let cases: [(String, String, JSONValue?, Outcome, String)] = [
        // number facts
        ("level", "eq", 3, .pass, "level = 3, needs = 3"),
        ("level", "eq", 3.0, .pass, "level = 3, needs = 3"),
        ("level", "ne", 3, .fail, "level = 3, needs ≠ 3"),
        ("level", "gt", 2, .pass, "level = 3, needs > 2"),
        ("level", "gt", 3, .fail, "level = 3, needs > 3"),
        ("level", "gte", 3, .pass, "level = 3, needs ≥ 3"),
        ("level", "lt", 3, .fail, "level = 3, needs < 3"),
        ("level", "lte", 3, .pass, "level = 3, needs ≤ 3"),
        ("ratio", "gte", 0.8, .fail, "ratio = 0.75, needs ≥ 0.8"),
        ("level", "in", [1, 2], .fail, "level = 3, needs one of 1, 2"),
        ("level", "in", [2, 3], .pass, "level = 3, needs one of 2, 3"),
        ("level", "contains", 3, .fail, "level = 3 (a number), needs to include 3 (a list or text)"),
        ("level", "exists", nil, .pass, "level = 3, needs to be present"),
        // string facts
        ("district", "eq", "朝阳区", .pass, "district = 朝阳区, needs = 朝阳区"),
        ("district", "ne", "外埠", .pass, "district = 朝阳区, needs ≠ 外埠"),
        ("district", "gte", 3, .fail, "district = 朝阳区 (text), needs ≥ 3 (a number)"),
        ("district", "in", ["朝阳区", "海淀区"], .pass, "district = 朝阳区, needs one of 朝阳区, 海淀区"),
        ("district", "contains", "阳", .pass, "district = 朝阳区, needs to include 阳"),
        ("district", "contains", "海", .fail, "district = 朝阳区, needs to include 海"),
        ("district", "eq", 3, .fail, "district = 朝阳区 (text), needs = 3 (a number)"),
        ("district", "ne", 3, .fail, "district = 朝阳区 (text), needs ≠ 3 (a number)"),
        // bool facts
        ("lab", "eq", true, .pass, "lab = true, needs = true"),
        ("lab", "ne", true, .fail, "lab = true, needs ≠ true"),
        ("lab", "lt", 1, .fail, "lab = true (true or false), needs < 1 (a number)"),
        ("lab", "in", [true], .pass, "lab = true, needs one of true"),
        ("lab", "eq", "true", .fail, "lab = true (true or false), needs = true (text)"),
        // list facts
        ("departments", "contains", "pain", .pass, "departments = [pain, orthopedics], needs to include pain"),
        ("departments", "contains", "oncology", .fail, "departments = [pain, orthopedics], needs to include oncology"),
        ("departments", "eq", ["pain", "orthopedics"], .pass, "departments = [pain, orthopedics], needs = [pain, orthopedics]"),
        ("departments", "gt", 1, .fail, "departments = [pain, orthopedics] (a list), needs > 1 (a number)"),
        ("departments", "in", ["pain"], .fail, "departments = [pain, orthopedics] (a list), needs one of pain (one of the listed values)"),
        // nested facts
        (
            "keySpecialties.pain", "in", ["national", "municipal"], .pass,
            "keySpecialties.pain = municipal, needs one of national, municipal"
        ),
        ("keySpecialties.pain", "eq", "national", .fail, "keySpecialties.pain = municipal, needs = national"),
        // missing facts: unknown, but exists decides
        ("seniorPhysicians.pain", "gte", 3, .unknown, "seniorPhysicians.pain is missing, needs ≥ 3"),
        ("beds", "eq", 500, .unknown, "beds is missing, needs = 500"),
        ("beds", "in", [1, 2], .unknown, "beds is missing, needs one of 1, 2"),
        ("beds", "contains", 1, .unknown, "beds is missing, needs to include 1"),
        ("none", "eq", 1, .unknown, "none is missing, needs = 1"),
        ("level.sub", "eq", 1, .unknown, "level.sub is missing, needs = 1"),
        ("beds", "exists", nil, .fail, "beds is missing, needs to be present"),
        ("beds", "exists", false, .pass, "beds is missing, needs to be absent"),
        ("level", "exists", false, .fail, "level = 3, needs to be absent"),
    ]

    @Test(arguments: 0..<cases.count)
    func operatorAgainstFact(index: Int) throws {
        let (fact, op, value, outcome, explanation) = Self.cases[index]
        let (actualOutcome, actualExplanation) = try Self.rule(fact, op, value).evaluate(Self.facts)
        #expect(actualOutcome == outcome, "\(fact) \(op) \(String(describing: value))")
        #expect(actualExplanation.description == explanation)
    }

    @Test func everyOperatorIsCovered() {
        #expect(Set(Self.cases.map(\.1)) == Set(Operator.allCases.map(\.rawValue)))
    }
}

/// Kleene's three-valued logic for all / any / not.
@Suite struct KleeneTests {
    static let facts: JSONValue = ["yes": 1, "no": 2]
    static func leaf(_ outcome: Outcome) -> Rule {
        switch outcome {
        case .pass: return .fact(FactPath("yes")!, .eq, 1)
        case .fail: return .fact(FactPath("no")!, .eq, 1)
        case .unknown: return .fact(FactPath("missing")!, .eq, 1)
        }
    }

    static let andTable: [Outcome: [Outcome: Outcome]] = [
        .pass: [.pass: .pass, .fail: .fail, .unknown: .unknown],
        .fail: [.pass: .fail, .fail: .fail, .unknown: .fail],
        .unknown: [.pass: .unknown, .fail: .fail, .unknown: .unknown],
    ]
    static let orTable: [Outcome: [Outcome: Outcome]] = [
        .pass: [.pass: .pass, .fail: .pass, .unknown: .pass],
        .fail: [.pass: .pass, .fail: .fail, .unknown: .unknown],
        .unknown: [.pass: .pass, .fail: .unknown, .unknown: .unknown],
    ]

    @Test(arguments: Outcome.allCases, Outcome.allCases)
    func all(left: Outcome, right: Outcome) {
        #expect(Rule.all([Self.leaf(left), Self.leaf(right)]).evaluate(Self.facts).0 == Self.andTable[left]![right]!)
    }

    @Test(arguments: Outcome.allCases, Outcome.allCases)
    func any(left: Outcome, right: Outcome) {
        #expect(Rule.any([Self.leaf(left), Self.leaf(right)]).evaluate(Self.facts).0 == Self.orTable[left]![right]!)
    }

    @Test(arguments: Outcome.allCases)
    func not(value: Outcome) {
        let expected: [Outcome: Outcome] = [.pass: .fail, .fail: .pass, .unknown: .unknown]
        #expect(Rule.not(Self.leaf(value)).evaluate(Self.facts).0 == expected[value]!)
    }

    @Test func compositeExplanationsNameEveryPart() {
        let rule = Rule.all([Self.leaf(.pass), .not(Self.leaf(.unknown))])
        let explanation = rule.evaluate(Self.facts).1
        #expect(explanation.description == "all of (yes = 1, needs = 1; not (missing is missing, needs = 1))")
        #expect(explanation(Language.zh) == "全部满足（yes = 1，要求 = 1；不得满足（缺少 missing，要求 = 1））")
    }

    /// An application keeps its explanations as texts, so a reader in either language reads
    /// them in theirs; an explanation kept as plain text (before) is shown as it is.
    @Test func storedExplanationsAreReadInEveryLanguage() throws {
        let rule = Rule.any([
            try OperatorTests.rule("departments", "in", ["pain", "ortho"]), try OperatorTests.rule("beds", "contains", "x"),
        ])
        let explanation = rule.evaluate(["departments": ["pain"], "beds": 500]).1
        let kept = Text(stored: explanation.stored)
        #expect(kept == explanation)
        #expect(kept(Language.zh) == explanation(Language.zh))
        #expect(kept(Language.zh) == "满足其一（科室 = [pain]（列表），要求为 pain, ortho 之一（所列值之一）；床位数 = 500（数字），要求包含 x（列表或文字））")
        // A well-known fact by its word in Chinese (issue 28, point 5), any other by its path.
        #expect(try OperatorTests.rule("keySpecialties.pain", "exists", true).described(.zh) == "重点专科（pain）：要求填写此项")
        #expect(try OperatorTests.rule("keySpecialties.pain", "exists", true).described(.en) == "keySpecialties.pain: needs to be present")
        #expect(try OperatorTests.rule("wards.pain", "exists", true).described(.zh) == "wards.pain：要求填写此项")
        #expect(Text(stored: "level = 2, needs ≥ 3")(Language.zh) == "level = 2, needs ≥ 3")
    }
}

/// The decision and score of SPEC §2.
@Suite struct DecisionTests {
    /// Criteria: `req` (required), `a` weight 40, `b` weight 30, `c` weight 30, pass score 60,
    /// plus `coll` (required, collaborating only).
    static let set = try! CriteriaSet.parse([
        "passScore": 60,
        "criteria": [
            ["id": "req", "title": "设有疼痛科", "required": true, "rule": ["fact": "departments", "op": "contains", "value": "pain"]],
            ["id": "a", "title": "A", "weight": 40, "rule": ["fact": "a", "op": "eq", "value": true]],
            ["id": "b", "title": "B", "weight": 30, "rule": ["fact": "b", "op": "eq", "value": true]],
            ["id": "c", "title": "C", "weight": 30, "rule": ["fact": "c", "op": "eq", "value": true]],
            [
                "id": "coll", "title": "三级医院", "roles": ["collaborating"], "required": true,
                "rule": ["fact": "level", "op": "gte", "value": 3],
            ],
        ],
    ])

    static func decide(_ facts: JSONValue, _ role: MemberRole = .cooperating) -> (Decision, Int) {
        let evaluation = set.evaluate(facts: facts, role: role)
        return (evaluation.decision, evaluation.score)
    }

    @Test func eligibleWhenTheScoreIsReached() {
        #expect(Self.decide(["departments": ["pain"], "a": true, "b": true, "c": false]) == (.eligible, 70))
        #expect(Self.decide(["departments": ["pain"], "a": true, "b": true, "c": true]) == (.eligible, 100))
    }

    @Test func ineligibleWhenARequiredCriterionFailsWhateverTheScore() {
        #expect(Self.decide(["departments": ["oncology"], "a": true, "b": true, "c": true]) == (.ineligible, 100))
    }

    @Test func ineligibleWhenEvenTheUnknownWeightCannotReachTheScore() {
        // 30 passed + 0 unknown < 60; and 30 passed + 0 < 60 with one unknown of weight… none here.
        #expect(Self.decide(["departments": ["pain"], "a": false, "b": true, "c": false]) == (.ineligible, 30))
        // 0 passed + 30 unknown < 60
        #expect(Self.decide(["departments": ["pain"], "a": false, "b": false]) == (.ineligible, 0))
    }

    @Test func incompleteWhenARequiredCriterionIsUnknown() {
        #expect(Self.decide(["a": true, "b": true, "c": true]) == (.incomplete, 100))
    }

    @Test func incompleteWhenOnlyUnknownCriteriaCouldReachTheScore() {
        // 30 passed, 40 unknown: 70 ≥ 60 is possible only through the unknown one.
        #expect(Self.decide(["departments": ["pain"], "b": true, "c": false]) == (.incomplete, 30))
    }

    @Test func incompleteBeatsIneligibleOnlyWhenNoRequiredFails() {
        #expect(Self.decide(["departments": ["x"], "b": true]) == (.ineligible, 30))
    }

    @Test func rolesLimitWhichCriteriaApply() {
        let facts: JSONValue = ["departments": ["pain"], "a": true, "b": true, "level": 2]
        #expect(Self.decide(facts, .cooperating) == (.eligible, 70))
        #expect(Self.decide(facts, .collaborating) == (.ineligible, 70))
        #expect(Self.set.evaluate(facts: facts, role: .cooperating).criteria.map(\.id) == ["req", "a", "b", "c"])
        #expect(Self.set.evaluate(facts: facts, role: .collaborating).criteria.map(\.id) == ["req", "a", "b", "c", "coll"])
    }

    @Test func resultsCarryTitleWeightAndExplanation() {
        let result = Self.set.evaluate(facts: ["departments": ["pain"], "level": 2], role: .collaborating).criteria.last
        #expect(
            result
                == CriterionResult(
                    id: "coll", title: "三级医院", required: true, weight: 0, result: .fail,
                    explanation: Text("explain.value", "level", "2", Text("needs.gte", "3"))))
    }

    @Test func theSpecExampleSet() throws {
        let set = try CriteriaSet.parse([
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
            ],
        ])
        let evaluation = set.evaluate(
            facts: [
                "level": 3, "departments": ["pain"], "keySpecialties": ["pain": "national"], "labMutualRecognition": true,
                "district": "朝阳区",
            ],
            role: .collaborating)
        #expect(evaluation.decision == .eligible)
        #expect(evaluation.score == 60)
        #expect(evaluation.criteria.map(\.result) == [.pass, .pass, .pass, .pass])
        #expect(
            evaluation.criteria[3].explanation.description
                == "all of (labMutualRecognition = true, needs = true; not (district = 朝阳区, needs = 外埠))")
    }
}

/// A criteria set with many mistakes reports them all, each with its path.
@Suite struct CriteriaValidationTests {
    @Test func everyMistakeIsReportedWithItsPath() {
        let error = #expect(throws: YilianError.self) {
            try CriteriaSet.parse([
                "passScore": -5,
                "criteria": [
                    ["id": "a", "title": "A", "weight": 10, "rule": ["fact": "level", "op": "between", "value": 3]],
                    ["id": "a", "title": "", "rule": ["fact": "beds", "op": "gte", "value": "many"]],
                    ["id": "c", "title": "C", "roles": ["owner"], "rule": ["all": []]],
                    [
                        "id": "d", "title": "D", "colour": "red",
                        "rule": ["any": [["fact": "x..y", "op": "eq", "value": 1], ["op": "eq"]]],
                    ],
                    ["title": "E", "weight": 2.5, "rule": ["not": ["fact": "district", "op": "in", "value": "外埠"]]],
                ],
                "version": 2,
            ])
        }
        #expect(error?.code == .invalidParams)
        let problems = error?.data["problems"]
        #expect(
            problems
                == [
                    ["path": "criteria.version", "message": "is not a known field"],
                    ["path": "criteria.passScore", "message": "must be a whole number from 0 to 1000000"],
                    [
                        "path": "criteria.criteria[0].rule.op",
                        "message": "between is not an operator; use one of eq, ne, gt, gte, lt, lte, in, contains, exists",
                    ],
                    ["path": "criteria.criteria[1].title", "message": "must be a non-empty string"],
                    ["path": "criteria.criteria[1].rule.value", "message": "must be a number"],
                    ["path": "criteria.criteria[1].id", "message": "repeats the id a"],  // though criterion 1 has mistakes of its own
                    ["path": "criteria.criteria[2].roles[0]", "message": "must be one of core, collaborating, cooperating, primary"],
                    ["path": "criteria.criteria[2].rule.all", "message": "must be a non-empty array of rules"],
                    ["path": "criteria.criteria[3].colour", "message": "is not a known field"],
                    ["path": "criteria.criteria[3].rule.any[0].fact", "message": "must be a dotted path such as keySpecialties.pain"],
                    [
                        "path": "criteria.criteria[3].rule.any[1].fact",
                        "message": "is required: the name of a fact, or use all, any or not",
                    ],
                    ["path": "criteria.criteria[3].rule.any[1].value", "message": "is required"],
                    ["path": "criteria.criteria[4].id", "message": "is required"],
                    ["path": "criteria.criteria[4].weight", "message": "must be a whole number from 0 to 1000000"],
                    ["path": "criteria.criteria[4].rule.not.value", "message": "must be a non-empty array"],
                ])
    }

    @Test func duplicateIdsAndAnUnreachablePassScore() {
        let error = #expect(throws: YilianError.self) {
            try CriteriaSet.parse([
                "passScore": 50,
                "criteria": [
                    ["id": "a", "title": "A", "weight": 20, "rule": ["fact": "x", "op": "exists"]],
                    ["id": "a", "title": "A again", "weight": 20, "rule": ["fact": "y", "op": "exists"]],
                ],
            ])
        }
        #expect(
            error?.data["problems"]
                == [
                    ["path": "criteria.criteria[1].id", "message": "repeats the id a"],
                    ["path": "criteria.passScore", "message": "is 50 but the weights add up to 40, so no applicant could pass"],
                ])
    }

    @Test func notAnObject() {
        let error = #expect(throws: YilianError.self) { try CriteriaSet.parse([1, 2]) }
        #expect(error?.message == "criteria: must be an object with passScore and criteria.")
    }
}

/// SPEC §10: a criteria set costs no more than its size.
@Suite struct CriteriaLimitTests {
    static func criterion(_ index: Int, _ rule: JSONValue) -> JSONValue {
        ["id": .string("c\(index)"), "title": "t", "rule": rule]
    }

    @Test func aSetHoldsAtMost200Criteria() throws {
        let items = (0..<201).map { Self.criterion($0, ["fact": "x", "op": "exists"]) }
        let error = #expect(throws: YilianError.self) { try CriteriaSet.parse(["passScore": 0, "criteria": .array(items)]) }
        #expect(error?.message == "criteria.criteria: holds 201 criteria; a set holds at most 200.")
        #expect(try CriteriaSet.parse(["passScore": 0, "criteria": .array(Array(items.prefix(200)))]).criteria.count == 200)
    }

    @Test func rulesNestAtMost16Deep() throws {
        func nested(_ depth: Int) -> JSONValue {
            var rule: JSONValue = ["fact": "x", "op": "exists"]
            for level in 1..<depth { rule = level % 2 == 0 ? ["not": rule] : ["all": [rule]] }
            return rule
        }
        #expect(try CriteriaSet.parse(["passScore": 0, "criteria": [Self.criterion(0, nested(16))]]).criteria.count == 1)
        let error = #expect(throws: YilianError.self) {
            try CriteriaSet.parse(["passScore": 0, "criteria": [Self.criterion(0, nested(17))]])
        }
        #expect(error?.message.hasSuffix("nests rules more than 16 deep.") == true)
        // The 17th rule, under 16 others.
        #expect(
            error?.message.hasPrefix("criteria.criteria[0].rule" + String(repeating: ".not.all[0]", count: 8) + ":") == true,
            "\(error?.message ?? "")")
    }

    /// 10,000 criteria reading one fact once took 18.6 s, 1,185 MiB and a 301 MB answer: every
    /// explanation repeated the whole value.
    @Test func anExplanationQuotesAtMost200CharactersOfAValue() throws {
        let big = JSONValue.array((0..<5_000).map { JSONValue.string("科室\($0)") })
        let set = try CriteriaSet.parse([
            "passScore": 0,
            "criteria": .array((0..<200).map { Self.criterion($0, ["fact": "x", "op": "in", "value": big]) }),
        ])
        let evaluation = set.evaluate(facts: ["x": .string(String(repeating: "长", count: 100_000))], role: .cooperating)
        #expect(evaluation.criteria.count == 200)
        let explanation = evaluation.criteria[0].explanation.description
        #expect(explanation.count <= 2 * JSONValue.quoteLimit + 40, "\(explanation.count)")
        #expect(explanation.hasPrefix("x = " + String(repeating: "长", count: 200) + "…, needs one of 科室0, 科室1, "))
        #expect(explanation.hasSuffix("…"))
    }
}
