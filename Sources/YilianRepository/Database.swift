import Logging
import Synchronization
import YilianCore
import YilianPostgres

/// Whom a session's statements run as (SPEC §6).
public enum SessionRole: Sendable, Equatable {
    /// The role the connection logged in as.
    case login
    /// A registered user (or `yilian_platform`), which the owner's session becomes.
    case user(String)

    /// The platform administrator's role: sees no patient data.
    public static let platform = SessionRole.user("yilian_platform")
}

/// Who a connection logged in as.
public enum Login: Sendable, Equatable {
    /// The database's owner (or a superuser): trusted to act as any registered user.
    case owner
    /// A registered user, who acts as itself only.
    case user(Actor)
}

/// The repository's handle on one PostgreSQL database: a pool of connections whose failures are
/// turned into `YilianError`s. Server details go to the log (at `debug`), never to the user.
public final class Database: Sendable {
    public let pool: PGPool
    private let logger: Logger
    private let knownLogin = Mutex<Login?>(nil)
    /// Whether the URI names several servers (a formation, SPEC §12).
    private let isFormation: Bool

    /// `checkSchema` refuses every new connection to a database whose schema is not current.
    public init(conninfo: String, database: String? = nil, capacity: Int = 1, checkSchema: Bool = true, logger: Logger) {
        self.logger = logger
        isFormation = ((try? PGConnection.servers(in: conninfo)) ?? []).count > 1
        pool = PGPool(conninfo: conninfo, database: database, capacity: capacity) { connection in
            if checkSchema { try await Migrator().ensureCurrent(on: connection) }
        }
    }

    /// A connection this task works on, of one database's pool: only work on that database
    /// joins it (the reads of a standby do not join the primary's, SPEC §12).
    struct Joined: Sendable {
        let pool: PGPool
        let connection: PGConnection
    }

    /// The transaction this task runs in, if any: work started inside a transaction joins it
    /// instead of leasing another connection.
    @TaskLocal static var inTransaction: Joined?

    /// Whether this task runs inside a transaction (work started now joins it, and is committed
    /// only when that transaction is).
    public static var isInTransaction: Bool { inTransaction != nil }

    /// The connection this task holds for a run of work (see `holdingConnection`), if any.
    @TaskLocal static var holding: Joined?

    /// This database's connection of the transaction this task runs in, if any.
    private var current: PGConnection? { Self.inTransaction.flatMap { $0.pool === pool ? $0.connection : nil } }
    /// This database's connection this task holds, if any.
    private var held: PGConnection? { Self.holding.flatMap { $0.pool === pool ? $0.connection : nil } }

    /// Leases one connection for all of `body`, which runs on that connection's executor: every
    /// transaction inside uses it, with no lease and no thread hop of its own. Throws only when
    /// no connection can be had (the database is unavailable, or its schema is not current).
    public func holdingConnection(_ body: @Sendable () async -> Void) async throws {
        do {
            try await pool.withConnection { connection in
                await Self.$holding.withValue(Joined(pool: pool, connection: connection)) { await body() }
            }
        } catch {
            throw map(error, as: .login)
        }
    }

    /// Runs `body` on a connection of its own after `listen` (a fixed statement that listens,
    /// with its `parameters`), as the session's own login (not a user a pooled connection last
    /// acted for), with a `Listener`. A lost connection is `database_unavailable`, like any other;
    /// cancellation stays a cancellation.
    func listening<T: Sendable>(
        _ listen: String, _ parameters: [any PGEncodable], _ body: @Sendable (Listener) async throws -> T
    ) async throws -> T {
        do {
            return try await pool.withConnection { connection in
                try await Self.become(.login, on: connection)
                try await connection.execute(listen, parameters)
                return try await body(Listener(connection: connection, listen: listen, parameters: parameters))
            }
        } catch let error as CancellationError {
            throw error
        } catch {
            throw map(error, as: .login)
        }
    }

    /// A connection that listens for notifications.
    public struct Listener: Sendable {
        let connection: PGConnection
        let listen: String
        let parameters: [any PGEncodable]

        /// Waits at most `seconds` for a notification; true when one came.
        public func wait(_ seconds: Double) async throws -> Bool { try await connection.waitForNotification(timeout: seconds) }

        /// Stops listening for `seconds`, so that a burst of commits wakes nobody, then listens
        /// again: what committed meanwhile is for the caller to read.
        public func rest(_ seconds: Double) async throws {
            try await connection.execute("UNLISTEN *")
            try await Task.sleep(for: .seconds(seconds))
            try await connection.execute(listen, parameters)
        }
    }

    /// Who this database's connections log in as: asked once, on the first connection.
    public func login() async throws -> Login {
        if let login = knownLogin.withLock({ $0 }) { return login }
        let login = try await withConnection(as: .login) { connection -> Login in
            let row = try await connection.query(
                """
                SELECT session_user::text AS login,
                       (SELECT rolsuper FROM pg_roles WHERE rolname = session_user)
                       OR pg_has_role(session_user, (SELECT datdba FROM pg_database WHERE datname = current_database()), 'MEMBER') AS owner
                """)[0]
            let name: String = try row.decode("login")
            if try row.decode("owner") { return .owner }
            guard let actor = Actor(parsing: name) else {
                throw YilianError(.forbidden, Text("db.notUser", name))
            }
            return .user(actor)
        }
        knownLogin.withLock { $0 = login }
        return login
    }

