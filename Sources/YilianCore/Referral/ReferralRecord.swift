import YilianJSON

// `Date` only, a value with no I/O: the core stays free of Foundation proper.
#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// What a referral shows, and `referral.get` sends: the record but its clocks and booking
/// details. `patient.idNumber` is as the holder has it: whole in a record, masked in a view.
public struct ReferralFacts: Sendable, Equatable, JSONConvertible {
    public var id: String
    public var alliance: String
    public var specialty: String
    public var direction: Direction
    public var setting: Setting
    public var priority: Priority
    public var from: String
    public var to: String
    public var patient: Patient
    public var consent: Bool
    public var diagnosis: [Diagnosis]
    public var reason: String
    public var summary: String?
    public var attachments: [Attachment]
    public var parent: String?
    /// The consultation it was converted from.
    public var consultation: String?
    /// The sender system's own identifier, when it came in through FHIR.
    public var senderIdentifier: SenderIdentifier?
    /// The outreach session the patient was seen in, when the sender named one.
    public var outreach: String?
    public var status: ReferralMachine.Status
    public var version: Int
    public var respondBy: Date
    public var slot: CalendarDate?
    public var outcome: TreatmentOutcome?
    public var escalation: Int
    public var createdAt: Date
    public var updatedAt: Date

    public var fhirStatus: String { status.fhirStatus }

    public var json: JSONValue { .object(members) }

    /// `json`'s members, for a holder to add its own (`senderIdentifier` and `outreach` only when
    /// there is one).
    public var members: JSONObject {
        var members: JSONObject = [
            "alliance": .string(alliance), "attachments": attachments.json, "consent": .bool(consent),
            "consultation": JSONValue(consultation),
            "createdAt": .string(JSONCoding.iso8601(createdAt)), "diagnosis": diagnosis.json,
            "direction": .string(direction.rawValue), "escalation": .integer(escalation),
            "fhirStatus": .string(fhirStatus), "from": .string(from), "id": .string(id),
            "outcome": outcome.json, "parent": JSONValue(parent),
            "patient": patient.json, "priority": .string(priority.rawValue), "reason": .string(reason),
            "respondBy": .string(JSONCoding.iso8601(respondBy)), "setting": .string(setting.rawValue),
            "slot": JSONValue(slot?.description), "specialty": .string(specialty), "status": .string(status.rawValue),
            "summary": JSONValue(summary), "to": .string(to), "updatedAt": .string(JSONCoding.iso8601(updatedAt)),
            "version": .integer(version),
        ]
        members["senderIdentifier"] = senderIdentifier?.json
        members["outreach"] = outreach.map(JSONValue.string)
        return members
    }

    public init(json: JSONValue) throws(JSONValue.Mismatch) {
        let members = try JSONValue.Members(json, of: ReferralFacts.self)
        (id, alliance, specialty) = (try members.string("id"), try members.string("alliance"), try members.string("specialty"))
        (direction, setting, priority) = (try members.value("direction"), try members.value("setting"), try members.value("priority"))
        (from, to, patient) = (try members.string("from"), try members.string("to"), try members.object("patient"))
        (consent, diagnosis, reason) = (try members.bool("consent"), try members.array("diagnosis"), try members.string("reason"))
        (summary, attachments) = (try members.optionalString("summary"), try members.array("attachments"))
        (parent, consultation) = (try members.optionalString("parent"), try members.optionalString("consultation"))
        (senderIdentifier, outreach) = (try members.optionalObject("senderIdentifier"), try members.optionalString("outreach"))
        (status, version, respondBy) = (try members.value("status"), try members.int("version"), try members.date("respondBy"))
        slot = try members.optionalText("slot") { CalendarDate($0) }
        (outcome, escalation) = (try members.optionalObject("outcome"), try members.int("escalation"))
        (createdAt, updatedAt) = (try members.date("createdAt"), try members.date("updatedAt"))
    }

    /// A referral just filed by `request`.
    init(
        id: String, request: ReferralRequest, patient: Patient, diagnosis: [Diagnosis], specialty: String, direction: Direction,
        respondBy: Date, now: Date
    ) {
        (self.id, alliance, self.specialty, self.direction) = (id, request.alliance, specialty, direction)
        (setting, priority, from, to) = (request.setting, request.priority, request.from, request.to)
        (self.patient, consent, self.diagnosis, reason, summary) = (patient, request.consent, diagnosis, request.reason, request.summary)
        (attachments, parent, consultation) = (request.attachments, request.parent, request.consultation)
        (senderIdentifier, outreach) = (request.senderIdentifier, request.outreach)
        (status, version, self.respondBy, escalation, createdAt, updatedAt) = (.requested, 1, respondBy, 0, now, now)
    }
}

/// A referral as stored: its facts (read through, `record.status`), its clocks and its booking.
/// `patient.idNumber` is whole here: mask before showing.
@dynamicMemberLookup
public struct ReferralRecord: Sendable, Equatable {
    public var facts: ReferralFacts
    public var clockStart: Date
    public var infoRequestedAt: Date?
    /// Whether `slot` is an expert unit (专家号).
    public var slotExpert = false
    public var firstResponseAt: Date?
    public var acceptedAt: Date?
    public var rejectCode: RejectReason?
    public var scheduledAt: Date?

    public subscript<T>(dynamicMember field: WritableKeyPath<ReferralFacts, T>) -> T {
        get { facts[keyPath: field] }
        set { facts[keyPath: field] = newValue }
    }

    public init(
        id: String = "", request: ReferralRequest, patient: Patient, diagnosis: [Diagnosis], specialty: String, direction: Direction,
        respondBy: Date, now: Date
    ) {
        facts = ReferralFacts(
            id: id, request: request, patient: patient, diagnosis: diagnosis, specialty: specialty, direction: direction,
            respondBy: respondBy, now: now)
        clockStart = now
    }
}

/// One recorded action of a referral's or a consultation's machine (its `seq` is the version it made).
public struct MachineEvent: Sendable, Equatable, JSONConvertible {
    public var seq: Int
    public var action: String
    public var fromStatus: String?
    public var toStatus: String
    public var actor: String
    public var at: Date
    public var reason: String?
    public var details: JSONValue?
    /// The acting person's display name, when the reader may see it (`yilian_api.display_name`).
    public var actorName: String?

    public init(
        seq: Int, action: String, fromStatus: String?, toStatus: String, actor: String, at: Date, reason: String?, details: JSONValue?,
        actorName: String? = nil
    ) {
        self.seq = seq
        self.action = action
        self.fromStatus = fromStatus
        self.toStatus = toStatus
        self.actor = actor
        self.at = at
        self.reason = reason
        self.details = details
        self.actorName = actorName
    }
}

extension MachineEvent {
    public var json: JSONValue {
        [
            "action": .string(action), "actor": .string(actor), "actorName": JSONValue(actorName), "at": .string(JSONCoding.iso8601(at)),
            "details": details ?? .null,
            "fromStatus": JSONValue(fromStatus), "reason": JSONValue(reason), "seq": .integer(seq), "toStatus": .string(toStatus),
        ]
    }

    public init(json: JSONValue) throws(JSONValue.Mismatch) {
        let members = try JSONValue.Members(json, of: MachineEvent.self)
        self.init(
            seq: try members.int("seq"), action: try members.string("action"), fromStatus: try members.optionalString("fromStatus"),
            toStatus: try members.string("toStatus"), actor: try members.string("actor"), at: try members.date("at"),
            reason: try members.optionalString("reason"), details: members.raw("details"),
            actorName: try members.optionalString("actorName"))
    }
}
