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

    package init(user: String, hospital: String, duty: Duty, enabled: Bool, createdAt: Date) {
        (self.user, self.hospital, self.duty, self.enabled, self.createdAt) = (user, hospital, duty, enabled, createdAt)
    }
}
