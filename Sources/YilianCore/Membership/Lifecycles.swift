/// A membership application (SPEC §2):
///
/// - `submitted` → `approved` | `rejected` | `info_requested` (core hospital decides)
/// - `submitted` | `info_requested` → `withdrawn` (applicant)
/// - `info_requested` → `submitted` (applicant updates its facts)
///
/// Approving needs the decision `eligible`, or an override reason.
public struct ApplicationMachine: Equatable, Sendable {
    public enum Status: String, CaseIterable, Sendable, Codable {
        case submitted
        case infoRequested = "info_requested"
        case approved, rejected, withdrawn
    }

    public enum Action: String, CaseIterable, Sendable {
        case update, approve, reject
        case requestInfo = "request_info"
        case withdraw
    }

    /// Who acts: the applicant hospital, or the alliance's core hospital.
    public enum Party: Sendable { case applicant, core }

    public private(set) var status: Status

    public init(status: Status) { self.status = status }

    /// Applies `action`; returns the new status, or throws `forbidden` (not this party's action),
    /// `invalid_transition` (not from this status) or `rule_violation` (approval not allowed).
    @discardableResult
    public mutating func apply(
        _ action: Action, by party: Party, decision: Decision = .eligible, override: String? = nil
    ) throws(YilianError) -> Status {
        guard Self.party(for: action) == party else {
            throw YilianError(
                .forbidden,
                party == .core
                    ? Text("error.onlyApplicant", Words("applicationPhrase", action.rawValue))
                    : Text("error.onlyCoreApplication", Words("applicationPhrase", action.rawValue)))
        }
        let next: Status
        switch (status, action) {
        case (.infoRequested, .update): next = .submitted
        case (.submitted, .approve):
            if decision != .eligible && (override ?? "").trimmingWhitespace().isEmpty {
                throw YilianError.ruleViolation(
                    "eligibility",
                    Text("error.eligibility", Words("decision", decision.rawValue)))
            }
            next = .approved
        case (.submitted, .reject): next = .rejected
        case (.submitted, .requestInfo): next = .infoRequested
        case (.submitted, .withdraw), (.infoRequested, .withdraw): next = .withdrawn
        case (.submitted, .update),
            (.infoRequested, .approve), (.infoRequested, .reject), (.infoRequested, .requestInfo),
            (.approved, _), (.rejected, _), (.withdrawn, _):
            throw YilianError(
                .invalidTransition,
                Self.allowed(from: status).isEmpty
                    ? Text(
                        "error.applicationFinished", Words("applicationStatus", status.rawValue), Words("applicationPast", action.rawValue))
                    : Text(
                        "error.applicationTransition", Words("applicationStatus", status.rawValue),
                        Words("applicationPast", action.rawValue),
                        Words("applicationAction", Self.allowed(from: status).map(\.rawValue))),
                data: [
                    "status": .string(status.rawValue), "action": .string(action.rawValue),
                    "allowed": .array(Self.allowed(from: status).map { .string($0.rawValue) }),
                ])
        }
        status = next
        return next
    }

    public static func party(for action: Action) -> Party {
        switch action {
        case .update, .withdraw: return .applicant
        case .approve, .reject, .requestInfo: return .core
        }
    }

    /// The actions possible from `status`, by whichever party.
    public static func allowed(from status: Status) -> [Action] {
        switch status {
        case .submitted: return [.approve, .reject, .requestInfo, .withdraw]
        case .infoRequested: return [.update, .withdraw]
        case .approved, .rejected, .withdrawn: return []
        }
    }
}

/// A membership once admitted: `active` ⇄ `suspended` (suspend / reinstate), either → `revoked`.
/// `withdrawn` and `revoked` memberships are reactivated by a new approved application.
public struct MembershipMachine: Equatable, Sendable {
    public enum Status: String, CaseIterable, Sendable, Codable { case active, suspended, withdrawn, revoked }
    public enum Action: String, CaseIterable, Sendable { case suspend, reinstate, revoke }

    public private(set) var status: Status
    public init(status: Status) { self.status = status }

    @discardableResult
    public mutating func apply(_ action: Action) throws(YilianError) -> Status {
        let next: Status
        switch (status, action) {
        case (.active, .suspend): next = .suspended
        case (.suspended, .reinstate): next = .active
        case (.active, .revoke), (.suspended, .revoke): next = .revoked
        case (.active, .reinstate), (.suspended, .suspend), (.withdrawn, _), (.revoked, _):
            throw YilianError(
                .invalidTransition,
                Self.allowed(from: status).isEmpty
                    ? Text("error.membershipFinished", Words("membershipStatus", status.rawValue), Words("membershipPast", action.rawValue))
                    : Text(
                        "error.membershipTransition", Words("membershipStatus", status.rawValue), Words("membershipPast", action.rawValue),
                        Words("membershipAction", Self.allowed(from: status).map(\.rawValue))),
                data: [
                    "status": .string(status.rawValue), "action": .string(action.rawValue),
                    "allowed": .array(Self.allowed(from: status).map { .string($0.rawValue) }),
                ])
        }
        status = next
        return next
    }

    public static func allowed(from status: Status) -> [Action] {
        switch status {
        case .active: return [.suspend, .revoke]
        case .suspended: return [.reinstate, .revoke]
        case .withdrawn, .revoked: return []
        }
    }

    /// Whether a new application may be made (not while active or suspended).
    public static func mayApply(from status: Status?) -> Bool {
        switch status {
        case nil, .withdrawn?, .revoked?: return true
        case .active?, .suspended?: return false
        }
    }
}
