import CLibpq
import Dispatch

#if canImport(Glibc)
    import Glibc
#endif

/// One libpq connection. It owns its `PGconn` (finished in `deinit`, also after a failed
/// connect) and runs every libpq call on its own serial queue, so the blocking calls never tie up
/// Swift's cooperative threads and two tasks can never use the `PGconn` at the same time.
///
/// Values always travel as parameters (`PQexecParams`); `runScript` exists only for the static
/// SQL text of migrations and session set-up.
public final class PGConnection: @unchecked Sendable {
    private let queue = DispatchQueue(label: "yilian.postgres.connection")
    /// Touched only on `queue`.
    private let handle: OpaquePointer

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

    /// Whether the connection is usable now (it may still break on the next call).
    public var isHealthy: Bool {
        get async { await (try? onQueue { PQstatus(self.handle) == CONNECTION_OK }) ?? false }
    }

    private func onQueue<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async { continuation.resume(with: Result { try work() }) }
        }
    }

    /// Re-establishes a connection found broken before it is used again. A query that failed
    /// because the connection broke under it is never sent again: its effect is unknown.
    private func ensureConnected() throws {
        // Reading pending input notices a connection the server closed while it was idle: the
        // first read takes its farewell message, the second finds the end of the stream.
        if PQstatus(handle) == CONNECTION_OK, PQconsumeInput(handle) == 1, PQconsumeInput(handle) == 1 { return }
        PQreset(handle)
        guard PQstatus(handle) == CONNECTION_OK else {
            throw PGError(.connectionFailed, message: lastErrorMessage)
        }
        try configureSession()
    }

    /// Must run on `queue`. `parameters == nil` means a parameterless multi-statement script.
    private func runBlocking(sql: String, parameters: [String?]?) throws -> PGResult {
        try ensureConnected()
        let raw: OpaquePointer?
        if let parameters {
            let cStrings = parameters.map { $0.map { strdup($0) } ?? nil }
            defer { cStrings.forEach { free($0) } }
            let pointers = cStrings.map { UnsafePointer($0) }
            raw = PQexecParams(handle, sql, Int32(parameters.count), nil, pointers, nil, nil, 0)
        } else {
            raw = PQexec(handle, sql)
        }
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
