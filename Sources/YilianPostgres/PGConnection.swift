import CLibpq
import Dispatch

#if canImport(Glibc)
    import Glibc
#endif

/// One libpq connection. It owns its `PGconn` (finished in `deinit`, also after a failed
/// connect) and runs every libpq call on its own executor (a serial queue), so the blocking calls
/// never tie up Swift's cooperative threads and two tasks can never use the `PGconn` at the same
/// time.
///
/// Values always travel as parameters (`PQexecParams`); `runScript` exists only for the static
/// SQL text of migrations and session set-up.
public final class PGConnection: @unchecked Sendable {
    /// Where every libpq call on `handle` runs.
    public let executor: any TaskExecutor = PGExecutor()
    /// Touched only on `executor`.
    private let handle: OpaquePointer
    /// Statements prepared in this session, by SQL text → name. Touched only on `executor`.
    private var prepared: [String: String] = [:]
    /// Statements beyond this many are run unprepared (SQL texts are fixed, so it is rarely hit).
    private static let preparedLimit = 256
    /// Where the session is in a transaction. Touched only on `executor`.
    private var transaction = TransactionState.none

    private enum TransactionState {
        case none
        /// Begun, no statement sent yet: the `BEGIN` goes out with the first one, in one round trip.
        case pending(begin: String)
        case open
        /// The connection broke inside the transaction: every further statement of it fails, and
        /// the session is renewed only once the transaction has ended (never mid-transaction,
        /// which would run the rest of it on its own, outside the transaction).
        case broken
    }

    private init(handle: OpaquePointer) { self.handle = handle }

    deinit { PQfinish(handle) }

