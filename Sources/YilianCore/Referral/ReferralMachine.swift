/// The referral state machine of SPEC §2.
///
/// | action | from | to | who |
/// |---|---|---|---|
/// | accept | requested | accepted | receiver |
/// | reject | requested, info_requested | rejected | receiver |
/// | requestInfo | requested | info_requested | receiver |
/// | provideInfo | info_requested | requested | sender |
/// | redirect | requested, info_requested | requested | sender |
/// | schedule | accepted | scheduled | receiver |
/// | reschedule | scheduled | scheduled | receiver |
/// | arrive | scheduled; accepted if emergency | in_treatment | receiver |
/// | noShow | scheduled | no_show | receiver |
/// | complete | in_treatment | completed | receiver |
/// | acknowledge | completed | closed | sender |
/// | cancel | requested, info_requested, accepted, scheduled | cancelled | sender |
/// | escalate | requested | requested | system |
/// | expire | requested, info_requested | expired | system |
///
/// Terminal: rejected, no_show, closed, cancelled, expired.
public struct ReferralMachine: Equatable, Sendable {
    public enum Status: String, CaseIterable, Sendable, Codable {
        case requested
        case infoRequested = "info_requested"
        case accepted, rejected, scheduled
        case inTreatment = "in_treatment"
        case noShow = "no_show"
        case completed, closed, cancelled, expired
    }

    /// Actions, named as their JSON-RPC methods (`referral.<action>`).
    public enum Action: String, CaseIterable, Sendable, Codable {
        case file, accept, reject, requestInfo, provideInfo, redirect, schedule, reschedule, arrive, noShow, complete, acknowledge,
            cancel, escalate, expire
    }

    /// Who acts: the sending hospital, the receiving hospital, or the system (`sweep`).
    public enum Party: String, CaseParty, Sendable {
        case sender, receiver, system
        public static var opener: Party { .sender }
        public static var addressee: Party { .receiver }
    }

    public private(set) var status: Status
    public let priority: Priority

    public init(status: Status, priority: Priority) {
        self.status = status
        self.priority = priority
    }

    /// Applies `action` taken by `party`: the new status, or `forbidden` (not this party's
    /// action) or `invalid_transition` (not from this status; `data` holds the allowed actions).
    @discardableResult
    public mutating func apply(_ action: Action, by party: Party) throws(YilianError) -> Status {
        let rightful = Self.party(for: action)
        guard rightful == party else {
            throw YilianError(
                .forbidden, Text("error.onlyParty", Words("party", rightful.rawValue), Words("actionPhrase", action.rawValue)))
        }
        guard let next = Self.next(from: status, action, priority: priority) else {
            // What this side may do now: not the other side's actions, nor the sweep's.
            let allowed = Self.allowed(from: status, priority: priority).filter { Self.party(for: $0) == party }
            let codes = allowed.map(\.rawValue)
            throw YilianError(
                .invalidTransition,
                allowed.isEmpty
                    ? Text("error.transitionNothing", Words("status", status.rawValue), Words("actionPast", action.rawValue))
                    : Text(
                        "error.transition", Words("status", status.rawValue), Words("actionPast", action.rawValue), Words("action", codes)),
                data: [
                    "status": .string(status.rawValue), "action": .string(action.rawValue),
                    "allowed": .array(allowed.map { .string($0.rawValue) }),
                ])
        }
        status = next
        return next
    }

