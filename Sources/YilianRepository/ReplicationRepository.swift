import YilianCore
import YilianPostgres

/// One server of a formation (SPEC §12, `yilian db status`): its role and, for a standby, how far
/// its replay is behind the primary.
public struct ServerStatus: Sendable, Equatable, Codable {
    public enum Role: String, Sendable, Codable { case primary, standby, unreachable }
    /// `host:port`.
    public var server: String
    public var role: Role
    /// A standby's: the WAL the primary has written that it has not replayed, in bytes (none when
    /// no primary answered).
    public var lagBytes: Int?
    /// A standby's, when it is behind: seconds since the last transaction it replayed (none when
    /// it is caught up, or has replayed none since it started).
    public var lagSeconds: Double?
}

public enum ReplicationRepository {
    /// Each server a multi-host `conninfo` names, asked on a connection of its own (2 s at most
    /// each); nil for a single server.
    public static func servers(conninfo: String) async throws -> [ServerStatus]? {
        let servers = try PGConnection.servers(in: conninfo)
        guard servers.count > 1 else { return nil }
        var found: [(status: ServerStatus, lsn: UInt64?)] = []
        for server in servers {
            guard let connection = try? await PGConnection.connect(conninfo, server: server, timeoutSeconds: 2),
                let row = try? await connection.query(
                    """
                    SELECT pg_is_in_recovery() AS standby,
                           (CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn() ELSE pg_current_wal_lsn() END)::text AS lsn,
                           extract(epoch FROM now() - pg_last_xact_replay_timestamp())::float8 AS replayed_ago
                    """
                ).rows.first
            else {
                found.append((ServerStatus(server: server.name, role: .unreachable), nil))
                continue
            }
            let standby = try row.decode("standby", as: Bool.self)
            var status = ServerStatus(server: server.name, role: standby ? .standby : .primary)
            status.lagSeconds = standby ? try row.decodeIfPresent("replayed_ago", as: Double.self) : nil
            found.append((status, try row.decodeIfPresent("lsn", as: String.self).flatMap(Self.position)))
        }
        let primary = found.first { $0.status.role == .primary }?.lsn
        return found.map { server in
            var status = server.status
            guard status.role == .standby else { return status }
            if let primary, let lsn = server.lsn { status.lagBytes = Int(primary > lsn ? primary - lsn : 0) }
            // Caught up: the time since its last replayed transaction is no lag.
            if status.lagBytes == 0 { status.lagSeconds = nil }
            return status
        }
    }

    /// A WAL position (`0/43F0138`) as a number of bytes.
    static func position(_ lsn: String) -> UInt64? {
        let parts = lsn.split(separator: "/")
        guard parts.count == 2, let high = UInt64(parts[0], radix: 16), let low = UInt64(parts[1], radix: 16) else { return nil }
        return high << 32 | low
    }
}
