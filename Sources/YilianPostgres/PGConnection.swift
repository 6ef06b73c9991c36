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
    let handle: OpaquePointer
    /// Statements prepared in this session, by SQL text → name. Touched only on `executor`.
    var prepared: [String: String] = [:]
    /// Statements beyond this many are run unprepared (SQL texts are fixed, so it is rarely hit).
    static let preparedLimit = 256
    /// Where the session is: its transaction, the statements held for the next round trip, the
    /// role its statements run as. Touched only on `executor`.
    private var session = SessionStateMachine()

    typealias Statement = SessionStateMachine.Statement

    private init(handle: OpaquePointer) { self.handle = handle }

    private static let brokenTransaction = PGError(.connectionLost, message: "the connection broke inside the transaction")

    deinit { PQfinish(handle) }

    /// Connects by a conninfo string (`host=/run/x dbname=y`) or URI (`postgresql://…`),
    /// optionally to another `database` on the same server. Waits at most `timeoutSeconds` for
    /// the server unless the string sets `connect_timeout`.
    /// `server` picks one server of a multi-host conninfo, whatever its role.
    public static func connect(
        _ conninfo: String, database: String? = nil, server: PGServer? = nil, timeoutSeconds: Int = 5
    ) async throws -> PGConnection {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(
                    with: Result { try connectBlocking(conninfo, database: database, server: server, timeoutSeconds: timeoutSeconds) })
            }
        }
    }

    /// The servers `conninfo` names, in order (libpq pairs its `host` and `port` lists; one port
    /// serves every host): one for a single server.
    public static func servers(in conninfo: String) throws -> [PGServer] {
        var message: UnsafeMutablePointer<CChar>?
        guard let options = PQconninfoParse(conninfo, &message) else {
            defer { PQfreemem(message) }
            throw PGError(.connectionFailed, message: message.map { String(cString: $0) } ?? "the connection string cannot be read")
        }
        defer { PQconninfoFree(options) }
        var values: [String: String] = [:]
        var option = options
        while let keyword = option.pointee.keyword {
            if let value = option.pointee.val { values[String(cString: keyword)] = String(cString: value) }
            option += 1
        }
        func list(_ keyword: String) -> [String] {
            (values[keyword] ?? "").split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        }
        let (hosts, ports) = (list("host"), list("port"))
        return hosts.indices.map { PGServer(host: hosts[$0], port: ports.count == hosts.count ? ports[$0] : ports.first ?? "") }
    }

    private static func connectBlocking(_ conninfo: String, database: String?, server: PGServer?, timeoutSeconds: Int) throws
        -> PGConnection
    {
        // Keywords are processed in order, the last value winning: defaults come before the
        // expanded conninfo, what Yilian relies on comes after it. Only the first dbname is
        // expanded as a conninfo; a second one is a plain database name.
        var pairs: [(String, String)] = [
            ("connect_timeout", String(timeoutSeconds)),
            ("application_name", "yilian"),
        ]
        // A server lost without closing its sockets (power, network: a formation's lost node)
        // is found within about 10 s rather than TCP's 15 minutes: keepalives on an idle
        // connection, a limit on unacknowledged data in use (SPEC §12). The URI may set others.
        pairs += Self.liveness
        pairs += [
            ("dbname", conninfo),
            ("client_encoding", "UTF8"),
        ]
        if let database { pairs.append(("dbname", database)) }
        if let server { pairs += [("host", server.host), ("port", server.port), ("target_session_attrs", "any")] }
        let keywords = pairs.map { strdup($0.0) }
        let values = pairs.map { strdup($0.1) }
        defer { for copy in keywords + values { free(copy) } }
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
        _ = try check(PQexec(handle, "SET DateStyle TO ISO; SET IntervalStyle TO iso_8601"))
    }

    /// libpq's keywords that bound how long a lost server goes unnoticed (TCP only).
    static let liveness = [
        ("keepalives", "1"), ("keepalives_idle", "5"), ("keepalives_interval", "2"), ("keepalives_count", "3"),
        ("tcp_user_timeout", "10000"),
    ]

    /// The value libpq uses for `keyword` on this connection (`tcp_user_timeout`).
    func option(_ keyword: String) -> String? {
        guard let options = PQconninfo(handle) else { return nil }
        defer { PQconninfoFree(options) }
        var option = options
        while let name = option.pointee.keyword {
            if String(cString: name) == keyword { return option.pointee.val.map { String(cString: $0) } }
            option += 1
        }
        return nil
    }

    var lastErrorMessage: String {
        String(cString: PQerrorMessage(handle)).trimmingTrailingWhitespace()
    }

    /// Runs one statement with `$1`, `$2`, … parameters.
    @discardableResult
    public func query(_ sql: String, _ parameters: [any PGEncodable] = []) async throws -> PGResult {
        let texts = try parameters.map { try $0.pgText() }
        return try await onQueue { try self.runBlocking(Statement(sql: sql, parameters: texts)) }
    }

    /// Runs several statements in one round trip and returns their results in order; the first
    /// error fails the call. Outside a transaction they run as one implicit transaction.
    public func queries(_ statements: [(sql: String, parameters: [any PGEncodable])]) async throws -> [PGResult] {
        try await queries(statements) { _, result in result }
    }

    /// Like `queries`, returning `transform` of each result (with its statement's index), called
    /// as soon as that result has arrived, while the server still works on the next statements.
    public func queries<T: Sendable>(
        _ statements: [(sql: String, parameters: [any PGEncodable])], transform: @Sendable (Int, PGResult) throws -> T
    ) async throws -> [T] {
        if statements.isEmpty { return [] }
        let statements = try statements.map { Statement(sql: $0.sql, parameters: try $0.parameters.map { try $0.pgText() }) }
        return try await onQueue {
            try self.markingBreaks {
                let unsent = try self.flushStatements()
                var values: [T] = []
                _ = try self.runPipeline(unsent + statements) { index, result in
                    if index >= unsent.count { values.append(try transform(index - unsent.count, result)) }
                }
                return values
            }
        }
    }

    /// Runs one statement and, inside a transaction, commits the transaction with it, in the same
    /// round trip (outside one it runs on its own, as `query`): its result, committed. When either
    /// fails, nothing of the transaction is stored.
    public func queryCommitting(_ sql: String, _ parameters: [any PGEncodable] = []) async throws -> PGResult {
        let statement = Statement(sql: sql, parameters: try parameters.map { try $0.pgText() })
        return try await onQueue {
            switch self.session.committing {
            case .alone: return try self.runBlocking(statement)
            case .fail: throw Self.brokenTransaction
            case .withCommit: break
            }
            defer { self.session.ended() }
            return try self.commit(after: statement)!
        }
    }

    /// Runs a statement whose result is not needed. Inside a transaction it is sent with the
    /// next statement or with the commit, in the same round trip, and its error (if any) fails
    /// the transaction there; outside one it runs at once.
    public func execute(_ sql: String, _ parameters: [any PGEncodable] = []) async throws {
        let statement = Statement(sql: sql, parameters: try parameters.map { try $0.pgText() })
        try await onQueue {
            if !self.session.execute(statement) { _ = try self.runBlocking(statement) }
        }
    }

    /// Runs static SQL text that may hold several statements (migrations). Never pass values in
    /// it: use `query` with parameters.
    public func runScript(_ sql: String) async throws {
        try await onQueue {
            try self.markingBreaks {
                let unsent = try self.flushStatements()
                if !unsent.isEmpty { _ = try self.runPipeline(unsent) }
                _ = try self.check(PQexec(self.handle, sql))
            }
        }
    }

    /// The SCRAM-SHA-256 verifier of `password` for role `user`, computed here: the password
    /// itself never travels to the server.
    public func encryptPassword(_ password: String, user: String) async throws -> String {
        try await onQueue {
            guard let raw = PQencryptPasswordConn(self.handle, password, user, "scram-sha-256") else {
                throw PGError(.server, message: self.lastErrorMessage)
            }
            defer { PQfreemem(raw) }
            return String(cString: raw)
        }
    }

    /// Waits until a notification arrives on a channel this session `LISTEN`s to, or `timeout`
    /// seconds pass; true when one came (every pending one is consumed). Blocks the connection's
    /// own executor only: no other task may use a listening connection anyway.
    public func waitForNotification(timeout: Double) async throws -> Bool {
        try await onQueue {
            func drain() -> Bool {
                var any = false
                while let notice = PQnotifies(self.handle) {
                    PQfreemem(notice)
                    any = true
                }
                return any
            }
            guard PQconsumeInput(self.handle) == 1 else { throw PGError(.connectionLost, message: self.lastErrorMessage) }
            if drain() { return true }
            var descriptor = pollfd(fd: PQsocket(self.handle), events: Int16(POLLIN), revents: 0)
            let ready = poll(&descriptor, 1, Int32(timeout * 1000))
            guard ready > 0 else { return false }
            guard PQconsumeInput(self.handle) == 1 else { throw PGError(.connectionLost, message: self.lastErrorMessage) }
            return drain()
        }
    }

    /// Sets the statement that puts the session in the state its next statements need (e.g.
    /// `SELECT set_config('role', $1, false)`). It is sent in the same round trip as the next
    /// statement, and only when it is not the one in effect; a rollback, an error or a renewed
    /// session makes it unknown, so it is sent again.
    public func setSessionState(_ sql: String, _ parameters: [any PGEncodable]) async throws {
        let statement = Statement(sql: sql, parameters: try parameters.map { try $0.pgText() })
        try await onQueue { self.session.want(statement) }
    }

    /// Starts a transaction. Its `BEGIN` is sent together with the first statement.
    func beginTransaction(_ isolation: PGIsolation) async throws {
        try await onQueue { self.session.begin(isolation.rawValue) }
    }

    /// Commits (with the statements still unsent, in one round trip) or rolls back the
    /// transaction; nothing is sent when it ran no statement. Committing a transaction whose
    /// connection broke fails: none of it was committed.
    func endTransaction(commit: Bool) async throws {
        try await onQueue {
            defer { self.session.ended() }
            // Still open while it runs: a break now must not be retried on a new session.
            switch self.session.end(commit: commit) {
            case .nothing: return
            case .fail: throw Self.brokenTransaction
            case .commit: try self.commit()
            case .rollback: _ = try self.runBlocking(Statement(sql: "ROLLBACK", parameters: [], control: true))
            }
        }
    }

    /// Commits, after `last` when given, in one round trip; `last`'s result.
    @discardableResult
    private func commit(after last: Statement? = nil) throws -> PGResult? {
        do {
            let commit = Statement(sql: "COMMIT", parameters: [], control: true)
            let results = try markingBreaks { try runPipeline(try flushStatements() + [last, commit].compactMap { $0 }) }
            return last == nil ? nil : results[results.count - 2]
        } catch let error as PGError where error.kind != .connectionLost {
            // A statement before the COMMIT failed, so the COMMIT did not run: end the transaction.
            if PQtransactionStatus(handle) != PQTRANS_IDLE { PQclear(PQexec(handle, "ROLLBACK")) }
            session.commitFailed()
            throw error
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
        switch session.beforeSending {
        case .fail: throw Self.brokenTransaction
        // A break inside a transaction must fail it (the statement finds out), never be papered
        // over by a new session.
        case .useAsIs: return
        case .renewIfLost: break
        }
        if PQstatus(handle) == CONNECTION_OK {
            if PQtransactionStatus(handle) != PQTRANS_IDLE { return }
            // Reading pending input notices a connection the server closed while it was idle: the
            // first read takes its farewell message, the second finds the end of the stream.
            if PQconsumeInput(handle) == 1, PQconsumeInput(handle) == 1 { return }
        }
        try renewSession()
    }

    func renewSession() throws {
        PQreset(handle)
        prepared = [:]
        session.renewed()
        guard PQstatus(handle) == CONNECTION_OK else {
            throw PGError(.connectionFailed, message: lastErrorMessage)
        }
        try configureSession()
    }

    /// What the session has not sent yet (`SessionStateMachine.unsent`), taken for sending, after
    /// checking the connection. Must run on `executor`.
    private func flushStatements() throws -> [Statement] {
        try ensureConnected()
        return session.unsent()
    }

    /// Runs `statement` after whatever the transaction has not sent yet, in one round trip.
    /// Statements are prepared once per session and then only executed, so the server parses
    /// and plans each of them once. Must run on `executor`.
    private func runBlocking(_ statement: Statement) throws -> PGResult {
        try markingBreaks { try runPipeline(try flushStatements() + [statement]).last! }
    }

    /// Runs `work`; when it loses the connection inside an open transaction, the transaction is
    /// broken from then on.
    private func markingBreaks<T>(_ work: () throws -> T) throws -> T {
        do {
            return try work()
        } catch let error as PGError where error.kind == .connectionLost {
            session.lost()
            throw error
        } catch {
            session.failed()
            throw error
        }
    }
}

/// One server of a conninfo: its host (a name, an address or a socket directory) and port.
public struct PGServer: Sendable, Equatable, Codable {
    public var host: String
    public var port: String
    public init(host: String, port: String) { (self.host, self.port) = (host, port) }
    /// `host:port`, as people write it.
    public var name: String { port.isEmpty ? host : "\(host):\(port)" }
}
