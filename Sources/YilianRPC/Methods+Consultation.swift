import Foundation
import YilianCore
import YilianJSON
import YilianServices

extension ConsultationMachine.Mode: ParamEnum {}
extension ConsultationMachine.Status: ParamEnum {}
extension DeclineReason: ParamEnum {}
extension OpinionRecommendation: ParamEnum {}

extension Schema {
    static let opinion = object([
        "expert": string, "summary": string, "recommendation": enumeration(OpinionRecommendation.allCases.map(\.rawValue)), "at": timestamp,
    ])
    static let consultationEvent = object([
        "seq": integer, "action": enumeration(ConsultationMachine.Action.allCases.map(\.rawValue)), "fromStatus": nullableString,
        "toStatus": string, "actor": string, "actorName": nullableString, "at": timestamp, "reason": nullableString,
        "details": [
            "type": ["object", "null"],
            "properties": [
                "reasonCode": [
                    "description": "decline: the reason's code", "enum": .array(DeclineReason.allCases.map { .string($0.rawValue) }),
                ],
                "at": ["description": "schedule: when it sits", "type": "string"],
                "recommendation": ["description": "opine: the expert's recommendation", "type": "string"],
                "referral": ["description": "convert: the referral filed", "type": "string"],
            ],
            "additionalProperties": false,
        ],
    ])
    static let consultation = object(
        [
            "id": string, "alliance": string, "specialty": string, "from": string, "to": string,
            "mode": enumeration(ConsultationMachine.Mode.allCases.map(\.rawValue)),
            "priority": enumeration(Priority.allCases.map(\.rawValue)),
            "patient": object([
                "name": string, "sex": enumeration(Sex.allCases.map(\.rawValue)), "birthDate": string, "idNumber": nullableString,
                "phone": nullableString,
            ]),
            "consent": ["type": "boolean"], "diagnosis": ["type": "array", "items": diagnosis], "question": string,
            "attachments": ["type": "array", "items": attachment],
            "referral": nullableString, "senderIdentifier": senderIdentifier,
            "scheduledAt": ["type": ["string", "null"], "format": "date-time"],
            "opinions": ["type": "array", "items": opinion], "conclusion": nullableString, "convertedTo": nullableString,
            "declineCode": nullableString, "status": enumeration(ConsultationMachine.Status.allCases.map(\.rawValue)), "version": integer,
            "respondBy": timestamp, "createdAt": timestamp, "updatedAt": timestamp, "overdue": ["type": "boolean"],
            "history": ["type": "array", "items": consultationEvent],
        ],
        required: [
            "id", "alliance", "specialty", "from", "to", "mode", "priority", "patient", "consent", "diagnosis", "question", "opinions",
            "status", "version", "respondBy", "overdue",
        ])
}

public struct ConsultationRequestMethod: RPCMethod {
    public struct Params: RPCParams {
        let request: ConsultationRequest
        public init(reading reader: ParamReader) {
            request = ConsultationRequest(
                alliance: reader.required("alliance"),
                from: reader.required("from", "The requesting hospital; the actor must belong to it."),
                to: reader.required("to", "The consulting hospital: a higher tier, or the core."),
                mode: reader.required("mode", "advice (图文会诊), remote (远程会诊) or mdt."), priority: reader.required("priority"),
                patient: reader.required("patient"), consent: reader.required("consent", "Must be true."),
                diagnosis: reader.required("diagnosis"),
                question: reader.required("question", "What the requester asks the experts."),
                attachments: reader.optional("attachments") ?? [],
                referral: reader.optional("referral", "A referral the consultation concerns."))
        }
        public var valueProblems: [Problem] { request.problems(today: Services.latestToday(Date())) }
    }
    public static let name = "consultation.request"
    public static let whoMay: WhoMay? = .requester
    public static let summary = "Asks a higher-tier member (or the core) for an opinion without transferring the patient."
    public static var resultSchema: JSONValue { Schema.consultation }
    public static var mutates: Bool { true }
    public static func run(_ params: Params, in context: RPCContext) async throws -> ConsultationView {
        try await context.services.requestConsultation(params.request, by: context.actor)
    }
}

