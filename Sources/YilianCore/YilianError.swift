import YilianJSON

/// The one error type users see. `code` is the stable `error.data.code` of the JSON-RPC
/// interface (SPEC §3); `message` is one sentence a coordinator understands, naming the thing and
/// the rule; `data` carries the extra fields of some codes (`rule`, `status`, `allowed`,
/// `problems`).
public struct YilianError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Code: String, CaseIterable, Sendable {
        case invalidParams = "invalid_params"
        case notFound = "not_found"
        case alreadyExists = "already_exists"
        case forbidden
        case conflict
        case invalidTransition = "invalid_transition"
        case ruleViolation = "rule_violation"
        case capacityExhausted = "capacity_exhausted"
        case idempotencyMismatch = "idempotency_mismatch"
        case databaseUnavailable = "database_unavailable"
        case `internal`
    }

    public var code: Code
    /// In English (JSON-RPC and logs).
    public var message: String
    public var data: JSONObject
    /// The message as a catalogue text, for readers of other languages; nil for the messages
    /// not yet in the catalogues.
    public var text: Text?
    /// Of `invalid_params`: every problem, as `data.problems` lists them.
    public var problems: [Problem] = []

    public init(_ code: Code, _ message: String, data: JSONObject = [:]) {
        self.code = code
        self.message = message
        self.data = data
    }

    public init(_ code: Code, _ text: Text, data: JSONObject = [:]) {
        self.init(code, text.description, data: data)
        self.text = text
    }

    /// Equal when the code, the English message and the data are (the text renders the message).
    public static func == (lhs: YilianError, rhs: YilianError) -> Bool {
        lhs.code == rhs.code && lhs.message == rhs.message && lhs.data == rhs.data
    }

    public var description: String { message }

    /// Invalid parameters, every problem listed with its path.
    public static func invalidParams(_ problems: [Problem]) -> YilianError {
        let summary: String
        if problems.count == 1, let problem = problems.first {
            summary = problem.path.isEmpty ? "\(problem.message)." : "\(problem.path): \(problem.message)."
        } else {
            summary =
                "The request has \(problems.count) problems: "
                + problems.map { $0.path.isEmpty ? $0.message : "\($0.path): \($0.message)" }.joined(separator: "; ")
                + "."
        }
        var error = YilianError(
            .invalidParams, summary,
            data: ["problems": .array(problems.map { ["path": .string($0.path), "message": .string($0.message)] })])
        error.problems = problems
        return error
    }

    /// The same error, an `invalid_params`'s problems each at the path `place` gives for its own
    /// (a parameter's path → where the caller wrote it, as in a FHIR resource).
    public func placing(_ place: (String) -> String) -> YilianError {
        guard code == .invalidParams else { return self }
        return .invalidParams(
            problems.map { problem in
                var placed = problem
                placed.path = place(problem.path)
                return placed
            })
    }

    /// A refusal by a named business rule (`data.rule`).
    public static func ruleViolation(_ rule: String, _ message: String) -> YilianError {
        YilianError(.ruleViolation, message, data: ["rule": .string(rule)])
    }

    public static func ruleViolation(_ rule: String, _ text: Text) -> YilianError {
        YilianError(.ruleViolation, text, data: ["rule": .string(rule)])
    }

    /// The message shown for an unexpected failure: internals never reach the user.
    public static let internalFailure = YilianError(.internal, Text("error.internal"))
}

/// One problem with a request: where (a dotted/indexed path such as `patient.birthDate` or
/// `criteria[2].rule.op`) and what is wrong.
public struct Problem: Equatable, Sendable {
    public var path: String
    /// In English.
    public var message: String
    /// The message as a catalogue text, for readers of other languages.
    public var text: Text?

    public init(_ path: String, _ message: String) {
        self.path = path
        self.message = message
    }

    public init(_ path: String, _ text: Text) {
        self.init(path, text.description)
        self.text = text
    }

    /// "Must not be empty" at `path` when `value` is missing or blank; else none.
    static func ifEmpty(_ value: String?, at path: String) -> [Problem] {
        (value ?? "").allSatisfy(\.isWhitespace) ? [Problem(path, Text("problem.empty"))] : []
    }

    /// A refusal's `reason` text, which the reason code `other` needs (a reject, a decline).
    static func ifNoReason(_ reason: String?, other: Bool) -> [Problem] {
        other && (reason ?? "").allSatisfy(\.isWhitespace) ? [Problem("reason", Text("problem.otherReason"))] : []
    }

    /// Equal when the path and the English message are.
    public static func == (lhs: Problem, rhs: Problem) -> Bool { lhs.path == rhs.path && lhs.message == rhs.message }
}

extension YilianError {
    /// Whether this is the database lost (SPEC §12): not reached (`db.unavailable`) or lost in
    /// use (`db.lost`), which waiting may mend; a setup mistake, said as such, is not.
    public var isDatabaseLoss: Bool { code == .databaseUnavailable && ["db.unavailable", "db.lost"].contains(text?.key) }
}
