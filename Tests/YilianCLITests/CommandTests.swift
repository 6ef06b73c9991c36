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
        #expect(
            outcome.stderr == "No PostgreSQL server answers at the database URL's host or socket; check the URL, or start that server.\n")
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
                "code": -32050,
                "message": "No PostgreSQL server answers at the database URL's host or socket; check the URL, or start that server.",
                "data": ["code": "database_unavailable"],
            ])
    }

    @Test func usageErrorsExit64() async throws {
        #expect(try await YilianBinary.run(["db", "frobnicate"]).exitCode == 64)
        #expect(try await YilianBinary.run(["serve", "--concurrency", "0"]).exitCode == 64)
        let badActor = try await YilianBinary.run(["specialty", "list", "--as", "nobody"])
        #expect(badActor.exitCode == 64)
        #expect(badActor.stderr.contains("The actor \"nobody\" is not of the form USER@HOSPITAL."))
        let badLevel = try await YilianBinary.run(["db", "url"], environment: ["YILIAN_LOG_LEVEL": "loud"])
        #expect(badLevel.exitCode == 64)
    }

    /// A coordinator on a Chinese locale reads a mistyped command line in Chinese too.
    @Test func usageErrorsInChinese() async throws {
        func firstLine(_ arguments: [String]) async throws -> String {
            let outcome = try await YilianBinary.run(arguments, environment: ["LANG": "zh_CN.UTF-8"])
            #expect(outcome.exitCode == 64)
            #expect(!outcome.stderr.contains("See '") && !outcome.stderr.contains("Help:"), "\(outcome.stderr)")
            return String(outcome.stderr.split(separator: "\n").first ?? "")
        }
        #expect(try await firstLine(["referral", "accept"]) == "错误：缺少参数 <id>。")
        #expect(
            try await firstLine(["referral", "accept", "R-000001", "--expected-versio", "2"])
                == "错误：没有 --expected-versio 这个选项。是不是要输入 --expected-version？")
        #expect(try await firstLine(["referral", "list", "--limit", "many"]) == "错误：--limit <limit> 的取值 many 无效。")
        #expect(try await firstLine(["referral", "schedule", "R-000001", "--date"]) == "错误：--date <date> 缺少取值。")
        #expect(try await firstLine(["specialty", "list", "--as", "nobody"]) == "错误：操作人 \"nobody\" 不符合 用户@医院编码 的格式。")
        #expect(try await firstLine(["db", "url", "--lang", "fr"]) == "错误：不支持语言 \"fr\"，请用 zh 或 en。")
        #expect(try await firstLine(["db", "url", "extra"]) == "错误：多余的参数 extra。")
        // Options only where they mean something: serve has no --as, a reading command no --idempotency-key.
        #expect(try await firstLine(["serve", "--as", "li@ZRYY"]) == "错误：没有 --as 这个选项。是不是要输入 --lang？")
        #expect(try await firstLine(["worklist", "--hospital", "ZRYY", "--idempotency-key", "k1"]) == "错误：没有 --idempotency-key 这个选项。")
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
