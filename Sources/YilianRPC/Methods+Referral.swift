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
            recognized: reader.optional("recognized", "A 检查检验结果互认 item.") ?? false)
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
        "seq": integer, "action": string, "fromStatus": nullableString, "toStatus": string, "actor": string, "at": timestamp,
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
            "attachments": [
                "type": "array",
                "items": object(["kind": string, "title": string, "reference": string, "recognized": ["type": "boolean"]]),
            ],
            "parent": nullableString, "consultation": nullableString,
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
                    "allowDuplicate", "File even though this patient has an open referral between the same hospitals.") ?? false)
        }
        public var valueProblems: [Problem] { request.problems(today: Services.today(Date())) }
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

/// What every referral action takes: the referral, and optionally the version it was read at.
struct ActionBase {
    let id: String
    let expectedVersion: Int?
    init(_ reader: ParamReader) {
        id = reader.required("id")
        expectedVersion = reader.optional("expectedVersion", "The version you read; a stale one is a conflict.")
    }
}

/// The parameters of one action of a machine (a referral's, a consultation's): what it carries,
/// and how it is carried out.
protocol MachineActionParams: RPCParams {
    associatedtype Output: Encodable & Sendable
    /// `referral.accept`, `consultation.opine`, …
    static var name: String { get }
    static var summary: String { get }
    static var resultSchema: JSONValue { get }
    static var whoMay: WhoMay { get }
    var base: ActionBase { get }
    func run(in context: RPCContext) async throws -> Output
}

/// `referral.<action>` and `consultation.<action>`: one registration per action.
struct MachineAction<P: MachineActionParams>: RPCMethod {
    static var name: String { P.name }
    static var summary: String { P.summary }
    static var resultSchema: JSONValue { P.resultSchema }
    static var mutates: Bool { true }
    static var whoMay: WhoMay? { P.whoMay }
    static func run(_ params: P, in context: RPCContext) async throws -> P.Output { try await params.run(in: context) }
}

protocol ReferralActionParams: MachineActionParams where Output == ReferralView {
    static var action: ReferralMachine.Action { get }
    var command: ReferralCommand { get }
}

extension ReferralActionParams {
    static var name: String { "referral.\(action.rawValue)" }
    static var resultSchema: JSONValue { Schema.referral }
    static var whoMay: WhoMay { .referralSide }
    /// All through `Services.act`.
    func run(in context: RPCContext) async throws -> ReferralView {
        try await context.services.act(base.id, command, expectedVersion: base.expectedVersion, by: context.actor)
    }
}

struct AcceptParams: ReferralActionParams {
    static let action = ReferralMachine.Action.accept
    static let summary = "The receiver accepts a requested referral."
    let base: ActionBase, note: String?
    init(reading reader: ParamReader) {
        note = reader.optional("note")
        base = ActionBase(reader)
    }
    var command: ReferralCommand { .accept(note: note) }
}

struct RejectParams: ReferralActionParams {
    static let action = ReferralMachine.Action.reject
    static let summary = "The receiver rejects, with a reason code (and text for other)."
    let base: ActionBase, reasonCode: RejectReason, reason: String?
    init(reading reader: ParamReader) {
        reasonCode = reader.required("reasonCode")
        reason = reader.optional("reason")
        base = ActionBase(reader)
    }
    var command: ReferralCommand { .reject(code: reasonCode, reason: reason) }
}

struct RequestInfoParams: ReferralActionParams {
    static let action = ReferralMachine.Action.requestInfo
    static let summary = "The receiver asks the sender a question."
    let base: ActionBase, question: String
    init(reading reader: ParamReader) {
        question = reader.required("question")
        base = ActionBase(reader)
    }
    var command: ReferralCommand { .requestInfo(question: question) }
}

struct ProvideInfoParams: ReferralActionParams {
    static let action = ReferralMachine.Action.provideInfo
    static let summary = "The sender answers; the response clock starts again."
    let base: ActionBase, answer: String
    init(reading reader: ParamReader) {
        answer = reader.required("answer")
        base = ActionBase(reader)
    }
    var command: ReferralCommand { .provideInfo(answer: answer) }
}

struct RedirectParams: ReferralActionParams {
    static let action = ReferralMachine.Action.redirect
    static let summary = "The sender sends the referral to another receiver (guards checked again)."
    let base: ActionBase, to: String
    init(reading reader: ParamReader) {
        to = reader.required("to")
        base = ActionBase(reader)
    }
    var command: ReferralCommand { .redirect(to: to) }
}

/// What `schedule` and `reschedule` take besides the referral: the date, and whether to book
/// an expert slot.
struct Appointment {
    let date: String, expert: Bool
    init(_ reader: ParamReader) {
        date = reader.required("date", "YYYY-MM-DD.")
        expert = reader.optional("expert", "Book an expert slot (专家号).") ?? false
    }
}

struct ScheduleParams: ReferralActionParams {
    static let action = ReferralMachine.Action.schedule
    static let summary = "The receiver schedules the patient on a date; an up-referral books a reserved slot (an expert one with expert)."
    let base: ActionBase, appointment: Appointment
    init(reading reader: ParamReader) { (appointment, base) = (Appointment(reader), ActionBase(reader)) }
    var command: ReferralCommand { .schedule(date: appointment.date, expert: appointment.expert) }
}

struct RescheduleParams: ReferralActionParams {
    static let action = ReferralMachine.Action.reschedule
    static let summary = "The receiver moves the appointment to another date; an up-referral's slot is swapped atomically."
    let base: ActionBase, appointment: Appointment
    init(reading reader: ParamReader) { (appointment, base) = (Appointment(reader), ActionBase(reader)) }
    var command: ReferralCommand { .reschedule(date: appointment.date, expert: appointment.expert) }
}

struct ArriveParams: ReferralActionParams {
    static let action = ReferralMachine.Action.arrive
    static let summary = "The patient arrived (from scheduled; from accepted for emergencies)."
    let base: ActionBase
    init(reading reader: ParamReader) { base = ActionBase(reader) }
    var command: ReferralCommand { .arrive }
}

struct NoShowParams: ReferralActionParams {
    static let action = ReferralMachine.Action.noShow
    static let summary = "The patient did not come; the slot is released."
    let base: ActionBase
    init(reading reader: ParamReader) { base = ActionBase(reader) }
    var command: ReferralCommand { .noShow }
}

struct CompleteParams: ReferralActionParams {
    static let action = ReferralMachine.Action.complete
    static let summary = "The receiver completes treatment with an outcome."
    let base: ActionBase, outcome: TreatmentOutcome
    init(reading reader: ParamReader) {
        outcome = reader.required("outcome")
        base = ActionBase(reader)
    }
    var command: ReferralCommand { .complete(outcome) }
}

struct AcknowledgeParams: ReferralActionParams {
    static let action = ReferralMachine.Action.acknowledge
    static let summary = "The sender acknowledges the outcome, closing the loop."
    let base: ActionBase
    init(reading reader: ParamReader) { base = ActionBase(reader) }
    var command: ReferralCommand { .acknowledge }
}

struct CancelParams: ReferralActionParams {
    static let action = ReferralMachine.Action.cancel
    static let summary = "The sender cancels (not once in treatment); a booked slot is released."
    let base: ActionBase, reason: String
    init(reading reader: ParamReader) {
        reason = reader.required("reason")
        base = ActionBase(reader)
    }
    var command: ReferralCommand { .cancel(reason: reason) }
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
    public static func run(_ params: NoParams, in context: RPCContext) async throws -> SweepResult {
        try await context.services.sweep()
    }
}
