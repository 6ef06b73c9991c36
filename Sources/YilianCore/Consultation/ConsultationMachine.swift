/// The consultation (会诊) state machine of SPEC §7: a member asks a higher-tier member (or the
/// core) for a specialist opinion without transferring the patient.
///
/// | action | from | to | who |
/// |---|---|---|---|
/// | accept | requested | accepted | consultant |
/// | decline | requested | declined | consultant |
/// | schedule | accepted, scheduled (remote, mdt) | scheduled | consultant |
/// | opine | accepted (advice); scheduled (remote, mdt) | the same | consultant |
/// | conclude | accepted (advice); scheduled (remote, mdt) | answered | consultant |
/// | acknowledge | answered | closed | requester |
/// | cancel | requested, accepted, scheduled | cancelled | requester |
/// | convert | answered, closed | the same | requester |
/// | expire | requested, accepted | expired | system |
///
/// Terminal: declined, closed, cancelled, expired (a closed one may still be converted).
public struct ConsultationMachine: Equatable, Sendable {
    public enum Status: String, CaseIterable, Sendable, Codable {
        case requested, accepted, declined, scheduled, answered, closed, cancelled, expired
    }

    /// Actions, named as their JSON-RPC methods (`consultation.<action>`).
    public enum Action: String, CaseIterable, Sendable, Codable {
        case request, accept, decline, schedule, opine, conclude, acknowledge, cancel, convert, expire
    }

    /// Who acts: the requesting hospital, the consulting hospital, or the system (`sweep`).
    public enum Party: String, CaseParty, CaseIterable, Sendable {
        case requester, consultant, system
        public static var opener: Party { .requester }
        public static var addressee: Party { .consultant }
    }

    /// Written advice (图文会诊), a scheduled remote consultation (远程会诊), or a
    /// multidisciplinary one (MDT).
    public enum Mode: String, CaseIterable, Sendable, Codable { case advice, remote, mdt }

    public private(set) var status: Status
    public let mode: Mode

    public init(status: Status, mode: Mode) {
        self.status = status
        self.mode = mode
    }

    /// Applies `action` taken by `party`: the new status, or `forbidden` (not this party's
    /// action) or `invalid_transition` (not from this status in this mode; `data` holds what
    /// this party may do now).
    @discardableResult
    public mutating func apply(_ action: Action, by party: Party) throws(YilianError) -> Status {
        let rightful = Self.party(for: action)
        guard rightful == party else {
            throw YilianError(
                .forbidden,
                Text(
                    "error.consultationOnlyParty", Words("consultationParty", rightful.rawValue),
                    Words("consultationPhrase", action.rawValue)))
        }
        guard let next = Self.next(from: status, action, mode: mode) else {
            let allowed = Self.allowed(from: status, mode: mode).filter { Self.party(for: $0) == party }
            throw YilianError(
                .invalidTransition,
                allowed.isEmpty
                    ? Text(
                        "error.consultationNothing", Words("consultationStatus", status.rawValue),
                        Words("consultationPast", action.rawValue))
                    : Text(
                        "error.consultationTransition", Words("consultationStatus", status.rawValue),
                        Words("consultationPast", action.rawValue),
                        Words("consultationAction", allowed.map(\.rawValue))),
                data: [
                    "status": .string(status.rawValue), "action": .string(action.rawValue),
                    "allowed": .array(allowed.map { .string($0.rawValue) }),
                ])
        }
        status = next
        return next
    }

    /// The status `action` leads to from `status` in `mode`, nil when it is not allowed.
    static func next(from status: Status, _ action: Action, mode: Mode) -> Status? {
        let scheduledMode = mode != .advice
        // Where opinions are given and concluded: accepted advice, scheduled remote or MDT.
        let sitting: Status = scheduledMode ? .scheduled : .accepted
        switch (status, action) {
        case (.requested, .accept): return .accepted
        case (.requested, .decline): return .declined
        case (.accepted, .schedule), (.scheduled, .schedule): return scheduledMode ? .scheduled : nil
        case (.accepted, .opine), (.scheduled, .opine): return status == sitting ? status : nil
        case (.accepted, .conclude), (.scheduled, .conclude): return status == sitting ? .answered : nil
        case (.answered, .acknowledge): return .closed
        case (.requested, .cancel), (.accepted, .cancel), (.scheduled, .cancel): return .cancelled
        case (.answered, .convert), (.closed, .convert): return status
        case (.requested, .expire), (.accepted, .expire): return .expired
        case (_, .request),
            (.requested, .schedule), (.requested, .opine), (.requested, .conclude), (.requested, .acknowledge), (.requested, .convert),
            (.accepted, .accept), (.accepted, .decline), (.accepted, .acknowledge), (.accepted, .convert),
            (.scheduled, .accept), (.scheduled, .decline), (.scheduled, .acknowledge), (.scheduled, .convert), (.scheduled, .expire),
            (.answered, .accept), (.answered, .decline), (.answered, .schedule), (.answered, .opine), (.answered, .conclude),
            (.answered, .cancel), (.answered, .expire),
            (.closed, .accept), (.closed, .decline), (.closed, .schedule), (.closed, .opine), (.closed, .conclude), (.closed, .acknowledge),
            (.closed, .cancel), (.closed, .expire),
            (.declined, _), (.cancelled, _), (.expired, _):
            return nil
        }
    }

    public static func party(for action: Action) -> Party {
        switch action {
        case .request, .acknowledge, .cancel, .convert: return .requester
        case .accept, .decline, .schedule, .opine, .conclude: return .consultant
        case .expire: return .system
        }
    }

    /// The actions possible from `status` in `mode`.
    public static func allowed(from status: Status, mode: Mode) -> [Action] {
        Action.allCases.filter { next(from: status, $0, mode: mode) != nil }
    }
}

extension ConsultationMachine.Status {
    /// Nothing more happens to it (but a closed consultation may still be converted).
    public var isTerminal: Bool {
        switch self {
        case .declined, .closed, .cancelled, .expired: return true
        case .requested, .accepted, .scheduled, .answered: return false
        }
    }
}

/// Why a consultant declines (SPEC §7: a reason code).
public enum DeclineReason: String, CaseIterable, Sendable, Codable {
    case outsideScope = "outside_scope"
    case insufficientInformation = "insufficient_information"
    case noCapacity = "no_capacity"
    case referInstead = "refer_instead"
    case other
}

/// What an expert recommends.
public enum OpinionRecommendation: String, CaseIterable, Sendable, Codable {
    case manageLocally = "manage_locally"
    case referUp = "refer_up"
    case referDown = "refer_down"
    case furtherTests = "further_tests"
}
