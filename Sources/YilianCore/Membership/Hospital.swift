import YilianJSON

/// A hospital in the registry (SPEC §2). Its tier is its level.
public struct Hospital: Equatable, Sendable, Codable {
    // swift-format-ignore: AlwaysUseLowerCamelCase
    // The grades as the registry writes them (甲, 乙, 丙 are A, B, C).
    public enum Grade: String, CaseIterable, Sendable, Codable { case A, B, C, unrated }
    public enum Kind: String, CaseIterable, Sendable, Codable { case general, specialty, tcm, community, township, other }

    public var code: String
    public var name: String
    public var level: Int
    public var grade: Grade
    public var kind: Kind
    @Nullable public var district: String?
    @Nullable public var beds: Int?
    public var departments: [String]
    public var facts: JSONValue

    public init(
        code: String, name: String, level: Int, grade: Grade = .unrated, kind: Kind = .general, district: String? = nil,
        beds: Int? = nil, departments: [String] = [], facts: JSONValue = [:]
    ) {
        self.code = code
        self.name = name
        self.level = level
        self.grade = grade
        self.kind = kind
        self.district = district
        self.beds = beds
        self.departments = departments
        self.facts = facts
    }

    /// Problems with a registration, each with its field name (codes, level, beds, names).
    public var problems: [Problem] {
        var problems: [Problem] = []
        if !Codes.isValid(code) { problems.append(Problem("code", Text("problem.code"))) }
        if name.trimmingWhitespace().isEmpty { problems.append(Problem("name", Text("problem.empty"))) }
        if !(1...3).contains(level) { problems.append(Problem("level", Text("problem.level"))) }
        if let beds, !(0...100_000).contains(beds) { problems.append(Problem("beds", Text("problem.beds"))) }
        if case .object = facts {} else { problems.append(Problem("facts", Text("problem.object"))) }
        return problems
    }

    /// The facts `submitted` gave otherwise than the registry records them, which
    /// `evaluationFacts` replaces (`departments` sent with pain, recorded without it).
    public func overridden(in submitted: JSONValue) -> [String] {
        guard case .object(let sent) = submitted, case .object(let recorded) = evaluationFacts(submitted: [:]) else { return [] }
        return Self.recorded.filter { name in
            guard let given = sent[name], let kept = recorded[name] else { return false }
            return given != kept
        }
    }

    /// What the registry records and an applicant cannot claim otherwise.
    static let recorded = ["level", "grade", "kind", "beds", "district", "departments"]

    /// The facts criteria are evaluated against: `submitted` facts, with what the registry records
    /// (level, grade, kind, and beds, district, departments when recorded) taking precedence.
    public func evaluationFacts(submitted: JSONValue) -> JSONValue {
        var merged = JSONObject()
        if case .object(let members) = facts { merged.merge(members) { _, new in new } }
        if case .object(let members) = submitted { merged.merge(members) { _, new in new } }
        merged["level"] = .integer(level)
        merged["grade"] = .string(grade.rawValue)
        merged["kind"] = .string(kind.rawValue)
        if let beds { merged["beds"] = .integer(beds) }
        if let district { merged["district"] = .string(district) }
        if !departments.isEmpty { merged["departments"] = .array(departments.map(JSONValue.string)) }
        return .object(merged)
    }
}

/// Hospital and alliance codes: `^[A-Z0-9][A-Z0-9-]{1,31}$`.
public enum Codes {
    public static let rule = "must be 2 to 32 capital letters, digits or hyphens, not starting with a hyphen"

    public static func isValid(_ code: String) -> Bool {
        let bytes = code.utf8
        guard (2...32).contains(bytes.count), let first = bytes.first else { return false }
        func allowed(_ byte: UInt8) -> Bool { (65...90).contains(byte) || (48...57).contains(byte) }
        return allowed(first) && bytes.dropFirst().allSatisfy { allowed($0) || $0 == UInt8(ascii: "-") }
    }

    /// The code of `codes` closest to a mistyped `code` (SPEC §3): at most two letters inserted,
    /// deleted or changed (case aside), the nearest first and of equals the first in order; nil
    /// when none is that close.
    public static func closest(to code: String, among codes: [String]) -> String? {
        // Bounded in cost where it enters: a text longer than any code by more than two is near none.
        guard code.count <= 34 else { return nil }
        let typed = Array(code.uppercased())
        return codes.sorted().map { ($0, distance(typed, Array($0.uppercased()))) }.filter { $0.1 <= 2 }.min { $0.1 < $1.1 }?.0
    }

    /// Levenshtein's distance, bounded by the short codes it compares (at most 32 characters).
    static func distance(_ a: [Character], _ b: [Character]) -> Int {
        var previous = Array(0...b.count)
        for (i, x) in a.enumerated() {
            var current = [i + 1]
            for (j, y) in b.enumerated() {
                current.append(min(previous[j + 1] + 1, current[j] + 1, previous[j] + (x == y ? 0 : 1)))
            }
            previous = current
        }
        return previous[b.count]
    }
}

extension String {
    func trimmingWhitespace() -> Substring {
        let start = firstIndex { !$0.isWhitespace } ?? endIndex
        let end = lastIndex { !$0.isWhitespace }.map(index(after:)) ?? start
        return self[start..<max(start, end)]
    }
}
