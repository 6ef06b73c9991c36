import Foundation
import YilianCore
import YilianPostgres

#if canImport(Glibc)
    import Glibc
#endif

/// The embedded default database (SPEC §4): a private PostgreSQL cluster under `YILIAN_HOME`,
/// listening on a Unix socket only. Under root the server runs as the `postgres` system user.
///
/// Layout: `data/` (the cluster, owned by the server user), `run/` (the socket),
/// `postgres.log`, and `lock`, which serializes processes that start or stop it.
public struct EmbeddedCluster: Sendable {
    public let home: URL
    /// Extra `postgresql.conf` settings written when the cluster is created.
    public let settings: [String: String]
    public static let databaseName = "yilian"
    public static let userName = "yilian"

    public init(home: URL, settings: [String: String] = [:]) {
        self.home = home
        self.settings = settings
    }

    /// `YILIAN_HOME`, else `/var/lib/yilian` for root (the `postgres` user cannot enter
    /// `/root`), else `~/.local/share/yilian`.
    public static func defaultHome(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        if let home = environment["YILIAN_HOME"], !home.isEmpty {
            return URL(fileURLWithPath: home, isDirectory: true)
        }
        if geteuid() == 0 { return URL(fileURLWithPath: "/var/lib/yilian", isDirectory: true) }
        let userHome = environment["HOME"] ?? FileManager.default.homeDirectoryForCurrentUser.path
        return URL(fileURLWithPath: userHome).appending(path: ".local/share/yilian", directoryHint: .isDirectory)
    }

    public var dataDirectory: URL { home.appending(path: "data", directoryHint: .isDirectory) }
    public var socketDirectory: URL { home.appending(path: "run", directoryHint: .isDirectory) }
    public var logFile: URL { home.appending(path: "postgres.log") }
    private var lockFile: URL { home.appending(path: "lock") }

    /// A libpq URI for the cluster's database over its socket.
    public var url: String { url(database: Self.databaseName) }

    public func url(database: String) -> String {
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~/"))
        let host = socketDirectory.path.addingPercentEncoding(withAllowedCharacters: allowed) ?? socketDirectory.path
        return "postgresql:///\(database)?host=\(host)&user=\(Self.userName)"
    }

    public enum State: Equatable, Sendable {
        case notCreated
        case stopped
        case running(pid: Int)
    }

    public func state() throws -> State {
        guard FileManager.default.fileExists(atPath: dataDirectory.appending(path: "PG_VERSION").path) else {
            return .notCreated
        }
        let status = try runTool("pg_ctl", ["status", "-D", dataDirectory.path])
        guard status.exitCode == 0 else { return .stopped }
        return .running(pid: serverPID() ?? 0)
    }

    /// The postmaster's PID from `postmaster.pid`, if the file exists.
    public func serverPID() -> Int? {
        guard let text = try? String(contentsOf: dataDirectory.appending(path: "postmaster.pid"), encoding: .utf8),
            let first = text.split(separator: "\n").first
        else { return nil }
        return Int(first.trimmingCharacters(in: .whitespaces))
    }

    /// Creates the cluster if needed, starts it if it is not running, and makes sure its
    /// database exists. Safe to call from several processes at once: they take turns, and the
    /// later ones find it running. Recovers a server killed with SIGKILL. Returns true when this
    /// call started the server.
    @discardableResult
    public func start() async throws -> Bool {
        try createHome()
        return try await withLock {
            try prepareHome()
            if try state() == .notCreated { try initialize() }
            var started = false
            if case .running = try state() {} else {
                try startServer()
                started = true
            }
            try await createDatabaseIfMissing()
            return started
        }
    }

