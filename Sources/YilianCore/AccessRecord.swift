// `Date` only, a value with no I/O: the core stays free of Foundation proper.
#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// One read of patient data (SPEC §6), as `audit.list` shows it.
public struct AccessRecord: Sendable, Equatable, Encodable {
    public var at: Date
    /// The acting user's name; `hospital` is its hospital.
    public var user: String
    public var hospital: String
    /// The login that read: the user itself, or the integration acting for it.
    public var login: String
    public var method: String
    public var referrals: [String]
    package var seq: Int64

    private enum CodingKeys: String, CodingKey { case at, user, hospital, login, method, referrals }

    package init(at: Date, user: String, hospital: String, login: String, method: String, referrals: [String], seq: Int64) {
        (self.at, self.user, self.hospital, self.login, self.method, self.referrals, self.seq) =
            (at, user, hospital, login, method, referrals, seq)
    }

    /// The cursor of the page after this record.
    public var cursor: String { String(seq) }
}
