import YilianJSON

// `Date` only, a value with no I/O: the core stays free of Foundation proper.
#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// What a consultation shows, and `consultation.get` sends: what it was asked (`request`, read
/// through: `facts.question`) and what became of it, but its two clocks.
/// `patient.idNumber` is as the holder has it: whole in a record, masked in a view.
@dynamicMemberLookup
public struct ConsultationFacts: Sendable, Equatable, JSONConvertible {
    public var id: String
    public var specialty: String
    /// What was asked (its patient masked in a view).
    public var request: ConsultationRequest
    public var scheduledAt: Date?
    public var opinions: [Opinion]
    public var conclusion: String?
    public var convertedTo: String?
    public var declineCode: DeclineReason?
    public var status: ConsultationMachine.Status
    public var version: Int
    public var respondBy: Date
    public var createdAt: Date
    public var updatedAt: Date

    public subscript<T>(dynamicMember field: WritableKeyPath<ConsultationRequest, T>) -> T {
        get { request[keyPath: field] }
        set { request[keyPath: field] = newValue }
    }

    public var json: JSONValue { .object(members) }

    /// `json`'s members, for a holder to add its own (`senderIdentifier` only when there is one).
    public var members: JSONObject {
        var members: JSONObject = [
            "alliance": .string(request.alliance), "attachments": request.attachments.json, "conclusion": JSONValue(conclusion),
            "consent": .bool(request.consent),
            "convertedTo": JSONValue(convertedTo), "createdAt": .string(JSONCoding.iso8601(createdAt)),
            "declineCode": JSONValue(declineCode?.rawValue),
            "diagnosis": request.diagnosis.json, "from": .string(request.from), "id": .string(id), "mode": .string(request.mode.rawValue),
            "opinions": .array(opinions.map(\.json)), "patient": request.patient.json,
            "priority": .string(request.priority.rawValue), "question": .string(request.question),
            "referral": JSONValue(request.referral),
            "respondBy": .string(JSONCoding.iso8601(respondBy)), "scheduledAt": JSONValue(scheduledAt.map(JSONCoding.iso8601)),
            "specialty": .string(specialty), "status": .string(status.rawValue), "to": .string(request.to),
            "updatedAt": .string(JSONCoding.iso8601(updatedAt)), "version": .integer(version),
        ]
        members["senderIdentifier"] = request.senderIdentifier?.json
        return members
    }

    public init(json: JSONValue) throws(JSONValue.Mismatch) {
        let members = try JSONValue.Members(json, of: ConsultationFacts.self)
        (id, specialty) = (try members.string("id"), try members.string("specialty"))
        request = ConsultationRequest(
            alliance: try members.string("alliance"), from: try members.string("from"), to: try members.string("to"),
            mode: try members.value("mode"), priority: try members.value("priority"), patient: try members.object("patient"),
            consent: try members.bool("consent"), diagnosis: try members.array("diagnosis"), question: try members.string("question"),
            attachments: try members.array("attachments"), referral: try members.optionalString("referral"))
        request.senderIdentifier = try members.optionalObject("senderIdentifier")
        (scheduledAt, opinions, conclusion) = (
            try members.optionalDate("scheduledAt"), try members.array("opinions"), try members.optionalString("conclusion")
        )
        (convertedTo, declineCode) = (try members.optionalString("convertedTo"), try members.optionalValue("declineCode"))
        (status, version, respondBy) = (try members.value("status"), try members.int("version"), try members.date("respondBy"))
        (createdAt, updatedAt) = (try members.date("createdAt"), try members.date("updatedAt"))
    }

    /// A consultation just asked by `request`.
    init(id: String, request: ConsultationRequest, specialty: String, respondBy: Date, now: Date) {
        (self.id, self.specialty, self.request) = (id, specialty, request)
        (opinions, status, version, self.respondBy, createdAt, updatedAt) = ([], .requested, 1, respondBy, now, now)
    }
}

/// A consultation as stored: its facts (read through, `record.status`) and the clocks of its
/// first response and its answer. `patient.idNumber` is whole here: mask before showing.
@dynamicMemberLookup
public struct ConsultationRecord: Sendable, Equatable {
    public var facts: ConsultationFacts
    public var firstResponseAt: Date?
    public var answeredAt: Date?

