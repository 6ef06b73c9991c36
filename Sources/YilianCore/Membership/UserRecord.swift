import YilianJSON

// `Date` only, a value with no I/O: the core stays free of Foundation proper.
#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// A registered user (SPEC §6), as `user.list` shows it.
public struct UserRecord: Sendable, Equatable, Codable {
    public var user: String
    public var hospital: String
    public var duty: Duty
    public var enabled: Bool
    public var createdAt: Date
    /// The person's name as forms and timelines show it (`刘明`); null when none was given.
    @Nullable public var displayName: String?

    package init(user: String, hospital: String, duty: Duty, enabled: Bool, createdAt: Date, displayName: String?) {
        (self.user, self.hospital, self.duty, self.enabled, self.createdAt) = (user, hospital, duty, enabled, createdAt)
        self.displayName = displayName
    }

    /// A display name: 1 to 32 characters, no control characters, no spaces around it.
    public static func isValidDisplayName(_ name: String) -> Bool {
        (1...32).contains(name.count) && name.trimmingWhitespace() == name
            && !name.unicodeScalars.contains { $0.properties.generalCategory == .control || $0.properties.generalCategory == .format }
    }
}
