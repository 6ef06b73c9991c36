import Foundation
import YilianCore
import YilianJSON
import YilianRepository

/// Consultations (会诊, SPEC §7), carried out as referral actions are: read without a lock, let
/// the core decide, write only at the version read, decide again when someone acted meanwhile.
extension Services {
    /// `consultation.request`: the requesting hospital asks a higher-tier member (or the core)
    /// of the alliance, both active members, for an opinion.
    public func requestConsultation(_ request: ConsultationRequest, by claimed: Actor?) async throws -> ConsultationView {
        let identity = try await identify(claimed)
        let actor = identity.actor
        let now = clock()
        let problems = request.problems(today: Self.latestToday(now))
        if !problems.isEmpty { throw YilianError.invalidParams(problems) }
        guard request.consent else { throw YilianError.ruleViolation("consent", Text("error.consultationConsent")) }
        return try await naming([request.from, request.to], as: identity.role) {
            try Self.checkAsker(
                from: request.from, to: request.to, actor: actor, same: "error.consultationSameHospital",
                refusal: "error.consultationForbidden"
            )
            let record = try await database.transaction(as: identity.role) { connection in
                let alliance = try await Self.activeAlliance(request.alliance, on: connection)
                // The consulting hospital is of a higher tier or the core, as for an up-referral.
                let levels = try Self.checkMembers(from: request.from, to: request.to, in: alliance)
                guard
                    Referrals.direction(
                        fromLevel: levels.fromLevel, toLevel: levels.toLevel, toIsCore: request.to == alliance.core,
                        fromIsCore: request.from == alliance.core)
                        == .up
                else {
                    throw YilianError.ruleViolation(
                        "direction", Text("error.consultationDirection", request.from, levels.fromLevel, request.to, levels.toLevel))
                }
                var record = ConsultationRecord(
                    request: request, specialty: alliance.specialty,
                    respondBy: now.addingTimeInterval(alliance.responseHours.window(request.priority)), now: now)
                record.id = try await ConsultationRepository.insert(
                    record,
                    request: MachineEvent(
                        seq: 1, action: "request", fromStatus: nil, toStatus: "requested", actor: actor.tag, at: now,
                        reason: request.question,
                        details: nil),
                    on: connection)
                return record
            }
            return ConsultationView(record, now: now)
        }
    }

    /// `consultation.<action>` but convert: one call of the wall, which decides the action as
    /// `ConsultationMachine.transition` does and writes it.
    public func consult(_ id: String, _ command: ConsultationCommand, expectedVersion: Int?, by claimed: Actor?) async throws
        -> ConsultationView
    {
        let identity = try await identify(claimed)
        let problems = command.problems
        if !problems.isEmpty { throw YilianError.invalidParams(problems) }
        let now = clock()
        let record = try await database.withConnection(as: identity.role) { connection in
            try await self.consulting(id, command, expectedVersion: expectedVersion, as: identity, at: now, on: connection)
        }
        return ConsultationView(record, now: now)
    }

    /// `command` in one call of the wall (`ConsultationRepository.act`); a refused one is
    /// explained by the core, on the consultation as the wall answered it (a stale
    /// `expectedVersion` is a `conflict`, a move its status, mode or side does not allow the
    /// machine's error).
    private func consulting(
        _ id: String, _ command: ConsultationCommand, expectedVersion: Int?, as identity: Identity, at now: Date,
        on connection: DatabaseSession
    ) async throws -> ConsultationRecord {
        switch try await ConsultationRepository.act(
            id, command, expectedVersion: expectedVersion, by: identity.actor, at: now, on: connection)
        {
        case nil:
            throw YilianError(.notFound, Text("error.consultationNotFound", id))
        case .written(let consultation)?:
            return consultation
        case .refused(let current, let refusal)?:
            if let expectedVersion, expectedVersion != current.version {
                throw YilianError(.conflict, Text("error.consultationConflict", id, current.version, expectedVersion))
            }
            _ = try ConsultationMachine.transition(current, command, by: identity.actor, at: now)
            throw refusal.error
        }
    }

    /// `consultation.convert`: the requester files a referral to the consulting hospital with the
    /// consultation's patient, diagnosis and attachments, through the filing guards of SPEC §2;
    /// the consultation records it, in the same transaction (all or nothing).
    public func convertConsultation(
        _ id: String, setting: Setting, reason: String?, allowDuplicate: Bool, expectedVersion: Int?, by claimed: Actor?
    ) async throws -> ConsultationView {
        let identity = try await identify(claimed)
        let now = clock()
        let record = try await database.transaction(as: identity.role) { connection in
            let current = try await ConsultationRepository.get(id, as: Reading("consultation.convert", for: identity.actor), on: connection)
            if let expectedVersion, expectedVersion != current.version {
                throw YilianError(.conflict, Text("error.consultationConflict", id, current.version, expectedVersion))
            }
            // Refused before anything is filed when the consultation cannot be converted.
            _ = try ConsultationMachine.transition(current, .convert(referral: ""), by: identity.actor, at: now)
            let referral = try await self.fileReferral(
                ReferralRequest(
                    alliance: current.alliance, from: current.from, to: current.to, direction: .up, setting: setting,
                    priority: current.priority,
                    patient: current.patient, consent: current.consent, diagnosis: current.diagnosis,
                    reason: reason ?? current.conclusion ?? current.question, summary: current.conclusion, attachments: current.attachments,
                    allowDuplicate: allowDuplicate, consultation: current.id),
                by: claimed)
            return try await self.consulting(
                id, .convert(referral: referral.id), expectedVersion: current.version, as: identity, at: now, on: connection)
        }
        return ConsultationView(record, now: now)
    }

