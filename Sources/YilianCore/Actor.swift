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
        let user = String(text[..<at])
        let hospital = String(text[text.index(after: at)...])
        guard !user.isEmpty, !hospital.isEmpty else { return nil }
        self.init(user: user, hospital: hospital)
    }

    /// The health commission's operator, the only one who registers hospitals and creates alliances.
    public var isAdministrator: Bool { hospital == "admin" }

    /// `user@hospital`, as recorded in events.
    public var tag: String { "\(user)@\(hospital)" }

    /// Who acts when the database's owner names nobody: the platform administrator.
    public static let platform = Actor(user: "platform", hospital: "admin")
}

/// The parties of a case one hospital (`from`) opens with another (`to`): a referral's or a
/// consultation's.
public protocol CaseParty: Sendable {
    static var system: Self { get }
    /// The side of `from`: the sender, the requester.
    static var opener: Self { get }
    /// The side of `to`: the receiver, the consultant.
    static var addressee: Self { get }
}

extension Actor {
    /// Which party of the case from `from` to `to` this actor acts for; nil when neither side's.
    public func party<Party: CaseParty>(from: String, to: String) -> Party? {
        if self == .system { return .system }
        if hospital == from { return .opener }
        return hospital == to ? .addressee : nil
    }
}

/// What a user does at its hospital (SPEC §6); the database grants each its rights.
public enum Duty: String, CaseIterable, Sendable, Codable {
    case coordinator, physician
    case hospitalAdmin = "hospital_admin"
    case auditor, integration
    case platformAdmin = "platform_admin"
}

/// A user name: the part before `@` of a login (`li` of `li@ZRYY`).
public enum UserName {
    /// Lower-case letters, digits, `.`, `_` and `-`, starting with a letter, at most 32.
    public static func isValid(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, ("a"..."z").contains(first), name.unicodeScalars.count <= 32 else { return false }
        return name.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || ".-_".unicodeScalars.contains($0) }
    }
}
