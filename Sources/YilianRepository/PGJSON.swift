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
            // A type that reads its JSON form directly skips keyed `Decodable` coding (a referral's
            // patient, diagnosis and attachments: a sixth of a large worklist's CPU went there).
            if let convertible = Value.self as? any JSONConvertible.Type {
                value = try convertible.init(json: JSONValue(parsing: Array(text.utf8))) as! Value
            } else {
                value = try JSONCoding.decode(Value.self, fromText: text)
            }
        } catch {
            // Not the text: a stored patient holds a resident ID number.
            throw PGError(.decoding, message: "cannot read \(String(reflecting: Value.self)) from a stored JSON value")
        }
    }
}