enum ConsultationAccept: ConsultationActionKind {
    static let action = ConsultationMachine.Action.accept
    static let summary = "The consulting hospital accepts a requested consultation."
    static func command(_ reader: ParamReader) -> ConsultationCommand { .accept(note: reader.optional("note")) }
}

enum ConsultationDecline: ConsultationActionKind {
    static let action = ConsultationMachine.Action.decline
    static let summary = "The consulting hospital declines, with a reason code (and text for other)."
    static func command(_ reader: ParamReader) -> ConsultationCommand {
        .decline(code: reader.required("reasonCode"), reason: reader.optional("reason"))
    }
}

enum ConsultationSchedule: ConsultationActionKind {
    static let action = ConsultationMachine.Action.schedule
    static let summary = "The consulting hospital sets when a remote or MDT consultation sits."
    /// A time that is not ISO 8601 with its zone reads as `distantPast`, which `problems` names.
    static func command(_ reader: ParamReader) -> ConsultationCommand {
        let at: String = reader.required("at", "ISO 8601 with its zone, e.g. 2026-12-02T14:00+08:00.")
        return .schedule(at: JSONCoding.date(at) ?? .distantPast)
    }
    static func problems(_ command: ConsultationCommand) -> [Problem] {
        guard case .schedule(.distantPast) = command else { return [] }
        return [Problem("at", Text("problem.pastTime"))]
    }
}

enum ConsultationOpine: ConsultationActionKind {
    static let action = ConsultationMachine.Action.opine
    static let summary = "An expert of the consulting hospital (the acting user) gives an opinion; one per expert."
    static func command(_ reader: ParamReader) -> ConsultationCommand {
        .opine(summary: reader.required("summary"), recommendation: reader.required("recommendation"))
    }
}

enum ConsultationConclude: ConsultationActionKind {
    static let action = ConsultationMachine.Action.conclude
    static let summary = "The consulting hospital concludes, after at least one opinion."
    static func command(_ reader: ParamReader) -> ConsultationCommand { .conclude(conclusion: reader.required("conclusion")) }
}

enum ConsultationAcknowledge: ConsultationActionKind {
    static let action = ConsultationMachine.Action.acknowledge
    static let summary = "The requesting hospital acknowledges the answer, closing the loop."
    static func command(_ reader: ParamReader) -> ConsultationCommand { .acknowledge }
}

enum ConsultationCancel: ConsultationActionKind {
    static let action = ConsultationMachine.Action.cancel
    static let summary = "The requesting hospital cancels, before the answer."
    static func command(_ reader: ParamReader) -> ConsultationCommand { .cancel(reason: reader.required("reason")) }
}

public struct ConsultationConvert: RPCMethod {
    public struct Params: RPCParams {
        let base: ActionBase, setting: Setting, reason: String?, allowDuplicate: Bool
        public init(reading reader: ParamReader) {
            setting = reader.required("setting", "outpatient or inpatient: the referral's setting.")
            reason = reader.optional("reason", "The referral's reason (default: the conclusion).")
            allowDuplicate =
                reader.optional("allowDuplicate", "File even though this patient has an open referral between the same hospitals.") ?? false
            base = ActionBase(reader)
        }
    }
    public static let name = "consultation.convert"
    public static let whoMay: WhoMay? = .requester
    public static let summary =
        "The requesting hospital turns an answered consultation into an up-referral to the consulting hospital (filing guards apply)."
    public static var resultSchema: JSONValue { Schema.consultation }
    public static var mutates: Bool { true }
    public static func run(_ params: Params, in context: RPCContext) async throws -> ConsultationView {
        try await context.services.convertConsultation(
            params.base.id, setting: params.setting, reason: params.reason, allowDuplicate: params.allowDuplicate,
            expectedVersion: params.base.expectedVersion, by: context.actor)
    }
}

public struct ConsultationGet: RPCMethod {
    public static let name = "consultation.get"
    public static let summary = "One consultation with its history."
    public static var resultSchema: JSONValue { Schema.consultation }
    public static func run(_ params: IdParams, in context: RPCContext) async throws -> ConsultationView {
        try await context.services.consultation(params.id, by: context.actor)
    }
}

