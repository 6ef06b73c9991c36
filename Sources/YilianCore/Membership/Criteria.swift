import YilianJSON

/// An alliance's admission criteria (准入标准): a pass score and criteria, each a rule over the
/// applicant's facts. Built only through `CriteriaSet.parse`, which reports every problem.
public struct CriteriaSet: Equatable, Sendable {
    public var passScore: Int
    public var criteria: [Criterion]
}

public struct Criterion: Equatable, Sendable {
    public var id: String
    public var title: String
    /// Limits the criterion to applications for these roles; nil means every role.
    public var roles: [MemberRole]?
    public var required: Bool
    public var weight: Int
    public var rule: Rule

    public func applies(to role: MemberRole) -> Bool { roles?.contains(role) ?? true }
}

/// A rule: a comparison of one fact, or a combination of rules.
public indirect enum Rule: Equatable, Sendable {
    case fact(FactPath, Operator, JSONValue)
    case all([Rule])
    case any([Rule])
    case not(Rule)
}

public enum Operator: String, CaseIterable, Sendable {
    case eq, ne, gt, gte, lt, lte
    case `in`, contains, exists
}

/// A dotted path into the facts object, e.g. `keySpecialties.pain`.
public struct FactPath: Equatable, Sendable, CustomStringConvertible {
    public var segments: [String]
    public var description: String { segments.joined(separator: ".") }

    public init?(_ text: String) {
        let segments = text.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard !text.isEmpty, segments.allSatisfy({ !$0.isEmpty }) else { return nil }
        self.segments = segments
    }

    /// The facts docs/criteria.md names, by the reader's word (`科室`, `重点专科（pain）`); any
    /// other as its path. A text, so an explanation kept in the database is read in any language.
    public var named: any TextArgument {
        switch (segments.first, segments.count) {
        case (let fact?, 1) where Self.wellKnown.contains(fact): return Text("fact.\(fact)")
        case (let fact?, 2) where Self.bySpecialty.contains(fact): return Text("fact.\(fact)", segments[1])
        default: return description
        }
    }

    static let wellKnown: Set = [
        "level", "grade", "kind", "beds", "district", "departments", "labMutualRecognition", "referralPlatformConnected",
    ]
    static let bySpecialty: Set = ["keySpecialties", "seniorPhysicians", "annualVisits"]

    /// The value at this path, nil when any step is missing or null.
    public func value(in facts: JSONValue) -> JSONValue? {
        var current = facts
        for segment in segments {
            guard case .object(let members) = current, let next = members[segment], next != .null else { return nil }
            current = next
        }
        return current
    }
}

extension CriteriaSet {
    /// Reads and validates a criteria document, listing every problem with its JSON path.
    public static func parse(_ json: JSONValue) throws -> CriteriaSet {
        var problems: [Problem] = []
        let set = parse(json, problems: &problems)
        guard let set, problems.isEmpty else { throw YilianError.invalidParams(problems) }
        return set
    }

    /// SPEC §10: what one set may hold, so that judging it costs no more than its size.
    public static let maxCriteria = 200
    public static let maxDepth = 16

    static func parse(_ json: JSONValue, problems: inout [Problem]) -> CriteriaSet? {
        guard case .object(let members) = json else {
            problems.append(Problem("criteria", Text("criteria.object")))
            return nil
        }
        unknownKeys(members, allowed: ["passScore", "criteria"], at: "criteria", &problems)
        let passScore = wholeNumber(members["passScore"], at: "criteria.passScore", required: true, &problems)
        guard case .array(let items)? = members["criteria"], !items.isEmpty else {
            problems.append(Problem("criteria.criteria", Text("criteria.list")))
            return nil
        }
        guard items.count <= CriteriaSet.maxCriteria else {
            problems.append(Problem("criteria.criteria", Text("criteria.tooMany", items.count, CriteriaSet.maxCriteria)))
            return nil
        }
        var criteria: [Criterion] = []
        var seen: Set<String> = []
        var attainable = 0
        for (index, item) in items.enumerated() {
            let path = "criteria.criteria[\(index)]"
            if let criterion = Criterion.parse(item, at: path, &problems) { criteria.append(criterion) }
            // The checks across criteria read ids and weights as they are, so a criterion with
            // its own mistakes does not hide a repeated id or an unreachable pass score.
            if case .string(let id)? = item["id"], !seen.insert(id).inserted {
                problems.append(Problem("\(path).id", Text("criteria.repeatedID", id)))
            }
            if case .integer(let weight)? = item["weight"], (1...1_000_000).contains(weight) { attainable += weight }
        }
        if let passScore, passScore > attainable {
            problems.append(
                Problem("criteria.passScore", Text("criteria.unreachable", passScore, attainable)))
        }
        guard let passScore, criteria.count == items.count else { return nil }
        return CriteriaSet(passScore: passScore, criteria: criteria)
    }
}

