import Foundation
import Logging
import Testing
import YilianCore
import YilianPostgres
import YilianTestSupport

@testable import YilianRepository

@Suite struct MigrationTests {
    @Test func migrationsAreNumberedInOrderWithoutGaps() {
        #expect(!Migration.all.isEmpty)
        #expect(Migration.all.map(\.version) == Array(1...Migration.all.count))
        for migration in Migration.all {
            #expect(migration.name.hasPrefix(String(format: "%04d_", migration.version)))
            #expect(migration.name.hasSuffix(".sql"))
        }
    }

    /// The worklist's outgoing section and the duplicate rule name the open statuses as the
    /// partial indexes do; all must be exactly the statuses that are not terminal.
    @Test func theOpenIndexesAndQueriesHoldExactlyTheOpenStatuses() async throws {
        let open = "(" + ReferralMachine.Status.allCases.filter { !$0.isTerminal }.map { "'\($0.rawValue)'" }.joined(separator: ", ") + ")"
        let index = try #require(Migration.all.first { $0.name == "0007_worklist_sections.sql" })
        #expect(index.sql.contains("WHERE status IN \(open);"))
        let reads = try #require(Migration.all.first { $0.name == "0034_reads_that_log.sql" })
        #expect(reads.sql.components(separatedBy: "r.status IN \(open)").count - 1 == 4)
        #expect(reads.sql.contains("WHERE patient_key IS NOT NULL AND status IN \(open);"))
    }

