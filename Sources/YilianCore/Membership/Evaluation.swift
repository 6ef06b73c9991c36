import YilianJSON

/// The three values a rule can take (Kleene logic): a missing fact makes a rule `unknown`.
public enum Outcome: String, Sendable, Codable, CaseIterable {
    case pass, fail, unknown
}

/// What an applicant would get: `eligible`, `ineligible`, or `incomplete` (facts missing).
public enum Decision: String, Sendable, Codable, CaseIterable {
    case eligible, ineligible, incomplete
}

/// One criterion's result, with an explanation naming the fact, its value and the requirement.
/// In JSON the explanation is text in the reader's language; stored, it is kept as its
/// catalogue keys (`Text.stored`) so that any reader gets it in their language later.
public struct CriterionResult: Equatable, Sendable, Codable {
    public var id: String
    public var title: String
    public var required: Bool
    public var weight: Int
    public var result: Outcome
    public var explanation: Text

    public init(id: String, title: String, required: Bool, weight: Int, result: Outcome, explanation: Text) {
        self.id = id
        self.title = title
        self.required = required
        self.weight = weight
        self.result = result
        self.explanation = explanation
    }

    enum CodingKeys: String, CodingKey { case id, title, required, weight, result, explanation }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        title = try container.decode(String.self, forKey: .title)
        required = try container.decode(Bool.self, forKey: .required)
        weight = try container.decode(Int.self, forKey: .weight)
        result = try container.decode(Outcome.self, forKey: .result)
        explanation = Text(stored: try container.decode(JSONValue.self, forKey: .explanation))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(title, forKey: .title)
        try container.encode(required, forKey: .required)
        try container.encode(weight, forKey: .weight)
        try container.encode(result, forKey: .result)
        try container.encode(explanation(Language.current), forKey: .explanation)
    }
}

public struct Evaluation: Equatable, Sendable {
    public var decision: Decision
    /// Sum of the weights of passed criteria.
    public var score: Int
    public var passScore: Int
    /// The criteria that apply to the role, in the set's order.
    public var criteria: [CriterionResult]
}

extension CriteriaSet {
    /// Evaluates `facts` for an application in `role` (SPEC §2): ineligible if a required
    /// criterion fails; else incomplete if a required one is unknown or the pass score is
    /// reachable only through unknown criteria; else eligible when the score reaches it.
    public func evaluate(facts: JSONValue, role: MemberRole) -> Evaluation {
        let results = criteria.filter { $0.applies(to: role) }.map { criterion in
            let (outcome, explanation) = criterion.rule.evaluate(facts)
            return CriterionResult(
                id: criterion.id, title: criterion.title, required: criterion.required, weight: criterion.weight,
                result: outcome, explanation: explanation)
        }
        let score = results.filter { $0.result == .pass }.reduce(0) { $0 + $1.weight }
        let unknownWeight = results.filter { $0.result == .unknown }.reduce(0) { $0 + $1.weight }
        let decision: Decision
        if results.contains(where: { $0.required && $0.result == .fail }) {
            decision = .ineligible
        } else if results.contains(where: { $0.required && $0.result == .unknown }) {
            decision = .incomplete
        } else if score >= passScore {
            decision = .eligible
        } else if score + unknownWeight >= passScore {
            decision = .incomplete
        } else {
            decision = .ineligible
        }
        return Evaluation(decision: decision, score: score, passScore: passScore, criteria: results)
    }
}

extension Rule {
    /// The rule's value for these facts, and why.
    public func evaluate(_ facts: JSONValue) -> (Outcome, Text) {
        switch self {
        case .fact(let path, let op, let expected):
            return Self.compare(path, op, expected, facts)
        case .all(let rules):
            let results = rules.map { $0.evaluate(facts) }
            let outcome: Outcome =
                results.contains { $0.0 == .fail } ? .fail : results.contains { $0.0 == .unknown } ? .unknown : .pass
            return (outcome, Text("explain.all", Listed(results.map(\.1))))
        case .any(let rules):
            let results = rules.map { $0.evaluate(facts) }
            let outcome: Outcome =
                results.contains { $0.0 == .pass } ? .pass : results.contains { $0.0 == .unknown } ? .unknown : .fail
            return (outcome, Text("explain.any", Listed(results.map(\.1))))
        case .not(let rule):
            let (outcome, explanation) = rule.evaluate(facts)
            let negated: Outcome
            switch outcome {
            case .pass: negated = .fail
            case .fail: negated = .pass
            case .unknown: negated = .unknown
            }
            return (negated, Text("explain.not", explanation))
        }
    }

