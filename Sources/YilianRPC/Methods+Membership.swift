import YilianCore
import YilianJSON
import YilianServices

// Result schemas of the membership methods.
extension Schema {
    static let string: JSONValue = ["type": "string"]
    static let integer: JSONValue = ["type": "integer"]
    static let nullableString: JSONValue = ["type": ["string", "null"]]
    static let timestamp: JSONValue = ["type": "string", "format": "date-time"]
    static func enumeration(_ values: [String]) -> JSONValue { ["type": "string", "enum": .array(values.map { .string($0) })] }

    static let hospital = object([
        "code": string, "name": string, "level": integer, "grade": enumeration(Hospital.Grade.allCases.map(\.rawValue)),
        "kind": enumeration(Hospital.Kind.allCases.map(\.rawValue)), "district": nullableString,
        "beds": ["type": ["integer", "null"]], "departments": ["type": "array", "items": string], "facts": facts,
    ])
    static let alliance = object([
        "code": string, "name": string, "specialty": string, "core": string, "status": enumeration(["active", "dissolved"]),
        "criteriaVersion": integer,
        "responseHours": object(["emergency": integer, "urgent": integer, "routine": integer]),
        "timeZone": string, "slotLeadDays": integer, "slotRule": ["type": ["string", "null"], "enum": ["beijing", .null]],
        "members": [
            "type": "array",
            "items": object([
                "hospital": string, "role": enumeration(MemberRole.allCases.map(\.rawValue)),
                "status": enumeration(MembershipMachine.Status.allCases.map(\.rawValue)), "since": timestamp,
            ]),
        ],
    ])
    static let criterionResult = object([
        "id": string, "title": string, "required": ["type": "boolean"], "weight": integer,
        "result": enumeration(Outcome.allCases.map(\.rawValue)), "explanation": string,
    ])
    static let evaluation = object([
        "alliance": string, "criteriaVersion": integer, "role": enumeration(MemberRole.allCases.map(\.rawValue)),
        "decision": enumeration(Decision.allCases.map(\.rawValue)), "score": integer, "passScore": integer,
        "criteria": ["type": "array", "items": criterionResult],
        "registryOverrode": ["type": ["array", "null"], "items": string],
    ])
    /// An applicant's facts: named values that criteria read (docs/criteria.md).
    static let facts: JSONValue = [
        "type": "object", "description": "Named facts (numbers, text, true/false, lists, objects) that criteria read.",
    ]
    /// A rule: a comparison of one fact, or all/any/not of rules (docs/criteria.md).
    static let rule: JSONValue = [
        "type": "object",
        "description": "{fact, op, value} | {all: [rule]} | {any: [rule]} | {not: rule}",
        "properties": [
            "fact": string, "op": enumeration(Operator.allCases.map(\.rawValue)), "value": [:],
            "all": ["type": "array", "items": ["$ref": "#/components/schemas/Rule"]],
            "any": ["type": "array", "items": ["$ref": "#/components/schemas/Rule"]],
            "not": ["$ref": "#/components/schemas/Rule"],
        ],
        "additionalProperties": false,
    ]
    static let criteriaSet = object([
        "passScore": integer,
        "criteria": [
            "type": "array",
            "items": object(
                [
                    "id": string, "title": string, "roles": ["type": "array", "items": enumeration(MemberRole.allCases.map(\.rawValue))],
                    "required": ["type": "boolean"], "weight": integer, "rule": ["$ref": "#/components/schemas/Rule"],
                ], required: ["id", "title", "rule"]),
        ],
    ])
    static let criteria = object(["alliance": string, "version": integer, "criteria": criteriaSet])
    static let event = object([
        "seq": integer, "application": nullableString, "action": string, "fromStatus": nullableString, "toStatus": string,
        "actor": string, "at": timestamp, "reason": nullableString,
    ])
    static let application = object(
        [
            "id": string, "alliance": string, "hospital": string, "role": enumeration(MemberRole.allCases.map(\.rawValue)),
            "status": enumeration(ApplicationMachine.Status.allCases.map(\.rawValue)), "facts": facts,
            "evaluation": evaluation, "decisionReason": nullableString, "override": nullableString, "createdAt": timestamp,
            "updatedAt": timestamp, "history": ["type": "array", "items": event],
        ],
        required: [
            "id", "alliance", "hospital", "role", "status", "facts", "evaluation", "decisionReason", "override", "createdAt", "updatedAt",
        ])
    static let review = object([
        "alliance": string, "criteriaVersion": integer, "reviewed": integer,
        "failing": [
            "type": "array",
            "items": object([
                "hospital": string, "name": string, "role": enumeration(MemberRole.allCases.map(\.rawValue)),
                "decision": enumeration(Decision.allCases.map(\.rawValue)), "score": integer, "passScore": integer,
                "criteria": ["type": "array", "items": criterionResult],
            ]),
        ],
    ])
}

