import ArgumentParser
import Foundation
import YilianCore
import YilianServices

struct DatabaseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db",
        abstract: Help.text("Manage the database: the embedded default, or the one YILIAN_DATABASE_URL names."),
        subcommands: [Start.self, Stop.self, Status.self, Migrate.self, URLCommand.self])

    /// The embedded cluster, or a refusal when an external database is configured.
    static func embedded(_ options: DatabaseOptions, for action: String) throws -> EmbeddedCluster {
        switch options.location {
        case .embedded(let cluster): return cluster
        case .url:
            throw YilianError(
                .invalidParams,
                Text("db.externalOnly", action))
        }
    }

    struct StartResult: Encodable {
        var started: Bool
        var home: String
        var url: String
    }

    struct Start: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "start", abstract: Help.text("Start the embedded PostgreSQL (created and migrated on first use)."))
        @OptionGroup(title: Help.text("Global options")) var output: JSONOption
        @OptionGroup(title: Help.text("Global options")) var options: DatabaseOptions

        func run() async throws {
            try await CommandContext.run(options, json: output.json) { context in
                let cluster = try DatabaseCommand.embedded(options, for: "start")
                let started = try await cluster.start()
                _ = try await context.openDatabase()  // migrates
                let result = StartResult(started: started, home: cluster.home.path, url: cluster.url)
                try context.output(result) { Language.current(started ? "notice.started" : "notice.alreadyRunning", cluster.home.path) }
            }
        }
    }

    struct StopResult: Encodable {
        var stopped: Bool
        var home: String
    }

    struct Stop: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "stop", abstract: Help.text("Stop the embedded PostgreSQL."))
        @OptionGroup(title: Help.text("Global options")) var output: JSONOption
        @OptionGroup(title: Help.text("Global options")) var options: DatabaseOptions

        func run() async throws {
            try await CommandContext.run(options, json: output.json) { context in
                let cluster = try DatabaseCommand.embedded(options, for: "stop")
                let stopped = try cluster.stop()
                try context.output(StopResult(stopped: stopped, home: cluster.home.path)) {
                    stopped
                        ? Language.current("notice.stopped", cluster.home.path)
                        : Language.current("notice.notRunning", cluster.home.path)
                }
            }
        }
    }

    struct StatusResult: Encodable {
        var embedded: Bool
        /// `running`, `stopped`, `not_created` (embedded) or `reachable` (external).
        var state: String
        var home: String?
        var pid: Int?
        var url: String
        var schema: SchemaStatus?
        /// A formation's servers (a multi-host URL).
        var servers: [ServerStatus]?
    }

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "status",
            abstract: Help.text("Say whether the database is running and whether its schema is current."))
        @OptionGroup(title: Help.text("Global options")) var output: JSONOption
        @OptionGroup(title: Help.text("Global options")) var options: DatabaseOptions

        func run() async throws {
            try await CommandContext.run(options, json: output.json) { context in
                var result: StatusResult
                switch options.location {
                case .embedded(let cluster):
                    let state = try cluster.state()
                    result = StatusResult(embedded: true, state: "stopped", home: cluster.home.path, url: cluster.url)
                    switch state {
                    case .notCreated: result.state = "not_created"
                    case .stopped: result.state = "stopped"
                    case .running(let pid):
                        result.state = "running"
                        result.pid = pid
                        result.schema = try await Services.schemaStatus(conninfo: cluster.url)
                    }
                case .url(let url):
                    result = StatusResult(embedded: false, state: "reachable", url: url)
                    result.servers = try await Services.servers(conninfo: url)
                    result.schema = try await Services.schemaStatus(conninfo: url)
                }
                try context.output(result) { describe(result) }
            }
        }

        private func describe(_ result: StatusResult) -> String {
            let language = Language.current
            var rows = [
                (language("dbStatus.database"), language(result.embedded ? "dbStatus.embedded" : "dbStatus.external")),
                (language("dbStatus.state"), language.word("dbState", result.state)),
            ]
            if let home = result.home { rows.append((language("dbStatus.home"), home)) }
            if let pid = result.pid { rows.append((language("dbStatus.pid"), String(pid))) }
            rows.append((language("dbStatus.url"), result.url))
            if let schema = result.schema {
                let verdict = schema.isCurrent ? "dbStatus.current" : (schema.unknown.isEmpty ? "dbStatus.behind" : "dbStatus.newer")
                rows.append(
                    (
                        language("dbStatus.schema"),
                        language("dbStatus.migrations", schema.applied.count, schema.available.count, language(verdict))
                    ))
            }
            guard let servers = result.servers else { return TextTable.keyValue(rows) }
            let table = TextTable(
                headers: [language("dbStatus.server"), language("dbStatus.role"), language("dbStatus.lag")],
                rows: servers.map { server in
                    let lag = server.lagBytes.map { bytes in
                        server.lagSeconds.map { language("dbStatus.lagBoth", bytes, String(format: "%.1f", $0)) }
                            ?? language("dbStatus.lagBytes", bytes)
                    }
                    return [server.server, language.word("serverRole", server.role.rawValue), lag ?? ""]
                })
            return TextTable.keyValue(rows) + "\n\n" + table.render()
        }
    }

    struct MigrateResult: Encodable {
        var applied: [String]
        var schemaVersion: Int
    }

    struct Migrate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "migrate", abstract: Help.text("Apply the migrations this yilian carries that the database lacks."))
        @OptionGroup(title: Help.text("Global options")) var output: JSONOption
        @OptionGroup(title: Help.text("Global options")) var options: DatabaseOptions

        func run() async throws {
            try await CommandContext.run(options, json: output.json) { context in
                if case .embedded(let cluster) = options.location, try await cluster.start() {
                    Stderr.print(Language.current("notice.started", cluster.home.path))
                }
                let applied = try await Services.migrate(conninfo: options.location.conninfo)
                let result = MigrateResult(applied: applied.map(\.name), schemaVersion: Migration.latestVersion)
                try context.output(result) {
                    applied.isEmpty
                        ? Language.current("migrate.current", Migration.latestVersion)
                        : TextTable(
                            headers: [Language.current("migrate.version"), Language.current("migrate.name")],
                            rows: applied.map { [String($0.version), $0.name] }
                        ).render()
                }
            }
        }
    }

    struct URLCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "url", abstract: Help.text("Print the connection URI in use (for psql or pg_dump)."))
        @OptionGroup(title: Help.text("Global options")) var output: JSONOption
        @OptionGroup(title: Help.text("Global options")) var options: DatabaseOptions

        func run() async throws {
            try await CommandContext.run(options, json: output.json) { context in
                let url = options.location.conninfo
                try context.output(["url": url]) { url }
            }
        }
    }
}
