import Foundation
import Testing
import YilianCore
import YilianJSON
import YilianRepository
import YilianTestSupport

/// Exit codes, error output and `--json` of the command line.
@Suite struct CommandTests {
    @Test func anUnreachableDatabaseExits69WithOneSentence() async throws {
        let outcome = try await YilianBinary.run(
            ["db", "migrate"], environment: ["YILIAN_DATABASE_URL": "postgresql:///x?host=/tmp/yilian-no-such-socket-dir"])
        #expect(outcome.exitCode == 69)
        #expect(outcome.stdout == "")
        #expect(outcome.stderr == "No PostgreSQL server answers at the database URL's host or socket; check the URL, or start that server.\n")
    }

    @Test func withJSONTheErrorObjectFollowsTheSentence() async throws {
        let outcome = try await YilianBinary.run(
            ["db", "status", "--json"], environment: ["YILIAN_DATABASE_URL": "postgresql:///x?host=/tmp/yilian-no-such-socket-dir"])
        #expect(outcome.exitCode == 69)
        let lines = outcome.stderr.split(separator: "\n").map(String.init)
        #expect(lines.count == 2)
        #expect(lines.first == "No PostgreSQL server answers at the database URL's host or socket; check the URL, or start that server.")
        let object = try JSONDecoder().decode(JSONValue.self, from: Data((lines.last ?? "").utf8))
        #expect(
            object == [
                "code": -32050, "message": "No PostgreSQL server answers at the database URL's host or socket; check the URL, or start that server.",
                "data": ["code": "database_unavailable"],
            ])
    }

    @Test func usageErrorsExit64() async throws {
        #expect(try await YilianBinary.run(["db", "frobnicate"]).exitCode == 64)
        #expect(try await YilianBinary.run(["serve", "--concurrency", "0"]).exitCode == 64)
        let badActor = try await YilianBinary.run(["db", "url", "--as", "nobody"])
        #expect(badActor.exitCode == 64)
        #expect(badActor.stderr.contains("The actor \"nobody\" is not of the form USER@HOSPITAL."))
        let badLevel = try await YilianBinary.run(["db", "url"], environment: ["YILIAN_LOG_LEVEL": "loud"])
        #expect(badLevel.exitCode == 64)
    }

    @Test func urlPrintsTheConfiguredDatabase() async throws {
        let outcome = try await YilianBinary.run(["db", "url", "--json", "--database-url", "postgresql://db.example/yilian"])
        #expect(outcome.exitCode == 0)
        #expect(outcome.stdout == "{\"url\":\"postgresql://db.example/yilian\"}\n")
        let home = try await YilianBinary.run(["db", "url"], environment: ["YILIAN_HOME": "/srv/yilian"])
        #expect(home.stdout == "postgresql:///yilian?host=/srv/yilian/run&user=yilian\n")
    }

    @Test func statusOfAnExternalDatabaseShowsItsSchema() async throws {
        let url = try await TestPostgres.freshDatabase()
        let outcome = try await YilianBinary.run(["db", "status", "--json"], environment: ["YILIAN_DATABASE_URL": url])
        #expect(outcome.exitCode == 0)
        let status = try JSONDecoder().decode(JSONValue.self, from: Data(outcome.stdout.utf8))
        #expect(status == ["embedded": false, "state": "reachable", "url": .string(url), "schema": EmbeddedDatabaseTests.currentSchema])
    }

    @Test func versionFlag() async throws {
        let outcome = try await YilianBinary.run(["--version"])
        #expect(outcome.exitCode == 0)
        #expect(outcome.stdout == "0.1.0\n")
    }
}
