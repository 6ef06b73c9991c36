import Logging
import YilianCore
import YilianPostgres

/// The repository's handle on one PostgreSQL database: a pool of connections whose failures are
/// turned into `YilianError`s. Server details go to the log (at `debug`), never to the user.
public final class Database: Sendable {
    public let pool: PGPool
    private let logger: Logger

    /// `checkSchema` refuses every new connection to a database whose schema is not current.
    public init(conninfo: String, database: String? = nil, capacity: Int = 1, checkSchema: Bool = true, logger: Logger) {
        self.logger = logger
        pool = PGPool(conninfo: conninfo, database: database, capacity: capacity) { connection in
            if checkSchema { try await Migrator().ensureCurrent(on: connection) }
        }
    }

    /// The connection of the transaction this task runs in, if any: work started inside a
    /// transaction joins it instead of leasing another connection.
    @TaskLocal static var current: PGConnection?

    /// Whether this task runs inside a transaction (work started now joins it, and is committed
    /// only when that transaction is).
    public static var isInTransaction: Bool { current != nil }

    /// The connection this task holds for a run of work (see `holdingConnection`), if any.
    @TaskLocal static var held: PGConnection?

    /// Leases one connection for all of `body`, which runs on that connection's executor: every
    /// transaction inside uses it, with no lease and no thread hop of its own. Throws only when
    /// no connection can be had (the database is unavailable, or its schema is not current).
    public func holdingConnection(_ body: @Sendable () async -> Void) async throws {
        do {
            try await pool.withConnection { connection in await Self.$held.withValue(connection) { await body() } }
        } catch {
            throw map(error)
        }
    }

    /// Runs `body` on one leased connection (or the current transaction's, or the held one).
    public func withConnection<T: Sendable>(_ body: @Sendable (PGConnection) async throws -> T) async throws -> T {
        do {
            if let connection = Self.current ?? Self.held { return try await body(connection) }
            return try await pool.withConnection(body)
        } catch {
            throw map(error)
        }
    }

    /// Runs `body` in one transaction (retried on serialization failures and deadlocks). Inside
    /// another transaction of this task, `body` simply joins it.
    @discardableResult
    public func transaction<T: Sendable>(
        _ isolation: PGIsolation = .readCommitted, _ body: @Sendable @escaping (PGConnection) async throws -> T
    ) async throws -> T {
        if let connection = Self.current { return try await withConnection { _ in try await body(connection) } }
        return try await withConnection { connection in
            try await connection.transaction(isolation) { connection in
                try await Self.$current.withValue(connection) { try await body(connection) }
            }
        }
    }

    private func map(_ error: any Error) -> YilianError {
        switch error {
        case let error as YilianError:
            return error
        case let error as PGError:
            // No `detail`: it can hold the values of a row, resident IDs among them.
            logger.debug(
                "database error",
                metadata: [
                    "kind": "\(error.kind)", "sqlstate": "\(error.sqlState?.rawValue ?? "-")",
                    "message": "\(error.message)", "constraint": "\(error.constraint ?? "-")",
                ])
            return YilianError(pgError: error)
        default:
            logger.error("unexpected error", metadata: ["error": "\(String(reflecting: type(of: error)))"])
            return .internalFailure
        }
    }
}

extension YilianError {
    /// The domain error for a PostgreSQL error that the repository did not handle itself.
    public init(pgError error: PGError) {
        if error.isUnavailable {
            self.init(.databaseUnavailable, "The database is unavailable right now; try again shortly.")
            return
        }
        switch error.sqlState {
        case .uniqueViolation?:
            self.init(.alreadyExists, "That record already exists.")
        case .serializationFailure?, .deadlockDetected?, .lockNotAvailable?:
            self.init(.conflict, "Someone else changed the same record at the same time; reload it and try again.")
        default:
            self = .internalFailure
        }
    }
}
