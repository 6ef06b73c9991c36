// `Data` and `Date` only: values, no I/O.
#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Yilian's JSON coding of `Codable` values, for results, stored jsonb columns and idempotent
/// replies alike: `Encodable` → `JSONValue` → text (`JSONValue.serialized`), and text →
/// `JSONValue` (`JSONValue(parsing:)`) → `Decodable`.
///
/// It writes what Foundation's `JSONEncoder` wrote with `.sortedKeys`, `.withoutEscapingSlashes`
/// and `.iso8601` dates (UTC, whole seconds), terminal controls escaped (`JSONValue.serialized`),
/// at a fraction of the cost: Foundation's coders were about a third of `serve`'s CPU per
/// request (see docs/performance.md).
public enum JSONCoding {
    /// The JSON form of `value`.
    public static func value(_ value: some Encodable) throws -> JSONValue {
        try ValueEncoder.encode(value, parent: nil, key: nil)
    }

    /// The compact JSON text of `value`.
    public static func data(_ value: some Encodable) throws -> Data {
        Data(try self.value(value).serialized)
    }

    public static func decode<T: Decodable>(_ type: T.Type, from value: JSONValue) throws -> T {
        try ValueDecoder.decode(type, from: value, path: [])
    }

    /// Decodes JSON text (UTF-8), e.g. a jsonb column.
    public static func decode<T: Decodable>(_ type: T.Type, fromText text: String) throws -> T {
        try decode(type, from: try JSONValue(parsing: Array(text.utf8)))
    }

    /// The instant an ISO 8601 time names: `2026-12-02T14:00:00Z`, `2026-12-02T14:00+08:00`
    /// (seconds optional, a zone required); nil for anything else.
    public static func date(_ text: String) -> Date? {
        guard let match = text.wholeMatch(of: /(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?(Z|[+-]\d{2}:\d{2})/),
            let day = CalendarDate(String(match.1)), let hours = Int(match.2), let minutes = Int(match.3), hours < 24, minutes < 60
        else { return nil }
        let seconds = match.4.flatMap { Int($0) } ?? 0
        guard seconds < 60 else { return nil }
        var offset = 0
        if match.5 != "Z", let zoneHours = Int(match.5.dropFirst().prefix(2)), let zoneMinutes = Int(match.5.suffix(2)) {
            offset = (zoneHours * 3600 + zoneMinutes * 60) * (match.5.hasPrefix("-") ? -1 : 1)
        }
        return Date(timeIntervalSince1970: TimeInterval(day.daysSinceEpoch * 86_400 + hours * 3600 + minutes * 60 + seconds - offset))
    }

    /// `2026-11-23T19:01:55Z`: the second the date falls in, in UTC.
    public static func iso8601(_ date: Date) -> String {
        let seconds = Int(date.timeIntervalSince1970.rounded(.down))
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let time = seconds - days * 86_400
        let day = CalendarDate(daysSinceEpoch: days)
        guard (0...9999).contains(day.year) else {
            func two(_ value: Int) -> String { value < 10 ? "0\(value)" : String(value) }
            return "\(day)T\(two(time / 3600)):\(two(time / 60 % 60)):\(two(time % 60))Z"
        }
        // `YYYY-MM-DD` as the date writes it, then `THH:MM:SSZ`.
        return String(unsafeUninitializedCapacity: 20) { text in
            _ = UnsafeMutableBufferPointer(rebasing: text[0..<10]).initialize(from: day.description.utf8)
            text[10] = UInt8(ascii: "T")
            CalendarDate.digits(time / 3600, 2, into: text, at: 11)
            text[13] = UInt8(ascii: ":")
            CalendarDate.digits(time / 60 % 60, 2, into: text, at: 14)
            text[16] = UInt8(ascii: ":")
            CalendarDate.digits(time % 60, 2, into: text, at: 17)
            text[19] = UInt8(ascii: "Z")
            return 20
        }
    }
}

// MARK: - Encoding

/// A value being encoded: finished, or a container still being filled (a nested container can
/// be filled after its parent stored it, so containers are shared boxes).
private enum Node {
    case value(JSONValue)
    case object(ObjectBox)
    case array(ArrayBox)

    var json: JSONValue {
        switch self {
        case .value(let value): return value
        case .object(let box): return .object(JSONObject(box.members.map { ($0.key, $0.value.json) }))
        case .array(let box): return .array(box.items.map { $0.json })
        }
    }
}

private final class ObjectBox { var members: [String: Node] = [:] }
private final class ArrayBox { var items: [Node] = [] }

private final class ValueEncoder: Encoder {
    /// The coding path is kept as a link to the parent and only built for an error message.
    let parent: ValueEncoder?
    let key: (any CodingKey)?
    var node: Node?

    init(parent: ValueEncoder?, key: (any CodingKey)?) {
        self.parent = parent
        self.key = key
    }

    var codingPath: [any CodingKey] {
        var path = parent?.codingPath ?? []
        if let key { path.append(key) }
        return path
    }

    var userInfo: [CodingUserInfoKey: Any] { [:] }

    /// Scalars directly; anything else through its own `encode(to:)`.
    static func encode<T: Encodable>(_ value: T, parent: ValueEncoder?, key: (any CodingKey)?) throws -> JSONValue {
        if let scalar = try scalar(value, parent: parent, key: key) { return scalar }
        let encoder = ValueEncoder(parent: parent, key: key)
        try value.encode(to: encoder)
        return encoder.node?.json ?? .object([:])
    }

