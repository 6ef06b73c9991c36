import YilianJSON

// `Date` only, a value with no I/O: the core stays free of Foundation proper.
#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// A member of an alliance (also the `members` result shape).
public struct AllianceMember: Sendable, Equatable, Codable {
    public var hospital: String
    public var role: MemberRole
    public var status: MembershipMachine.Status
    public var since: Date
    /// The hospital's level (its tier), for the direction rules; not in the result shape.
    public var level = 0

    private enum CodingKeys: String, CodingKey { case hospital, role, status, since }

    public init(hospital: String, role: MemberRole, status: MembershipMachine.Status, since: Date, level: Int) {
        (self.hospital, self.role, self.status, self.since, self.level) = (hospital, role, status, since, level)
    }
}

/// One recorded change to an application or membership (also the `history` result shape).
public struct MembershipEvent: Sendable, Equatable, Codable {
    public var seq: Int
    @Nullable public var application: String?
    public var action: String
    @Nullable public var fromStatus: String?
    public var toStatus: String
    public var actor: String
    public var at: Date
    @Nullable public var reason: String?

    public init(
        seq: Int = 0, application: String?, action: String, fromStatus: String?, toStatus: String, actor: String, at: Date, reason: String?
    ) {
        self.seq = seq
        self.application = application
        self.action = action
        self.fromStatus = fromStatus
        self.toStatus = toStatus
        self.actor = actor
        self.at = at
        self.reason = reason
    }

}