    /// Connects by a conninfo string (`host=/run/x dbname=y`) or URI (`postgresql://…`),
    /// optionally to another `database` on the same server. Waits at most `timeoutSeconds` for
    /// the server unless the string sets `connect_timeout`.
    public static func connect(_ conninfo: String, database: String? = nil, timeoutSeconds: Int = 5) async throws -> PGConnection {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try connectBlocking(conninfo, database: database, timeoutSeconds: timeoutSeconds) })
            }
        }
    }

    private static func connectBlocking(_ conninfo: String, database: String?, timeoutSeconds: Int) throws -> PGConnection {
        // Keywords are processed in order, the last value winning: defaults come before the
        // expanded conninfo, what Yilian relies on comes after it. Only the first dbname is
        // expanded as a conninfo; a second one is a plain database name.
        var pairs: [(String, String)] = [
            ("connect_timeout", String(timeoutSeconds)),
            ("application_name", "yilian"),
            ("dbname", conninfo),
            ("client_encoding", "UTF8"),
        ]
        if let database { pairs.append(("dbname", database)) }
        let keywords = pairs.map { strdup($0.0) }
        let values = pairs.map { strdup($0.1) }
        defer {
            keywords.forEach { free($0) }
            values.forEach { free($0) }
        }
        let keywordPointers = keywords.map { UnsafePointer($0) } + [nil]
        let valuePointers = values.map { UnsafePointer($0) } + [nil]
        guard let raw = PQconnectdbParams(keywordPointers, valuePointers, 1) else {
            throw PGError(.connectionFailed, message: "out of memory while connecting")
        }
        let connection = PGConnection(handle: raw)  // owns `raw` from here on, even on failure
        // Server notices and farewell messages must not reach stderr: errors are reported as
        // PGError, and logs are Yilian's own.
        PQsetNoticeProcessor(raw, { _, _ in }, nil)
        guard PQstatus(raw) == CONNECTION_OK else {
            throw PGError(.connectionFailed, message: connection.lastErrorMessage)
        }
        try connection.configureSession()
        return connection
    }

    /// Session settings the decoders rely on.
    private func configureSession() throws {
        _ = try runBlocking(sql: "SET DateStyle TO ISO; SET IntervalStyle TO iso_8601", parameters: nil)
    }

    private var lastErrorMessage: String {
        String(cString: PQerrorMessage(handle)).trimmingTrailingWhitespace()
    }

    /// Runs one statement with `$1`, `$2`, … parameters.
    @discardableResult
    public func query(_ sql: String, _ parameters: [any PGEncodable] = []) async throws -> PGResult {
        let texts = try parameters.map { try $0.pgText() }
        return try await onQueue { try self.runBlocking(sql: sql, parameters: texts) }
    }

    /// Runs static SQL text that may hold several statements (migrations). Never pass values in
    /// it: use `query` with parameters.
    public func runScript(_ sql: String) async throws {
        _ = try await onQueue { try self.runBlocking(sql: sql, parameters: nil) }
    }

    /// Starts a transaction. Its `BEGIN` is sent together with the first statement.
    func beginTransaction(_ isolation: PGIsolation) async throws {
        try await onQueue { self.transaction = .pending(begin: "BEGIN ISOLATION LEVEL \(isolation.rawValue)") }
    }

    /// Commits or rolls back the transaction; nothing is sent when it ran no statement. Committing
    /// a transaction whose connection broke fails: none of it was committed.
    func endTransaction(commit: Bool) async throws {
        try await onQueue {
            switch self.transaction {
            case .none, .pending:
                self.transaction = .none
            case .broken:
                self.transaction = .none
                if commit { throw PGError(.connectionLost, message: "the connection broke inside the transaction") }
            case .open:
                // Still open while it runs: a break now must not be retried on a new session.
                defer { self.transaction = .none }
                _ = try self.runBlocking(sql: commit ? "COMMIT" : "ROLLBACK", parameters: nil)
            }
        }
    }

    /// Whether the connection is usable now (it may still break on the next call).
    public var isHealthy: Bool {
        get async { await (try? onQueue { PQstatus(self.handle) == CONNECTION_OK }) ?? false }
    }

    /// Runs `work` on the connection's executor: inline when the task already prefers it (as
    /// inside `PGPool.withConnection`), else after one hop there.
    private func onQueue<T: Sendable>(_ work: @Sendable () throws -> T) async throws -> T {
        try await withTaskExecutorPreference(executor) { try work() }
    }

    /// Re-establishes a connection found broken before it is used again. A query that failed
    /// because the connection broke under it is never sent again: its effect is unknown.
    private func ensureConnected() throws {
        switch transaction {
        case .broken: throw PGError(.connectionLost, message: "the connection broke inside the transaction")
        // A break inside a transaction must fail it (the statement finds out), never be papered
        // over by a new session.
        case .open: return
        case .none, .pending: break
        }
        if PQstatus(handle) == CONNECTION_OK {
            if PQtransactionStatus(handle) != PQTRANS_IDLE { return }
            // Reading pending input notices a connection the server closed while it was idle: the
            // first read takes its farewell message, the second finds the end of the stream.
            if PQconsumeInput(handle) == 1, PQconsumeInput(handle) == 1 { return }
        }
        try renewSession()
    }

    private func renewSession() throws {
        PQreset(handle)
        prepared = [:]
        guard PQstatus(handle) == CONNECTION_OK else {
            throw PGError(.connectionFailed, message: lastErrorMessage)
        }
        try configureSession()
    }

    /// Must run on `executor`. `parameters == nil` means a parameterless multi-statement script.
    /// Statements with parameters are prepared once per session and then only executed, so the
    /// server parses and plans each of them once.
    private func runBlocking(sql: String, parameters: [String?]?) throws -> PGResult {
        try ensureConnected()
        var begin: String?
        if case .pending(let text) = transaction {
            begin = text
            transaction = .open
        }
        do {
            return try runStatement(sql: sql, parameters: parameters, after: begin)
        } catch let error as PGError where error.kind == .connectionLost {
            if case .open = transaction { transaction = .broken }
            throw error
        }
    }

    /// Runs the statement, preceded by `begin` when the transaction starts with it.
    private func runStatement(sql: String, parameters: [String?]?, after begin: String?) throws -> PGResult {
        guard let parameters else { return try check(PQexec(handle, begin.map { "\($0); \(sql)" } ?? sql)) }
        let cStrings = parameters.map { $0.map { strdup($0) } ?? nil }
        defer { cStrings.forEach { free($0) } }
        let pointers = cStrings.map { UnsafePointer($0) }
        let count = Int32(parameters.count)
        if let begin { return try runPipelined(begin: begin, sql: sql, count: count, values: pointers) }
        var name = prepared[sql]
        if name == nil && prepared.count < Self.preparedLimit {
            let next = "yilian_\(prepared.count + 1)"
            _ = try check(PQprepare(handle, next, sql, count, nil))
            prepared[sql] = next
            name = next
        }
        if let name { return try check(PQexecPrepared(handle, name, count, pointers, nil, nil, 0)) }
        return try check(PQexecParams(handle, sql, count, nil, pointers, nil, nil, 0))
    }

    /// Sends `begin`, the statement (prepared first if it is new) and a sync in one go (libpq
    /// pipeline mode), then reads every result: the statement's, or the first error.
    private func runPipelined(begin: String, sql: String, count: Int32, values: [UnsafePointer<CChar>?]) throws -> PGResult {
        guard PQenterPipelineMode(handle) == 1 else { throw PGError(.connectionLost, message: lastErrorMessage) }
        var name = prepared[sql]
        var preparing: String?
        if name == nil && prepared.count < Self.preparedLimit {
            preparing = "yilian_\(prepared.count + 1)"
            name = preparing
        }
        var sent = PQsendQueryParams(handle, begin, 0, nil, nil, nil, nil, 0) == 1
        if let preparing { sent = sent && PQsendPrepare(handle, preparing, sql, count, nil) == 1 }
        if let name {
            sent = sent && PQsendQueryPrepared(handle, name, count, values, nil, nil, 0) == 1
        } else {
            sent = sent && PQsendQueryParams(handle, sql, count, nil, values, nil, nil, 0) == 1
        }
        sent = sent && PQpipelineSync(handle) == 1
        // Each command's result is followed by a null; after the last, the sync's result. An
        // error aborts the commands after it, which then report PGRES_PIPELINE_ABORTED.
        var outcomes: [Result<PGResult, any Error>] = []
        if sent {
            for _ in 0..<(preparing == nil ? 2 : 3) {
                let raw = PQgetResult(handle)
                outcomes.append(Result { try check(raw) })
                guard raw != nil else { break }
                while let extra = PQgetResult(handle) { PQclear(extra) }
            }
            if let sync = PQgetResult(handle) { PQclear(sync) }
        }
        guard PQexitPipelineMode(handle) == 1, sent else {
            // Unsent or unread: the session is in an unknown state and is replaced (the
            // transaction is then broken, so nothing else of it runs on the new one).
            let message = lastErrorMessage
            try? renewSession()
            throw PGError(.connectionLost, message: message)
        }
        if let preparing, outcomes.count == 3, case .success = outcomes[1] { prepared[sql] = preparing }
        for case .failure(let error) in outcomes { throw error }
        return try outcomes[outcomes.count - 1].get()
    }

    /// Takes ownership of `raw` and returns it, or throws its error (read before it is cleared).
    private func check(_ raw: OpaquePointer?) throws -> PGResult {
        guard let raw else {
            throw PGError(PQstatus(handle) == CONNECTION_OK ? .server : .connectionLost, message: lastErrorMessage)
        }
        let result = PGResult(owning: raw)
        switch PQresultStatus(raw) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY:
            return result
        default:
            // Read every error field before `result` is released (and the PGresult cleared).
            func field(_ code: UInt8) -> String? {
                PQresultErrorField(raw, Int32(code)).map { String(cString: $0) }
            }
            let message = field(UInt8(ascii: "M")) ?? String(cString: PQresultErrorMessage(raw))
            let lost = PQstatus(handle) != CONNECTION_OK
            throw PGError(
                lost ? .connectionLost : .server,
                sqlState: field(UInt8(ascii: "C")).map(SQLState.init(rawValue:)),
                message: message.trimmingTrailingWhitespace(),
                detail: field(UInt8(ascii: "D")),
                constraint: field(UInt8(ascii: "n")))
        }
    }
}

extension String {
    fileprivate func trimmingTrailingWhitespace() -> String {
        var text = self
        while let last = text.last, last.isWhitespace { text.removeLast() }
        return text
    }
}
