import Foundation
import YilianCore
import YilianRepository

/// A referral as both front ends show it: the resident ID masked, plus `fhirStatus` and `overdue`.
public struct ReferralView: JSONRepresentable, Sendable, Equatable {
    public var record: ReferralRecord
    public var overdue: Bool
    /// Only from `referral.get`: every event, and the referrals that continue this one.
    public var history: [ReferralEvent]?
    public var continuations: [String]?

    init(_ record: ReferralRecord, now: Date, history: [ReferralEvent]? = nil, continuations: [String]? = nil) {
        self.record = record
        overdue = record.status == .requested && record.respondBy < now
        self.history = history
        self.continuations = continuations
    }

    public var json: JSONValue {
        var members: [String: JSONValue] = [
            "id": .string(record.id), "alliance": .string(record.alliance), "specialty": .string(record.specialty),
            "direction": .string(record.direction.rawValue), "setting": .string(record.setting.rawValue),
            "priority": .string(record.priority.rawValue), "from": .string(record.from), "to": .string(record.to),
            "patient": record.patient.masked.json, "consent": .bool(record.consent), "diagnosis": record.diagnosis.json,
            "reason": .string(record.reason), "summary": JSONValue(record.summary), "attachments": record.attachments.json,
            "parent": JSONValue(record.parent), "status": .string(record.status.rawValue), "version": .integer(record.version),
            "respondBy": .string(JSONCoding.iso8601(record.respondBy)), "slot": JSONValue(record.slot?.description),
            "outcome": record.outcome.json, "escalation": .integer(record.escalation),
            "createdAt": .string(JSONCoding.iso8601(record.createdAt)), "updatedAt": .string(JSONCoding.iso8601(record.updatedAt)),
            "fhirStatus": .string(record.status.fhirStatus), "overdue": .bool(overdue),
        ]
        if let history { members["history"] = history.json }
        if let continuations { members["continuations"] = .array(continuations.map(JSONValue.string)) }
        return .object(members)
    }
}

public struct ReferralHistory: Encodable, Sendable {
    public var id: String
    public var history: [ReferralEvent]
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
public struct Worklist: Encodable, Sendable {
    public var hospital: String
    public var incoming: [ReferralView]
    public var outgoing: [ReferralView]
    public var overdue: [ReferralView]
    public var toSchedule: [ReferralView]
    public var inTreatment: [ReferralView]
    public var toAcknowledge: [ReferralView]
    public var counts: [String: Int]
}
