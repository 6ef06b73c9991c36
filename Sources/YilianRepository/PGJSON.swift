import YilianJSON
import YilianPostgres

/// A value stored as `json`/`jsonb`.
public struct PGJSON<Value: Codable & Sendable>: PGCodable, Sendable {
    public var value: Value
    public init(_ value: Value) { self.value = value }

    public func pgText() throws -> String? {
        String(decoding: try JSONCoding.value(value).serialized, as: UTF8.self)
    }

    public init(pgText text: String) throws {
        do {
            value = try JSONCoding.decode(Value.self, fromText: text)
        } catch {
            // Not the text: a stored patient holds a resident ID number.
            throw PGError(.decoding, message: "cannot read \(String(reflecting: Value.self)) from a stored JSON value")
        }
    }
}
