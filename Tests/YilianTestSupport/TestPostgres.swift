import Foundation
import Synchronization
import YilianPostgres
import YilianRepository

#if canImport(Glibc)
    import Glibc
#endif

/// The tests' throwaway PostgreSQL: one cluster per test process under
/// `/tmp/yilian-tests/run-PID`, started on first use with durability switched off for speed,
/// holding a migrated template database that each test clones into a fresh database of its own.
/// Stopped when the process exits; clusters of runs that crashed or were interrupted are stopped
/// and removed by the next run.
public enum TestPostgres {
    public static let root = URL(fileURLWithPath: "/tmp/yilian-tests", isDirectory: true)
    static let templateName = "yilian_template"

    /// This process's folder: the cluster in `cluster/`, other clusters a test starts in `homes/`.
    public static let runDirectory = root.appending(path: "run-\(getpid())", directoryHint: .isDirectory)

    public static let cluster = EmbeddedCluster(
        home: runDirectory.appending(path: "cluster", directoryHint: .isDirectory),
        settings: ["fsync": "off", "synchronous_commit": "off", "full_page_writes": "off", "max_connections": "300"])

    private static let counter = Atomic<Int>(0)
    private static let admin = Mutex<Task<PGPool, any Error>?>(nil)

    /// A new database holding the current schema, for one test; returns its URI.
    public static func freshDatabase() async throws -> String {
        let pool = try await adminPool()
        let name = "test_\(counter.add(1, ordering: .relaxed).newValue)"
        // Database names cannot be parameters; this one is built from a counter only.
        // A clone does not inherit the template's database privileges (migration 0024 revokes them).
        try await pool.withConnection {
            try await $0.runScript("CREATE DATABASE \(name) TEMPLATE \(templateName)")
            try await $0.runScript("REVOKE CREATE, TEMPORARY ON DATABASE \(name) FROM PUBLIC")
        }
        return cluster.url(database: name)
    }

    /// A copy of the database at `url` as it is now (nobody may be connected to it), as a standby
    /// that has replayed everything would hold it; returns its URI.
    public static func copy(of url: String) async throws -> String {
        let pool = try await adminPool()
        let source = String((URLComponents(string: url)?.path ?? "").dropFirst())
        let name = "copy_\(counter.add(1, ordering: .relaxed).newValue)"
        try await pool.withConnection {
            try await $0.runScript("CREATE DATABASE \(name) TEMPLATE \(source)")
            try await $0.runScript("REVOKE CREATE, TEMPORARY ON DATABASE \(name) FROM PUBLIC")
        }
        return cluster.url(database: name)
    }

    /// A new, empty database (no migrations applied), for migration tests: a copy of `template1`,
    /// as a database made on the cluster is (closed to users as the cluster closed it).
    public static func emptyDatabase() async throws -> String {
        let pool = try await adminPool()
        let name = "empty_\(counter.add(1, ordering: .relaxed).newValue)"
        try await pool.withConnection { try await $0.runScript("CREATE DATABASE \(name)") }
        return cluster.url(database: name)
    }

    /// A folder for a `YILIAN_HOME` of a test's own, cleaned up with the run.
    public static func makeHome(_ label: String) throws -> URL {
        let home = runDirectory.appending(
            path: "homes/\(label)-\(counter.add(1, ordering: .relaxed).newValue)", directoryHint: .isDirectory)
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        return home
    }

    private static func adminPool() async throws -> PGPool {
        let task = admin.withLock { task in
            if let task { return task }
            let started = Task { try await start() }
            task = started
            return started
        }
        return try await task.value
    }

