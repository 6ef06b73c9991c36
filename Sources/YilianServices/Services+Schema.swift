import YilianCore
import YilianRepository

extension Services {
    /// Which of the migrations this build carries the database at `conninfo` has applied.
    public static func schemaStatus(conninfo: String) async throws -> SchemaStatus {
        try await Migrator().status(conninfo: conninfo)
    }

    /// Each server of a formation's multi-host `conninfo`, its role and a standby's replay lag
    /// (SPEC §12); nil for a single server.
    public static func servers(conninfo: String) async throws -> [ServerStatus]? {
        try await ReplicationRepository.servers(conninfo: conninfo)
    }

    /// Applies the migrations the database at `conninfo` lacks; returns them.
    public static func migrate(conninfo: String) async throws -> [Migration] {
        try await Migrator().migrate(conninfo: conninfo)
    }
}
