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
public struct CriterionResult: Equatable, Sendable, Codable {
    public var id: String
    public var title: String
    public var required: Bool
    public var weight: Int
    public var result: Outcome
    public var explanation: String

    public init(id: String, title: String, required: Bool, weight: Int, result: Outcome, explanation: String) {
        self.id = id
        self.title = title
        self.required = required
        self.weight = weight
        self.result = result
        self.explanation = explanation
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
    public func evaluate(_ facts: JSONValue) -> (Outcome, String) {
        switch self {
        case .fact(let path, let op, let expected):
            return Self.compare(path, op, expected, facts)
        case .all(let rules):
            let results = rules.map { $0.evaluate(facts) }
            let outcome: Outcome =
                results.contains { $0.0 == .fail } ? .fail : results.contains { $0.0 == .unknown } ? .unknown : .pass
            return (outcome, "all of (" + results.map(\.1).joined(separator: "; ") + ")")
        case .any(let rules):
            let results = rules.map { $0.evaluate(facts) }
            let outcome: Outcome =
                results.contains { $0.0 == .pass } ? .pass : results.contains { $0.0 == .unknown } ? .unknown : .fail
            return (outcome, "any of (" + results.map(\.1).joined(separator: "; ") + ")")
        case .not(let rule):
            let (outcome, explanation) = rule.evaluate(facts)
            let negated: Outcome
            switch outcome {
            case .pass: negated = .fail
            case .fail: negated = .pass
            case .unknown: negated = .unknown
            }
            return (negated, "not (\(explanation))")
        }
    }

    private static func compare(_ path: FactPath, _ op: Operator, _ expected: JSONValue, _ facts: JSONValue) -> (Outcome, String) {
        let needs = requirement(op, expected)
        guard let actual = path.value(in: facts) else {
            if op == .exists { return (expected == false ? .pass : .fail, "\(path) is missing, needs \(needs)") }
            return (.unknown, "\(path) is missing, needs \(needs)")
        }
        let shown = "\(path) = \(actual.shown)"
        func verdict(_ passed: Bool) -> (Outcome, String) { (passed ? .pass : .fail, "\(shown), needs \(needs)") }
        func mismatch(_ wanted: String) -> (Outcome, String) {
            (.fail, "\(shown) (\(actual.kindName)), needs \(needs) (\(wanted))")
        }
        switch op {
        case .exists:
            return verdict(expected != false)
        case .eq, .ne:
            guard actual.kind == expected.kind else { return mismatch(expected.kindName) }
            return verdict(actual.sameValue(as: expected) == (op == .eq))
        case .gt, .gte, .lt, .lte:
            guard let number = actual.number, let limit = expected.number else { return mismatch("a number") }
            switch op {
            case .gt: return verdict(number > limit)
            case .gte: return verdict(number >= limit)
            case .lt: return verdict(number < limit)
            default: return verdict(number <= limit)
            }
        case .in:
            guard case .array(let options) = expected, options.contains(where: { $0.kind == actual.kind }) else {
                return mismatch("one of the listed values")
            }
            return verdict(options.contains { $0.sameValue(as: actual) })
        case .contains:
            switch (actual, expected) {
            case (.array(let items), _): return verdict(items.contains { $0.sameValue(as: expected) })
            case (.string(let text), .string(let part)): return verdict(text.contains(part))
            default: return mismatch("a list or text")
            }
        }
    }

    private static func requirement(_ op: Operator, _ expected: JSONValue) -> String {
        switch op {
        case .eq: return "= \(expected.shown)"
        case .ne: return "≠ \(expected.shown)"
        case .gt: return "> \(expected.shown)"
        case .gte: return "≥ \(expected.shown)"
        case .lt: return "< \(expected.shown)"
        case .lte: return "≤ \(expected.shown)"
        case .in:
            if case .array(let options) = expected { return "one of " + JSONValue.listed(options) }
            return "one of \(expected.shown)"
        case .contains: return "to include \(expected.shown)"
        case .exists: return expected == false ? "to be absent" : "to be present"
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

    var kindName: String {
        switch kind {
        case .null: return "nothing"
        case .bool: return "true or false"
        case .number: return "a number"
        case .string: return "text"
        case .array: return "a list"
        case .object: return "an object"
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
                    if room <= 0 { cut = true; break }
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
                if room <= 0 { cut = true; break }
                if index > 0 { put(", ") }
                write(item)
            }
            if brackets { put("]") }
        }
    }
}
