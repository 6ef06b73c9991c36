import Foundation
import Testing
import YilianPostgres
import YilianTestSupport

/// The wall in one file (issue 27): `sql/schema.sql` is what the migrations make (tables,
/// policies, grants, functions), as `pg_dump --schema-only` prints it, so that a reviewer reads
/// the current wall without replaying 29 migrations. Migrations stay the way the schema changes;
/// `YILIAN_WRITE_SCHEMA=1 swift test --filter SchemaFileTests` writes the file anew after one.
@Suite struct SchemaFileTests {
    static let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appending(path: "../../sql/schema.sql").standardized

    @Test func theCommittedSchemaIsWhatTheMigrationsMake() async throws {
        let made = try Self.dump(try await TestPostgres.freshDatabase())
        if ProcessInfo.processInfo.environment["YILIAN_WRITE_SCHEMA"] == "1" {
            try made.write(to: Self.file, atomically: true, encoding: .utf8)
        }
        let committed = try String(contentsOf: Self.file, encoding: .utf8)
        #expect(committed == made, "sql/schema.sql differs from what the migrations make; see its first lines")
    }

    /// The schema of the database at `url`, without the lines that name PostgreSQL's version or
    /// carry pg_dump's random `restrict` key.
    static func dump(_ url: String) throws -> String {
        let (status, data, _) = try Child.run(
            "/usr/bin/pg_dump", ["--schema-only", "--no-owner", "--dbname", url], environment: ProcessInfo.processInfo.environment)
        #expect(status == 0)
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            .filter {
                !$0.hasPrefix("-- Dumped from") && !$0.hasPrefix("-- Dumped by") && !$0.hasPrefix("\\restrict")
                    && !$0.hasPrefix("\\unrestrict")
            }
        return "-- The schema that sql/NNNN_*.sql make, as pg_dump --schema-only --no-owner prints it. Generated: do not edit;\n"
            + "-- YILIAN_WRITE_SCHEMA=1 swift test --filter SchemaFileTests writes it anew.\n"
            + lines.joined(separator: "\n")
    }
}

/// Every PL/pgSQL function passes plpgsql_check (Debian `postgresql-NN-plpgsql-check`): no error
/// in any statement of any function, trigger functions checked against their tables. Run where
/// the extension is installed (`.ci/run` installs it and requires the test to run).
@Suite struct FunctionLintTests {
    static let installed = ((try? FileManager.default.contentsOfDirectory(atPath: "/usr/share/postgresql")) ?? [])
        .contains { FileManager.default.fileExists(atPath: "/usr/share/postgresql/\($0)/extension/plpgsql_check.control") }

    @Test func plpgsqlCheckIsInstalledWhereItIsRequired() {
        if ProcessInfo.processInfo.environment["YILIAN_REQUIRE_PLPGSQL_CHECK"] == "1" { #expect(Self.installed) }
    }

    @Test(.enabled(if: installed)) func everyFunctionPassesPlpgsqlCheck() async throws {
        let url = try await TestPostgres.freshDatabase()
        // The extension is not trusted: the cluster's superuser makes it in this database only.
        let superuser = try await PGConnection.connect(url.replacingOccurrences(of: "user=yilian", with: "user=postgres"))
        try await superuser.runScript("CREATE EXTENSION plpgsql_check")
        let errors = try await superuser.query(
            """
            SELECT p.oid::regprocedure::text || ':' || coalesce(r.lineno::text, '') || ' ' || r.message AS problem
            FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang AND l.lanname = 'plpgsql'
            LEFT JOIN LATERAL (SELECT t.tgrelid FROM pg_trigger t WHERE t.tgfoid = p.oid LIMIT 1) t ON true
            CROSS JOIN LATERAL plpgsql_check_function_tb(p.oid, coalesce(t.tgrelid, 0)) r
            WHERE p.pronamespace IN ('public'::regnamespace, 'yilian_api'::regnamespace, 'yilian_private'::regnamespace) AND r.level = 'error'
            ORDER BY 1
            """)
        let problems = try errors.rows.map { try $0.decode("problem", as: String.self) }
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
        let checked = try await superuser.query(
            """
            SELECT count(*) AS n FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang AND l.lanname = 'plpgsql'
            WHERE p.pronamespace IN ('public'::regnamespace, 'yilian_api'::regnamespace, 'yilian_private'::regnamespace)
            """)
        #expect(try checked[0].decode("n", as: Int.self) > 20)
    }
}
