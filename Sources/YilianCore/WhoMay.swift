/// Who may make a change (SPEC §6), as a refusal names them: a `forbidden` says who may do it
/// (SPEC §3). Each is a catalogue text, `whoMay.<case>`.
public enum WhoMay: String, CaseIterable, Sendable {
    /// Registers hospitals and creates alliances.
    case platform
    /// Adds and disables users: the platform, or a hospital's own administrator.
    case userAdmins
    /// Sets criteria, decides applications, suspends, reinstates, revokes and reviews members.
    case coreAdmin
    /// Applies, updates and withdraws an application.
    case applicant
    /// Files a referral.
    case sender
    /// Acts on a referral: the side the action belongs to.
    case referralSide
    /// Asks for a consultation, and converts it.
    case requester
    /// Acts on a consultation: the side the action belongs to; an opinion also a physician.
    case consultationSide
    /// Publishes a hospital's slots.
    case ownSlots
    /// Reads a hospital's access log.
    case auditors
}
