/// Who acts: a user at a hospital, or the platform administrator (`USER@admin`).
public struct Actor: Equatable, Sendable, Codable {
    public var user: String
    public var hospital: String

    public init(user: String, hospital: String) {
        self.user = user
        self.hospital = hospital
    }

    /// Parses `USER@HOSPITAL`; nil when either part is missing.
    public init?(parsing text: String) {
        guard let at = text.lastIndex(of: "@") else { return nil }
        let user = String(text[..<at]), hospital = String(text[text.index(after: at)...])
        guard !user.isEmpty, !hospital.isEmpty else { return nil }
        self.init(user: user, hospital: hospital)
    }

    /// The health commission's operator, the only one who registers hospitals and creates alliances.
    public var isAdministrator: Bool { hospital == "admin" }

    /// `user@hospital`, as recorded in events.
    public var tag: String { "\(user)@\(hospital)" }
}