// MARK: - Criteria

public struct CriteriaSetMethod: RPCMethod {
    public struct Params: RPCParams {
        let alliance: String
        let criteria: JSONValue
        public init(reading reader: ParamReader) {
            alliance = reader.required("alliance")
            criteria = reader.required("criteria", "The criteria set: {passScore, criteria: [...]} (see docs/criteria.md).")
        }
    }
    public static let name = "criteria.set"
    public static let whoMay: WhoMay? = .coreAdmin
    public static let summary = "Publishes a new version of an alliance's admission criteria (core hospital only)."
    public static var resultSchema: JSONValue { Schema.criteria }
    public static var mutates: Bool { true }
    public static func run(_ params: Params, in context: RPCContext) async throws -> CriteriaView {
        try await context.services.setCriteria(alliance: params.alliance, criteria: params.criteria, by: context.actor)
    }
}

public struct CriteriaGet: RPCMethod {
    public struct Params: RPCParams {
        let alliance: String
        let version: Int?
        public init(reading reader: ParamReader) {
            alliance = reader.required("alliance")
            version = reader.optional("version", "Default: the current version.")
        }
    }
    public static let name = "criteria.get"
    public static let summary = "An alliance's admission criteria, current or of a given version."
    public static var resultSchema: JSONValue { Schema.criteria }
    public static func run(_ params: Params, in context: RPCContext) async throws -> CriteriaView {
        try await context.services.criteria(alliance: params.alliance, version: params.version, by: context.actor)
    }
}

public struct CriteriaEvaluate: RPCMethod {
    public struct Params: RPCParams {
        let alliance: String
        let role: MemberRole
        let facts: Facts
        let version: Int?
        public init(reading reader: ParamReader) {
            alliance = reader.required("alliance")
            role = reader.required("role")
            facts = reader.required("facts", "The facts to judge, as an applicant would submit them.")
            version = reader.optional("version")
        }
    }
    public static let name = "criteria.evaluate"
    public static let summary = "A dry run: the decision, score and explanations these facts would get."
    public static var resultSchema: JSONValue { Schema.evaluation }
    public static func run(_ params: Params, in context: RPCContext) async throws -> EvaluationView {
        try await context.services.evaluate(
            alliance: params.alliance, role: params.role, facts: params.facts.value, version: params.version, by: context.actor)
    }
}

// MARK: - Membership

public struct MembershipApply: RPCMethod {
    public struct Params: RPCParams {
        let alliance: String, hospital: String
        let role: MemberRole
        let facts: Facts
        public init(reading reader: ParamReader) {
            alliance = reader.required("alliance")
            hospital = reader.required("hospital", "The applicant; the actor must belong to it.")
            role = reader.required("role")
            facts = reader.required("facts")
        }
    }
    public static let name = "membership.apply"
    public static let whoMay: WhoMay? = .applicant
    public static let summary = "A hospital applies for membership; evaluated against the current criteria."
    public static var resultSchema: JSONValue { Schema.application }
    public static var mutates: Bool { true }
    public static func run(_ params: Params, in context: RPCContext) async throws -> ApplicationView {
        try await context.services.apply(
            alliance: params.alliance, hospital: params.hospital, role: params.role, facts: params.facts.value, by: context.actor)
    }
}

public struct MembershipUpdate: RPCMethod {
    public struct Params: RPCParams {
        let id: String
        let facts: Facts
        public init(reading reader: ParamReader) {
            id = reader.required("id")
            facts = reader.required("facts")
        }
    }
    public static let name = "membership.update"
    public static let whoMay: WhoMay? = .applicant
    public static let summary = "The applicant answers a request for information with new facts (evaluated again)."
    public static var resultSchema: JSONValue { Schema.application }
    public static var mutates: Bool { true }
    public static func run(_ params: Params, in context: RPCContext) async throws -> ApplicationView {
        try await context.services.updateApplication(params.id, facts: params.facts.value, by: context.actor)
    }
}

