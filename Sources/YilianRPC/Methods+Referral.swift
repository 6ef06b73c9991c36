import Foundation
import YilianCore
import YilianJSON
import YilianServices

extension Priority: ParamEnum {}
extension Direction: ParamEnum {}
extension Setting: ParamEnum {}
extension Sex: ParamEnum {}
extension RejectReason: ParamEnum {}
extension Recommendation: ParamEnum {}
extension AttachmentKind: ParamEnum {}
extension ReferralMachine.Status: ParamEnum {}
extension ReferralFilter.Side: ParamEnum {}

extension Patient: RPCParams {
    public init(reading reader: ParamReader) {
        self.init(
            name: reader.required("name"), sex: reader.required("sex"), birthDate: reader.required("birthDate", "YYYY-MM-DD."),
            idNumber: reader.optional("idNumber", "18-character resident ID (GB 11643); always shown masked."),
            phone: reader.optional("phone"))
    }
}

extension ReferralFilter.PatientQuery: RPCParams {
    public init(reading reader: ParamReader) {
        self.init(
            idNumber: reader.optional("idNumber", "The patient's resident ID."), name: reader.optional("name", "With birthDate."),
            birthDate: reader.optional("birthDate", "With name: YYYY-MM-DD."))
    }
}

extension Diagnosis: RPCParams {
    public init(reading reader: ParamReader) {
        self.init(code: reader.required("code", "ICD-10, e.g. M79.2."), name: reader.required("name"))
    }
}

extension Attachment: RPCParams {
    public init(reading reader: ParamReader) {
        self.init(
            kind: reader.required("kind"), title: reader.required("title"), reference: reader.required("reference"),
            item: reader.optional("item", "Its item of the alliance's 互认 catalogue (lab and imaging results)."),
            performedAt: reader.optional("performedAt", "The day it was performed, YYYY-MM-DD."),
            performedBy: reader.optional("performedBy", "The hospital that performed it."))
    }
}

extension TreatmentOutcome: RPCParams {
    public init(reading reader: ParamReader) {
        self.init(
            summary: reader.required("summary"), diagnosis: reader.optional("diagnosis") ?? [],
            recommendation: reader.required("recommendation"),
            followUpDays: reader.optional("followUpDays"))
    }
}

extension Schema {
    static let diagnosis = object(["code": string, "name": string])
    /// An attachment as a referral or consultation shows it; `recognition` (a referral's, SPEC §13)
    /// is decided by Yilian.
    static let attachment = object(
        [
            "kind": string, "title": string, "reference": string, "item": string, "performedAt": string, "performedBy": string,
            "recognition": object(
                [
                    "recognized": ["type": "boolean"], "reason": enumeration(RecognitionReason.allCases.map(\.rawValue)), "on": string,
                    "catalogueVersion": integer, "validUntil": string,
                ], required: ["recognized", "reason", "on", "catalogueVersion"]),
        ], required: ["kind", "title", "reference"])
    /// The sending system's own identifier of a request that came in through FHIR (`fhir.import`).
    static let senderIdentifier = object(["system": string, "value": string])
    /// A completed referral's outcome (the 回执's content).
    static let outcome = object(
        [
            "summary": string, "diagnosis": ["type": "array", "items": diagnosis],
            "recommendation": enumeration(Recommendation.allCases.map(\.rawValue)), "followUpDays": ["type": ["integer", "null"]],
        ], required: ["summary", "diagnosis", "recommendation"])
    /// What an event adds to its action, each member for the actions named.
    static let eventDetails: JSONValue = [
        "type": ["object", "null"],
        "properties": [
            "reasonCode": ["description": "reject: the reason's code", "enum": .array(RejectReason.allCases.map { .string($0.rawValue) })],
            "direction": ["description": "file: up or down", "enum": .array(Direction.allCases.map { .string($0.rawValue) })],
            "to": ["description": "file: the receiver; redirect: the new receiver", "type": "string"],
            "previousTo": ["description": "redirect: the receiver before", "type": "string"],
            "date": ["description": "schedule, reschedule: the appointment date, YYYY-MM-DD", "type": "string"],
            "previousDate": ["description": "reschedule: the date before", "type": "string"],
            "escalation": ["description": "escalate: how many times the referral has been escalated", "type": "integer"],
        ],
        "additionalProperties": false,
    ]
    static let referralEvent = object([
        "seq": integer, "action": string, "fromStatus": nullableString, "toStatus": string, "actor": string, "actorName": nullableString,
        "at": timestamp,
        "reason": nullableString, "details": eventDetails,
    ])
    static let referral = object(
        [
            "id": string, "alliance": string, "specialty": string, "direction": enumeration(Direction.allCases.map(\.rawValue)),
            "setting": enumeration(Setting.allCases.map(\.rawValue)), "priority": enumeration(Priority.allCases.map(\.rawValue)),
            "from": string, "to": string,
            "patient": object([
                "name": string, "sex": enumeration(Sex.allCases.map(\.rawValue)), "birthDate": string, "idNumber": nullableString,
                "phone": nullableString,
            ]),
            "consent": ["type": "boolean"], "diagnosis": ["type": "array", "items": diagnosis], "reason": string, "summary": nullableString,
            "attachments": ["type": "array", "items": attachment],
            "parent": nullableString, "consultation": nullableString, "senderIdentifier": senderIdentifier, "outreach": string,
            "status": enumeration(ReferralMachine.Status.allCases.map(\.rawValue)), "version": integer,
            "respondBy": timestamp, "slot": nullableString, "outcome": ["anyOf": [outcome, ["type": "null"]]], "escalation": integer,
            "createdAt": timestamp, "updatedAt": timestamp, "fhirStatus": string, "overdue": ["type": "boolean"],
            "history": ["type": "array", "items": referralEvent], "continuations": ["type": "array", "items": string],
        ],
        required: [
            "id", "alliance", "specialty", "direction", "setting", "priority", "from", "to", "patient", "consent", "diagnosis", "reason",
            "status", "version", "respondBy", "fhirStatus", "overdue",
        ])
    static let slot = object([
        "hospital": string, "specialty": string, "date": string, "capacity": integer, "booked": integer, "available": integer,
        "expert": integer, "expertBooked": integer, "total": ["type": ["integer", "null"]], "publishedAt": timestamp,
    ])
}