    /// Stops the server: a fast shutdown (sessions ended, data checkpointed), or with
    /// `immediate` an abort that the next start recovers from. Returns false when it was not running.
    @discardableResult
    public func stop(immediate: Bool = false) throws -> Bool {
        guard FileManager.default.fileExists(atPath: home.path) else { return false }
        return try withLockSync {
            guard case .running = try state() else { return false }
            let result = try runTool("pg_ctl", ["stop", "-D", dataDirectory.path, "-m", immediate ? "immediate" : "fast", "-w", "-t", "60"])
            guard result.exitCode == 0 else {
                throw YilianError(.databaseUnavailable, "The embedded PostgreSQL in \(home.path) did not stop; see \(logFile.path).")
            }
            return true
        }
    }

    // MARK: - Steps

    /// The home folder, which holds the lock: made before the lock is taken (idempotent).
    private func createHome() throws {
        let socketPath = socketDirectory.appending(path: ".s.PGSQL.5432").path
        guard socketPath.utf8.count < 108 else {
            throw YilianError(
                .invalidParams, "YILIAN_HOME \(home.path) is too long for a Unix socket path; choose a shorter one.")
        }
        do {
            try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        } catch {
            throw YilianError(.databaseUnavailable, "Cannot create the embedded database folder \(home.path): \(error.localizedDescription).")
        }
    }

    /// The folders and files the server user owns. Runs under the lock.
    private func prepareHome() throws {
        do {
            let manager = FileManager.default
            for directory in [dataDirectory, socketDirectory] where !manager.fileExists(atPath: directory.path) {
                try manager.createDirectory(at: directory, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
                try giveToServerUser(directory)
            }
            if !manager.fileExists(atPath: logFile.path) {
                _ = manager.createFile(atPath: logFile.path, contents: nil, attributes: [.posixPermissions: 0o600])
                try giveToServerUser(logFile)
            }
        } catch let error as YilianError {
            throw error
        } catch {
            throw YilianError(.databaseUnavailable, "Cannot prepare the embedded database folder \(home.path): \(error.localizedDescription).")
        }
    }

    private func initialize() throws {
        // A data folder left half-made by an interrupted initdb is made again.
        let manager = FileManager.default
        for leftover in (try? manager.contentsOfDirectory(atPath: dataDirectory.path)) ?? [] {
            try manager.removeItem(at: dataDirectory.appending(path: leftover))
        }
        let result = try runTool(
            "initdb",
            ["-D", dataDirectory.path, "-U", Self.userName, "-A", "trust", "-E", "UTF8", "--no-locale", "--no-sync"])
        guard result.exitCode == 0 else {
            throw YilianError(
                .databaseUnavailable,
                "Creating the embedded PostgreSQL in \(dataDirectory.path) failed: \(result.output.lastLine).")
        }
        let settings = """

            # Added by yilian: a private server on a Unix socket only.
            listen_addresses = ''
            unix_socket_directories = '\(socketDirectory.path.replacingOccurrences(of: "'", with: "''"))'
            unix_socket_permissions = 0700

            """ + settings.sorted { $0.key < $1.key }.map { "\($0.key) = '\($0.value)'\n" }.joined()
        let handle = try FileHandle(forWritingTo: dataDirectory.appending(path: "postgresql.conf"))
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(settings.utf8))
    }

    private func startServer() throws {
        // After a SIGKILL the old server's children may need a moment to exit and release
        // the shared memory: try a few times.
        for attempt in 1...5 {
            let result = try runTool(
                "pg_ctl", ["start", "-D", dataDirectory.path, "-l", logFile.path, "-w", "-t", "60", "-s"])
            if result.exitCode == 0 { return }
            Thread.sleep(forTimeInterval: 0.5 * Double(attempt))
        }
        throw YilianError(
            .databaseUnavailable, "The embedded PostgreSQL in \(home.path) did not start; see \(logFile.path).")
    }

    private func createDatabaseIfMissing() async throws {
        do {
            let connection = try await PGConnection.connect(url(database: "postgres"))
            let exists = try await connection.query(
                "SELECT 1 FROM pg_database WHERE datname = $1", [Self.databaseName])
            if exists.rowCount == 0 {
                do {
                    try await connection.runScript("CREATE DATABASE \(Self.databaseName)")
                } catch let error as PGError where error.sqlState == SQLState(rawValue: "42P04") {
                    // Created meanwhile by another process.
                }
            }
        } catch let error as PGError {
            throw YilianError(pgError: error)
        }
    }