    private static func start() async throws -> PGPool {
        removeStaleRuns()
        try FileManager.default.createDirectory(at: runDirectory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        chmod(root.path, 0o1777)
        atexit { TestPostgres.stopAll(in: TestPostgres.runDirectory) }
        try await cluster.start()
        let pool = PGPool(conninfo: cluster.url(database: "postgres"), capacity: 2)
        try await pool.withConnection { try await $0.runScript("CREATE DATABASE \(templateName)") }
        do {
            // Closed at the end of this scope: a template must have no sessions when cloned.
            let connection = try await PGConnection.connect(cluster.url(database: templateName))
            try await Migrator().migrate(on: connection)
            try await registerUsers(on: connection)
        }
        return pool
    }

    /// The users every test database starts with (registered in the template): the platform's
    /// `ops@admin`, ZRYY's administrator `li@ZRYY`, coordinators `coordinator@CODE` and
    /// `wang@CODE` of the hospital codes the tests use, and the wall's attackers (a physician, an
    /// auditor and a coordinator of ZRYY no other test disables, an auditor of JGYY). Their
    /// hospitals are not registered. (Roles belong to the whole cluster: registering them once
    /// here keeps tests from making the same role at the same moment.)
    public static let users: [(login: String, duty: String)] =
        [
            ("ops@admin", "platform_admin"), ("li@ZRYY", "hospital_admin"), ("wdoc@ZRYY", "physician"), ("waud@ZRYY", "auditor"),
            ("wdesk@ZRYY", "coordinator"), ("waud@JGYY", "auditor"),
        ]
        + ["ZRYY", "MYQYY", "JGYY", "BYSY", "SYMY", "CHC-HPL", "CHC-GL", "WJ-1"].flatMap { code in
            [("coordinator@\(code)", "coordinator"), ("wang@\(code)", "coordinator")]
        }

    /// Registers `users` on the owner's `connection` to a migrated database (the template has them).
    public static func registerUsers(on connection: PGConnection) async throws {
        for (login, duty) in users { try await register(login, duty: duty, on: connection) }
    }

    /// Registers `login` (USER@HOSPITAL) with `duty` and creates its login role, on the owner's
    /// `connection`, with `password` when given (SCRAM, for tests that log in as the user).
    public static func register(_ login: String, duty: String, password: String? = nil, on connection: PGConnection) async throws {
        let parts = login.split(separator: "@", maxSplits: 1).map(String.init)
        var verifier: String?
        if let password { verifier = try await connection.encryptPassword(password, user: login) }
        try await connection.query(
            "INSERT INTO users (login, name, hospital, duty, password, created_by) VALUES ($1, $2, $3, $4, $5, 'tests')",
            [login, parts[0], parts[1], duty, verifier])
        try await connection.query("SELECT yilian_sync_login($1)", [login])
    }

    /// Registers `login` with `duty` in the database at `url` (see `register(_:duty:password:on:)`).
    public static func register(_ login: String, duty: String, password: String? = nil, in url: String) async throws {
        let connection = try await PGConnection.connect(url)
        try await register(login, duty: duty, password: password, on: connection)
    }

    /// Every cluster under `directory`: this run's own and those its tests started.
    static func clusters(in directory: URL) -> [EmbeddedCluster] {
        var homes = [directory.appending(path: "cluster", directoryHint: .isDirectory)]
        let homesDirectory = directory.appending(path: "homes", directoryHint: .isDirectory)
        homes += ((try? FileManager.default.contentsOfDirectory(at: homesDirectory, includingPropertiesForKeys: nil)) ?? [])
        return homes.filter { FileManager.default.fileExists(atPath: $0.appending(path: "data").path) }
            .map { EmbeddedCluster(home: $0) }
    }

    static func stopAll(in directory: URL) {
        for cluster in clusters(in: directory) { _ = try? cluster.stop(immediate: true) }
        try? FileManager.default.removeItem(at: directory)
    }

    /// Stops and removes the clusters of earlier runs whose process is gone.
    static func removeStaleRuns() {
        let runs = (try? FileManager.default.contentsOfDirectory(at: root, includingPropertiesForKeys: nil)) ?? []
        for run in runs where run.lastPathComponent.hasPrefix("run-") {
            guard let pid = Int32(run.lastPathComponent.dropFirst(4)), pid != getpid() else { continue }
            if kill(pid, 0) == 0 || errno == EPERM { continue }  // still running
            stopAll(in: run)
        }
    }
}