    /// Runs `body` on one leased connection (or the current transaction's, or the held one),
    /// its statements as `role` (a joined transaction keeps the role it began with).
    public func withConnection<T: Sendable>(as role: SessionRole, _ body: @Sendable (DatabaseSession) async throws -> T) async throws -> T {
        do {
            if let connection = current { return try await body(DatabaseSession(connection)) }
            if let connection = held {
                try await Self.become(role, on: connection)
                return try await body(DatabaseSession(connection))
            }
            return try await pool.withConnection { connection in
                try await Self.become(role, on: connection)
                return try await body(DatabaseSession(connection))
            }
        } catch let error as PGError where error.sqlState == .notARegisteredUser {
            guard case .user(let name) = role else { throw YilianError.internalFailure }
            throw await notRegistered(name)
        } catch {
            throw map(error, as: role)
        }
    }

    /// `name` acts as nobody: the login the session may see nearest to it, if one is within two
    /// edits (a mistyped `--as`), is named.
    private func notRegistered(_ name: String) async -> YilianError {
        let logins = try? await withConnection(as: .login) { session in
            try await session.query("SELECT login FROM users WHERE enabled").rows.map { try $0.decode("login", as: String.self) }
        }
        guard let closest = Codes.closest(to: name, among: logins ?? []) else {
            return YilianError(.forbidden, Text("error.notRegistered", name))
        }
        return YilianError(.forbidden, Text("error.notRegisteredMaybe", name, closest))
    }

    private static func become(_ role: SessionRole, on connection: PGConnection) async throws {
        switch role {
        case .login: try await connection.setSessionState("SELECT set_config('role', 'none', false)", [])
        case .user(let name): try await connection.setSessionState("SELECT yilian_act_as($1)", [name])
        }
    }

    /// Runs `body` in one transaction as `role` (retried on serialization failures and
    /// deadlocks). Inside another transaction of this task, `body` simply joins it.
    @discardableResult
    public func transaction<T: Sendable>(
        as role: SessionRole, _ isolation: PGIsolation = .readCommitted, _ body: @Sendable @escaping (DatabaseSession) async throws -> T
    ) async throws -> T {
        if let connection = current { return try await withConnection(as: role) { _ in try await body(DatabaseSession(connection)) } }
        return try await withConnection(as: role) { session in
            try await session.connection.transaction(isolation) { connection in
                try await Self.$inTransaction.withValue(Joined(pool: pool, connection: connection)) {
                    try await body(DatabaseSession(connection, beganTransaction: true))
                }
            }
        }
    }

    private func map(_ error: any Error, as role: SessionRole) -> YilianError {
        switch error {
        case let error as YilianError:
            return error
        case let error as PGError where error.sqlState == .insufficientPrivilege:
            return YilianError(.forbidden, Text("error.notYours"))
        // No server where one answered before (its login is known), or at any server of a
        // formation: restarted, or between primaries; not a setup mistake, so a call waits for it
        // (SPEC §12).
        case let error as PGError where error.connectionProblem == .noServer && (isFormation || knownLogin.withLock({ $0 }) != nil):
            return YilianError(.databaseUnavailable, Text("db.unavailable"))
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

/// The database session a use case runs on, as the services hold it: opaque to them; the
/// repositories run their statements on it.
public struct DatabaseSession: Sendable {
    let connection: PGConnection
    /// Whether this session began the transaction it runs in (not one that joined another's).
    let beganTransaction: Bool

    init(_ connection: PGConnection, beganTransaction: Bool = false) {
        self.connection = connection
        self.beganTransaction = beganTransaction
    }

    @discardableResult
    func query(_ sql: String, _ parameters: [any PGEncodable] = []) async throws -> PGResult {
        try await connection.query(sql, parameters)
    }

    /// Runs the last statement of the use case: when this session began the transaction, with
    /// the transaction's commit, in one round trip (nothing may follow it); else as `query`.
    func queryFinishing(_ sql: String, _ parameters: [any PGEncodable] = []) async throws -> PGResult {
        beganTransaction ? try await connection.queryCommitting(sql, parameters) : try await connection.query(sql, parameters)
    }

    func queries(_ statements: [(sql: String, parameters: [any PGEncodable])]) async throws -> [PGResult] {
        try await connection.queries(statements)
    }

    func queries<T: Sendable>(
        _ statements: [(sql: String, parameters: [any PGEncodable])], transform: @Sendable (Int, PGResult) throws -> T
    ) async throws -> [T] {
        try await connection.queries(statements, transform: transform)
    }

    func encryptPassword(_ password: String, user: String) async throws -> String {
        try await connection.encryptPassword(password, user: user)
    }
}

extension YilianError {
    /// The domain error for a PostgreSQL error that the repository did not handle itself.
    public init(pgError error: PGError) {
        // A setup mistake is said as such: trying again would not help.
        switch error.connectionProblem {
        case .badConnectionString?:
            self.init(.databaseUnavailable, Text("db.badURL"))
            return
        case .noServer?:
            self.init(.databaseUnavailable, Text("db.noServer"))
            return
        case .unknownDatabase?:
            self.init(.databaseUnavailable, Text("db.unknownDatabase"))
            return
        case .loginRefused?:
            self.init(.databaseUnavailable, Text("db.loginRefused"))
            return
        case .tooManyConnections(let role)?:
            self.init(.databaseUnavailable, Text("db.tooManyConnections", role))
            return
        case nil:
            break
        }
        if error.isUnavailable {
            // Lost in use (the connection broke, or the server ended the session): what was sent
            // may or may not have been done. Not reached at all: nothing was.
            self.init(.databaseUnavailable, Text(error.kind == .connectionFailed ? "db.unavailable" : "db.lost"))
            return
        }
        switch error.sqlState {
        case .uniqueViolation?:
            self.init(.alreadyExists, Text("db.exists"))
        case .serializationFailure?, .deadlockDetected?, .lockNotAvailable?:
            self.init(.conflict, Text("db.conflict"))
        default:
            self = .internalFailure
        }
    }
}