    /// `consultation.get`: with its history; the read is in the access log.
    public func consultation(_ id: String, by claimed: Actor?) async throws -> ConsultationView {
        let identity = try await identify(claimed)
        let now = clock()
        return try await database.transaction(as: identity.role) { connection in
            let reading = Reading("consultation.get", for: identity.actor)
            let record = try await ConsultationRepository.get(id, as: reading, on: connection)
            return ConsultationView(record, now: now, history: try await ConsultationRepository.events(of: id, as: reading, on: connection))
        }
    }

    /// `yilian consultation print`: the consultation with its history and both hospitals;
    /// printing is logged as a read.
    public func consultationForm(_ id: String, reading method: String = "consultation.print", by claimed: Actor?) async throws -> (
        consultation: ConsultationView, from: Hospital, to: Hospital
    ) {
        let identity = try await identify(claimed)
        let now = clock()
        return try await database.transaction(as: identity.role) { connection in
            let reading = Reading(method, for: identity.actor)
            let record = try await ConsultationRepository.get(id, as: reading, on: connection)
            return (
                ConsultationView(record, now: now, history: try await ConsultationRepository.events(of: id, as: reading, on: connection)),
                try await HospitalRepository.get(record.from, on: connection), try await HospitalRepository.get(record.to, on: connection)
            )
        }
    }

    /// `consultation.history`: its events in order; the read is in the access log.
    public func consultationHistory(_ id: String, by claimed: Actor?) async throws -> MachineHistory {
        let identity = try await identify(claimed)
        return try await database.transaction(as: identity.role) { connection in
            let reading = Reading("consultation.history", for: identity.actor)
            _ = try await ConsultationRepository.get(id, as: reading, on: connection)
            return MachineHistory(id: id, history: try await ConsultationRepository.events(of: id, as: reading, on: connection))
        }
    }

    /// `consultation.list`: the consultations the user's hospital asked or was asked, in id order.
    public func consultations(
        hospital: String?, statuses: [ConsultationMachine.Status]?, limit: Int?, cursor: String?, by claimed: Actor?
    ) async throws -> Page<ConsultationView> {
        let identity = try await identify(claimed)
        let limit = try Self.pageLimit(limit)
        let now = clock()
        let records = try await database.withConnection(as: identity.role) { connection in
            try await ConsultationRepository.list(
                hospital: hospital, statuses: statuses, limit: limit, after: cursor, for: identity.actor, on: connection)
        }
        return Self.page(records.map { ConsultationView($0, now: now) }, limit: limit) { $0.id }
    }

    /// The consultations `sweep` expires at `now`, unanswered past twice the response window.
    func sweepConsultations(at now: Date) async throws -> [String] {
        let due = try await database.withConnection(as: .login) { try await ConsultationRepository.due(at: now, on: $0) }
        var expired: [String] = []
        for id in due {
            // Read, decided by the core, and acted on only if still as read; logged once, as the sweep's.
            let done = try await database.transaction(as: .login) { connection in
                let current = try await ConsultationRepository.get(id, as: Reading("consultation.sweep", for: .system), on: connection)
                let hours = try await AllianceRepository.get(current.alliance, on: connection).responseHours
                guard let command = ConsultationMachine.due(current, at: now, hours: hours) else { return false }
                let acted = try await ConsultationRepository.act(
                    id, command, expectedVersion: current.version, by: .system, at: now, on: connection)
                guard case .written? = acted else { return false }
                return true
            }
            if done { expired.append(id) }
        }
        return expired
    }
}

/// A consultation as both front ends show it: what `consultation.get` sends, its facts (read
/// through, `view.status`) with the resident ID masked, plus `overdue`; read back from that JSON
/// as it was written.
@dynamicMemberLookup
public struct ConsultationView: JSONConvertible, Sendable, Equatable {
    public var facts: ConsultationFacts
    public var overdue: Bool
    /// Only from `consultation.get`.
    public var history: [MachineEvent]?

    public subscript<T>(dynamicMember field: WritableKeyPath<ConsultationFacts, T>) -> T {
        get { facts[keyPath: field] }
        set { facts[keyPath: field] = newValue }
    }

    init(_ c: ConsultationRecord, now: Date, history: [MachineEvent]? = nil) {
        facts = c.facts
        facts.patient = c.patient.masked
        facts.patient.key = nil
        overdue = c.status == .requested && c.respondBy < now
        self.history = history
    }

    public var json: JSONValue {
        var members = facts.members
        members["overdue"] = .bool(overdue)
        if let history { members["history"] = history.json }
        return .object(members)
    }

    public init(json: JSONValue) throws(JSONValue.Mismatch) {
        let members = try JSONValue.Members(json, of: ConsultationView.self)
        (facts, overdue, history) = (try ConsultationFacts(json: json), try members.bool("overdue"), try members.optionalObject("history"))
    }
}