public struct ReferralFile: RPCMethod {
    public struct Params: RPCParams {
        let request: ReferralRequest
        public init(reading reader: ParamReader) {
            request = ReferralRequest(
                alliance: reader.required("alliance"), from: reader.required("from", "The sending hospital; the actor must belong to it."),
                to: reader.required("to"), direction: reader.optional("direction", "Derived from the tiers when left out."),
                setting: reader.required("setting"), priority: reader.required("priority", "emergency is the green channel (绿色通道)."),
                patient: reader.optional("patient", "Required unless a down-referral continues a parent, whose patient it takes."),
                consent: reader.required("consent", "Must be true."),
                diagnosis: reader.optional("diagnosis", "Required unless a down-referral continues a parent (then the parent's).") ?? [],
                reason: reader.required("reason"), summary: reader.optional("summary"),
                attachments: reader.optional("attachments") ?? [],
                parent: reader.optional("parent", "The up-referral a down-referral continues."),
                allowDuplicate: reader.optional(
                    "allowDuplicate", "File even though this patient has an open referral between the same hospitals.") ?? false,
                outreach: reader.optional("outreach", "The outreach session the patient was booked into and seen in (an up-referral)."))
        }
        public var valueProblems: [Problem] { request.problems(today: Services.latestToday(Date())) }
    }
    public static let name = "referral.file"
    public static let whoMay: WhoMay? = .sender
    public static let summary = "Files a referral up or down (the sending hospital)."
    public static var resultSchema: JSONValue { Schema.referral }
    public static var mutates: Bool { true }
    public static func run(_ params: Params, in context: RPCContext) async throws -> ReferralView {
        try await context.services.fileReferral(params.request, by: context.actor)
    }
}

enum ReferralAccept: ReferralActionKind {
    static let action = ReferralMachine.Action.accept
    static let summary = "The receiver accepts a requested referral."
    static func command(_ reader: ParamReader) -> ReferralCommand { .accept(note: reader.optional("note")) }
}

enum ReferralReject: ReferralActionKind {
    static let action = ReferralMachine.Action.reject
    static let summary = "The receiver rejects, with a reason code (and text for other)."
    static func command(_ reader: ParamReader) -> ReferralCommand {
        .reject(code: reader.required("reasonCode"), reason: reader.optional("reason"))
    }
}

enum ReferralRequestInfo: ReferralActionKind {
    static let action = ReferralMachine.Action.requestInfo
    static let summary = "The receiver asks the sender a question."
    static func command(_ reader: ParamReader) -> ReferralCommand { .requestInfo(question: reader.required("question")) }
}

enum ReferralProvideInfo: ReferralActionKind {
    static let action = ReferralMachine.Action.provideInfo
    static let summary = "The sender answers; the response clock starts again."
    static func command(_ reader: ParamReader) -> ReferralCommand { .provideInfo(answer: reader.required("answer")) }
}

enum ReferralRedirect: ReferralActionKind {
    static let action = ReferralMachine.Action.redirect
    static let summary = "The sender sends the referral to another receiver (guards checked again)."
    static func command(_ reader: ParamReader) -> ReferralCommand { .redirect(to: reader.required("to")) }
}

