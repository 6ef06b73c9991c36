import Foundation
import Logging
import YilianCore
import YilianPostgres

/// Where Yilian's data lives: the database named by `YILIAN_DATABASE_URL` / `--database-url`,
/// or else the embedded default cluster.
public enum DatabaseLocation: Sendable {
    case url(String)
    case embedded(EmbeddedCluster)

    public static func resolve(
        databaseURL: String?, environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> DatabaseLocation {
        if let url = databaseURL ?? environment["YILIAN_DATABASE_URL"], !url.isEmpty { return .url(url) }
        return .embedded(EmbeddedCluster(home: EmbeddedCluster.defaultHome(environment: environment)))
    }

    /// The connection string in use.
    public var conninfo: String {
        switch self {
        case .url(let url): return url
        case .embedded(let cluster): return cluster.url
        }
    }

    /// Opens the database for commands. The embedded cluster is started when it is not running
    /// (`notice` is told so, in one sentence) and migrated automatically; an external database
    /// whose schema is not current is refused on every new connection.
    public func open(capacity: Int = 1, logger: Logger, notice: (Text) -> Void) async throws -> Database {
        if case .embedded(let cluster) = self {
            try await prepareEmbedded(cluster, notice: notice)
        }
        return Database(conninfo: conninfo, capacity: capacity, logger: logger)
    }

    /// Drops and creates the database `name` on the same server (starting the embedded one if
    /// needed), migrates it, and opens it: for the demo, which must never touch real data.
    public func openFresh(database name: String, logger: Logger, notice: (Text) -> Void) async throws -> Database {
        guard name.allSatisfy({ $0.isASCII && ($0.isLowercase || $0 == "_") }) else {
            throw YilianError(.invalidParams, Text("db.scratchName"))
        }
        let admin: String
        switch self {
        case .embedded(let cluster):
            try await prepareEmbedded(cluster, notice: notice)
            admin = cluster.url(database: "postgres")
        case .url(let url):
            admin = url
        }
        do {
            let connection = try await PGConnection.connect(admin)
            // The name was checked above; database names cannot be parameters.
            try await connection.runScript("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
            try await connection.runScript("CREATE DATABASE \(name)")
            try await Migrator().migrate(on: try await PGConnection.connect(conninfo, database: name))
        } catch let error as PGError {
            throw YilianError(pgError: error)
        }
        return Database(conninfo: conninfo, database: name, logger: logger)
    }

    private func prepareEmbedded(_ cluster: EmbeddedCluster, notice: (Text) -> Void) async throws {
        // Fast path: the server is up; else start it (or recover it after a crash).
        var connection = try? await PGConnection.connect(cluster.url)
        if connection == nil {
            if try await cluster.start() {
                notice(Text("notice.started", cluster.home.path))
            }
            do {
                connection = try await PGConnection.connect(cluster.url)
            } catch let error as PGError {
                throw YilianError(pgError: error)
            }
        }
        guard let connection else { return }
        do {
            let migrator = Migrator()
            if try await !migrator.status(on: connection).isCurrent {
                try await migrator.migrate(on: connection)
            }
        } catch let error as PGError {
            throw YilianError(pgError: error)
        }
    }
}