    /// The status `action` leads to from `status`, nil when it is not allowed.
    static func next(from status: Status, _ action: Action, priority: Priority) -> Status? {
        switch (status, action) {
        case (.requested, .accept): return .accepted
        case (.requested, .reject), (.infoRequested, .reject): return .rejected
        case (.requested, .requestInfo): return .infoRequested
        case (.infoRequested, .provideInfo): return .requested
        case (.requested, .redirect), (.infoRequested, .redirect): return .requested
        case (.accepted, .schedule): return .scheduled
        case (.scheduled, .reschedule): return .scheduled
        case (.scheduled, .arrive): return .inTreatment
        case (.accepted, .arrive): return priority == .emergency ? .inTreatment : nil
        case (.scheduled, .noShow): return .noShow
        case (.inTreatment, .complete): return .completed
        case (.completed, .acknowledge): return .closed
        case (.requested, .cancel), (.infoRequested, .cancel), (.accepted, .cancel), (.scheduled, .cancel): return .cancelled
        case (.requested, .escalate): return .requested
        case (.requested, .expire), (.infoRequested, .expire): return .expired
        case (_, .file),
            (.requested, .provideInfo), (.requested, .schedule), (.requested, .reschedule), (.requested, .arrive),
            (.requested, .noShow), (.requested, .complete), (.requested, .acknowledge),
            (.infoRequested, .accept), (.infoRequested, .requestInfo), (.infoRequested, .schedule), (.infoRequested, .reschedule),
            (.infoRequested, .arrive), (.infoRequested, .noShow), (.infoRequested, .complete), (.infoRequested, .acknowledge),
            (.infoRequested, .escalate),
            (.accepted, .accept), (.accepted, .reject), (.accepted, .requestInfo), (.accepted, .provideInfo), (.accepted, .redirect),
            (.accepted, .reschedule), (.accepted, .noShow), (.accepted, .complete), (.accepted, .acknowledge), (.accepted, .escalate),
            (.accepted, .expire),
            (.scheduled, .accept), (.scheduled, .reject), (.scheduled, .requestInfo), (.scheduled, .provideInfo), (.scheduled, .redirect),
            (.scheduled, .schedule), (.scheduled, .complete), (.scheduled, .acknowledge), (.scheduled, .escalate), (.scheduled, .expire),
            (.inTreatment, _), (.completed, _),
            (.rejected, _), (.noShow, _), (.closed, _), (.cancelled, _), (.expired, _):
            return nil
        }
    }

    public static func party(for action: Action) -> Party {
        switch action {
        case .file, .provideInfo, .redirect, .acknowledge, .cancel: return .sender
        case .accept, .reject, .requestInfo, .schedule, .reschedule, .arrive, .noShow, .complete: return .receiver
        case .escalate, .expire: return .system
        }
    }

    /// The actions possible from `status` (for a referral of `priority`).
    public static func allowed(from status: Status, priority: Priority) -> [Action] {
        Action.allCases.filter { next(from: status, $0, priority: priority) != nil }
    }

    public var isTerminal: Bool { status.isTerminal }
}

extension ReferralMachine.Status {
    public var isTerminal: Bool {
        switch self {
        case .rejected, .noShow, .closed, .cancelled, .expired: return true
        case .requested, .infoRequested, .accepted, .scheduled, .inTreatment, .completed: return false
        }
    }

    /// The FHIR ServiceRequest status shown as `fhirStatus`.
    public var fhirStatus: String {
        switch self {
        case .requested, .infoRequested: return "requested"
        case .accepted, .scheduled: return "accepted"
        case .inTreatment: return "in-progress"
        case .completed, .closed: return "completed"
        case .rejected: return "rejected"
        case .cancelled: return "cancelled"
        case .noShow, .expired: return "failed"
        }
    }
}

public enum Priority: String, CaseIterable, Sendable, Codable { case routine, urgent, emergency }
public enum Direction: String, CaseIterable, Sendable, Codable { case up, down }
public enum Setting: String, CaseIterable, Sendable, Codable { case outpatient, inpatient }
public enum Sex: String, CaseIterable, Sendable, Codable { case male, female, unknown }
public enum RejectReason: String, CaseIterable, Sendable, Codable {
    case capacityFull = "capacity_full"
    case outsideScope = "outside_scope"
    case insufficientInformation = "insufficient_information"
    case patientDeclined = "patient_declined"
    case notIndicated = "not_indicated"
    case other
}
public enum Recommendation: String, CaseIterable, Sendable, Codable {
    case downRefer = "down_refer"
    case followUp = "follow_up"
    case discharge
}
public enum AttachmentKind: String, CaseIterable, Sendable, Codable { case lab, imaging, document }