    /// Referral rows are read by position, in the order the SELECT list names the columns.
    @Test func referralColumnsAreSelectedInTheOrderTheyAreRead() {
        #expect(
            ReferralRepository.columns == """
                id, alliance, specialty, direction, setting, priority, from_hospital, to_hospital, patient, consent, diagnosis, reason, \
                summary, attachments, parent, status, version, respond_by, clock_start, info_requested_at, slot_date::text AS slot_date, \
                outcome, escalation, first_response_at, accepted_at, reject_code, scheduled_at, created_at, updated_at, slot_expert, \
                consultation, patient_key, sender_identifier, outreach
                """)
    }

    @Test func freshApplyThenNoOpReapply() async throws {
        let connection = try await PGConnection.connect(try await TestPostgres.emptyDatabase())
        let migrator = Migrator()
        #expect(try await migrator.status(on: connection) == SchemaStatus(applied: [], available: Migration.all.map(\.version)))

        let applied = try await migrator.migrate(on: connection)
        #expect(applied == Migration.all)
        #expect(try await migrator.status(on: connection).isCurrent)
        let recorded = try await connection.query("SELECT version, name, length(checksum) AS len FROM schema_migrations ORDER BY version")
        #expect(try recorded.rows.map { try $0.decode("name", as: String.self) } == Migration.all.map(\.name))
        #expect(try recorded.rows.allSatisfy { try $0.decode("len", as: Int.self) == 64 })

        #expect(try await migrator.migrate(on: connection).isEmpty)
        #expect(
            try await connection.query("SELECT count(*) AS n FROM schema_migrations")[0].decode("n", as: Int.self) == Migration.all.count)
    }

    @Test func theSpecialtyCatalogIsSeeded() async throws {
        let connection = try await PGConnection.connect(try await TestPostgres.freshDatabase())
        let specialties = try await SpecialtyRepository.list(on: DatabaseSession(connection))
        #expect(specialties.count == 14)
        #expect(specialties.first == Specialty(code: "general", name: "全科"))
        #expect(
            specialties.map(\.code) == [
                "general", "pain", "pediatrics", "orthopedics", "obstetrics", "cardiology", "trauma", "neurology", "neurosurgery",
                "oncology", "respiratory", "endocrinology", "rehabilitation", "geriatrics",
            ])
    }

    @Test func anEditedAppliedMigrationIsRefused() async throws {
        let connection = try await PGConnection.connect(try await TestPostgres.freshDatabase())
        var edited = Migration.all
        edited[0].sql += "\n-- a later edit\n"
        let error = await #expect(throws: YilianError.self) { try await Migrator(migrations: edited).migrate(on: connection) }
        #expect(error?.code == .internal)
        #expect(
            error?.message
                == "Migration \(Migration.all[0].name) was changed after it was applied to this database; restore the original file, or put the change in a new migration."
        )
    }

    @Test func aFailingMigrationLeavesNothingBehind() async throws {
        let connection = try await PGConnection.connect(try await TestPostgres.freshDatabase())
        let broken =
            Migration.all + [
                Migration(version: 9001, name: "9001_broken.sql", sql: "CREATE TABLE half (id int); SELECT no_such_function();")
            ]
        await #expect(throws: PGError.self) { try await Migrator(migrations: broken).migrate(on: connection) }
        #expect(try await connection.query("SELECT to_regclass('half') IS NULL AS gone")[0].decode("gone", as: Bool.self))
        #expect(try await Migrator(migrations: broken).status(on: connection).pending == [9001])
    }

    /// 0022 on a database holding whole resident IDs: each kept aside once, stored masked with
    /// its key, in referrals and consultations alike.
    @Test func storedResidentIDsAreMaskedByTheMigrationThatKeepsThemAside() async throws {
        let connection = try await PGConnection.connect(try await TestPostgres.emptyDatabase())
        try await Migrator(migrations: Migration.all.filter { $0.version < 22 }).migrate(on: connection)
        let patient = #"{"name": "张三", "sex": "male", "birthDate": "1980-01-01", "idNumber": "11010519800101018x"}"#
        try await connection.runScript(
            """
            INSERT INTO hospitals (code, name, level) VALUES ('ZRYY', '中日友好医院', 3), ('MYQYY', '密云区医院', 2);
            INSERT INTO alliances (code, name, specialty, core) VALUES ('PAIN-BJ', '疼痛专科医联体', 'pain', 'ZRYY');
            INSERT INTO referrals (id, alliance, specialty, direction, setting, priority, from_hospital, to_hospital, patient, consent,
                diagnosis, reason, status, respond_by, clock_start, created_at, updated_at)
            SELECT 'R-00000' || n, 'PAIN-BJ', 'pain', 'up', 'outpatient', 'routine', 'MYQYY', 'ZRYY', '\(patient)', true,
                '[]', 'x', 'requested', now(), now(), now(), now() FROM generate_series(1, 2) n;
            INSERT INTO consultations (id, alliance, specialty, from_hospital, to_hospital, mode, priority, patient, consent, diagnosis,
                question, status, respond_by, created_at, updated_at)
            VALUES ('C-000001', 'PAIN-BJ', 'pain', 'MYQYY', 'ZRYY', 'advice', 'routine', '\(patient)', true, '[]', 'x', 'requested',
                now(), now(), now());
            """)
        try await Migrator().migrate(on: connection)
        let stored = try await connection.query(
            """
            SELECT (SELECT string_agg(DISTINCT patient->>'idNumber', ' ') FROM referrals) AS referrals,
                   (SELECT patient->>'idNumber' FROM consultations) AS consultation,
                   (SELECT count(DISTINCT patient_key) FROM (SELECT patient_key FROM referrals UNION ALL SELECT patient_key FROM consultations) k)
                       AS keys,
                   (SELECT string_agg(id_number, ' ') FROM resident_ids) AS kept
            """)[0]
        #expect(try stored.decode("referrals") as String == "**************018x")
        #expect(try stored.decode("consultation") as String == "**************018x")
        #expect(try stored.decode("keys") as Int == 1)
        #expect(try stored.decode("kept") as String == "11010519800101018X")
    }

    /// The database masks as `ResidentID.mask` does, so a stored ID masked again is unchanged.
    @Test func theDatabaseMasksAResidentIDAsSwiftDoes() async throws {
        let connection = try await PGConnection.connect(try await TestPostgres.freshDatabase())
        for number in ["11010519800101018X", "**************018X", "1234", "12345", "甲乙丙丁戊己", ""] {
            let masked: String = try await connection.query("SELECT yilian_masked_id($1) AS m", [number])[0].decode("m")
            #expect(masked == ResidentID.mask(number) && ResidentID.mask(masked) == masked, "\(number)")
        }
    }

    @Test func aSchemaBehindIsRefusedWithTheCommandToRun() async throws {
        let connection = try await PGConnection.connect(try await TestPostgres.emptyDatabase())
        let error = await #expect(throws: YilianError.self) { try await Migrator().ensureCurrent(on: connection) }
        #expect(error?.code == .databaseUnavailable)
        #expect(
            error?.message
                == "The database schema is behind this yilian (\(Migration.all.count) migration(s) pending); run `yilian db migrate`.")

        // A Database refuses every connection to it the same way.
        let database = Database(conninfo: try await TestPostgres.emptyDatabase(), logger: Logger(label: "test"))
        let refused = await #expect(throws: YilianError.self) {
            try await database.withConnection(as: .login) { try await $0.query("SELECT 1") }
        }
        #expect(refused == error)
    }

    @Test func aSchemaFromANewerYilianIsRefused() async throws {
        let url = try await TestPostgres.freshDatabase()
        let connection = try await PGConnection.connect(url)
        let newer = Migration.all + [Migration(version: 9002, name: "9002_future.sql", sql: "CREATE TABLE future (id int)")]
        try await Migrator(migrations: newer).migrate(on: connection)
        let error = await #expect(throws: YilianError.self) { try await Migrator().ensureCurrent(on: connection) }
        #expect(error?.code == .databaseUnavailable)
        #expect(error?.message.contains("newer than this yilian knows") == true)
    }

    /// A database at 44 upgraded by a fresh session (`yilian db migrate`): 0045 replaces a function
    /// with plpgsql's own settings fixed (0043), which PostgreSQL refuses to the owner while they
    /// are placeholders, before anything of PL/pgSQL ran in the session (a concurrent migrator's
    /// loser met it in CI). The migrator loads PL/pgSQL first.
    @Test func aFreshSessionMigratesPastPlpgsqlSettings() async throws {
        let url = try await TestPostgres.emptyDatabase()
        try await Migrator(migrations: Migration.all.filter { $0.version < 45 }).migrate(on: try await PGConnection.connect(url))
        let applied = try await Migrator().migrate(on: try await PGConnection.connect(url))
        #expect(applied.first?.version == 45)
    }

    @Test func concurrentMigratorsApplyEachFileOnce() async throws {
        let url = try await TestPostgres.emptyDatabase()
        let applied = try await withThrowingTaskGroup(of: [Migration].self) { group in
            for _ in 0..<4 {
                group.addTask { try await Migrator().migrate(on: try await PGConnection.connect(url)) }
            }
            return try await group.reduce(into: [Migration]()) { $0 += $1 }
        }
        #expect(applied.map(\.version).sorted() == Migration.all.map(\.version))
        let connection = try await PGConnection.connect(url)
        #expect(try await Migrator().status(on: connection).isCurrent)
    }
}
