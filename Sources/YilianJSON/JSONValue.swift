// `Date` only: values, no I/O.
#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Any JSON value: facts, criteria, request parameters and error data. Integers stay exact.
public enum JSONValue: Hashable, Sendable {
    case null
    case bool(Bool)
    case integer(Int)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    /// The JSON type name used in messages: `null`, `boolean`, `number`, `string`, `array`, `object`.
    public var typeName: String {
        switch self {
        case .null: return "null"
        case .bool: return "boolean"
        case .integer, .number: return "number"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }

    public subscript(key: String) -> JSONValue? {
        if case .object(let members) = self { return members[key] }
        return nil
    }

    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    public var arrayValue: [JSONValue]? {
        if case .array(let items) = self { return items }
        return nil
    }
}

/// A type that builds its JSON form directly. Yilian's encoder takes `json` as it is, which is
/// many times faster than keyed `Encodable` coding (the referral, written for every request).
public protocol JSONRepresentable: Encodable {
    var json: JSONValue { get }
}

extension JSONRepresentable {
    public func encode(to encoder: any Encoder) throws { try json.encode(to: encoder) }
}

/// A type also read from its JSON form directly (stored jsonb): the counterpart of `json`, and
/// likewise many times faster than keyed `Decodable` coding.
public protocol JSONConvertible: JSONRepresentable, Decodable {
    init(json: JSONValue) throws(JSONValue.Mismatch)
}

extension JSONConvertible {
    public init(from decoder: any Decoder) throws { try self.init(json: JSONValue(from: decoder)) }
}

extension JSONValue {
    /// A stored JSON value without the shape its type needs.
    public struct Mismatch: Error, Equatable, Sendable {
        public let problem: String
    }

    /// The members of an object, read for a `JSONConvertible` type.
    public struct Members {
        let members: JSONObject

        public init(_ value: JSONValue, of type: Any.Type) throws(Mismatch) {
            guard case .object(let members) = value else { throw Mismatch(problem: "\(type) is stored as an object") }
            self.members = members
        }

        public func string(_ key: String) throws(Mismatch) -> String {
            guard let text = try optionalString(key) else { throw Mismatch(problem: "\(key) is missing") }
            return text
        }

        public func optionalString(_ key: String) throws(Mismatch) -> String? {
            try optional(key, "is not text") { $0.stringValue }
        }

        /// A time as `JSONCoding.iso8601` writes it.
        public func date(_ key: String) throws(Mismatch) -> Date {
            guard let date = JSONCoding.date(try string(key)) else { throw Mismatch(problem: "\(key) is not a time") }
            return date
        }

        /// A time that may be absent or null.
        public func optionalDate(_ key: String) throws(Mismatch) -> Date? {
            guard let text = try optionalString(key) else { return nil }
            guard let date = JSONCoding.date(text) else { throw Mismatch(problem: "\(key) is not a time") }
            return date
        }

        public func int(_ key: String) throws(Mismatch) -> Int {
            guard let number = try optionalInt(key) else { throw Mismatch(problem: "\(key) is missing") }
            return number
        }

        /// A member as it is, nil when absent or null.
        public func raw(_ key: String) -> JSONValue? {
            guard let value = members[key], value != .null else { return nil }
            return value
        }

        public func bool(_ key: String) throws(Mismatch) -> Bool {
            guard case .bool(let flag)? = members[key] else { throw Mismatch(problem: "\(key) is not true or false") }
            return flag
        }

        public func optionalInt(_ key: String) throws(Mismatch) -> Int? {
            try optional(key, "is not a whole number") {
                if case .integer(let number) = $0 { return number }
                return nil
            }
        }

        /// A member that may be absent or null; `read` gives nil when it has the wrong type.
        private func optional<T>(_ key: String, _ problem: String, _ read: (JSONValue) -> T?) throws(Mismatch) -> T? {
            guard let value = members[key], value != .null else { return nil }
            guard let typed = read(value) else { throw Mismatch(problem: "\(key) \(problem)") }
            return typed
        }

        public func value<T: RawRepresentable>(_ key: String) throws(Mismatch) -> T where T.RawValue == String {
            guard let value = T(rawValue: try string(key)) else { throw Mismatch(problem: "\(key) is not a known value") }
            return value
        }

        public func optionalValue<T: RawRepresentable>(_ key: String) throws(Mismatch) -> T? where T.RawValue == String {
            guard try optionalString(key) != nil else { return nil }
            return try value(key) as T
        }

        public func object<T: JSONConvertible>(_ key: String) throws(Mismatch) -> T {
            guard let object: T = try optionalObject(key) else { throw Mismatch(problem: "\(key) is missing") }
            return object
        }

        /// A member of a `JSONConvertible` type (a list of them too) that may be absent or null.
        public func optionalObject<T: JSONConvertible>(_ key: String) throws(Mismatch) -> T? {
            guard let value = raw(key) else { return nil }
            return try T(json: value)
        }

        /// A text that may be absent or null, read as `parse` reads it (nil: it is not one).
        /// A text `parse` reads (a date, a code).
        public func text<T>(_ key: String, _ parse: (String) -> T?) throws(Mismatch) -> T {
            guard let value = try optionalText(key, parse) else { throw Mismatch(problem: "\(key) is missing") }
            return value
        }

        public func optionalText<T>(_ key: String, _ parse: (String) -> T?) throws(Mismatch) -> T? {
            try optional(key, "is not one") { $0.stringValue.flatMap(parse) }
        }

        /// A list of texts that may be absent or null.
        public func optionalStrings(_ key: String) throws(Mismatch) -> [String]? {
            try optional(key, "is not a list of texts") { value in
                guard case .array(let items) = value else { return nil }
                let texts = items.compactMap(\.stringValue)
                return texts.count == items.count ? texts : nil
            }
        }

        public func array<T: JSONConvertible>(_ key: String) throws(Mismatch) -> [T] {
            guard case .array? = members[key] else { throw Mismatch(problem: "\(key) is not a list") }
            return try [T](json: members[key]!)
        }
    }
}

extension Optional where Wrapped: JSONRepresentable {
    /// The value's JSON, or null.
    public var json: JSONValue { self?.json ?? .null }
}

extension Array: JSONRepresentable where Element: JSONRepresentable {
    public var json: JSONValue { .array(map { $0.json }) }
}

extension Array: JSONConvertible where Element: JSONConvertible {
    public init(json: JSONValue) throws(JSONValue.Mismatch) {
        guard case .array(let items) = json else { throw JSONValue.Mismatch(problem: "\(Self.self) is stored as a list") }
        self = []
        reserveCapacity(items.count)
        for item in items { append(try Element(json: item)) }
    }
}

extension JSONValue {
    /// A text that may be absent: the text, or null.
    public init(_ text: String?) { self = text.map(JSONValue.string) ?? .null }
}

extension JSONValue: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int.self) {
            self = .integer(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode(JSONObject.self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .integer(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral, ExpressibleByFloatLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .integer(value) }
    public init(floatLiteral value: Double) { self = .number(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(JSONObject(elements))
    }
    public init(nilLiteral: ()) { self = .null }
}
