import Foundation
import YilianCore
import YilianRepository

/// A referral as both front ends show it: the resident ID masked, plus `fhirStatus` and `overdue`.
public struct ReferralView: Encodable, Sendable, Equatable {
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

    enum CodingKeys: String, CodingKey {
        case id, alliance, specialty, direction, setting, priority, from, to, patient, consent, diagnosis, reason, summary, attachments
        case parent, status, version, respondBy, slot, outcome, escalation, createdAt, updatedAt, fhirStatus, overdue, history
        case continuations
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(record.id, forKey: .id)
        try container.encode(record.alliance, forKey: .alliance)
        try container.encode(record.specialty, forKey: .specialty)
        try container.encode(record.direction, forKey: .direction)
        try container.encode(record.setting, forKey: .setting)
        try container.encode(record.priority, forKey: .priority)
        try container.encode(record.from, forKey: .from)
        try container.encode(record.to, forKey: .to)
        try container.encode(record.patient.masked, forKey: .patient)
        try container.encode(record.consent, forKey: .consent)
        try container.encode(record.diagnosis, forKey: .diagnosis)
        try container.encode(record.reason, forKey: .reason)
        try container.encode(record.summary, forKey: .summary)
        try container.encode(record.attachments, forKey: .attachments)
        try container.encode(record.parent, forKey: .parent)
        try container.encode(record.status, forKey: .status)
        try container.encode(record.version, forKey: .version)
        try container.encode(record.respondBy, forKey: .respondBy)
        try container.encode(record.slot?.description, forKey: .slot)
        try container.encode(record.outcome, forKey: .outcome)
        try container.encode(record.escalation, forKey: .escalation)
        try container.encode(record.createdAt, forKey: .createdAt)
        try container.encode(record.updatedAt, forKey: .updatedAt)
        try container.encode(record.status.fhirStatus, forKey: .fhirStatus)
        try container.encode(overdue, forKey: .overdue)
        try container.encodeIfPresent(history, forKey: .history)
        try container.encodeIfPresent(continuations, forKey: .continuations)
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

public struct Worklist: Encodable, Sendable {
    public var hospital: String
    public var incoming: [ReferralView]
    public var outgoing: [ReferralView]
    public var overdue: [ReferralView]
    public var toSchedule: [ReferralView]
    public var inTreatment: [ReferralView]
    public var toAcknowledge: [ReferralView]
}
