import YilianCore
import YilianPostgres
import YilianRepository

extension Services {
    /// Which of the migrations this build carries the database at `conninfo` has applied.
    public static func schemaStatus(conninfo: String) async throws -> SchemaStatus {
        try await withSchema(conninfo) { try await Migrator().status(on: $0) }
    }

    /// Applies the migrations the database at `conninfo` lacks; returns them.
    public static func migrate(conninfo: String) async throws -> [Migration] {
        try await withSchema(conninfo) { try await Migrator().migrate(on: $0) }
    }

    /// Runs `body` on a connection of its own (the schema may be behind, so the pool's check is
    /// not wanted); a database error becomes the user's error.
    private static func withSchema<T>(_ conninfo: String, _ body: (PGConnection) async throws -> T) async throws -> T {
        do {
            return try await body(try await PGConnection.connect(conninfo))
        } catch let error as PGError {
            throw YilianError(pgError: error)
        }
    }
}
