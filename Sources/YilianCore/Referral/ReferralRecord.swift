import YilianJSON

// `Date` only, a value with no I/O: the core stays free of Foundation proper.
#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// A referral as stored. `patient.idNumber` is whole here: mask before showing.
public struct ReferralRecord: Sendable, Equatable {
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
    public var status: ReferralMachine.Status
    public var version: Int
    public var respondBy: Date
    public var clockStart: Date
    public var infoRequestedAt: Date?
    public var slot: CalendarDate?
    /// Whether `slot` is an expert unit (专家号).
    public var slotExpert = false
    public var outcome: TreatmentOutcome?
    public var escalation: Int
    public var firstResponseAt: Date?
    public var acceptedAt: Date?
    public var rejectCode: RejectReason?
    public var scheduledAt: Date?
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: String = "", request: ReferralRequest, patient: Patient, diagnosis: [Diagnosis], specialty: String, direction: Direction,
        respondBy: Date, now: Date
    ) {
        self.id = id
        alliance = request.alliance
        self.specialty = specialty
        self.direction = direction
        setting = request.setting
        priority = request.priority
        from = request.from
        to = request.to
        self.patient = patient
        consent = request.consent
        self.diagnosis = diagnosis
        reason = request.reason
        summary = request.summary
        attachments = request.attachments
        parent = request.parent
        consultation = request.consultation
        status = .requested
        version = 1
        self.respondBy = respondBy
        clockStart = now
        escalation = 0
        createdAt = now
        updatedAt = now
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

    public init(
        seq: Int, action: String, fromStatus: String?, toStatus: String, actor: String, at: Date, reason: String?, details: JSONValue?
    ) {
        self.seq = seq
        self.action = action
        self.fromStatus = fromStatus
        self.toStatus = toStatus
        self.actor = actor
        self.at = at
        self.reason = reason
        self.details = details
    }
}

extension MachineEvent {
    public var json: JSONValue {
        [
            "action": .string(action), "actor": .string(actor), "at": .string(JSONCoding.iso8601(at)), "details": details ?? .null,
            "fromStatus": JSONValue(fromStatus), "reason": JSONValue(reason), "seq": .integer(seq), "toStatus": .string(toStatus),
        ]
    }

    public init(json: JSONValue) throws(JSONValue.Mismatch) {
        let members = try JSONValue.Members(json, of: MachineEvent.self)
        self.init(
            seq: try members.int("seq"), action: try members.string("action"), fromStatus: try members.optionalString("fromStatus"),
            toStatus: try members.string("toStatus"), actor: try members.string("actor"), at: try members.date("at"),
            reason: try members.optionalString("reason"), details: members.raw("details"))
    }
}
