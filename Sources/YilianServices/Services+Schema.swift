import YilianCore
import YilianRepository

extension Services {
    /// Which of the migrations this build carries the database at `conninfo` has applied.
    public static func schemaStatus(conninfo: String) async throws -> SchemaStatus {
        try await Migrator().status(conninfo: conninfo)
    }

    /// Applies the migrations the database at `conninfo` lacks; returns them.
    public static func migrate(conninfo: String) async throws -> [Migration] {
        try await Migrator().migrate(conninfo: conninfo)
    }
}
