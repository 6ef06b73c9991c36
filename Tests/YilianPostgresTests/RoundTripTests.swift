import Foundation
import Logging
import Testing
import YilianCore
import YilianJSON
import YilianPostgres
import YilianTestSupport

@testable import YilianRepository

/// Values through the client layer and back, against a real PostgreSQL.
@Suite struct RoundTripTests {
    func connect() async throws -> PGConnection {
        try await PGConnection.connect(try await TestPostgres.freshDatabase())
    }

    @Test func nullTravelsBothWays() async throws {
        let connection = try await connect()
        let row = try await connection.query("SELECT $1::text AS v, NULL::int AS n", [String?.none])[0]
        #expect(try row.decodeIfPresent("v", as: String.self) == nil)
        #expect(try row.decodeIfPresent("n", as: Int.self) == nil)
        #expect(throws: PGError.self) { try row.decode("v", as: String.self) }
        // By position too; the error still names the column.
        #expect(try row.decodeIfPresent(at: 1, as: Int.self) == nil)
        let error = #expect(throws: PGError.self) { try row.decode(at: 1, as: Int.self) }
        #expect(error?.message == "column n is NULL")
        let values = try await connection.query("SELECT 'a' AS x, 7 AS y")[0]
        #expect(try values.decode(at: 0, as: String.self) == "a")
        #expect(try values.decode(at: 1, as: Int.self) == 7)
    }

    @Test func textIsStoredVerbatim() async throws {
        let connection = try await connect()
        try await connection.runScript("CREATE TABLE notes (id serial PRIMARY KEY, body text NOT NULL)")
        let texts = [
            "北京地区疼痛专科医联体 中日友好医院", "'); DROP TABLE notes; --", "back\\slash \"quoted\" tab\t",
            "emoji 🏥 and e\u{301}", String(repeating: "长", count: 10_000),
        ]
        for text in texts {
            let id = try await connection.query("INSERT INTO notes (body) VALUES ($1) RETURNING id", [text])[0]
                .decode("id", as: Int.self)
            let back = try await connection.query("SELECT body FROM notes WHERE id = $1", [id])[0]
            #expect(try back.decode("body", as: String.self) == text)
        }
        let count = try await connection.query("SELECT count(*) AS n FROM notes")[0]
        #expect(try count.decode("n", as: Int.self) == texts.count)
    }

    @Test func numbersAndBooleans() async throws {
        let connection = try await connect()
        let row = try await connection.query(
            "SELECT $1::bigint AS big, $2::int AS small, $3::bool AS yes, $4::numeric AS exact, $5::float8 AS real",
            [Int64.max, Int32.min, true, Decimal(string: "12345678901234567890.123456789")!, 0.1]
        )[0]
        #expect(try row.decode("big", as: Int64.self) == Int64.max)
        #expect(try row.decode("small", as: Int32.self) == Int32.min)
        #expect(try row.decode("yes", as: Bool.self) == true)
        #expect(try row.decode("exact", as: Decimal.self) == Decimal(string: "12345678901234567890.123456789")!)
        #expect(try row.decode("real", as: Double.self) == 0.1)
        let numeric = try await connection.query("SELECT 1.50::numeric(5,2) AS n")[0]
        #expect(try numeric.text("n") == "1.50")
    }

    @Test func arrays() async throws {
        let connection = try await connect()
        let texts = ["pain", "with,comma", "with \"quote\"", "back\\slash", "NULL", "", "{brace}", "疼痛科"]
        let row = try await connection.query("SELECT $1::text[] AS t, $2::int[] AS i, '{}'::text[] AS e", [texts, [3, -1, 7]])[0]
        #expect(try row.decode("t", as: [String].self) == texts)
        #expect(try row.decode("i", as: [Int].self) == [3, -1, 7])
        #expect(try row.decode("e", as: [String].self) == [])
    }

    @Test func largeJSONB() async throws {
        let connection = try await connect()
        let big = String(repeating: "医联", count: 1 << 18)  // 1.5 MiB of UTF-8
        let value: JSONValue = ["facts": ["notes": .string(big), "beds": 1200, "ok": true, "none": nil], "list": [1, 2.5, "三"]]
        try await connection.runScript("CREATE TABLE docs (id int PRIMARY KEY, body jsonb NOT NULL)")
        try await connection.query("INSERT INTO docs VALUES (1, $1)", [PGJSON(value)])
        let row = try await connection.query("SELECT body, octet_length(body::text) AS size FROM docs WHERE id = 1")[0]
        #expect(try row.decode("body", as: PGJSON<JSONValue>.self).value == value)
        #expect(try row.decode("size", as: Int.self) > 1 << 20)
    }

