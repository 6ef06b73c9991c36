import Testing
import YilianPostgres
import YilianTestSupport

/// A transaction's `BEGIN` goes out with its first statement, and `execute`d statements with the
/// next statement or the commit (libpq pipeline mode): the effects must be exactly those of
/// sending them one by one.
@Suite struct PipelineTests {
    func connect() async throws -> PGConnection {
        let connection = try await PGConnection.connect(try await TestPostgres.freshDatabase())
        try await connection.runScript("CREATE TABLE t (n int PRIMARY KEY)")
        return connection
    }

    func numbers(_ connection: PGConnection) async throws -> [Int] {
        try await connection.query("SELECT n FROM t ORDER BY n").rows.map { try $0.decode("n") }
    }

    /// Several statements new to the session in one pipeline, one of them twice (each is
    /// prepared once, under its own name: they used to share one and fail).
    @Test func deferredStatementsRunInOrderBeforeTheNextStatement() async throws {
        let connection = try await connect()
        let seen = try await connection.transaction { connection in
            try await connection.execute("INSERT INTO t VALUES ($1)", [1])
            try await connection.execute("INSERT INTO t VALUES ($1)", [2])
            try await connection.execute("UPDATE t SET n = n + 10 WHERE n = $1", [1])
            return try await connection.query("SELECT count(*) AS c FROM t WHERE n > $1", [5])[0].decode("c", as: Int.self)
        }
        #expect(seen == 1)
        #expect(try await numbers(connection) == [2, 11])
    }

    @Test func deferredStatementsGoOutWithTheCommit() async throws {
        let connection = try await connect()
        try await connection.transaction { connection in
            try await connection.execute("INSERT INTO t VALUES ($1)", [3])
            try await connection.execute("DELETE FROM t WHERE n = $1", [4])
        }
        #expect(try await numbers(connection) == [3])
    }

    /// A deferred statement that fails fails the commit: nothing of the transaction is stored,
    /// and the session is usable for the next one.
    @Test func aFailingDeferredStatementFailsTheCommitAndStoresNothing() async throws {
        let connection = try await connect()
        try await connection.query("INSERT INTO t VALUES ($1)", [7])
        let error = await #expect(throws: PGError.self) {
            try await connection.transaction { connection in
                try await connection.execute("INSERT INTO t VALUES ($1)", [8])
                try await connection.execute("INSERT INTO t VALUES ($1)", [7])
                try await connection.execute("INSERT INTO t VALUES ($1)", [9])
            }
        }
        #expect(error?.sqlState == .uniqueViolation)
        #expect(try await numbers(connection) == [7])
        try await connection.transaction { connection in try await connection.execute("INSERT INTO t VALUES ($1)", [10]) }
        #expect(try await numbers(connection) == [7, 10])
    }

    /// `queryCommitting` returns its statement's rows, committed with it: the transaction's
    /// earlier statements and this one are stored, and the transaction is over (its end sends
    /// nothing more). A failure stores nothing of the transaction, and the session goes on.
    @Test func aStatementSentWithTheCommitIsCommittedWithIt() async throws {
        let connection = try await connect()
        let inserted = try await connection.transaction { connection in
            try await connection.query("INSERT INTO t VALUES ($1)", [1])
            return try await connection.queryCommitting("INSERT INTO t VALUES ($1) RETURNING n", [2])[0].decode("n", as: Int.self)
        }
        #expect(inserted == 2)
        #expect(try await numbers(connection) == [1, 2])
        await #expect(throws: PGError.self) {
            try await connection.transaction { connection in
                try await connection.query("INSERT INTO t VALUES ($1)", [3])
                _ = try await connection.queryCommitting("INSERT INTO t VALUES ($1)", [1])
            }
        }
        #expect(try await numbers(connection) == [1, 2])
        // Outside a transaction it is a statement of its own.
        _ = try await connection.queryCommitting("INSERT INTO t VALUES ($1)", [4])
        #expect(try await numbers(connection) == [1, 2, 4])
    }

    /// `queries` sends its statements in one round trip (after the transaction's deferred ones)
    /// and returns each one's rows, in order; one failing fails the call.
    @Test func queriesReturnEveryResultInOrder() async throws {
        let connection = try await connect()
        let counts = try await connection.transaction { connection in
            try await connection.execute("INSERT INTO t VALUES ($1), ($2)", [1, 2])
            return try await connection.queries([
                ("SELECT count(*) AS c FROM t WHERE n > $1", [0]), ("SELECT count(*) AS c FROM t WHERE n > $1", [1]),
                ("SELECT n AS c FROM t WHERE n = $1", [3]),
            ]).map(\.rowCount)
        }
        #expect(counts == [1, 1, 0])
        let read = try await connection.queries([("SELECT n FROM t ORDER BY n DESC", []), ("SELECT $1::int * 2 AS n", [21])])
        #expect(try read.map { try $0.rows.map { try $0.decode("n", as: Int.self) } } == [[2, 1], [42]])
        let error = await #expect(throws: PGError.self) {
            try await connection.queries([("SELECT n FROM t", []), ("SELECT $1::int AS n", ["x"])])
        }
        #expect(error?.sqlState == SQLState(rawValue: "22P02"))
        #expect(try await numbers(connection) == [1, 2])
    }

    /// `transform` sees each result with its statement's index (after the transaction's deferred
    /// statements); its error fails the call once every result is read, and the session goes on.
    @Test func queriesTransformEachResultAsItArrives() async throws {
        struct Refused: Error {}
        let connection = try await connect()
        let seen = try await connection.transaction { connection in
            try await connection.execute("INSERT INTO t VALUES ($1)", [5])
            return try await connection.queries([("SELECT n FROM t", []), ("SELECT $1::int + 1 AS n", [6])]) { index, result in
                "\(index):\(try result[0].decode("n", as: Int.self))"
            }
        }
        #expect(seen == ["0:5", "1:7"])
        await #expect(throws: Refused.self) {
            try await connection.queries([("SELECT 1 AS n", []), ("SELECT 2 AS n", []), ("SELECT 3 AS n", [])]) { index, _ in
                if index == 1 { throw Refused() }
                return index
            }
        }
        #expect(try await numbers(connection) == [5])
    }

    /// A statement failing right after the pipelined BEGIN leaves a rolled back transaction.
    @Test func aFailingFirstStatementRollsBack() async throws {
        let connection = try await connect()
        let error = await #expect(throws: PGError.self) {
            try await connection.transaction { connection in
                try await connection.query("INSERT INTO t VALUES ($1)", ["not a number"])
            }
        }
        #expect(error?.kind == .server)
        #expect(try await numbers(connection) == [])
        try await connection.query("INSERT INTO t VALUES ($1)", [1])
        #expect(try await numbers(connection) == [1])
    }
}