    static func scalar<T: Encodable>(_ value: T, parent: ValueEncoder?, key: (any CodingKey)?) throws -> JSONValue? {
        switch value {
        case let value as String: return .string(value)
        case let value as Int: return .integer(value)
        case let value as Bool: return .bool(value)
        case let value as JSONValue: return value
        case let value as any JSONRepresentable: return value.json
        case let value as Date: return .string(JSONCoding.iso8601(value))
        case let value as Double:
            guard value.isFinite else { throw invalid(value, "\(value) is not a JSON number") }
            return .number(value)
        case let value as Float:
            guard value.isFinite, let number = Double(value.description) else { throw invalid(value, "\(value) is not a JSON number") }
            return .number(number)
        case let value as any FixedWidthInteger:
            guard let number = Int(exactly: value) else { throw invalid(value, "\(value) is outside the integers JSON results carry") }
            return .integer(number)
        case is any Numeric:
            // Other number types would encode themselves through this encoder again, forever.
            throw invalid(value, "\(T.self) values cannot be written as JSON")
        default: return nil
        }

        func invalid(_ value: Any, _ message: String) -> EncodingError {
            var path = parent?.codingPath ?? []
            if let key { path.append(key) }
            return EncodingError.invalidValue(value, EncodingError.Context(codingPath: path, debugDescription: message))
        }
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        if case .object(let box) = node { return KeyedEncodingContainer(KeyedContainer(encoder: self, box: box)) }
        let box = ObjectBox()
        node = .object(box)
        return KeyedEncodingContainer(KeyedContainer(encoder: self, box: box))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        if case .array(let box) = node { return UnkeyedContainer(encoder: self, box: box) }
        let box = ArrayBox()
        node = .array(box)
        return UnkeyedContainer(encoder: self, box: box)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer { SingleContainer(encoder: self) }

    private struct KeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
        let encoder: ValueEncoder
        let box: ObjectBox
        var codingPath: [any CodingKey] { encoder.codingPath }

        mutating func encodeNil(forKey key: Key) { box.members[key.stringValue] = .value(.null) }

        mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
            box.members[key.stringValue] = .value(try ValueEncoder.encode(value, parent: encoder, key: key))
        }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<
            NestedKey
        > {
            let nested = ObjectBox()
            box.members[key.stringValue] = .object(nested)
            return KeyedEncodingContainer(KeyedContainer<NestedKey>(encoder: ValueEncoder(parent: encoder, key: key), box: nested))
        }

        mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
            let nested = ArrayBox()
            box.members[key.stringValue] = .array(nested)
            return UnkeyedContainer(encoder: ValueEncoder(parent: encoder, key: key), box: nested)
        }

        mutating func superEncoder() -> any Encoder { superEncoder(named: "super") }
        mutating func superEncoder(forKey key: Key) -> any Encoder { superEncoder(named: key.stringValue) }

        private func superEncoder(named name: String) -> any Encoder {
            let sub = ValueEncoder(parent: encoder, key: JSONKey(name))
            sub.node = .object(ObjectBox())
            box.members[name] = sub.node
            return sub
        }
    }

    private struct UnkeyedContainer: UnkeyedEncodingContainer {
        let encoder: ValueEncoder
        let box: ArrayBox
        var codingPath: [any CodingKey] { encoder.codingPath }
        var count: Int { box.items.count }

        mutating func encodeNil() { box.items.append(.value(.null)) }

        mutating func encode<T: Encodable>(_ value: T) throws {
            box.items.append(.value(try ValueEncoder.encode(value, parent: encoder, key: JSONKey(index: count))))
        }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
            let nested = ObjectBox()
            let sub = ValueEncoder(parent: encoder, key: JSONKey(index: count))
            box.items.append(.object(nested))
            return KeyedEncodingContainer(KeyedContainer<NestedKey>(encoder: sub, box: nested))
        }

        mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
            let nested = ArrayBox()
            let sub = ValueEncoder(parent: encoder, key: JSONKey(index: count))
            box.items.append(.array(nested))
            return UnkeyedContainer(encoder: sub, box: nested)
        }

        mutating func superEncoder() -> any Encoder {
            let sub = ValueEncoder(parent: encoder, key: JSONKey(index: count))
            sub.node = .object(ObjectBox())
            box.items.append(sub.node!)
            return sub
        }
    }

    private struct SingleContainer: SingleValueEncodingContainer {
        let encoder: ValueEncoder
        var codingPath: [any CodingKey] { encoder.codingPath }

        mutating func encodeNil() { encoder.node = .value(.null) }

        mutating func encode<T: Encodable>(_ value: T) throws {
            if let scalar = try ValueEncoder.scalar(value, parent: encoder.parent, key: encoder.key) {
                encoder.node = .value(scalar)
            } else {
                try value.encode(to: encoder)
            }
        }
    }
}

/// A coding key made at run time (array positions, `super`).
struct JSONKey: CodingKey {
    var stringValue: String
    var intValue: Int?

    init(_ string: String) { stringValue = string }
    init(index: Int) {
        stringValue = "Index \(index)"
        intValue = index
    }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { self.init(index: intValue) }
}
