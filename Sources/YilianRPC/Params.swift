import YilianCore
import YilianJSON

/// A value a method parameter can hold. Each type knows its JSON Schema (for `rpc.discover`),
/// a placeholder (used while a parameter list is being described), and how to read itself from
/// JSON, reporting a problem instead of stopping at the first one.
public protocol ParamValue: Sendable {
    static var jsonSchema: JSONValue { get }
    static var placeholder: Self { get }
    static func read(_ json: JSONValue, at path: String, problems: inout [Problem]) -> Self?
}

/// A method's named parameters. `init(reading:)` reads each field through the reader and does
/// nothing else, so the same code both validates requests and describes them in `rpc.discover`.
public protocol RPCParams: ParamValue {
    init(reading reader: ParamReader)
    /// The problems of the values read (a birth date in the future, an empty name), listed with
    /// those of reading, so a request hears of every problem at once. None by default.
    var valueProblems: [Problem] { get }
}

extension RPCParams {
    public var valueProblems: [Problem] { [] }
}

/// Reads (or, with no object, describes) one JSON object of named parameters.
public final class ParamReader {
    /// One described parameter.
    public struct Field: Sendable {
        public var name: String
        public var summary: String
        public var required: Bool
        public var schema: JSONValue
    }

    private let object: JSONObject?
    private let path: String
    private var read: Set<String> = []
    private(set) var problems: [Problem] = []
    private(set) var fields: [Field] = []

    init(object: JSONObject?, path: String) {
        self.object = object
        self.path = path
    }

    private func fieldPath(_ name: String) -> String { path.isEmpty ? name : "\(path).\(name)" }

    /// A parameter that must be present (and not null).
    public func required<T: ParamValue>(_ name: String, _ summary: String = "") -> T {
        value(name, summary, required: true) ?? T.placeholder
    }

    /// A parameter that may be absent or null.
    public func optional<T: ParamValue>(_ name: String, _ summary: String = "") -> T? {
        value(name, summary, required: false)
    }

    private func value<T: ParamValue>(_ name: String, _ summary: String, required: Bool) -> T? {
        guard let object else {
            fields.append(Field(name: name, summary: summary, required: required, schema: T.jsonSchema))
            return required ? T.placeholder : nil
        }
        read.insert(name)
        guard let json = object[name], json != .null else {
            if required { problems.append(Problem(fieldPath(name), Text("problem.required"))) }
            return nil
        }
        return T.read(json, at: fieldPath(name), problems: &problems)
    }

    /// Records every member nobody read: a mistyped name is never silently ignored.
    fileprivate func finish() {
        guard let object else { return }
        for name in object.keys.sorted() where !read.contains(name) {
            problems.append(Problem(fieldPath(name), Text("problem.unknownParameter")))
        }
    }
}

extension RPCParams {
    /// The parameters as described by `init(reading:)`.
    public static var fields: [ParamReader.Field] {
        let reader = ParamReader(object: nil, path: "")
        _ = Self(reading: reader)
        return reader.fields
    }

    public static var jsonSchema: JSONValue {
        var properties: JSONObject = [:]
        for field in fields {
            var schema = field.schema
            if !field.summary.isEmpty, case .object(var members) = schema {
                members["description"] = .string(field.summary)
                schema = .object(members)
            }
            properties[field.name] = schema
        }
        return [
            "type": "object", "properties": .object(properties), "additionalProperties": false,
            "required": .array(fields.filter(\.required).map { .string($0.name) }),
        ]
    }

    public static var placeholder: Self { Self(reading: ParamReader(object: nil, path: "")) }

    public static func read(_ json: JSONValue, at path: String, problems: inout [Problem]) -> Self? {
        guard case .object(let members) = json else {
            problems.append(Problem(path, Text("problem.object")))
            return nil
        }
        let reader = ParamReader(object: members, path: path)
        let value = Self(reading: reader)
        reader.finish()
        problems += reader.problems
        // The values' own problems too, but none about a value that could not be read.
        let unread = reader.problems.map(\.path)
        problems += value.valueProblems.filter { problem in
            !unread.contains { path in
                path == problem.path || [".", "["].contains { problem.path.hasPrefix(path + $0) || path.hasPrefix(problem.path + $0) }
            }
        }
        return reader.problems.isEmpty ? value : nil
    }

    /// Reads a request's `params` (absent means no parameters); every problem is reported at once.
    public static func decode(_ params: JSONValue?) throws -> Self {
        var problems: [Problem] = []
        // Alone: a name holding U+0000 is not echoed back as an unknown parameter.
        nulProblems(params ?? .null, at: "", into: &problems)
        if !problems.isEmpty { throw YilianError.invalidParams(problems) }
        let value = read(params ?? .object([:]), at: "", problems: &problems)
        guard let value, problems.isEmpty else {
            throw YilianError.invalidParams(problems.isEmpty ? [Problem("", "params must be an object")] : problems)
        }
        return value
    }
}

