import Foundation
import Logging
import Testing
import YilianCore
import YilianPostgres
@testable import YilianRepository
import YilianTestSupport

@Suite struct MigrationTests {
    @Test func migrationsAreNumberedInOrderWithoutGaps() {
        #expect(!Migration.all.isEmpty)
        #expect(Migration.all.map(\.version) == Array(1...Migration.all.count))
        for migration in Migration.all {
            #expect(migration.name.hasPrefix(String(format: "%04d_", migration.version)))
            #expect(migration.name.hasSuffix(".sql"))
        }
    }

    /// The worklist's outgoing query names the open statuses as the partial index does; both
    /// must be exactly the statuses that are not terminal.
    @Test func theOutgoingIndexHoldsExactlyTheOpenStatuses() async throws {
        let open = ReferralMachine.Status.allCases.filter { !$0.isTerminal }.map { "'\($0.rawValue)'" }
        #expect(ReferralRepository.openStatuses == "(" + open.joined(separator: ", ") + ")")
        let index = try #require(Migration.all.first { $0.name == "0007_worklist_sections.sql" })
        #expect(index.sql.contains("WHERE status IN \(ReferralRepository.openStatuses);"))
    }

    /// Referral rows are read by position, in the order the SELECT list names the columns.
    @Test func referralColumnsAreSelectedInTheOrderTheyAreRead() {
        #expect(ReferralRepository.columns == """
            id, alliance, specialty, direction, setting, priority, from_hospital, to_hospital, patient, consent, diagnosis, reason, \
            summary, attachments, parent, status, version, respond_by, clock_start, info_requested_at, slot_date::text AS slot_date, \
            outcome, escalation, first_response_at, accepted_at, reject_code, scheduled_at, created_at, updated_at, slot_expert, \
            consultation, patient_key
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
        #expect(try await connection.query("SELECT count(*) AS n FROM schema_migrations")[0].decode("n", as: Int.self) == Migration.all.count)
    }

    @Test func theSpecialtyCatalogIsSeeded() async throws {
        let connection = try await PGConnection.connect(try await TestPostgres.freshDatabase())
        let specialties = try await SpecialtyRepository.list(on: DatabaseSession(connection))
        #expect(specialties.count == 14)
        #expect(specialties.first == Specialty(code: "general", name: "全科"))
        #expect(specialties.map(\.code) == [
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
                == "Migration \(Migration.all[0].name) was changed after it was applied to this database; restore the original file, or put the change in a new migration.")
    }

    @Test func aFailingMigrationLeavesNothingBehind() async throws {
        let connection = try await PGConnection.connect(try await TestPostgres.freshDatabase())
        let broken = Migration.all + [Migration(version: 9001, name: "9001_broken.sql", sql: "CREATE TABLE half (id int); SELECT no_such_function();")]
        await #expect(throws: PGError.self) { try await Migrator(migrations: broken).migrate(on: connection) }
        #expect(try await connection.query("SELECT to_regclass('half') IS NULL AS gone")[0].decode("gone", as: Bool.self))
        #expect(try await Migrator(migrations: broken).status(on: connection).pending == [9001])
    }

    @Test func aSchemaBehindIsRefusedWithTheCommandToRun() async throws {
        let connection = try await PGConnection.connect(try await TestPostgres.emptyDatabase())
        let error = await #expect(throws: YilianError.self) { try await Migrator().ensureCurrent(on: connection) }
        #expect(error?.code == .databaseUnavailable)
        #expect(error?.message == "The database schema is behind this yilian (\(Migration.all.count) migration(s) pending); run `yilian db migrate`.")

        // A Database refuses every connection to it the same way.
        let database = Database(conninfo: try await TestPostgres.emptyDatabase(), logger: Logger(label: "test"))
        let refused = await #expect(throws: YilianError.self) { try await database.withConnection(as: .login) { try await $0.query("SELECT 1") } }
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
