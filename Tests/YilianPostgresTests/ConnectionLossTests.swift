import Foundation
import Logging
import Testing
import YilianCore
import YilianPostgres
import YilianTestSupport

@testable import YilianRepository

/// A server that goes away mid-session, on a cluster of this test's own.
@Suite struct ConnectionLossTests {
    @Test func stoppedServerIsUnavailableQuicklyAndTheNextCallAfterRestartSucceeds() async throws {
        let cluster = EmbeddedCluster(home: try TestPostgres.makeHome("loss"), settings: ["fsync": "off"])
        try await cluster.start()
        defer { _ = try? cluster.stop(immediate: true) }
        let database = Database(conninfo: cluster.url, checkSchema: false, logger: Logger(label: "test"))
        #expect(try await database.withConnection(as: .login) { try await $0.query("SELECT 1 AS one")[0].decode("one", as: Int.self) } == 1)

        try cluster.stop()
        let started = Date()
        let error = await #expect(throws: YilianError.self) {
            try await database.withConnection(as: .login) { try await $0.query("SELECT 1") }
        }
        #expect(error?.code == .databaseUnavailable)
        #expect(Date().timeIntervalSince(started) < 5)

        try await cluster.start()
        // The same pooled connection is re-established on its next use.
        #expect(try await database.withConnection(as: .login) { try await $0.query("SELECT 2 AS two")[0].decode("two", as: Int.self) } == 2)
    }

    @Test func brokenConnectionReportsLossThenReconnects() async throws {
        let url = try await TestPostgres.freshDatabase()
        let connection = try await PGConnection.connect(url)
        let killer = try await PGConnection.connect(url)
        let pid = try await connection.query("SELECT pg_backend_pid() AS pid")[0].decode("pid", as: Int.self)
        try await killer.query("SELECT pg_terminate_backend($1)", [pid])
        try await Task.sleep(for: .milliseconds(100))
        // The server closed the idle session; the next use notices and connects again.
        #expect(try await connection.query("SELECT 3 AS three")[0].decode("three", as: Int.self) == 3)
        #expect(await connection.isHealthy)
    }

    /// Runs a transaction that inserts 1, has its backend terminated, then goes on with `rest`;
    /// the transaction must fail as lost, store nothing, and leave a connection that works again.
    func breakInsideATransaction(then rest: @escaping @Sendable (PGConnection) async throws -> Void) async throws {
        let url = try await TestPostgres.freshDatabase()
        let connection = try await PGConnection.connect(url)
        let killer = try await PGConnection.connect(url)
        try await killer.query("CREATE TABLE lost (n int)")
        let pid = try await connection.query("SELECT pg_backend_pid() AS pid")[0].decode("pid", as: Int.self)
        let error = await #expect(throws: PGError.self) {
            try await connection.transaction { connection in
                try await connection.query("INSERT INTO lost VALUES ($1)", [1])
                try await killer.query("SELECT pg_terminate_backend($1)", [pid])
                try await Task.sleep(for: .milliseconds(100))
                try await rest(connection)
            }
        }
        #expect(error?.kind == .connectionLost)
        #expect(try await killer.query("SELECT count(*) AS n FROM lost")[0].decode("n", as: Int.self) == 0)
        #expect(try await connection.query("SELECT 4 AS four")[0].decode("four", as: Int.self) == 4)
    }

    @Test func connectionLostInsideATransactionFailsItInsteadOfFinishingItOnANewSession() async throws {
        try await breakInsideATransaction { connection in try await connection.query("INSERT INTO lost VALUES ($1)", [2]) }
    }

    /// A statement whose failure the caller swallowed must not let the next one run on a new
    /// session, outside the transaction (it used to: the third insert was committed on its own).
    @Test func afterASwallowedBreakTheRestOfTheTransactionFailsToo() async throws {
        try await breakInsideATransaction { connection in
            _ = try? await connection.query("INSERT INTO lost VALUES ($1)", [2])
            try await connection.query("INSERT INTO lost VALUES ($1)", [3])
        }
    }

    /// Same when the caller swallows the break and commits: the commit fails, nothing is stored
    /// (it used to "succeed" on a new session).
    @Test func aTransactionWhoseConnectionBrokeCannotCommit() async throws {
        try await breakInsideATransaction { connection in _ = try? await connection.query("INSERT INTO lost VALUES ($1)", [2]) }
    }
}
