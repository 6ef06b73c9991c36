import Foundation
import Synchronization
import YilianCore
import YilianJSON
import YilianServices

/// What a method handler can use.
public struct RPCContext: Sendable {
    public let services: Services
    /// The OpenRPC document of the table this context serves (for `rpc.discover`).
    public let discovery: JSONValue
    /// Who the request says acts (`actor`); the services check it against the session.
    public var actor: Actor?
    /// The session's event-feed subscriptions (`serve` attaches its output).
    public let subscriptions: Subscriptions
    /// Told how far a long change has come (done, total): the CLI's progress bar; nothing for `serve`.
    public var progress: @Sendable (Int, Int) -> Void = { _, _ in }
}

/// A request's parameters: the method's own, with `actor` (every method) and
/// `idempotencyKey` (mutating ones).
struct Call<M: RPCMethod>: RPCParams {
    let params: M.Params
    let actor: Actor?
    let idempotencyKey: String?

    init(reading reader: ParamReader) {
        params = M.Params(reading: reader)
        actor = reader.optional(
            "actor", "Who acts: {user, hospital}, checked against the session's login; by default the login's user.")
        idempotencyKey =
            M.mutates
            ? reader.optional("idempotencyKey", "Repeat a call safely: the same key and parameters return the first result.") : nil
    }

    var valueProblems: [Problem] { params.valueProblems }
}

/// One JSON-RPC method: its name, typed parameters and result, result schema and handler.
/// Adding a method is one such type plus its line in `MethodTable.yilian`.
public protocol RPCMethod: Sendable {
    associatedtype Params: RPCParams
    associatedtype Output: Encodable & Sendable
    static var name: String { get }
    static var summary: String { get }
    static var resultSchema: JSONValue { get }
    /// Mutating methods take an optional `idempotencyKey`, which this layer honours.
    static var mutates: Bool { get }
    /// A change that is the same done twice (the sweep): the CLI sends it without a key of its
    /// own, and it is made again after a lost database like a read.
    static var idempotent: Bool { get }
    /// Who may call it, when a refusal by the wall should say so (SPEC §3).
    static var whoMay: WhoMay? { get }
    static func run(_ params: Params, in context: RPCContext) async throws -> Output
}

extension RPCMethod {
    public static var mutates: Bool { false }
    public static var idempotent: Bool { false }
    public static var whoMay: WhoMay? { nil }

    /// `run`, a refusal by the wall naming who may do it instead.
    static func running(_ params: Params, in context: RPCContext) async throws -> Output {
        do {
            return try await run(params, in: context)
        } catch let error as YilianError where error.code == .forbidden && error.text?.key == "error.notYours" {
            guard let whoMay else { throw error }
            throw YilianError(.forbidden, Text("error.notYoursWho", Text("whoMay.\(whoMay.rawValue)")))
        }
    }

    /// Whether a repeated idempotency key's first result can be read back from its JSON: every
    /// mutating method's result can (a test holds it), so the CLI shows a repeat as the first call.
    static var replayable: Bool { Output.self is any Decodable.Type }

    /// The result `json` holds (a repeated idempotency key's first result).
    static func replayed(_ json: Data) throws -> Output {
        guard let type = Output.self as? any Decodable.Type,
            let result = try JSONCoding.decode(type, fromText: String(decoding: json, as: UTF8.self)) as? Output
        else { throw YilianError.internalFailure }
        return result
    }
}

/// The table both the dispatcher and `rpc.discover` read, so they can never disagree.
public struct MethodTable: Sendable {
    /// One registered method; made by `MethodTable.method(_:)`.
    public struct Entry: Sendable {
        let name: String
        let summary: String
        let fields: [ParamReader.Field]
        let resultSchema: JSONValue
        /// A mutating method whose result cannot be read back from its JSON, which the CLI then
        /// cannot show on a repeated idempotency key (see `RPCMethod.replayable`).
        let unreplayable: Bool
        let call: @Sendable (JSONValue?, RPCContext) async throws -> Data
    }

    private let entries: [String: Entry]
    public let names: [String]

