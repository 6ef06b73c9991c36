import Foundation
import YilianCore
import YilianPostgres

#if canImport(Glibc)
    import Glibc
#endif

/// The embedded default database (SPEC §4): a private PostgreSQL cluster under `YILIAN_HOME`,
/// listening on a Unix socket only. Under root the server runs as the dedicated `yilian` system
/// account (created when missing), never the shared `postgres` one.
///
/// Layout: `data/` (the cluster, owned by the server account), `run/` (the socket, which only the
/// home's owner and the server account can reach), `postgres.log`, and `lock`, which serializes
/// processes that start or stop it. A home, `data/` or `run/` that another account could change
/// is refused, and the lock is opened without following links.
///
/// Roles: the bootstrap superuser `postgres` only makes the owner; `yilian` owns the database,
/// runs the migrations and acts as registered users (SPEC §6). It is not a superuser.
public struct EmbeddedCluster: Sendable {
    public let home: URL
    /// Extra `postgresql.conf` settings written when the cluster is created.
    public let settings: [String: String]
    public static let databaseName = "yilian"
    /// The database's owner, as which Yilian connects (`CREATEDB`, `CREATEROLE`, no superuser).
    public static let userName = "yilian"
    /// The bootstrap superuser, used once to create the owner.
    static let superuserName = "postgres"
    /// The system account the server runs as under root.
    public static let serverAccount = "yilian"

    public init(home: URL, settings: [String: String] = [:]) {
        self.home = home
        self.settings = settings
    }

    /// `YILIAN_HOME`, else `/var/lib/yilian` for root (the server account cannot enter
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

