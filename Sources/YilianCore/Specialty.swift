/// A medical specialty of the catalog (SPEC §2), e.g. `pain` 疼痛科.
public struct Specialty: Equatable, Sendable, Codable {
    public var code: String
    public var name: String
    public init(code: String, name: String) {
        self.code = code
        self.name = name
    }
}
