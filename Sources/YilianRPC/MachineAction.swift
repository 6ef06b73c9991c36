import YilianCore
import YilianJSON
import YilianServices

/// What every action of a machine takes: the case, and optionally the version it was read at.
struct ActionBase {
    let id: String
    let expectedVersion: Int?
    init(_ reader: ParamReader) {
        id = reader.required("id")
        expectedVersion = reader.optional("expectedVersion", "The version you read; a stale one is a conflict.")
    }
}

/// A machine whose actions requests carry: the referral's, the consultation's.
protocol ServedMachine {
    associatedtype Action: RawRepresentable<String>
    associatedtype Command: Sendable
    associatedtype Output: Encodable & Sendable
    /// `referral`, `consultation`: the methods are `<prefix>.<action>`.
    static var prefix: String { get }
    static var resultSchema: JSONValue { get }
    static var whoMay: WhoMay { get }
    static func perform(_ command: Command, on base: ActionBase, in context: RPCContext) async throws -> Output
}

extension ReferralMachine: ServedMachine {
    static var prefix: String { "referral" }
    static var resultSchema: JSONValue { Schema.referral }
    static var whoMay: WhoMay { .referralSide }
    static func perform(_ command: ReferralCommand, on base: ActionBase, in context: RPCContext) async throws -> ReferralView {
        try await context.services.act(base.id, command, expectedVersion: base.expectedVersion, by: context.actor)
    }
}

extension ConsultationMachine: ServedMachine {
    static var prefix: String { "consultation" }
    static var resultSchema: JSONValue { Schema.consultation }
    static var whoMay: WhoMay { .consultationSide }
    static func perform(_ command: ConsultationCommand, on base: ActionBase, in context: RPCContext) async throws -> ConsultationView {
        try await context.services.consult(base.id, command, expectedVersion: base.expectedVersion, by: context.actor)
    }
}

/// One action of a machine as a request carries it (`referral.accept`, `consultation.opine`):
/// a caseless enum naming the action, its summary and the command it reads; the machine carries
/// it out.
protocol ActionKind: Sendable {
    associatedtype Machine: ServedMachine
    static var action: Machine.Action { get }
    static var summary: String { get }
    /// The command the request carries, read from its parameters besides `id` and `expectedVersion`.
    static func command(_ reader: ParamReader) -> Machine.Command
    /// The problems of the values read (none by default).
    static func problems(_ command: Machine.Command) -> [Problem]
}

/// The actions of each machine.
protocol ReferralActionKind: ActionKind where Machine == ReferralMachine {}
protocol ConsultationActionKind: ActionKind where Machine == ConsultationMachine {}

extension ActionKind {
    static func problems(_ command: Machine.Command) -> [Problem] { [] }
}

/// An action's parameters: the command, then the case and its version.
struct ActionParams<Kind: ActionKind>: RPCParams {
    let command: Kind.Machine.Command, base: ActionBase
    init(reading reader: ParamReader) { (command, base) = (Kind.command(reader), ActionBase(reader)) }
    var valueProblems: [Problem] { Kind.problems(command) }
}

/// `referral.<action>` and `consultation.<action>`: one registration per action.
struct MachineAction<Kind: ActionKind>: RPCMethod {
    static var name: String { "\(Kind.Machine.prefix).\(Kind.action.rawValue)" }
    static var summary: String { Kind.summary }
    static var resultSchema: JSONValue { Kind.Machine.resultSchema }
    static var mutates: Bool { true }
    static var whoMay: WhoMay? { Kind.Machine.whoMay }
    static func run(_ params: ActionParams<Kind>, in context: RPCContext) async throws -> Kind.Machine.Output {
        try await Kind.Machine.perform(params.command, on: params.base, in: context)
    }
}