    @Test(arguments: ["UTC", "Asia/Shanghai", "America/St_Johns", "Asia/Kathmandu", "Pacific/Kiritimati"])
    func timestampsAreTheSameInstantInEveryTimeZone(zone: String) async throws {
        let connection = try await connect()
        try await connection.query("SELECT set_config('TimeZone', $1, false)", [zone])
        let instant = Date(timeIntervalSince1970: 1_795_460_515.123456)  // 2026-11-23T…Z with microseconds
        let row = try await connection.query(
            "SELECT $1::timestamptz AS t, '2026-11-23 08:00:00+08'::timestamptz AS fixed, $1::timestamptz::text AS shown",
            [instant])[0]
        let back = try row.decode("t", as: Date.self)
        #expect(abs(back.timeIntervalSince1970 - instant.timeIntervalSince1970) < 0.000_001)
        #expect(try row.decode("fixed", as: Date.self) == Date(timeIntervalSince1970: 1_795_392_000))
        let shown = try row.text("shown") ?? ""
        #expect(zone == "UTC" ? shown.hasSuffix("+00") : !shown.hasSuffix("+00"))
    }

    @Test func historicTimestampsAndDates() async throws {
        let connection = try await connect()
        let row = try await connection.query(
            "SELECT '1900-01-01 00:00:00+00'::timestamptz AS old, '2000-02-29 23:59:59.5+00'::timestamptz AS leap")[0]
        #expect(try row.decode("old", as: Date.self) == Date(timeIntervalSince1970: -2_208_988_800))
        #expect(try row.decode("leap", as: Date.self) == Date(timeIntervalSince1970: 951_868_799.5))
    }

    /// Timestamps are written digit by digit: PostgreSQL reads each as the same instant (to the
    /// microsecond), from the year 1 to 9999 and beyond.
    @Test func timestampsSentAreTheInstantsPostgreSQLReads() async throws {
        let connection = try await connect()
        var random = SeededRandom(seed: 29)
        var seconds: [Double] = [0, -0.5, 951_868_799.999_999, 253_402_300_799, 253_402_300_800.25, -62_135_596_800]
        for _ in 0..<300 {
            seconds.append(
                Double(Int.random(in: -62_135_596_800..<253_402_300_800, using: &random)) + Double(
                    Int.random(in: 0..<1_000_000, using: &random)) / 1e6)
        }
        for value in seconds {
            let date = Date(timeIntervalSince1970: value)
            let row = try await connection.query("SELECT (extract(epoch FROM $1::timestamptz) * 1000000)::bigint AS micros", [date])[0]
            // The microseconds as the Date holds them (beyond 2^53 µs a Double rounds them).
            #expect(try row.decode("micros", as: Int.self) == Int((date.timeIntervalSince1970 * 1_000_000).rounded()), "\(value)")
        }
    }
}