    public init(_ methods: [Entry]) {
        entries = Dictionary(methods.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        names = methods.map(\.name)
    }

    /// Registers `methods`, in the order `rpc.discover` lists them.
    public init(methods: [any RPCMethod.Type]) { self.init(methods.map { Self.method($0) }) }

    /// Registers `method`: its name, parameter fields, result schema and a typed handler.
    public static func method<M: RPCMethod>(_ method: M.Type) -> Entry {
        Entry(
            name: M.name, summary: M.summary, fields: Call<M>.fields, resultSchema: M.resultSchema,
            unreplayable: M.mutates && !M.replayable,
            call: { params, context in try await answer(M.self, params, in: context).json })
    }

    /// What a method answered: its result, and the result as `serve` sends it. A repeat of an
    /// idempotency key answers the first call's JSON only (`result` is nil).
    struct Answer<Output> {
        let result: Output?
        let json: Data
    }

    /// Calls `method` with `params` as a request on stdin would: read and checked by its `Params`,
    /// in the name of its `actor`, once per `idempotencyKey`. When the database is lost (a failover,
    /// SPEC §12) it is called again through the same URI until `Reconnection.wait` runs out, if
    /// that cannot do it twice (`Reconnection.redo`); a change without a key that was cut off
    /// is answered as in doubt.
    static func answer<M: RPCMethod>(_ method: M.Type, _ params: JSONValue?, in context: RPCContext) async throws -> Answer<M.Output> {
        let call = try Call<M>.decode(params)
        let deadline = ContinuousClock.now + Reconnection.wait
        // A try cut off in use: when the wait runs out, that is what the call says (it may have
        // happened), not that the database was not reached by the tries after it.
        var cutOff: YilianError?
        while true {
            do {
                return try await answering(call, params, in: context)
            } catch let error as YilianError {
                switch Reconnection.redo(after: error, mutates: M.mutates && !M.idempotent, keyed: call.idempotencyKey != nil) {
                case .no: throw error
                case .inDoubt: throw YilianError.inDoubt
                case .yes:
                    if error.text?.key == "db.lost" { cutOff = error }
                    guard ContinuousClock.now < deadline else { throw cutOff ?? error }
                    try await Task.sleep(for: Reconnection.pause)
                }
            }
        }
    }

    /// One try of `answer`.
    private static func answering<M: RPCMethod>(_ call: Call<M>, _ params: JSONValue?, in context: RPCContext) async throws -> Answer<
        M.Output
    > {
        var context = context
        context.actor = call.actor
        guard let key = call.idempotencyKey, case .object(var members)? = params else {
            let result = try await M.running(call.params, in: context)
            return Answer(result: result, json: try JSONCoding.data(result))
        }
        members["idempotencyKey"] = nil
        let first = Mutex<M.Output?>(nil)
        let json = try await context.services.once(key: key, method: M.name, params: .object(members), by: call.actor) { [context] in
            let result = try await M.running(call.params, in: context)
            first.withLock { $0 = result }
            return try JSONCoding.data(result)
        }
        return Answer(result: first.withLock { $0 }, json: json)
    }

    func entry(named name: String) -> Entry? { entries[name] }

    /// The mutating methods whose results cannot yet be read back (a typed CLI command needs it).
    var unreplayable: [String] { names.filter { entries[$0]?.unreplayable == true } }

    /// An OpenRPC 1.2.6 document describing every method.
    public var openRPC: JSONValue {
        let methods: [JSONValue] = names.compactMap { entries[$0] }.map { entry in
            [
                "name": .string(entry.name),
                "summary": .string(entry.summary),
                "paramStructure": "by-name",
                // Required params first: OpenRPC 1.2.6 forbids an optional one before a required one.
                "params": .array(
                    (entry.fields.filter(\.required) + entry.fields.filter { !$0.required }).map { field in
                        var descriptor: JSONObject = [
                            "name": .string(field.name), "required": .bool(field.required), "schema": field.schema,
                        ]
                        if !field.summary.isEmpty { descriptor["description"] = .string(field.summary) }
                        return .object(descriptor)
                    }),
                "result": ["name": .string("\(entry.name).result"), "schema": entry.resultSchema],
            ]
        }
        return [
            "openrpc": "1.2.6",
            "info": [
                "title": "Yilian (医联) referral service",
                "version": .string(Services.version),
                "description": "Two-way referral workflow and membership admission for specialty medical alliances.",
            ],
            "methods": .array(methods),
            // A criteria rule nests rules: described once, referred to from where rules appear.
            "components": ["schemas": ["Rule": Schema.rule]],
        ]
    }
}