    private static func compare(_ path: FactPath, _ op: Operator, _ expected: JSONValue, _ facts: JSONValue) -> (Outcome, Text) {
        let needs = requirement(op, expected)
        guard let actual = path.value(in: facts) else {
            let missing = Text("explain.missing", path.named, needs)
            if op == .exists { return (expected == false ? .pass : .fail, missing) }
            return (.unknown, missing)
        }
        func verdict(_ passed: Bool) -> (Outcome, Text) {
            (passed ? .pass : .fail, Text("explain.value", path.named, actual.shown, needs))
        }
        func mismatch(_ wanted: String) -> (Outcome, Text) {
            (
                .fail,
                Text(
                    "explain.mismatch", path.named, actual.shown, Text("valueKind." + actual.kindName), needs,
                    Text("valueKind." + wanted))
            )
        }
        switch op {
        case .exists:
            return verdict(expected != false)
        case .eq, .ne:
            guard actual.kind == expected.kind else { return mismatch(expected.kindName) }
            return verdict(actual.sameValue(as: expected) == (op == .eq))
        case .gt, .gte, .lt, .lte:
            guard let number = actual.number, let limit = expected.number else { return mismatch("number") }
            switch op {
            case .gt: return verdict(number > limit)
            case .gte: return verdict(number >= limit)
            case .lt: return verdict(number < limit)
            default: return verdict(number <= limit)
            }
        case .in:
            guard case .array(let options) = expected, options.contains(where: { $0.kind == actual.kind }) else {
                return mismatch("listed")
            }
            return verdict(options.contains { $0.sameValue(as: actual) })
        case .contains:
            switch (actual, expected) {
            case (.array(let items), _): return verdict(items.contains { $0.sameValue(as: expected) })
            case (.string(let text), .string(let part)): return verdict(text.contains(part))
            default: return mismatch("listOrText")
            }
        }
    }

    /// What the rule asks, whatever the facts (`level：要求 ≥ 3`): a criteria set as people read it.
    public var described: Text {
        switch self {
        case .fact(let path, let op, let expected): return Text("rule.fact", path.named, Self.requirement(op, expected))
        case .all(let rules): return Text("explain.all", Listed(rules.map(\.described)))
        case .any(let rules): return Text("explain.any", Listed(rules.map(\.described)))
        case .not(let rule): return Text("explain.not", rule.described)
        }
    }

    /// What the rule asks of the fact: `≥ 3`, `one of A, B`, `to be present`.
    private static func requirement(_ op: Operator, _ expected: JSONValue) -> Text {
        switch op {
        case .in:
            if case .array(let options) = expected { return Text("needs.in", JSONValue.listed(options)) }
            return Text("needs.in", expected.shown)
        case .exists: return Text(expected == false ? "needs.absent" : "needs.present")
        case .eq, .ne, .gt, .gte, .lt, .lte, .contains: return Text("needs." + op.rawValue, expected.shown)
        }
    }
}

extension JSONValue {
    /// Kinds for comparison: integers and other numbers are one kind.
    enum Kind { case null, bool, number, string, array, object }

    var kind: Kind {
        switch self {
        case .null: return .null
        case .bool: return .bool
        case .integer, .number: return .number
        case .string: return .string
        case .array: return .array
        case .object: return .object
        }
    }

    /// The kind's catalogue name (`valueKind.number`).
    var kindName: String {
        switch kind {
        case .null: return "null"
        case .bool: return "bool"
        case .number: return "number"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }

    /// Equality with 3 and 3.0 the same number.
    func sameValue(as other: JSONValue) -> Bool {
        if let left = number, let right = other.number { return left == right }
        return self == other
    }

    /// How a value reads in an explanation: text without quotes, lists in brackets; at most
    /// 200 characters of it, cut with "…" (SPEC §10: one large fact read by many criteria must
    /// not make every explanation as large).
    var shown: String { Self.quoted { $0.write(self) } }

    /// "one of A, B, C": the options without brackets, bounded as `shown` is.
    static func listed(_ options: [JSONValue]) -> String { quoted { $0.write(options, brackets: false) } }

    public static let quoteLimit = 200

    private static func quoted(_ body: (inout Quote) -> Void) -> String {
        var quote = Quote()
        body(&quote)
        return quote.cut ? quote.text + "…" : quote.text
    }

    /// Text being written up to `quoteLimit` characters; what would go beyond is never built.
    private struct Quote {
        var text = ""
        var room = JSONValue.quoteLimit
        var cut = false

        mutating func put(_ piece: some StringProtocol) {
            guard room > 0 else {
                cut = cut || !piece.isEmpty
                return
            }
            let part = piece.prefix(room)
            text += part
            room -= part.count
            if part.endIndex < piece.endIndex { cut = true }
        }

        mutating func write(_ value: JSONValue) {
            switch value {
            case .null: put("null")
            case .bool(let value): put(String(value))
            case .integer(let value): put(String(value))
            case .number(let value): put(value.rounded() == value && abs(value) < 1e15 ? String(Int(value)) : String(value))
            case .string(let value): put(value)
            case .array(let items): write(items, brackets: true)
            case .object(let members):
                put("{")
                for (index, key) in members.keys.sorted().enumerated() {
                    if room <= 0 {
                        cut = true
                        break
                    }
                    if index > 0 { put(", ") }
                    put(key)
                    put(": ")
                    write(members[key]!)
                }
                put("}")
            }
        }

        mutating func write(_ items: [JSONValue], brackets: Bool) {
            if brackets { put("[") }
            for (index, item) in items.enumerated() {
                if room <= 0 {
                    cut = true
                    break
                }
                if index > 0 { put(", ") }
                write(item)
            }
            if brackets { put("]") }
        }
    }
}
