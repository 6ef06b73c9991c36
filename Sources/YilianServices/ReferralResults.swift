import Foundation
import YilianCore
import YilianJSON
import YilianRepository

/// A referral as both front ends show it: the resident ID masked, plus `fhirStatus` and `overdue`.
public struct ReferralView: JSONRepresentable, Sendable, Equatable {
    public var record: ReferralRecord
    public var overdue: Bool
    /// Only from `referral.get`: every event, and the referrals that continue this one.
    public var history: [MachineEvent]?
    public var continuations: [String]?

    init(_ record: ReferralRecord, now: Date, history: [MachineEvent]? = nil, continuations: [String]? = nil) {
        self.record = record
        overdue = record.status == .requested && record.respondBy < now
        self.history = history
        self.continuations = continuations
    }

    public var json: JSONValue {
        // In key order, so the object is taken as it is (see `JSONObject`).
        var members: JSONObject = [
            "alliance": .string(record.alliance), "attachments": record.attachments.json, "consent": .bool(record.consent),
            "consultation": JSONValue(record.consultation),
            "createdAt": .string(JSONCoding.iso8601(record.createdAt)), "diagnosis": record.diagnosis.json,
            "direction": .string(record.direction.rawValue), "escalation": .integer(record.escalation),
            "fhirStatus": .string(record.status.fhirStatus), "from": .string(record.from), "id": .string(record.id),
            "outcome": record.outcome.json, "overdue": .bool(overdue), "parent": JSONValue(record.parent),
            "patient": record.patient.masked.json, "priority": .string(record.priority.rawValue), "reason": .string(record.reason),
            "respondBy": .string(JSONCoding.iso8601(record.respondBy)), "setting": .string(record.setting.rawValue),
            "slot": JSONValue(record.slot?.description), "specialty": .string(record.specialty), "status": .string(record.status.rawValue),
            "summary": JSONValue(record.summary), "to": .string(record.to), "updatedAt": .string(JSONCoding.iso8601(record.updatedAt)),
            "version": .integer(record.version),
        ]
        if let history { members["history"] = history.json }
        if let continuations { members["continuations"] = .array(continuations.map(JSONValue.string)) }
        return .object(members)
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

public struct SweepResult: Encodable, Sendable, Equatable {
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
                    if let json = built[view.record.id] { return json }
                    let json = view.json
                    built[view.record.id] = json
                    return json
                })
        }
        return .object(object)
    }
}
