import YilianCore

/// SPEC §2's referral table, written out independently of the code, for the tests that check
/// the state machine against it (the core's, and the model-based test of the write path).
public enum ReferralTable {
    public typealias Status = ReferralMachine.Status
    public typealias Action = ReferralMachine.Action
    public typealias Party = ReferralMachine.Party

    /// SPEC §2's table, written out independently of the code: (from, action) → to.
    public static let table: [Status: [Action: Status]] = [
        .requested: [
            .accept: .accepted, .reject: .rejected, .requestInfo: .infoRequested, .redirect: .requested, .cancel: .cancelled,
            .escalate: .requested, .expire: .expired,
        ],
        .infoRequested: [.reject: .rejected, .provideInfo: .requested, .redirect: .requested, .cancel: .cancelled, .expire: .expired],
        .accepted: [.schedule: .scheduled, .cancel: .cancelled],  // + arrive when emergency
        .scheduled: [.reschedule: .scheduled, .arrive: .inTreatment, .noShow: .noShow, .cancel: .cancelled],
        .inTreatment: [.complete: .completed],
        .completed: [.acknowledge: .closed],
        .rejected: [:], .noShow: [:], .closed: [:], .cancelled: [:], .expired: [:],
    ]
    public static let parties: [Action: Party] = [
        .file: .sender, .accept: .receiver, .reject: .receiver, .requestInfo: .receiver, .provideInfo: .sender, .redirect: .sender,
        .schedule: .receiver, .reschedule: .receiver, .arrive: .receiver, .noShow: .receiver, .complete: .receiver,
        .acknowledge: .sender, .cancel: .sender, .escalate: .system, .expire: .system,
    ]

    public static func expected(_ status: Status, _ action: Action, _ priority: Priority) -> Status? {
        if status == .accepted && action == .arrive && priority == .emergency { return .inTreatment }
        return table[status]?[action]
    }
}