public struct MembershipDecide: RPCMethod {
    public struct Params: RPCParams {
        let id: String
        let decision: Services.MembershipDecision
        let reason: String
        let override: String?
        public init(reading reader: ParamReader) {
            id = reader.required("id")
            decision = reader.required("decision")
            reason = reader.required("reason")
            override = reader.optional("override", "Why to approve an application that is not eligible (recorded).")
        }
    }
    public static let name = "membership.decide"
    public static let whoMay: WhoMay? = .coreAdmin
    public static let summary = "The core hospital approves, rejects or asks for information."
    public static var resultSchema: JSONValue { Schema.application }
    public static var mutates: Bool { true }
    public static func run(_ params: Params, in context: RPCContext) async throws -> ApplicationView {
        try await context.services.decide(
            params.id, decision: params.decision, reason: params.reason, override: params.override, by: context.actor)
    }
}

public struct IdMutation: RPCParams {
    let id: String
    public init(reading reader: ParamReader) {
        id = reader.required("id")
    }
}

public struct MembershipWithdraw: RPCMethod {
    public static let name = "membership.withdraw"
    public static let whoMay: WhoMay? = .applicant
    public static let summary = "The applicant withdraws its open application."
    public static var resultSchema: JSONValue { Schema.application }
    public static var mutates: Bool { true }
    public static func run(_ params: IdMutation, in context: RPCContext) async throws -> ApplicationView {
        try await context.services.withdrawApplication(params.id, by: context.actor)
    }
}

struct MemberChange: RPCParams {
    let alliance: String, hospital: String, reason: String
    init(reading reader: ParamReader) {
        alliance = reader.required("alliance")
        hospital = reader.required("hospital")
        reason = reader.required("reason")
    }
}

/// `membership.suspend`, `membership.reinstate` and `membership.revoke`.
protocol MemberChangeMethod: RPCMethod where Params == MemberChange, Output == AllianceView {
    static var action: MembershipMachine.Action { get }
}

extension MemberChangeMethod {
    static var name: String { "membership.\(action.rawValue)" }
    static var resultSchema: JSONValue { Schema.alliance }
    static var mutates: Bool { true }
    static var whoMay: WhoMay? { .coreAdmin }
    static func run(_ params: MemberChange, in context: RPCContext) async throws -> AllianceView {
        try await context.services.changeMembership(
            action, alliance: params.alliance, hospital: params.hospital, reason: params.reason, by: context.actor)
    }
}

struct MembershipSuspend: MemberChangeMethod {
    static let action = MembershipMachine.Action.suspend
    static let summary = "The core hospital suspends a member (reason recorded)."
}

struct MembershipReinstate: MemberChangeMethod {
    static let action = MembershipMachine.Action.reinstate
    static let summary = "The core hospital reinstates a suspended member."
}

struct MembershipRevoke: MemberChangeMethod {
    static let action = MembershipMachine.Action.revoke
    static let summary = "The core hospital revokes a membership (退出机制)."
}

public struct MembershipGet: RPCMethod {
    public static let name = "membership.get"
    public static let summary = "One application with the history of the hospital's membership."
    public static var resultSchema: JSONValue { Schema.application }
    public static func run(_ params: IdParams, in context: RPCContext) async throws -> ApplicationView {
        try await context.services.application(params.id, by: context.actor)
    }
}

public struct MembershipList: RPCMethod {
    public struct Params: RPCParams {
        let alliance: String
        let status: ApplicationMachine.Status?
        let paging: Paging
        public init(reading reader: ParamReader) {
            alliance = reader.required("alliance")
            status = reader.optional("status", "Only applications in this status.")
            paging = Paging(reader)
        }
    }
    public static let name = "membership.list"
    public static let summary = "An alliance's membership applications in id order."
    public static var resultSchema: JSONValue { Schema.page(of: Schema.application) }
    public static func run(_ params: Params, in context: RPCContext) async throws -> Page<ApplicationView> {
        try await context.services.applications(
            alliance: params.alliance, status: params.status, limit: params.paging.limit, cursor: params.paging.cursor, by: context.actor)
    }
}

public struct MembershipReview: RPCMethod {
    public struct Params: RPCParams {
        let actor: Actor
        let alliance: String
        public init(reading reader: ParamReader) {
            alliance = reader.required("alliance")
            actor = reader.required("actor", "Who asks: the core hospital.")
        }
    }
    public static let name = "membership.review"
    public static let whoMay: WhoMay? = .coreAdmin
    public static let summary = "Re-evaluates active members against the current criteria; lists who no longer meets them. Changes nothing."
    public static var resultSchema: JSONValue { Schema.review }
    public static func run(_ params: Params, in context: RPCContext) async throws -> ReviewResult {
        try await context.services.review(alliance: params.alliance, by: params.actor)
    }
}