public struct ConsultationHistoryMethod: RPCMethod {
    public static let name = "consultation.history"
    public static let summary = "A consultation's events, in order."
    public static var resultSchema: JSONValue {
        Schema.object(["id": Schema.string, "history": ["type": "array", "items": Schema.consultationEvent]])
    }
    public static func run(_ params: IdParams, in context: RPCContext) async throws -> MachineHistory {
        try await context.services.consultationHistory(params.id, by: context.actor)
    }
}

public struct ConsultationList: RPCMethod {
    public struct Params: RPCParams {
        let hospital: String?, statuses: [ConsultationMachine.Status]?, paging: Paging
        public init(reading reader: ParamReader) {
            hospital = reader.optional("hospital", "Only those this hospital asked or was asked.")
            statuses = reader.optional("status", "Any of these statuses.")
            paging = Paging(reader)
        }
    }
    public static let name = "consultation.list"
    public static let summary = "Consultations in id order (those of your hospital)."
    public static var resultSchema: JSONValue { Schema.page(of: Schema.consultation) }
    public static func run(_ params: Params, in context: RPCContext) async throws -> Page<ConsultationView> {
        try await context.services.consultations(
            hospital: params.hospital, statuses: params.statuses, limit: params.paging.limit, cursor: params.paging.cursor,
            by: context.actor)
    }
}

public struct EventsList: RPCMethod {
    public struct Params: RPCParams {
        let since: Int?, limit: Int?
        public init(reading reader: ParamReader) {
            since = reader.optional("since", "The last feed number you received (default 0: from the first).")
            limit = reader.optional("limit", "At most this many events (default 50, at most 500).")
        }
    }
    public static let name = "events.list"
    public static let summary =
        "The feed: events after since that your hospital may see, in the order they became visible; nextCursor is the last number."
    public static var resultSchema: JSONValue {
        Schema.page(
            of: Schema.object([
                "number": Schema.integer, "kind": Schema.enumeration(["referral", "consultation", "membership"]), "id": Schema.string,
                "action": Schema.string, "fromStatus": Schema.nullableString, "toStatus": Schema.string, "actor": Schema.string,
                "at": Schema.timestamp, "priority": Schema.nullableString,
            ]))
    }
    public static func run(_ params: Params, in context: RPCContext) async throws -> Page<FeedEvent> {
        try await context.services.events(since: params.since, limit: params.limit, by: context.actor)
    }
}

/// `events.subscribe` answers.
public struct Subscribed: Encodable, Sendable {
    let subscription: String
    let number: Int
}

public struct EventsSubscribe: RPCMethod {
    public struct Params: RPCParams {
        let since: Int?
        public init(reading reader: ParamReader) {
            since = reader.optional("since", "Send the events after this number (default: from now).")
        }
    }
    public static let name = "events.subscribe"
    public static let summary =
        "Sends an events.event notification for every event your hospital may see, after since (else from now), in order, until events.unsubscribe."
    public static var resultSchema: JSONValue { Schema.object(["subscription": Schema.string, "number": Schema.integer]) }
    public static func run(_ params: Params, in context: RPCContext) async throws -> Subscribed {
        let number = try await context.services.feedStart(since: params.since, by: context.actor)
        return Subscribed(subscription: try context.subscriptions.subscribe(since: number, actor: context.actor), number: number)
    }
}

public struct EventsUnsubscribe: RPCMethod {
    public struct Params: RPCParams {
        let subscription: String
        public init(reading reader: ParamReader) { subscription = reader.required("subscription") }
    }
    public static let name = "events.unsubscribe"
    public static let summary = "Ends a subscription of this session."
    public static var resultSchema: JSONValue { Schema.object(["subscription": Schema.string]) }
    public static func run(_ params: Params, in context: RPCContext) async throws -> [String: String] {
        guard context.subscriptions.unsubscribe(params.subscription) else {
            throw YilianError(.notFound, Text("error.noSubscription", params.subscription))
        }
        return ["subscription": params.subscription]
    }
}
