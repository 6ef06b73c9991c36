import Foundation
import Logging
import YilianCore
import YilianJSON
import YilianServices

/// Turns one input line into at most one output line, following JSON-RPC 2.0: batches,
/// notifications, and an error for every bad line that can be answered.
public struct Dispatcher: Sendable {
    public let table: MethodTable
    let context: RPCContext
    let logger: Logger

    /// `progress` is told how far a long change has come (`hospital.import`).
    public init(
        table: MethodTable = .yilian, services: Services, logger: Logger, progress: @escaping @Sendable (Int, Int) -> Void = { _, _ in }
    ) {
        self.table = table
        self.context = RPCContext(
            services: services, discovery: table.openRPC, subscriptions: Subscriptions(services: services), progress: progress)
        self.logger = logger
    }

    /// Calls one method directly (the CLI's way in): the same parameter checks, handler and
    /// result encoding as a request on stdin.
    public func call(_ method: String, params: JSONValue) async throws -> Data {
        guard let entry = table.entry(named: method) else {
            throw YilianError(.invalidParams, "There is no method \(method).")
        }
        return try await entry.call(params, context)
    }

    /// Calls `method` as `serve` would (the same parameter checks, handler, idempotency and result
    /// encoding), for a front end that shows its typed result: the result, and its JSON as `serve`
    /// sends it. A repeated idempotency key's first result is read back from its JSON.
    public func call<M: RPCMethod>(_ method: M.Type, params: JSONValue) async throws -> (result: M.Output, json: Data) {
        let answer = try await MethodTable.answer(M.self, params, in: context)
        if let result = answer.result { return (result, answer.json) }
        return (try M.replayed(answer.json), answer.json)
    }

    /// The response line for one input item (`nil`: nothing to send back).
    public func respond(to item: LineReader.Item) async -> Data? {
        guard case .line(let bytes) = item else {
            return RPCResponse.error(id: .null, code: -32600, message: "The request is larger than 1 MiB.")
        }
        if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { return nil }
        guard String(validating: bytes, as: UTF8.self) != nil else {
            return RPCResponse.error(id: .null, code: -32700, message: "Parse error: the line is not valid UTF-8.")
        }
        let message: JSONValue
        do {
            message = try JSONValue(parsing: bytes)
        } catch {
            return RPCResponse.error(id: .null, code: -32700, message: "Parse error: the line is not valid JSON.")
        }
        // Ids that are not plain integers are echoed from the text as sent (SPEC §3); the text
        // is looked up only for them.
        func hasNumberID(_ value: JSONValue) -> Bool {
            if case .number? = value["id"] { return true }
            return false
        }
        let numberIDs: Bool
        if case .array(let batch) = message { numberIDs = batch.contains(where: hasNumberID) } else { numberIDs = hasNumberID(message) }
        let idTexts = numberIDs ? JSONValue.numberTexts(of: "id", in: bytes) : [:]
        if case .array(let batch) = message {
            if batch.isEmpty {
                return RPCResponse.error(id: .null, code: -32600, message: "Invalid request: the batch is empty.")
            }
            var responses: [Data] = []
            for (position, element) in batch.enumerated() {
                if let response = await respond(toRequest: element, idText: idTexts[position]) { responses.append(response) }
            }
            if responses.isEmpty { return nil }
            return Data("[".utf8) + Data(responses.joined(separator: Data(",".utf8))) + Data("]".utf8)
        }
        return await respond(toRequest: message, idText: idTexts[0])
    }

    private func respond(toRequest message: JSONValue, idText: String?) async -> Data? {
        guard case .object(let request) = message else {
            return RPCResponse.error(id: .null, code: -32600, message: "Invalid request: expected a JSON object.")
        }
        let id = request["id"]
        let replyID: RequestID
        switch id {
        case .number?: replyID = RequestID(text: idText ?? String(decoding: id!.serialized, as: UTF8.self))
        case nil, .null?, .string?, .integer?: replyID = RequestID(id ?? .null)
        default:
            return RPCResponse.error(id: .null, code: -32600, message: "Invalid request: id must be a string or a number.")
        }
        guard request["jsonrpc"] == "2.0", case .string(let method)? = request["method"] else {
            return RPCResponse.error(
                id: replyID, code: -32600, message: "Invalid request: needs \"jsonrpc\": \"2.0\" and a method name.")
        }
        let params = request["params"]
        let isNotification = id == nil
        guard let entry = table.entry(named: method) else {
            return isNotification
                ? nil : RPCResponse.error(id: replyID, code: -32601, message: "Method not found: \(method).")
        }
        let response: Data
        do {
            response = RPCResponse.result(id: replyID, result: try await entry.call(params, context))
        } catch let error as YilianError {
            response = RPCResponse.error(id: replyID, error)
        } catch {
            logger.error("unexpected error", metadata: ["method": "\(method)", "error": "\(type(of: error))"])
            response = RPCResponse.error(id: replyID, .internalFailure)
        }
        return isNotification ? nil : response
    }
}

/// A request's id as its response writes it.
struct RequestID {
    let json: Data
    init(_ value: JSONValue) { json = Data(value.serialized) }
    /// A number as the request wrote it.
    init(text: String) { json = Data(text.utf8) }
    static let null = RequestID(.null)
}