extension Criterion {
    static func parse(_ json: JSONValue, at path: String, _ problems: inout [Problem]) -> Criterion? {
        guard case .object(let members) = json else {
            problems.append(Problem(path, Text("problem.object")))
            return nil
        }
        unknownKeys(members, allowed: ["id", "title", "roles", "required", "weight", "rule"], at: path, &problems)
        let before = problems.count
        let id = text(members["id"], at: "\(path).id", &problems)
        let title = text(members["title"], at: "\(path).title", &problems)
        var roles: [MemberRole]?
        if let value = members["roles"] {
            if case .array(let items) = value, !items.isEmpty {
                roles = items.enumerated().compactMap { index, item in
                    guard case .string(let name) = item, let role = MemberRole(rawValue: name) else {
                        problems.append(
                            Problem("\(path).roles[\(index)]", Text("problem.oneOf", Words("code", MemberRole.allCases.map(\.rawValue)))))
                        return nil
                    }
                    return role
                }
            } else {
                problems.append(Problem("\(path).roles", Text("criteria.roles")))
            }
        }
        var required = false
        if let value = members["required"] {
            if case .bool(let flag) = value { required = flag } else { problems.append(Problem("\(path).required", Text("problem.bool"))) }
        }
        let weight = wholeNumber(members["weight"], at: "\(path).weight", required: false, &problems) ?? 0
        let rule: Rule?
        if let value = members["rule"] {
            rule = Rule.parse(value, at: "\(path).rule", &problems)
        } else {
            problems.append(Problem("\(path).rule", Text("problem.required")))
            rule = nil
        }
        guard problems.count == before, let id, let title, let rule else { return nil }
        return Criterion(id: id, title: title, roles: roles, required: required, weight: weight, rule: rule)
    }
}

extension Rule {
    /// `depth` counts the rules this one is nested in, itself included.
    static func parse(_ json: JSONValue, at path: String, depth: Int = 1, _ problems: inout [Problem]) -> Rule? {
        guard depth <= CriteriaSet.maxDepth else {
            problems.append(Problem(path, Text("criteria.depth", CriteriaSet.maxDepth)))
            return nil
        }
        guard case .object(let members) = json else {
            problems.append(Problem(path, Text("criteria.rule")))
            return nil
        }
        for combinator in ["all", "any"] where members[combinator] != nil {
            unknownKeys(members, allowed: [combinator], at: path, &problems)
            guard case .array(let items)? = members[combinator], !items.isEmpty else {
                problems.append(Problem("\(path).\(combinator)", Text("criteria.rules")))
                return nil
            }
            let rules = items.enumerated().compactMap { parse($1, at: "\(path).\(combinator)[\($0)]", depth: depth + 1, &problems) }
            guard rules.count == items.count else { return nil }
            return combinator == "all" ? .all(rules) : .any(rules)
        }
        if let inner = members["not"] {
            unknownKeys(members, allowed: ["not"], at: path, &problems)
            return parse(inner, at: "\(path).not", depth: depth + 1, &problems).map(Rule.not)
        }
        unknownKeys(members, allowed: ["fact", "op", "value"], at: path, &problems)
        let before = problems.count
        var fact: FactPath?
        if case .string(let text)? = members["fact"] {
            fact = FactPath(text)
            if fact == nil { problems.append(Problem("\(path).fact", Text("criteria.factPath"))) }
        } else {
            problems.append(Problem("\(path).fact", Text("criteria.factNeeded")))
        }
        var op: Operator?
        if case .string(let name)? = members["op"] {
            op = Operator(rawValue: name)
            if op == nil {
                problems.append(
                    Problem(
                        "\(path).op",
                        Text("criteria.operator", JSONValue.string(name).shown, Words("code", Operator.allCases.map(\.rawValue)))))
            }
        } else {
            problems.append(Problem("\(path).op", Text("problem.required")))
        }
        let value = members["value"]
        if let op {
            switch op {
            case .eq, .ne:
                if value == nil { problems.append(Problem("\(path).value", Text("problem.required"))) }
            case .gt, .gte, .lt, .lte:
                if value?.number == nil { problems.append(Problem("\(path).value", Text("criteria.number"))) }
            case .in:
                if case .array(let items)? = value, !items.isEmpty {
                } else {
                    problems.append(Problem("\(path).value", Text("criteria.array")))
                }
            case .contains:
                switch value {
                case .string?, .integer?, .number?, .bool?: break
                default: problems.append(Problem("\(path).value", Text("criteria.scalar")))
                }
            case .exists:
                switch value {
                case nil, .bool?: break
                default: problems.append(Problem("\(path).value", Text("criteria.existsValue")))
                }
            }
        }
        guard problems.count == before, let fact, let op else { return nil }
        return .fact(fact, op, value ?? (op == .exists ? true : .null))
    }
}

private func unknownKeys(_ members: JSONObject, allowed: Set<String>, at path: String, _ problems: inout [Problem]) {
    for key in members.keys.sorted() where !allowed.contains(key) {
        problems.append(Problem("\(path).\(key)", Text("criteria.unknownField")))
    }
}

private func text(_ value: JSONValue?, at path: String, _ problems: inout [Problem]) -> String? {
    guard case .string(let text)? = value, !text.isEmpty else {
        problems.append(Problem(path, value == nil ? Text("problem.required") : Text("criteria.text")))
        return nil
    }
    return text
}

private func wholeNumber(_ value: JSONValue?, at path: String, required: Bool, _ problems: inout [Problem]) -> Int? {
    switch value {
    case nil:
        if required { problems.append(Problem(path, Text("problem.required"))) }
        return nil
    case .integer(let number)? where (0...1_000_000).contains(number):
        return number
    default:
        problems.append(Problem(path, Text("criteria.weight")))
        return nil
    }
}

extension JSONValue {
    /// The value as a number, for integers and other numbers alike.
    public var number: Double? {
        switch self {
        case .integer(let value): return Double(value)
        case .number(let value): return value
        default: return nil
        }
    }
}
