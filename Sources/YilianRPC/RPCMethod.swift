import Foundation
import YilianCore
import YilianRepository
import YilianServices

/// What a method handler can use.
public struct RPCContext: Sendable {
    public let services: Services
    /// The OpenRPC document of the table this context serves (for `rpc.discover`).
    public let discovery: JSONValue
}

/// One JSON-RPC method: its name, typed parameters and result, result schema and handler.
/// Adding a method is one such type plus its line in `MethodTable.yilian`.
public protocol RPCMethod: Sendable {
    associatedtype Params: RPCParams
    associatedtype Output: Encodable & Sendable
    static var name: String { get }
    static var summary: String { get }
    static var resultSchema: JSONValue { get }
    /// Mutating methods take `actor` and an optional `idempotencyKey`, which this layer honours.
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
            name: M.name, summary: M.summary, fields: M.Params.fields, resultSchema: M.resultSchema,
            call: { params, context in
                let decoded = try M.Params.decode(params)
                guard M.mutates, case .string(let key)? = params?["idempotencyKey"], case .object(var members)? = params else {
                    return try JSONCoding.data(try await M.run(decoded, in: context))
                }
                // Keys are scoped to the calling hospital, so a key needs an actor.
                guard case .string(let hospital)? = params?["actor"]?["hospital"] else {
                    throw YilianError.invalidParams([Problem("idempotencyKey", "needs an actor: keys belong to the calling hospital")])
                }
                members["idempotencyKey"] = nil
                return try await context.services.once(hospital: hospital, key: key, method: M.name, params: .object(members)) {
                    try JSONCoding.data(try await M.run(decoded, in: context))
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
                "params": .array(
                    entry.fields.map { field in
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
        ]
    }
}
