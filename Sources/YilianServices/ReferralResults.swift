import Foundation
import YilianCore
import YilianJSON
import YilianRepository

/// A referral as both front ends show it: what `referral.get` sends, the resident ID masked, plus
/// `fhirStatus` and `overdue`; read back from that JSON as it was written (a repeated
/// idempotency key's first result, shown by the CLI).
public struct ReferralView: JSONConvertible, Sendable, Equatable {
    public var id: String
    public var alliance: String
    public var specialty: String
    public var direction: Direction
    public var setting: Setting
    public var priority: Priority
    public var from: String
    public var to: String
    /// Its resident ID masked.
    public var patient: Patient
    public var consent: Bool
    public var diagnosis: [Diagnosis]
    public var reason: String
    public var summary: String?
    public var attachments: [Attachment]
    public var parent: String?
    public var consultation: String?
    public var status: ReferralMachine.Status
    public var version: Int
    public var respondBy: Date
    public var slot: CalendarDate?
    public var outcome: TreatmentOutcome?
    public var escalation: Int
    public var createdAt: Date
    public var updatedAt: Date
    public var overdue: Bool
    /// Only from `referral.get`: every event, and the referrals that continue this one.
    public var history: [MachineEvent]?
    public var continuations: [String]?

    init(_ record: ReferralRecord, now: Date, history: [MachineEvent]? = nil, continuations: [String]? = nil) {
        (id, alliance, specialty, direction, setting, priority) =
            (record.id, record.alliance, record.specialty, record.direction, record.setting, record.priority)
        (from, to, patient, consent, diagnosis, reason) =
            (record.from, record.to, record.patient.masked, record.consent, record.diagnosis, record.reason)
        (summary, attachments, parent, consultation, status, version) =
            (record.summary, record.attachments, record.parent, record.consultation, record.status, record.version)
        (respondBy, slot, outcome, escalation, createdAt, updatedAt) =
            (record.respondBy, record.slot, record.outcome, record.escalation, record.createdAt, record.updatedAt)
        patient.key = nil
        overdue = record.status == .requested && record.respondBy < now
        self.history = history
        self.continuations = continuations
    }

    public var fhirStatus: String { status.fhirStatus }

    public var json: JSONValue {
        // In key order, so the object is taken as it is (see `JSONObject`).
        var members: JSONObject = [
            "alliance": .string(alliance), "attachments": attachments.json, "consent": .bool(consent),
            "consultation": JSONValue(consultation),
            "createdAt": .string(JSONCoding.iso8601(createdAt)), "diagnosis": diagnosis.json,
            "direction": .string(direction.rawValue), "escalation": .integer(escalation),
            "fhirStatus": .string(fhirStatus), "from": .string(from), "id": .string(id),
            "outcome": outcome.json, "overdue": .bool(overdue), "parent": JSONValue(parent),
            "patient": patient.json, "priority": .string(priority.rawValue), "reason": .string(reason),
            "respondBy": .string(JSONCoding.iso8601(respondBy)), "setting": .string(setting.rawValue),
            "slot": JSONValue(slot?.description), "specialty": .string(specialty), "status": .string(status.rawValue),
            "summary": JSONValue(summary), "to": .string(to), "updatedAt": .string(JSONCoding.iso8601(updatedAt)),
            "version": .integer(version),
        ]
        if let history { members["history"] = history.json }
        if let continuations { members["continuations"] = .array(continuations.map(JSONValue.string)) }
        return .object(members)
    }

    public init(json: JSONValue) throws(JSONValue.Mismatch) {
        let members = try JSONValue.Members(json, of: ReferralView.self)
        (id, alliance, specialty) = (try members.string("id"), try members.string("alliance"), try members.string("specialty"))
        (direction, setting, priority) = (try members.value("direction"), try members.value("setting"), try members.value("priority"))
        (from, to, patient) = (try members.string("from"), try members.string("to"), try members.object("patient"))
        (consent, diagnosis, reason) = (try members.bool("consent"), try members.array("diagnosis"), try members.string("reason"))
        (summary, attachments) = (try members.optionalString("summary"), try members.array("attachments"))
        (parent, consultation) = (try members.optionalString("parent"), try members.optionalString("consultation"))
        (status, version, respondBy) = (try members.value("status"), try members.int("version"), try members.date("respondBy"))
        slot = try members.optionalText("slot") { CalendarDate($0) }
        (outcome, escalation) = (try members.optionalObject("outcome"), try members.int("escalation"))
        (createdAt, updatedAt, overdue) = (try members.date("createdAt"), try members.date("updatedAt"), try members.bool("overdue"))
        (history, continuations) = (try members.optionalObject("history"), try members.optionalStrings("continuations"))
    }
}

/// What a printed referral form shows (SPEC §9).
public struct ReferralForm: Sendable {
    public var referral: ReferralView
    public var from: Hospital
    public var to: Hospital
    /// The referral a down-referral continues, when the reader may see it.
    public var parent: ReferralView?
}

/// `referral.history`, `consultation.history`: a record's events in order.
public struct MachineHistory: Encodable, Sendable {
    public var id: String
    public var history: [MachineEvent]
}

public struct SweepResult: Codable, Sendable, Equatable {
    public var escalated: [String]
    public var expired: [String]

    public init(escalated: [String], expired: [String]) {
        self.escalated = escalated
        self.expired = expired
    }
}

/// A hospital's worklist: each section's first referrals in its order, and in `counts` how many
/// each section holds in all (by section name).
public struct Worklist: JSONRepresentable, Sendable {
    /// The sections of SPEC §2, in the order a coordinator works them.
    public static let sectionNames = ["incoming", "overdue", "toSchedule", "expected", "inTreatment", "toAcknowledge", "outgoing"]
    public var hospital: String
    /// By section name, each of `sectionNames`.
    public var sections: [String: [ReferralView]]
    /// The open consultations asked by or of the hospital (SPEC §7).
    public var consultations: [ConsultationView]
    /// How many each section holds in all, `consultations` included.
    public var counts: [String: Int]

    /// One section's referrals (none for a name that is not a section).
    public subscript(section: String) -> [ReferralView] { sections[section] ?? [] }

    /// A referral in several sections has its JSON built once.
    public var json: JSONValue {
        var built: [String: JSONValue] = [:]
        var object: JSONObject = [
            "consultations": .array(consultations.map(\.json)), "counts": .object(JSONObject(counts.map { ($0.key, .integer($0.value)) })),
            "hospital": .string(hospital),
        ]
        for name in Self.sectionNames {
            object[name] = .array(
                (sections[name] ?? []).map { view in
                    if let json = built[view.id] { return json }
                    let json = view.json
                    built[view.id] = json
                    return json
                })
        }
        return .object(object)
    }
}
