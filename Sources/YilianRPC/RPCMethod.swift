import Foundation
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
            "actor", "Who acts: {user, hospital}, checked against the session's login (SPEC §6); by default the login's user.")
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
    static func run(_ params: Params, in context: RPCContext) async throws -> Output
}

extension RPCMethod {
    public static var mutates: Bool { false }
}

/// The table both the dispatcher and `rpc.discover` read, so they can never disagree.
public struct MethodTable: Sendable {
    /// One registered method; made by `MethodTable.method(_:)`.
    public struct Entry: Sendable {
        let name: String
        let summary: String
        let fields: [ParamReader.Field]
        let resultSchema: JSONValue
        let call: @Sendable (JSONValue?, RPCContext) async throws -> Data
    }

    private let entries: [String: Entry]
    public let names: [String]

    public init(_ methods: [Entry]) {
        entries = Dictionary(methods.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        names = methods.map(\.name)
    }

    /// Registers `method`: its name, parameter fields, result schema and a typed handler.
    public static func method<M: RPCMethod>(_ method: M.Type) -> Entry {
        Entry(
            name: M.name, summary: M.summary, fields: Call<M>.fields, resultSchema: M.resultSchema,
            call: { params, context in
                let call = try Call<M>.decode(params)
                var context = context
                context.actor = call.actor
                guard let key = call.idempotencyKey, case .object(var members)? = params else {
                    return try JSONCoding.data(try await M.run(call.params, in: context))
                }
                members["idempotencyKey"] = nil
                return try await context.services.once(key: key, method: M.name, params: .object(members), by: call.actor) { [context] in
                    try JSONCoding.data(try await M.run(call.params, in: context))
                }
            })
    }

    func entry(named name: String) -> Entry? { entries[name] }

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
