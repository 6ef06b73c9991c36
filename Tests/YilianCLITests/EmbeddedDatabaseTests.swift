import Foundation
import Testing
import YilianCore
import YilianJSON
import YilianRepository
import YilianTestSupport

#if canImport(Glibc)
    import Glibc
#endif

/// The embedded default database through the `yilian db` commands, each test in its own
/// `YILIAN_HOME`. Run as root here, so the server runs as the `yilian` system account.
@Suite struct EmbeddedDatabaseTests {
    static let versions = JSONValue.array(Migration.all.map { .integer($0.version) })
    static let currentSchema: JSONValue = ["applied": versions, "available": versions]

    func json(_ outcome: YilianBinary.Outcome) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: Data(outcome.stdout.utf8))
    }

    @Test func startStatusURLStopAndStartAgain() async throws {
        let home = try TestPostgres.makeHome("db")
        let environment = ["YILIAN_HOME": home.path]
        defer { _ = try? EmbeddedCluster(home: home).stop(immediate: true) }

        let before = try await YilianBinary.run(["db", "status", "--json"], environment: environment)
        #expect(before.exitCode == 0)
        #expect(try json(before)["state"] == "not_created")

        let start = try await YilianBinary.run(["db", "start"], environment: environment)
        #expect(start.exitCode == 0)
        #expect(start.stdout == "Started the embedded PostgreSQL in \(home.path).\n")

        let status = try json(try await YilianBinary.run(["db", "status", "--json"], environment: environment))
        #expect(status["state"] == "running")
        #expect(status["schema"] == Self.currentSchema)
        let url = try await YilianBinary.run(["db", "url"], environment: environment)
        #expect(url.stdout == "postgresql:///yilian?host=\(home.path)/run&user=yilian\n")
        // Yilian's role owns the database and is no superuser.
        let owner = url.stdout.trimmingCharacters(in: .newlines)
        #expect(try Psql.run(owner, "SELECT rolsuper FROM pg_roles WHERE rolname = current_user").output == "f")
        #expect(try Psql.run(owner, "COPY (SELECT 1) TO PROGRAM 'true'").error.contains("must be superuser"))
        if geteuid() == 0 {
            // As root the server runs as the yilian account; the shared postgres account cannot
            // even reach its socket.
            let data = try FileManager.default.attributesOfItem(atPath: home.appending(path: "data").path)[.ownerAccountName] as? String
            #expect(data == "yilian")
            let intruder = try Psql.run(
                owner.replacingOccurrences(of: "user=yilian", with: "user=postgres"), "SELECT 1", account: "postgres")
            #expect(!intruder.succeeded && intruder.error.contains("Permission denied"), "\(intruder.error)")
        }
        // The URL works for another client, and the server listens on no TCP port.
        let listen = try await PGQuery.value(url.stdout.trimmingCharacters(in: .newlines), "SELECT current_setting('listen_addresses')")
        #expect(listen == "")

        let again = try await YilianBinary.run(["db", "start"], environment: environment)
        #expect(again.stdout == "The embedded PostgreSQL in \(home.path) is already running.\n")
        // A coordinator on a Chinese locale reads the status and the database's refusals in Chinese.
        let chinese = ["YILIAN_HOME": home.path, "LANG": "zh_CN.UTF-8"]
        let shown = try await YilianBinary.run(["db", "status"], environment: chinese)
        #expect(shown.stdout.hasPrefix("数据库      内置\n状态        运行中\n文件夹      \(home.path)\n进程号  "), "\(shown.stdout)")
        #expect(shown.stdout.hasSuffix("数据库结构  已执行 \(Migration.all.count) 个迁移，共 \(Migration.all.count) 个（最新）\n"), "\(shown.stdout)")
        let nowhere = try await YilianBinary.run(
            ["hospital", "list", "--database-url", "postgresql:///yilian?host=\(home.path)/nowhere"], environment: chinese)
        #expect(nowhere.exitCode == 69)
        #expect(nowhere.stderr == "数据库地址所指的主机或套接字上没有 PostgreSQL 应答，请检查地址，或启动该服务器。\n")

        let stop = try await YilianBinary.run(["db", "stop"], environment: environment)
        #expect(stop.exitCode == 0)
        #expect(stop.stdout == "Stopped the embedded PostgreSQL in \(home.path).\n")
        #expect(try json(try await YilianBinary.run(["db", "status", "--json"], environment: environment))["state"] == "stopped")

        // Any command needing the database starts it again, saying so in one line on stderr.
        let migrate = try await YilianBinary.run(["db", "migrate"], environment: environment)
        #expect(migrate.exitCode == 0)
        #expect(migrate.stderr == "Started the embedded PostgreSQL in \(home.path).\n")
        #expect(migrate.stdout == "The schema is current (version \(Migration.latestVersion)); nothing to apply.\n")
    }

    @Test func homesOtherAccountsCouldChangeAndPlantedLinksAreRefused() async throws {
        func refused(_ home: URL, _ message: String, _ sourceLocation: SourceLocation = #_sourceLocation) async throws {
            let outcome = try await YilianBinary.run(["db", "start"], environment: ["YILIAN_HOME": home.path])
            #expect(outcome.exitCode == 69, sourceLocation: sourceLocation)
            #expect(outcome.stderr == message + "\n", sourceLocation: sourceLocation)
            #expect(!FileManager.default.fileExists(atPath: home.appending(path: "data/PG_VERSION").path), sourceLocation: sourceLocation)
        }
        // A home another account made first, writable by all (as under /tmp).
        let open = try TestPostgres.makeHome("open")
        chmod(open.path, 0o777)
        try await refused(
            open,
            "The embedded database folder \(open.path) can be changed by other accounts (mode 777); Yilian keeps patient data only in folders no one else can change: remove it or set another YILIAN_HOME."
        )
        // A lock planted as a link: refused, and nothing made where it points.
        let planted = try TestPostgres.makeHome("planted")
        let target = planted.deletingLastPathComponent().appending(path: "planted-target")
        try FileManager.default.createSymbolicLink(at: planted.appending(path: "lock"), withDestinationURL: target)
        try await refused(
            planted,
            "\(planted.path)/lock is a symbolic link; Yilian does not follow links in its database folder: remove it and try again.")
        #expect(!FileManager.default.fileExists(atPath: target.path))
        if geteuid() == 0 {
            // A home, or a run/ folder, that belongs to another account.
            let foreign = try TestPostgres.makeHome("foreign")
            chown(foreign.path, 65534, 65534)
            try await refused(
                foreign,
                "The embedded database folder \(foreign.path) belongs to nobody, not you; Yilian keeps patient data only in its own folders: remove it or set another YILIAN_HOME."
            )
            let socket = try TestPostgres.makeHome("socket")
            try FileManager.default.createDirectory(at: socket.appending(path: "run"), withIntermediateDirectories: false)
            chown(socket.appending(path: "run").path, 65534, 65534)
            try await refused(
                socket,
                "The embedded database folder \(socket.path)/run belongs to nobody, not yilian; Yilian keeps patient data only in its own folders: remove it or set another YILIAN_HOME."
            )
        }
    }

    @Test func twoProcessesStartingAtOnceEndWithOneHealthyServer() async throws {
        let home = try TestPostgres.makeHome("race")
        let environment = ["YILIAN_HOME": home.path]
        defer { _ = try? EmbeddedCluster(home: home).stop(immediate: true) }

        async let first = YilianBinary.run(["db", "start", "--json"], environment: environment)
        async let second = YilianBinary.run(["db", "start", "--json"], environment: environment)
        let outcomes = try await [first, second]
        #expect(outcomes.map(\.exitCode) == [0, 0], "stderr: \(outcomes.map(\.stderr))")
        let started = try outcomes.map { try json($0)["started"] }
        #expect(started.filter { $0 == true }.count == 1)
        #expect(started.filter { $0 == false }.count == 1)

        let status = try json(try await YilianBinary.run(["db", "status", "--json"], environment: environment))
        #expect(status["state"] == "running")
        #expect(status["schema"] == Self.currentSchema)
        #expect(try postmasterCount(home) == 1)
    }

    @Test func aServerKilledWithSigkillIsRecoveredByTheNextCommand() async throws {
        let home = try TestPostgres.makeHome("kill9")
        let environment = ["YILIAN_HOME": home.path]
        let cluster = EmbeddedCluster(home: home)
        defer { _ = try? cluster.stop(immediate: true) }

        #expect(try await YilianBinary.run(["db", "start"], environment: environment).exitCode == 0)
        guard let pid = cluster.serverPID() else {
            Issue.record("no postmaster.pid")
            return
        }
        kill(pid_t(pid), SIGKILL)
        while kill(pid_t(pid), 0) == 0 { try await Task.sleep(for: .milliseconds(20)) }

        let serve = try await YilianBinary.run(
            ["serve"], environment: environment, input: Data("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"specialty.list\"}\n".utf8))
        #expect(serve.exitCode == 0)
        #expect(serve.stderr == "Started the embedded PostgreSQL in \(home.path).\n")
        let response = try JSONDecoder().decode(JSONValue.self, from: Data(serve.stdout.utf8))
        #expect(response["result"]?["items"]?.arrayCount == 14)
        #expect(cluster.serverPID() != pid)
    }

    /// Right after a SIGKILL the old postmaster's PID can still be alive while its socket is
    /// gone: `db start` failed (exit 69) for a second or two instead of starting it again.
    @Test func dbStartRightAfterASigkillStartsTheServerAgain() async throws {
        let home = try TestPostgres.makeHome("kill9-now")
        let environment = ["YILIAN_HOME": home.path]
        let cluster = EmbeddedCluster(home: home)
        defer { _ = try? cluster.stop(immediate: true) }
        #expect(try await YilianBinary.run(["db", "start"], environment: environment).exitCode == 0)
        for _ in 0..<2 {
            guard let pid = cluster.serverPID() else {
                Issue.record("no postmaster.pid")
                return
            }
            kill(pid_t(pid), SIGKILL)
            let start = try await YilianBinary.run(["db", "start"], environment: environment)
            #expect(start.exitCode == 0, "\(start.stderr)")
            #expect(start.stdout == "Started the embedded PostgreSQL in \(home.path).\n")
            #expect(cluster.serverPID() != pid)
        }
    }

    @Test func startAndStopRefuseWhenADatabaseURLIsSet() async throws {
        let outcome = try await YilianBinary.run(["db", "start"], environment: ["YILIAN_DATABASE_URL": "postgresql:///x"])
        #expect(outcome.exitCode == 65)
        #expect(
            outcome.stderr
                == "`yilian db start` manages only the embedded database, and a database URL is set; manage that server directly.\n")
    }

    /// Postmasters (not their children) whose data directory is under `home`.
    func postmasterCount(_ home: URL) throws -> Int {
        let processes = try FileManager.default.contentsOfDirectory(atPath: "/proc").compactMap(Int.init)
        return processes.filter { pid in
            guard let command = try? String(contentsOfFile: "/proc/\(pid)/cmdline", encoding: .utf8) else { return false }
            return command.replacingOccurrences(of: "\0", with: " ").contains("postgres -D \(home.path)/data")
        }.count
    }
}