/// What `schedule` and `reschedule` take: the date, and whether to book an expert slot.
private func appointment(_ reader: ParamReader) -> (date: String, expert: Bool) {
    (reader.required("date", "YYYY-MM-DD."), reader.optional("expert", "Book an expert slot (专家号).") ?? false)
}

enum ReferralSchedule: ReferralActionKind {
    static let action = ReferralMachine.Action.schedule
    static let summary = "The receiver schedules the patient on a date; an up-referral books a reserved slot (an expert one with expert)."
    static func command(_ reader: ParamReader) -> ReferralCommand {
        let (date, expert) = appointment(reader)
        return .schedule(date: date, expert: expert)
    }
}

enum ReferralReschedule: ReferralActionKind {
    static let action = ReferralMachine.Action.reschedule
    static let summary = "The receiver moves the appointment to another date; an up-referral's slot is swapped atomically."
    static func command(_ reader: ParamReader) -> ReferralCommand {
        let (date, expert) = appointment(reader)
        return .reschedule(date: date, expert: expert)
    }
}

enum ReferralArrive: ReferralActionKind {
    static let action = ReferralMachine.Action.arrive
    static let summary = "The patient arrived (from scheduled; from accepted for emergencies)."
    static func command(_ reader: ParamReader) -> ReferralCommand { .arrive }
}

enum ReferralNoShow: ReferralActionKind {
    static let action = ReferralMachine.Action.noShow
    static let summary = "The patient did not come; the slot is released."
    static func command(_ reader: ParamReader) -> ReferralCommand { .noShow }
}

enum ReferralComplete: ReferralActionKind {
    static let action = ReferralMachine.Action.complete
    static let summary = "The receiver completes treatment with an outcome."
    static func command(_ reader: ParamReader) -> ReferralCommand { .complete(reader.required("outcome")) }
}

enum ReferralAcknowledge: ReferralActionKind {
    static let action = ReferralMachine.Action.acknowledge
    static let summary = "The sender acknowledges the outcome, closing the loop."
    static func command(_ reader: ParamReader) -> ReferralCommand { .acknowledge }
}

enum ReferralCancel: ReferralActionKind {
    static let action = ReferralMachine.Action.cancel
    static let summary = "The sender cancels (not once in treatment); a booked slot is released."
    static func command(_ reader: ParamReader) -> ReferralCommand { .cancel(reason: reader.required("reason")) }
}

public struct ReferralGet: RPCMethod {
    public static let name = "referral.get"
    public static let summary = "One referral with its history and the referrals that continue it."
    public static var resultSchema: JSONValue { Schema.referral }
    public static func run(_ params: IdParams, in context: RPCContext) async throws -> ReferralView {
        try await context.services.referral(params.id, by: context.actor)
    }
}

public struct ReferralHistoryMethod: RPCMethod {
    public static let name = "referral.history"
    public static let summary = "A referral's events, in order."
    public static var resultSchema: JSONValue {
        Schema.object(["id": Schema.string, "history": ["type": "array", "items": Schema.referralEvent]])
    }
    public static func run(_ params: IdParams, in context: RPCContext) async throws -> MachineHistory {
        try await context.services.referralHistory(params.id, by: context.actor)
    }
}

public struct ReferralList: RPCMethod {
    public struct Params: RPCParams {
        let filter: ReferralFilter
        let paging: Paging
        public init(reading reader: ParamReader) {
            filter = ReferralFilter(
                alliance: reader.optional("alliance"), hospital: reader.optional("hospital"),
                side: reader.optional("as", "With hospital: sender, receiver or any (default).") ?? .any,
                statuses: reader.optional("status", "Any of these statuses."), direction: reader.optional("direction"),
                priority: reader.optional("priority"), overdue: reader.optional("overdue"),
                patient: reader.optional("patient", "One patient's referrals: {idNumber} or {name, birthDate}."))
            paging = Paging(reader)
        }
    }
    public static let name = "referral.list"
    public static let summary = "Referrals in id order, filtered."
    public static var resultSchema: JSONValue { Schema.page(of: Schema.referral) }
    public static func run(_ params: Params, in context: RPCContext) async throws -> Page<ReferralView> {
        try await context.services.referrals(params.filter, limit: params.paging.limit, cursor: params.paging.cursor, by: context.actor)
    }
}

public struct ReferralSweep: RPCMethod {
    public static let name = "referral.sweep"
    public static let summary = "Escalates overdue referrals and expires stale ones, acting as the system. Idempotent."
    public static var resultSchema: JSONValue {
        Schema.object(["escalated": ["type": "array", "items": Schema.string], "expired": ["type": "array", "items": Schema.string]])
    }
    public static var mutates: Bool { true }
    public static var idempotent: Bool { true }
    public static func run(_ params: NoParams, in context: RPCContext) async throws -> SweepResult {
        try await context.services.sweep()
    }
}
