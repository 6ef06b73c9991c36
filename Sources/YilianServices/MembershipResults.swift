import Foundation
import YilianCore
import YilianJSON
import YilianRepository

public struct AllianceView: Codable, Sendable, Equatable {
    public var code: String
    public var name: String
    public var specialty: String
    public var core: String
    public var status: String
    public var criteriaVersion: Int
    public var responseHours: ResponseHours
    public var timeZone: String
    public var slotLeadDays: Int
    /// The slot rule its report shows; null for none.
    @Nullable public var slotRule: SlotRule?
    public var members: [AllianceMember]

    init(_ record: AllianceRecord) {
        code = record.code
        name = record.name
        specialty = record.specialty
        core = record.core
        status = record.status
        criteriaVersion = record.criteriaVersion
        responseHours = record.responseHours
        timeZone = record.timeZone
        slotLeadDays = record.slotLeadDays
        slotRule = record.slotRule
        members = record.members
    }
}

public struct EvaluationView: Codable, Sendable, Equatable {
    public var alliance: String
    public var criteriaVersion: Int
    public var role: MemberRole
    public var decision: Decision
    public var score: Int
    public var passScore: Int
    public var criteria: [CriterionResult]
    /// The facts the applicant gave otherwise than the registry records them, judged as recorded
    /// (null for a dry run, which has no registry's record to hold them to).
    @Nullable public var registryOverrode: [String]?

    init(alliance: String, criteriaVersion: Int, role: MemberRole, _ evaluation: Evaluation, registryOverrode: [String]? = nil) {
        self.alliance = alliance
        self.criteriaVersion = criteriaVersion
        self.role = role
        decision = evaluation.decision
        score = evaluation.score
        passScore = evaluation.passScore
        criteria = evaluation.criteria
        self.registryOverrode = registryOverrode
    }

    /// The evaluation as an application keeps it: each explanation as its text (`Text.stored`),
    /// so that every reader later gets it in their own language.
    func stored() throws -> JSONValue {
        guard case .object(var members) = try JSONCoding.value(self) else { return .null }
        members["criteria"] = .array(
            try criteria.map { criterion in
                guard case .object(var fields) = try JSONCoding.value(criterion) else { return .null }
                fields["explanation"] = criterion.explanation.stored
                return .object(fields)
            })
        return .object(members)
    }
}

public struct CriteriaView: Codable, Sendable, Equatable {
    public var alliance: String
    public var version: Int
    public var criteria: JSONValue
}

/// A version of an alliance's catalogue of mutually recognised results (SPEC §13).
public struct RecognitionView: Codable, Sendable, Equatable {
    public var alliance: String
    public var version: Int
    public var catalogue: JSONValue
}

public struct ApplicationView: Codable, Sendable, Equatable {
    public var id: String
    public var alliance: String
    public var hospital: String
    public var role: MemberRole
    public var status: ApplicationMachine.Status
    public var facts: JSONValue
    public var evaluation: EvaluationView
    @Nullable public var decisionReason: String?
    @Nullable public var override: String?
    public var createdAt: Date
    public var updatedAt: Date
    /// Present only from `membership.get`: every event of this hospital's membership.
    public var history: [MembershipEvent]?

    /// `evaluation`: the record's facts judged again (`Services.judged`), not the evaluation
    /// stored with them.
    init(_ record: ApplicationRecord, evaluation: EvaluationView, history: [MembershipEvent]? = nil) {
        id = record.id
        alliance = record.alliance
        hospital = record.hospital
        role = record.role
        status = record.status
        facts = record.facts
        self.evaluation = evaluation
        decisionReason = record.decisionReason
        override = record.override
        createdAt = record.createdAt
        updatedAt = record.updatedAt
        self.history = history
    }

}

/// `membership.review`: who among the active members no longer meets the current criteria.
public struct ReviewResult: Codable, Sendable, Equatable {
    public struct Finding: Codable, Sendable, Equatable {
        public var hospital: String
        public var name: String
        public var role: MemberRole
        public var decision: Decision
        public var score: Int
        public var passScore: Int
        /// The criteria not passed (failed or unknown).
        public var criteria: [CriterionResult]
    }

    public var alliance: String
    public var criteriaVersion: Int
    public var reviewed: Int
    public var failing: [Finding]
}

public struct ImportResult: Codable, Sendable, Equatable {
    public var imported: Int
}
