import YilianJSON

/// The sender system's own identifier of a request that came in through FHIR (its
/// `ServiceRequest.identifier`, SPEC §11): kept with the referral or consultation, exported
/// beside Yilian's own, and what makes `fhir.import` file once.
public struct SenderIdentifier: Sendable, Equatable, JSONConvertible {
    public var system: String
    public var value: String

    /// Its lengths (the database checks them too): as an idempotency key it stays within 200.
    public static let systemAtMost = 120, valueAtMost = 64

    /// The idempotency key it files under, for its sending hospital.
    public var key: String { "fhir:\(system)|\(value)" }

    public init(system: String, value: String) { (self.system, self.value) = (system, value) }

    public var json: JSONValue { ["system": .string(system), "value": .string(value)] }

    public init(json: JSONValue) throws(JSONValue.Mismatch) {
        let members = try JSONValue.Members(json, of: SenderIdentifier.self)
        self.init(system: try members.string("system"), value: try members.string("value"))
    }
}