/// Response lines, built around an already encoded result.
enum RPCResponse {
    static func result(id: RequestID, result: Data) -> Data {
        Data(#"{"jsonrpc":"2.0","id":"#.utf8) + id.json + Data(#","result":"#.utf8) + result + Data("}".utf8)
    }

    static func error(id: RequestID, code: Int, message: String, data: JSONValue? = nil) -> Data {
        var error: JSONObject = ["code": .integer(code), "message": .string(message)]
        if let data { error["data"] = data }
        return Data(#"{"jsonrpc":"2.0","id":"#.utf8) + id.json + Data(#","error":"#.utf8)
            + encoded(.object(error)) + Data("}".utf8)
    }

    static func error(id: RequestID, _ error: YilianError) -> Data {
        Data(#"{"jsonrpc":"2.0","id":"#.utf8) + id.json + Data(#","error":"#.utf8) + encoded(object(error)) + Data("}".utf8)
    }

    /// `error` as a JSON-RPC error object: its code, message and data (with its code's name).
    static func object(_ error: YilianError) -> JSONValue {
        var data = error.data
        data["code"] = .string(error.code.rawValue)
        return ["code": .integer(error.code.rpcCode), "message": .string(error.message), "data": .object(data)]
    }

    private static func encoded(_ value: JSONValue) -> Data { Data(value.serialized) }
}

extension YilianError.Code {
    /// The JSON-RPC `error.code` of SPEC §3.
    public var rpcCode: Int {
        switch self {
        case .invalidParams: return -32602
        case .notFound: return -32001
        case .alreadyExists: return -32002
        case .forbidden: return -32003
        case .conflict: return -32004
        case .invalidTransition: return -32010
        case .ruleViolation: return -32011
        case .capacityExhausted: return -32012
        case .idempotencyMismatch: return -32013
        case .databaseUnavailable: return -32050
        case .internal: return -32603
        }
    }
}

extension Dispatcher {
    /// What `params` would be refused for by `method`, as a request would hear it, without
    /// calling it (none when they would be taken).
    public func problems<M: RPCMethod>(_ method: M.Type, params: JSONValue) -> [Problem] {
        do {
            _ = try Call<M>.decode(params)
            return []
        } catch {
            return (error as? YilianError)?.problems ?? []
        }
    }

    /// A referral action as `serve` carries it out (`referral.<action>`), typed, for the CLI.
    /// Escalating and expiring are the sweep's (`referral.sweep`), never a request's.
    public func act(_ action: ReferralMachine.Action, params: JSONValue) async throws -> (result: ReferralView, json: Data) {
        switch action {
        case .file: try await call(ReferralFile.self, params: params)
        case .accept: try await call(MachineAction<ReferralAccept>.self, params: params)
        case .reject: try await call(MachineAction<ReferralReject>.self, params: params)
        case .requestInfo: try await call(MachineAction<ReferralRequestInfo>.self, params: params)
        case .provideInfo: try await call(MachineAction<ReferralProvideInfo>.self, params: params)
        case .redirect: try await call(MachineAction<ReferralRedirect>.self, params: params)
        case .schedule: try await call(MachineAction<ReferralSchedule>.self, params: params)
        case .reschedule: try await call(MachineAction<ReferralReschedule>.self, params: params)
        case .arrive: try await call(MachineAction<ReferralArrive>.self, params: params)
        case .noShow: try await call(MachineAction<ReferralNoShow>.self, params: params)
        case .complete: try await call(MachineAction<ReferralComplete>.self, params: params)
        case .acknowledge: try await call(MachineAction<ReferralAcknowledge>.self, params: params)
        case .cancel: try await call(MachineAction<ReferralCancel>.self, params: params)
        case .escalate, .expire: throw YilianError.internalFailure
        }
    }

    /// A consultation action as `serve` carries it out (`consultation.<action>`), typed, for the
    /// CLI. Expiring is the sweep's, never a request's.
    public func act(_ action: ConsultationMachine.Action, params: JSONValue) async throws -> (result: ConsultationView, json: Data) {
        switch action {
        case .request: try await call(ConsultationRequestMethod.self, params: params)
        case .accept: try await call(MachineAction<ConsultationAccept>.self, params: params)
        case .decline: try await call(MachineAction<ConsultationDecline>.self, params: params)
        case .schedule: try await call(MachineAction<ConsultationSchedule>.self, params: params)
        case .opine: try await call(MachineAction<ConsultationOpine>.self, params: params)
        case .conclude: try await call(MachineAction<ConsultationConclude>.self, params: params)
        case .acknowledge: try await call(MachineAction<ConsultationAcknowledge>.self, params: params)
        case .cancel: try await call(MachineAction<ConsultationCancel>.self, params: params)
        case .convert: try await call(ConsultationConvert.self, params: params)
        case .expire: throw YilianError.internalFailure
        }
    }
}

extension Dispatcher {
    /// A member's suspension, reinstatement or revocation as `serve` carries it out
    /// (`membership.<action>`), typed, for the CLI.
    public func act(_ action: MembershipMachine.Action, params: JSONValue) async throws -> (result: AllianceView, json: Data) {
        switch action {
        case .suspend: try await call(MembershipSuspend.self, params: params)
        case .reinstate: try await call(MembershipReinstate.self, params: params)
        case .revoke: try await call(MembershipRevoke.self, params: params)
        }
    }
}