    public subscript<T>(dynamicMember field: WritableKeyPath<ConsultationFacts, T>) -> T {
        get { facts[keyPath: field] }
        set { facts[keyPath: field] = newValue }
    }

    /// A consultation just asked by `request`.
    public init(id: String = "", request: ConsultationRequest, specialty: String, respondBy: Date, now: Date) {
        facts = ConsultationFacts(id: id, request: request, specialty: specialty, respondBy: respondBy, now: now)
    }
}

/// One expert's opinion (SPEC §7).
public struct Opinion: Equatable, Sendable, JSONConvertible {
    /// The expert who gave it: the user who acted (`wang@ZRYY`).
    public var expert: String
    public var summary: String
    public var recommendation: OpinionRecommendation
    public var at: Date

    public init(expert: String, summary: String, recommendation: OpinionRecommendation, at: Date) {
        self.expert = expert
        self.summary = summary
        self.recommendation = recommendation
        self.at = at
    }

    public var json: JSONValue {
        [
            "at": .string(JSONCoding.iso8601(at)), "expert": .string(expert), "recommendation": .string(recommendation.rawValue),
            "summary": .string(summary),
        ]
    }

    public init(json: JSONValue) throws(JSONValue.Mismatch) {
        let members = try JSONValue.Members(json, of: Opinion.self)
        self.init(
            expert: try members.string("expert"), summary: try members.string("summary"),
            recommendation: try members.value("recommendation"),
            at: try members.date("at"))
    }
}

/// One consultation action with what it carries.
public enum ConsultationCommand: Sendable, Equatable {
    case accept(note: String?)
    case decline(code: DeclineReason, reason: String?)
    /// Remote and MDT only: when the consultation sits.
    case schedule(at: Date)
    case opine(summary: String, recommendation: OpinionRecommendation)
    case conclude(conclusion: String)
    case acknowledge
    case cancel(reason: String)
    /// Records the referral the services filed from it, in the same transaction.
    case convert(referral: String)
    /// By `sweep` only: unanswered past twice the response window.
    case expire

    public var action: ConsultationMachine.Action {
        switch self {
        case .accept: return .accept
        case .decline: return .decline
        case .schedule: return .schedule
        case .opine: return .opine
        case .conclude: return .conclude
        case .acknowledge: return .acknowledge
        case .cancel: return .cancel
        case .convert: return .convert
        case .expire: return .expire
        }
    }

    /// Problems with what the action carries, before anything is read.
    public var problems: [Problem] {
        switch self {
        case .decline(let code, let reason): return Problem.ifNoReason(reason, other: code == .other)
        case .opine(let summary, _): return Problem.ifEmpty(summary, at: "summary")
        case .conclude(let conclusion): return Problem.ifEmpty(conclusion, at: "conclusion")
        case .cancel(let reason): return Problem.ifEmpty(reason, at: "reason")
        case .accept, .schedule, .acknowledge, .convert, .expire: return []
        }
    }
}

/// What one consultation action does, decided by `ConsultationMachine.transition` and written by
/// the services exactly as it is: the consultation as it becomes and the event appended.
public struct ConsultationTransition: Equatable, Sendable {
    public var consultation: ConsultationRecord
    public var event: MachineEvent
}