/// Errors: SQLSTATE kept, mapped to the domain codes, internals kept from users.
@Suite struct ErrorMappingTests {
    @Test func uniqueViolationIsAlreadyExists() async throws {
        let database = Database(conninfo: try await TestPostgres.freshDatabase(), logger: Logger(label: "test"))
        try await database.withConnection(as: .login) { connection in
            try await connection.connection.runScript("CREATE TABLE codes (code text PRIMARY KEY)")
            try await connection.query("INSERT INTO codes VALUES ($1)", ["ZRYY"])
        }
        let error = await #expect(throws: YilianError.self) {
            try await database.withConnection(as: .login) { try await $0.query("INSERT INTO codes VALUES ($1)", ["ZRYY"]) }
        }
        #expect(error?.code == .alreadyExists)
        #expect(error?.message == "That record already exists.")
    }

    @Test func serverErrorsCarrySQLStateMessageAndDetail() async throws {
        let connection = try await PGConnection.connect(try await TestPostgres.freshDatabase())
        try await connection.runScript("CREATE TABLE codes (code text PRIMARY KEY)")
        try await connection.query("INSERT INTO codes VALUES ($1)", ["A"])
        let error = await #expect(throws: PGError.self) { try await connection.query("INSERT INTO codes VALUES ($1)", ["A"]) }
        #expect(error?.kind == .server)
        #expect(error?.sqlState == .uniqueViolation)
        #expect(error?.constraint == "codes_pkey")
        #expect(error?.detail == "Key (code)=(A) already exists.")
        // The connection is still usable after a server error.
        #expect(try await connection.query("SELECT 1 AS one")[0].decode("one", as: Int.self) == 1)
    }

    @Test func unexpectedServerErrorsLeakNothing() async throws {
        let database = Database(conninfo: try await TestPostgres.freshDatabase(), logger: Logger(label: "test"))
        let error = await #expect(throws: YilianError.self) {
            try await database.withConnection(as: .login) { try await $0.query("SELECT * FROM no_such_table") }
        }
        #expect(error == .internalFailure)
        #expect(error?.message.contains("no_such_table") == false)
    }

    @Test func refusedConnectionIsDatabaseUnavailable() async throws {
        let database = Database(
            conninfo: "postgresql:///nothing?host=/tmp/yilian-no-such-socket-dir", logger: Logger(label: "test"))
        let error = await #expect(throws: YilianError.self) {
            try await database.withConnection(as: .login) { try await $0.query("SELECT 1") }
        }
        #expect(error?.code == .databaseUnavailable)
    }
}

/// The transaction helper: commit, rollback, bounded retry.
@Suite struct TransactionTests {
    @Test func rollsBackWhenTheBodyThrows() async throws {
        struct Refused: Error {}
        let connection = try await PGConnection.connect(try await TestPostgres.freshDatabase())
        try await connection.runScript("CREATE TABLE t (v int)")
        await #expect(throws: Refused.self) {
            try await connection.transaction { connection in
                try await connection.query("INSERT INTO t VALUES (1)")
                throw Refused()
            }
        }
        try await connection.transaction { try await $0.query("INSERT INTO t VALUES (2)") }
        let values = try await connection.query("SELECT v FROM t").rows.map { try $0.decode("v", as: Int.self) }
        #expect(values == [2])
    }

    @Test func retriesASerializationFailureAndCommitsOnce() async throws {
        let connection = try await PGConnection.connect(try await TestPostgres.freshDatabase())
        try await connection.runScript("CREATE TABLE t (v int)")
        var attempts = 0
        try await connection.transaction(.serializable) { connection in
            attempts += 1
            try await connection.query("INSERT INTO t VALUES ($1)", [attempts])
            if attempts == 1 {
                try await connection.runScript("DO $$ BEGIN RAISE EXCEPTION 'simulated' USING ERRCODE = '40001'; END $$")
            }
        }
        #expect(attempts == 2)
        let values = try await connection.query("SELECT v FROM t").rows.map { try $0.decode("v", as: Int.self) }
        #expect(values == [2])
    }

    @Test func givesUpAfterTheLastAttemptWithConflict() async throws {
        let database = Database(conninfo: try await TestPostgres.freshDatabase(), logger: Logger(label: "test"))
        let attempts = Attempts()
        let error = await #expect(throws: YilianError.self) {
            try await database.transaction(as: .login) { connection in
                await attempts.add()
                try await connection.connection.runScript("DO $$ BEGIN RAISE EXCEPTION 'simulated' USING ERRCODE = '40P01'; END $$")
            }
        }
        #expect(error?.code == .conflict)
        #expect(await attempts.count == 10)
    }

    @Test func concurrentSerializableWritersBothCommitThroughRetries() async throws {
        let url = try await TestPostgres.freshDatabase()
        let setup = try await PGConnection.connect(url)
        try await setup.runScript("CREATE TABLE counter (n int NOT NULL); INSERT INTO counter VALUES (0)")
        let database = Database(conninfo: url, capacity: 8, checkSchema: false, logger: Logger(label: "test"))
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    try await database.transaction(as: .login, .serializable) { connection in
                        let n = try await connection.query("SELECT n FROM counter")[0].decode("n", as: Int.self)
                        try await connection.query("UPDATE counter SET n = $1", [n + 1])
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(try await setup.query("SELECT n FROM counter")[0].decode("n", as: Int.self) == 8)
    }
}

actor Attempts {
    var count = 0
    func add() { count += 1 }
}