/// SPEC §10: no text may hold U+0000 (PostgreSQL cuts text there, and refuses it in jsonb), in
/// any parameter, nested values and member names included. One problem per place.
func nulProblems(_ json: JSONValue, at path: String, into problems: inout [Problem]) {
    func joined(_ name: String) -> String { path.isEmpty ? name : "\(path).\(name)" }
    switch json {
    case .string(let text):
        if text.utf8.contains(0) { problems.append(Problem(path, Text("problem.nul"))) }
    case .array(let items):
        for (index, item) in items.enumerated() { nulProblems(item, at: "\(path)[\(index)]", into: &problems) }
    case .object(let members):
        for (name, value) in members {
            if name.utf8.contains(0) {
                problems.append(Problem(path.isEmpty ? "params" : path, "must not have a member name containing the character U+0000"))
            } else {
                nulProblems(value, at: joined(name), into: &problems)
            }
        }
    case .null, .bool, .integer, .number:
        break
    }
}

/// The parameters of a method that reads one thing by its id (`referral.get`).
public struct IdParams: RPCParams {
    let id: String
    public init(reading reader: ParamReader) { id = reader.required("id") }
}

/// The parameters of a method that reads one thing by its code (`hospital.get`).
public struct CodeParams: RPCParams {
    let code: String
    public init(reading reader: ParamReader) { code = reader.required("code") }
}

/// For methods without parameters.
public struct NoParams: RPCParams {
    public init() {}
    public init(reading reader: ParamReader) {}
}

extension String: ParamValue {
    public static var jsonSchema: JSONValue { ["type": "string"] }
    public static var placeholder: String { "" }
    public static func read(_ json: JSONValue, at path: String, problems: inout [Problem]) -> String? {
        guard case .string(let value) = json else {
            problems.append(Problem(path, Text("problem.string")))
            return nil
        }
        return value
    }
}

extension Int: ParamValue {
    public static var jsonSchema: JSONValue { ["type": "integer"] }
    public static var placeholder: Int { 0 }
    public static func read(_ json: JSONValue, at path: String, problems: inout [Problem]) -> Int? {
        switch json {
        case .integer(let value): return value
        case .number(let value) where value.rounded() == value && abs(value) < 9.0e15: return Int(value)
        default:
            problems.append(Problem(path, Text("problem.wholeNumber")))
            return nil
        }
    }
}

extension Bool: ParamValue {
    public static var jsonSchema: JSONValue { ["type": "boolean"] }
    public static var placeholder: Bool { false }
    public static func read(_ json: JSONValue, at path: String, problems: inout [Problem]) -> Bool? {
        guard case .bool(let value) = json else {
            problems.append(Problem(path, Text("problem.bool")))
            return nil
        }
        return value
    }
}

/// Any JSON (facts, criteria documents).
extension JSONValue: ParamValue {
    public static var jsonSchema: JSONValue { [:] }
    public static var placeholder: JSONValue { .null }
    public static func read(_ json: JSONValue, at path: String, problems: inout [Problem]) -> JSONValue? { json }
}

/// Facts for admission criteria (SPEC §10): a JSON object of at most 64 KiB.
public struct Facts: ParamValue {
    public var value: JSONValue
    public static let maxBytes = 65_536

    public static var jsonSchema: JSONValue { ["type": "object"] }
    public static var placeholder: Facts { Facts(value: [:]) }
    public static func read(_ json: JSONValue, at path: String, problems: inout [Problem]) -> Facts? {
        guard case .object = json else {
            problems.append(Problem(path, "must be an object"))
            return nil
        }
        let size = json.serialized.count
        guard size <= maxBytes else {
            problems.append(Problem(path, "is \(size) bytes of JSON; facts hold at most 64 KiB"))
            return nil
        }
        return Facts(value: json)
    }
}

extension Array: ParamValue where Element: ParamValue {
    public static var jsonSchema: JSONValue { ["type": "array", "items": Element.jsonSchema] }
    public static var placeholder: [Element] { [] }
    public static func read(_ json: JSONValue, at path: String, problems: inout [Problem]) -> [Element]? {
        guard case .array(let items) = json else {
            problems.append(Problem(path, Text("problem.array")))
            return nil
        }
        let before = problems.count
        let values = items.enumerated().compactMap { Element.read($1, at: "\(path)[\($0)]", problems: &problems) }
        return problems.count == before ? values : nil
    }
}

/// String enumerations (`direction`, `priority`, …) read by their raw values.
public protocol ParamEnum: ParamValue, RawRepresentable, CaseIterable where RawValue == String {}

extension ParamEnum {
    public static var jsonSchema: JSONValue { ["type": "string", "enum": .array(allCases.map { .string($0.rawValue) })] }
    public static var placeholder: Self { allCases.first! }
    public static func read(_ json: JSONValue, at path: String, problems: inout [Problem]) -> Self? {
        let codes = allCases.map(\.rawValue)
        if case .string(let raw) = json {
            if let value = Self(rawValue: raw) { return value }
            // On the command line, the word a reader of another language sees for a code (`女`).
            if Language.current != .en, let kind = Catalogue.kind(of: codes),
                let value = allCases.first(where: { Language.current.word(kind, $0.rawValue) == raw })
            {
                return value
            }
        }
        problems.append(Problem(path, Text("problem.oneOf", AllowedCodes(codes))))
        return nil
    }
}