extension ConsultationMachine {
    /// The one place a consultation action is decided (SPEC §7): who may act (`actor` is the
    /// requester's or the consultant's user, or `Actor.system`), whether the status and mode
    /// allow it, and everything it changes. Pure.
    public static func transition(
        _ current: ConsultationRecord, _ command: ConsultationCommand, by actor: Actor, at now: Date
    ) throws(YilianError) -> ConsultationTransition {
        guard let party: Party = actor.party(from: current.from, to: current.to) else {
            throw YilianError(.forbidden, Text("error.consultationNotParty", current.id, current.from, current.to, actor.hospital))
        }
        var machine = ConsultationMachine(status: current.status, mode: current.mode)
        try machine.apply(command.action, by: party)
        var consultation = current
        var reason: String?
        var details = JSONObject()
        if party == .consultant && consultation.firstResponseAt == nil { consultation.firstResponseAt = now }
        switch command {
        case .accept(let note):
            reason = note
        case .decline(let code, let text):
            reason = text
            consultation.declineCode = code
            details["reasonCode"] = .string(code.rawValue)
        case .schedule(let at):
            guard at > now else { throw YilianError.invalidParams([Problem("at", Text("problem.pastTime"))]) }
            consultation.scheduledAt = at
            details["at"] = .string(JSONCoding.iso8601(at))
        case .opine(let summary, let recommendation):
            guard !consultation.opinions.contains(where: { $0.expert == actor.tag }) else {
                throw YilianError.ruleViolation("opinion", Text("error.opinionTwice", actor.tag, current.id))
            }
            consultation.opinions.append(Opinion(expert: actor.tag, summary: summary, recommendation: recommendation, at: now))
            reason = summary
            details["recommendation"] = .string(recommendation.rawValue)
        case .conclude(let conclusion):
            guard !consultation.opinions.isEmpty else {
                throw YilianError.ruleViolation("opinions", Text("error.concludeWithoutOpinion", current.id))
            }
            consultation.conclusion = conclusion
            consultation.answeredAt = now
            reason = conclusion
        case .cancel(let text):
            reason = text
        case .convert(let referral):
            guard consultation.convertedTo == nil else {
                throw YilianError.ruleViolation("converted", Text("error.convertedTwice", current.id, consultation.convertedTo ?? ""))
            }
            consultation.convertedTo = referral
            details["referral"] = .string(referral)
        case .acknowledge, .expire:
            break
        }
        consultation.status = machine.status
        consultation.version += 1
        consultation.updatedAt = now
        let event = MachineEvent(
            seq: consultation.version, action: command.action.rawValue, fromStatus: current.status.rawValue,
            toStatus: machine.status.rawValue,
            actor: party == .system ? "system" : actor.tag, at: now, reason: reason, details: details.isEmpty ? nil : .object(details))
        return ConsultationTransition(consultation: consultation, event: event)
    }

    /// What `sweep` does to `consultation` at `now`: expire it when unanswered for twice the
    /// response window of its priority, or nothing.
    public static func due(_ consultation: ConsultationRecord, at now: Date, hours: ResponseHours) -> ConsultationCommand? {
        guard next(from: consultation.status, .expire, mode: consultation.mode) != nil else { return nil }
        return consultation.createdAt.addingTimeInterval(2 * hours.window(consultation.priority)) <= now ? .expire : nil
    }
}

/// What a requesting hospital asks (`consultation.request`).
public struct ConsultationRequest: Equatable, Sendable {
    public var alliance: String
    public var from: String
    public var to: String
    public var mode: ConsultationMachine.Mode
    public var priority: Priority
    public var patient: Patient
    public var consent: Bool
    public var diagnosis: [Diagnosis]
    public var question: String
    public var attachments: [Attachment]
    public var referral: String?
    /// The sender system's own identifier (set by `fhir.import`, not by callers).
    public var senderIdentifier: SenderIdentifier?

    public init(
        alliance: String, from: String, to: String, mode: ConsultationMachine.Mode, priority: Priority, patient: Patient, consent: Bool,
        diagnosis: [Diagnosis], question: String, attachments: [Attachment] = [], referral: String? = nil
    ) {
        (self.alliance, self.from, self.to, self.mode, self.priority) = (alliance, from, to, mode, priority)
        (self.patient, self.consent, self.diagnosis, self.question) = (patient, consent, diagnosis, question)
        (self.attachments, self.referral) = (attachments, referral)
    }

    /// Every problem with the fields, at once, as a referral's (`today` bounds the birth date).
    public func problems(today: CalendarDate) -> [Problem] {
        var problems = ReferralRequest.problems(of: patient, today: today, copied: referral != nil)
        problems += Referrals.diagnosisProblems(diagnosis, at: "diagnosis", allowEmpty: false)
        if question.trimmingWhitespace().isEmpty { problems.append(Problem("question", Text("problem.empty"))) }
        return problems + ReferralRequest.problems(of: attachments, today: today)
    }
}
