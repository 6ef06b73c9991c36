import Foundation
import YilianCore
import YilianJSON
import YilianRepository

/// A referral as both front ends show it: what `referral.get` sends, its facts (read through,
/// `view.status`) with the resident ID masked, plus `overdue`; read back from that JSON as it was
/// written (a repeated idempotency key's first result, shown by the CLI).
@dynamicMemberLookup
public struct ReferralView: JSONConvertible, Sendable, Equatable {
    public var facts: ReferralFacts
    public var overdue: Bool
    /// Only from `referral.get`: every event, and the referrals that continue this one.
    public var history: [MachineEvent]?
    public var continuations: [String]?

    public subscript<T>(dynamicMember field: WritableKeyPath<ReferralFacts, T>) -> T {
        get { facts[keyPath: field] }
        set { facts[keyPath: field] = newValue }
    }

    public var fhirStatus: String { facts.fhirStatus }

    init(_ record: ReferralRecord, now: Date, history: [MachineEvent]? = nil, continuations: [String]? = nil) {
        facts = record.facts
        facts.patient = record.patient.masked
        facts.patient.key = nil
        overdue = record.status == .requested && record.respondBy < now
        self.history = history
        self.continuations = continuations
    }

    public var json: JSONValue {
        var members = facts.members
        members["overdue"] = .bool(overdue)
        if let history { members["history"] = history.json }
        if let continuations { members["continuations"] = .array(continuations.map(JSONValue.string)) }
        return .object(members)
    }

    public init(json: JSONValue) throws(JSONValue.Mismatch) {
        let members = try JSONValue.Members(json, of: ReferralView.self)
        (facts, overdue) = (try ReferralFacts(json: json), try members.bool("overdue"))
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
