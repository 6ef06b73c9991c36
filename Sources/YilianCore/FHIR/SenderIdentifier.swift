import YilianJSON

/// The sender system's own identifier of a request that came in through FHIR (its
/// `ServiceRequest.identifier`, SPEC §11): kept with the referral or consultation, exported
/// beside Yilian's own, and what makes `fhir.import` file once.
public struct SenderIdentifier: Sendable, Equatable, JSONConvertible {
    public var system: String
    public var value: String

    /// Whether it may be kept (the database checks the same, migration 0051): printable ASCII
    /// without spaces, a system of at most 120 characters without "|" (the key joins the two with
    /// it) and not one of Yilian's own (`urn:yilian:…`), a value of at most 64; as an idempotency
    /// key it then stays within 200 characters and names one identifier.
    public var isValid: Bool {
        func printable(_ text: String, atMost: Int) -> Bool {
            (1...atMost).contains(text.utf8.count) && text.utf8.allSatisfy { (0x21...0x7E).contains($0) }
        }
        return printable(system, atMost: 120) && printable(value, atMost: 64) && !system.contains("|")
            && !system.hasPrefix("urn:yilian:")
    }

    /// The idempotency key it files under, for its sending hospital.
    public var key: String { "fhir:\(system)|\(value)" }

    public init(system: String, value: String) { (self.system, self.value) = (system, value) }

    public var json: JSONValue { ["system": .string(system), "value": .string(value)] }

    public init(json: JSONValue) throws(JSONValue.Mismatch) {
        let members = try JSONValue.Members(json, of: SenderIdentifier.self)
        self.init(system: try members.string("system"), value: try members.string("value"))
    }
}