    // MARK: - Processes and files

    /// Holds the home's lock (an exclusive `flock`) while `body` runs, so that processes
    /// starting or stopping the cluster take turns.
    private func withLock<T>(_ body: () async throws -> T) async throws -> T {
        let descriptor = try lockDescriptor()
        defer { close(descriptor) }  // closing releases the lock
        return try await body()
    }

    /// The same lock for `stop`, which also runs where no `await` is possible (at process exit).
    private func withLockSync<T>(_ body: () throws -> T) throws -> T {
        let descriptor = try lockDescriptor()
        defer { close(descriptor) }
        return try body()
    }

    /// Opens and locks the lock file; the lock lasts until the descriptor is closed.
    private func lockDescriptor() throws -> Int32 {
        let descriptor = open(lockFile.path, O_CREAT | O_RDWR | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw YilianError(.databaseUnavailable, "Cannot open \(lockFile.path) to lock the embedded database.")
        }
        while flock(descriptor, LOCK_EX) != 0 {
            guard errno == EINTR else {
                close(descriptor)
                throw YilianError(.databaseUnavailable, "Cannot lock \(lockFile.path).")
            }
        }
        return descriptor
    }

    private var runsAsServerUser: Bool { geteuid() == 0 }

    private func giveToServerUser(_ url: URL) throws {
        guard runsAsServerUser else { return }
        guard let user = getpwnam("postgres") else {
            throw YilianError(
                .databaseUnavailable,
                "PostgreSQL refuses to run as root and there is no `postgres` user to run it; install the postgresql package or set YILIAN_DATABASE_URL.")
        }
        guard chown(url.path, user.pointee.pw_uid, user.pointee.pw_gid) == 0 else {
            throw YilianError(.databaseUnavailable, "Cannot give \(url.path) to the postgres user.")
        }
    }

    /// Runs a PostgreSQL tool, as the `postgres` user when we are root.
    func runTool(_ name: String, _ arguments: [String]) throws -> Spawn.Outcome {
        let tool = try PostgresTools.locate(name)
        if runsAsServerUser {
            return try Spawn.run(try PostgresTools.locateSystem("runuser"), ["-u", "postgres", "--", tool.path] + arguments)
        }
        return try Spawn.run(tool, arguments)
    }
}

/// Finds `initdb`, `pg_ctl` and friends on PATH or in `/usr/lib/postgresql/*/bin` (newest first).
public enum PostgresTools {
    public static func locate(_ name: String) throws -> URL {
        let environment = ProcessInfo.processInfo.environment
        var candidates = (environment["PATH"] ?? "").split(separator: ":").map { String($0) }
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []
        candidates += versions.sorted { (Int($0) ?? 0) > (Int($1) ?? 0) }.map { "/usr/lib/postgresql/\($0)/bin" }
        for directory in candidates {
            let path = URL(fileURLWithPath: directory).appending(path: name)
            if FileManager.default.isExecutableFile(atPath: path.path) { return path }
        }
        throw YilianError(
            .databaseUnavailable,
            "Cannot find the PostgreSQL program \(name) on PATH or in /usr/lib/postgresql; install PostgreSQL or set YILIAN_DATABASE_URL.")
    }

    static func locateSystem(_ name: String) throws -> URL {
        for directory in ["/usr/sbin", "/sbin", "/usr/bin", "/bin"] {
            let path = URL(fileURLWithPath: directory).appending(path: name)
            if FileManager.default.isExecutableFile(atPath: path.path) { return path }
        }
        throw YilianError(.databaseUnavailable, "Cannot find \(name), needed to run PostgreSQL as the postgres user.")
    }
}

extension String {
    fileprivate var lastLine: String {
        split(separator: "\n").last.map(String.init) ?? self
    }
}