    public func url(database: String, user: String = Self.userName) -> String {
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~/"))
        let host = socketDirectory.path.addingPercentEncoding(withAllowedCharacters: allowed) ?? socketDirectory.path
        return "postgresql:///\(database)?host=\(host)&user=\(user)"
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
            switch try state() {
            case .running where await answers():
                break
            case .running(let pid):
                // Killed a moment ago: its PID still lives, its socket is gone. Let it go, then start.
                waitUntilGone(pid)
                try startServer()
                started = true
            case .notCreated, .stopped:
                try startServer()
                started = true
            }
            try await createOwnerAndDatabase()
            if started { try await closeToUsers() }
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
            let result = try runTool(
                "pg_ctl", ["stop", "-D", dataDirectory.path, "-m", immediate ? "immediate" : "fast", "-w", "-t", "60"])
            guard result.exitCode == 0 else {
                throw YilianError(.databaseUnavailable, Text("db.didNotStop", home.path, logFile.path))
            }
            return true
        }
    }

    // MARK: - Steps

    /// The home folder, which holds the lock: made before the lock is taken (idempotent), and
    /// refused when another account could change it.
    private func createHome() throws {
        let socketPath = socketDirectory.appending(path: ".s.PGSQL.5432").path
        guard socketPath.utf8.count < 108 else {
            throw YilianError(
                .invalidParams, Text("db.homeTooLong", home.path))
        }
        do {
            // The server account passes through a root's home to reach data/, run/ and the log.
            let mode: Int = runsAsServerAccount ? 0o711 : 0o700
            try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true, attributes: [.posixPermissions: mode])
        } catch {
            throw YilianError(.databaseUnavailable, Text("db.cannotCreateHome", home.path, error.localizedDescription))
        }
        try Self.checkPrivate(home, owner: geteuid(), ownerName: "you")
    }

    /// The folders and files the server account owns. Runs under the lock.
    private func prepareHome() throws {
        let account = try serverAccount()
        do {
            let manager = FileManager.default
            for directory in [dataDirectory, socketDirectory] {
                if !manager.fileExists(atPath: directory.path) {
                    try manager.createDirectory(at: directory, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
                    try giveToServerAccount(directory, account)
                }
                try Self.checkPrivate(directory, owner: account.uid, ownerName: account.name)
            }
            let log = open(logFile.path, O_CREAT | O_WRONLY | O_APPEND | O_NOFOLLOW | O_CLOEXEC, 0o600)
            guard log >= 0 else { throw Self.refusedFile(logFile, errno) }
            defer { close(log) }
            if runsAsServerAccount && fchown(log, account.uid, account.gid) != 0 {
                throw YilianError(.databaseUnavailable, Text("db.cannotGive", logFile.path, account.name))
            }
        } catch let error as YilianError {
            throw error
        } catch {
            throw YilianError(.databaseUnavailable, Text("db.cannotPrepare", home.path, error.localizedDescription))
        }
    }

    /// Refuses a folder that is not owned by `owner` or that anyone else may write to.
    static func checkPrivate(_ directory: URL, owner: uid_t, ownerName: String) throws {
        var info = stat()
        guard stat(directory.path, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else {
            throw YilianError(.databaseUnavailable, Text("db.notAFolder", directory.path))
        }
        guard info.st_uid == owner else {
            let actual = getpwuid(info.st_uid).map { String(cString: $0.pointee.pw_name) } ?? "uid \(info.st_uid)"
            throw YilianError(
                .databaseUnavailable,
                Text("db.foreignOwner", directory.path, actual, ownerName))
        }
        guard info.st_mode & 0o022 == 0 else {
            throw YilianError(
                .databaseUnavailable,
                Text("db.writableByOthers", directory.path, String(info.st_mode & 0o7777, radix: 8)))
        }
    }

    /// The refusal for a file of the home that could not be opened safely (a link, most likely).
    static func refusedFile(_ file: URL, _ code: Int32) -> YilianError {
        if code == ELOOP {
            return YilianError(
                .databaseUnavailable,
                Text("db.symlink", file.path))
        }
        return YilianError(.databaseUnavailable, Text("db.cannotOpen", file.path, String(cString: strerror(code))))
    }

    private func initialize() throws {
        // A data folder left half-made by an interrupted initdb is made again.
        let manager = FileManager.default
        for leftover in (try? manager.contentsOfDirectory(atPath: dataDirectory.path)) ?? [] {
            try manager.removeItem(at: dataDirectory.appending(path: leftover))
        }
        let result = try runTool(
            "initdb",
            ["-D", dataDirectory.path, "-U", Self.superuserName, "-A", "trust", "-E", "UTF8", "--no-locale", "--no-sync"])
        guard result.exitCode == 0 else {
            throw YilianError(
                .databaseUnavailable,
                Text("db.initdbFailed", dataDirectory.path, result.output.lastLine))
        }
        let settings = """

            # Added by yilian: a private server on a Unix socket only. Errors are logged without
            # their detail and context, which can quote a row or a parameter, nor the failing
            # statement, whose text can hold values typed in psql (a resident ID).
            listen_addresses = ''
            unix_socket_directories = '\(socketDirectory.path.replacingOccurrences(of: "'", with: "''"))'
            unix_socket_permissions = 0700
            log_error_verbosity = terse
            log_min_error_statement = panic

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
            .databaseUnavailable, Text("db.didNotStart", home.path, logFile.path))
    }

    /// Whether the server takes a connection on its socket.
    private func answers() async -> Bool {
        (try? await PGConnection.connect(url(database: "postgres"))) != nil
    }

    /// Waits up to 10 seconds for the process `pid` to be gone.
    private func waitUntilGone(_ pid: Int) {
        for _ in 0..<100 where pid > 0 && kill(pid_t(pid), 0) == 0 {
            Thread.sleep(forTimeInterval: 0.1)
        }
    }

    /// Makes the owner role (through the bootstrap superuser, when it is missing) and its
    /// database. A cluster made before the owner was split from the superuser has no `postgres`
    /// role; its owner is its superuser.
    private func createOwnerAndDatabase() async throws {
        do {
            if let superuser = try? await PGConnection.connect(url(database: "postgres", user: Self.superuserName)) {
                let owner = try await superuser.query("SELECT 1 FROM pg_roles WHERE rolname = $1", [Self.userName])
                if owner.rowCount == 0 { try await superuser.runScript("CREATE ROLE \(Self.userName) LOGIN CREATEDB CREATEROLE") }
            }
            let connection = try await PGConnection.connect(url(database: "postgres"))
            let exists = try await connection.query("SELECT 1 FROM pg_database WHERE datname = $1", [Self.databaseName])
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
        let descriptor = open(lockFile.path, O_CREAT | O_RDWR | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard descriptor >= 0 else { throw Self.refusedFile(lockFile, errno) }
        while flock(descriptor, LOCK_EX) != 0 {
            guard errno == EINTR else {
                close(descriptor)
                throw YilianError(.databaseUnavailable, Text("db.cannotLock", lockFile.path))
            }
        }
        return descriptor
    }

    /// Under root the server runs as the `yilian` system account.
    private var runsAsServerAccount: Bool { geteuid() == 0 }

    struct Account {
        var name: String, uid: uid_t, gid: gid_t
    }

    /// The account that owns `data/` and `run/`: the `yilian` system account under root (made
    /// when missing, as a Debian package would), else whoever runs Yilian.
    func serverAccount() throws -> Account {
        guard runsAsServerAccount else {
            return Account(name: getpwuid(geteuid()).map { String(cString: $0.pointee.pw_name) } ?? "you", uid: geteuid(), gid: getegid())
        }
        if getpwnam(Self.serverAccount) == nil {
            let made = try Spawn.run(
                try PostgresTools.locateSystem("useradd"),
                [
                    "--system", "--user-group", "--home-dir", "/var/lib/yilian", "--no-create-home", "--shell", "/usr/sbin/nologin",
                    "--comment", "Yilian embedded PostgreSQL", Self.serverAccount,
                ])
            // Another process may have made it meanwhile.
            if made.exitCode != 0 && getpwnam(Self.serverAccount) == nil {
                throw YilianError(
                    .databaseUnavailable, Text("db.noAccount", Self.serverAccount, made.output.lastLine))
            }
        }
        guard let user = getpwnam(Self.serverAccount) else {
            throw YilianError(.databaseUnavailable, Text("db.accountMissing", Self.serverAccount))
        }
        return Account(name: Self.serverAccount, uid: user.pointee.pw_uid, gid: user.pointee.pw_gid)
    }

    private func giveToServerAccount(_ url: URL, _ account: Account) throws {
        guard runsAsServerAccount else { return }
        guard chown(url.path, account.uid, account.gid) == 0 else {
            throw YilianError(.databaseUnavailable, Text("db.cannotGive", url.path, account.name))
        }
    }

    /// Runs a PostgreSQL tool, as the server account when we are root.
    func runTool(_ name: String, _ arguments: [String]) throws -> Spawn.Outcome {
        let tool = try PostgresTools.locate(name)
        if runsAsServerAccount {
            return try Spawn.run(try PostgresTools.locateSystem("runuser"), ["-u", Self.serverAccount, "--", tool.path] + arguments)
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
            Text("db.noTool", name))
    }

    static func locateSystem(_ name: String) throws -> URL {
        for directory in ["/usr/sbin", "/sbin", "/usr/bin", "/bin"] {
            let path = URL(fileURLWithPath: directory).appending(path: name)
            if FileManager.default.isExecutableFile(atPath: path.path) { return path }
        }
        throw YilianError(.databaseUnavailable, Text("db.noSystemTool", name, EmbeddedCluster.serverAccount))
    }
}

extension String {
    fileprivate var lastLine: String {
        split(separator: "\n").last.map(String.init) ?? self
    }
}
