import YilianCore
import YilianPostgres

/// One schema migration carried inside the binary (from `sql/NNNN_name.sql`).
public struct Migration: Sendable, Equatable {
    public var version: Int
    public var name: String
    public var sql: String

    public init(version: Int, name: String, sql: String) {
        self.version = version
        self.name = name
        self.sql = sql
    }

    /// Every migration of this build, in version order.
    public static let all: [Migration] = embeddedMigrationFiles.map { file in
        // The build refuses a file whose name does not start with its version number.
        let digits = file.name.prefix { $0.isNumber }
        return Migration(version: Int(digits) ?? 0, name: file.name, sql: file.sql)
    }

    public static var latestVersion: Int { all.last?.version ?? 0 }
}

/// How a database's schema compares with this build's migrations.
public struct SchemaStatus: Sendable, Equatable, Codable {
    /// Versions recorded in `schema_migrations`.
    public var applied: [Int]
    /// This build's versions.
    public var available: [Int]

    public init(applied: [Int], available: [Int]) {
        self.applied = applied
        self.available = available
    }

    public var pending: [Int] { available.filter { !applied.contains($0) } }
    /// Applied versions this build does not know: the database belongs to a newer yilian.
    public var unknown: [Int] { applied.filter { !available.contains($0) } }
    public var isCurrent: Bool { pending.isEmpty && unknown.isEmpty }
}

/// Applies and checks migrations. Each file runs in its own transaction; applied files are
/// recorded with a SHA-256 checksum of their text, and a changed file is refused.
public struct Migrator: Sendable {
    public var migrations: [Migration]

    public init(migrations: [Migration] = Migration.all) { self.migrations = migrations }

    /// Every command checks this first: one statement, one round trip (a database never
    /// migrated has no `schema_migrations`, so nothing applied).
    public func status(on connection: PGConnection) async throws -> SchemaStatus {
        var applied: [Int] = []
        do {
            let rows = try await connection.query("SELECT version FROM schema_migrations ORDER BY version")
            applied = try rows.rows.map { try $0.decode("version", as: Int.self) }
        } catch let error as PGError where error.sqlState == .undefinedTable {}
        return SchemaStatus(applied: applied, available: migrations.map(\.version))
    }

    /// Refuses a database whose schema is not exactly this build's.
    public func ensureCurrent(on connection: PGConnection) async throws {
        let status = try await status(on: connection)
        if let newer = status.unknown.last {
            throw YilianError(
                .databaseUnavailable,
                Text("db.schemaNewer", newer, Migration.latestVersion))
        }
        if !status.pending.isEmpty {
            throw YilianError(
                .databaseUnavailable,
                Text("db.schemaBehind", status.pending.count))
        }
    }

    /// Applies every pending migration; returns those applied now.
    @discardableResult
    public func migrate(on connection: PGConnection) async throws -> [Migration] {
        try await createTable(on: connection)
        try await verifyChecksums(on: connection)
        // PL/pgSQL loaded in this session first: until it is, its settings (`plpgsql.…`, which the
        // owner's functions fix, 0043) are placeholders PostgreSQL will not let the owner set on a
        // function, and a migration that comes first in a session (an upgrade) failed on them.
        try await connection.runScript("DO $$BEGIN END$$")
        var appliedNow: [Migration] = []
        for migration in migrations {
            let applied = try await connection.transaction { connection in
                // Serializes migrators: a lock on the table that users, who may only read it,
                // cannot take (an advisory lock, which any login may take and hold while idle,
                // held the migrations back).
                try await connection.runScript("LOCK TABLE schema_migrations IN SHARE ROW EXCLUSIVE MODE")
                let done = try await connection.query(
                    "SELECT 1 FROM schema_migrations WHERE version = $1", [migration.version])
                if done.rowCount > 0 { return false }
                try await connection.runScript(migration.sql)
                try await connection.query(
                    """
                    INSERT INTO schema_migrations (version, name, checksum)
                    VALUES ($1, $2, encode(sha256(convert_to($3, 'UTF8')), 'hex'))
                    """, [migration.version, migration.name, migration.sql])
                return true
            }
            if applied { appliedNow.append(migration) }
        }
        return appliedNow
    }

    /// Creates `schema_migrations` when missing. `CREATE TABLE IF NOT EXISTS` is not safe against
    /// a creator at the same moment: the loser's error means the table is there (a duplicate key
    /// in the catalogue, the table, or its row type, as the two happen to cross).
    private func createTable(on connection: PGConnection) async throws {
        do {
            try await connection.runScript(
                """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version integer PRIMARY KEY,
                    name text NOT NULL,
                    checksum text NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now()
                )
                """)
        } catch let error as PGError
            where error.sqlState == .uniqueViolation || error.sqlState == .duplicateTable || error.sqlState == .duplicateObject
        {}
    }

    /// `status(on:)` of the database at `conninfo`, on a connection of its own (the schema may be
    /// behind, so a pool's check is not wanted).
    public func status(conninfo: String) async throws -> SchemaStatus {
        try await Self.connected(conninfo) { try await status(on: $0) }
    }

    /// `migrate(on:)` of the database at `conninfo`, on a connection of its own.
    public func migrate(conninfo: String) async throws -> [Migration] {
        try await Self.connected(conninfo) { try await migrate(on: $0) }
    }

    private static func connected<T>(_ conninfo: String, _ body: (PGConnection) async throws -> T) async throws -> T {
        do {
            return try await body(try await PGConnection.connect(conninfo))
        } catch let error as PGError {
            throw YilianError(pgError: error)
        }
    }

    /// Compares every applied migration with this build's text of it.
    private func verifyChecksums(on connection: PGConnection) async throws {
        let rows = try await connection.query(
            """
            SELECT m.name, m.checksum = encode(sha256(convert_to(e.sql, 'UTF8')), 'hex') AS unchanged
            FROM schema_migrations m JOIN unnest($1::int[], $2::text[]) AS e(version, sql) USING (version)
            ORDER BY m.version
            """, [migrations.map(\.version), migrations.map(\.sql)])
        for row in rows.rows where try !row.decode("unchanged", as: Bool.self) {
            let name = try row.decode("name", as: String.self)
            throw YilianError(
                .internal,
                Text("db.migrationChanged", name))
        }
    }
}
