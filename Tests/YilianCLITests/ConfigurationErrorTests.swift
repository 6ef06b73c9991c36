import Foundation
import Testing
import YilianTestSupport

/// A database that cannot be reached because of the setup says what to fix; "try again" is
/// for what passes by itself (issue: a malformed URL or a missing database said "try again
/// shortly").
@Suite struct ConfigurationErrorTests {
    @Test func eachSetupMistakeIsNamed() async throws {
        let good = try await TestPostgres.freshDatabase()
        let database = good.split(separator: "?")[0].split(separator: "/").last.map(String.init) ?? ""
        let cases: [(url: String, message: String)] = [
            (
                "postgresql://%zz",
                "The database URL is not a valid PostgreSQL URI or connection string; check YILIAN_DATABASE_URL or --database-url."
            ),
            (
                "postgresql:///x?bogus=1",
                "The database URL is not a valid PostgreSQL URI or connection string; check YILIAN_DATABASE_URL or --database-url."
            ),
            (
                "postgresql:///x?host=/tmp/yilian-no-such-socket",
                "No PostgreSQL server answers at the database URL's host or socket; check the URL, or start that server."
            ),
            (
                "host=127.0.0.1 port=1 dbname=x",
                "No PostgreSQL server answers at the database URL's host or socket; check the URL, or start that server."
            ),
            (
                good.replacingOccurrences(of: "/\(database)?", with: "/no_such_database?"),
                "The server has no database of the name the database URL gives; check the URL's database name."
            ),
            (
                good.replacingOccurrences(of: "user=yilian", with: "user=nobody"),
                "PostgreSQL refused the login: check the user the database URL names and its password (~/.pgpass or PGPASSWORD)."
            ),
        ]
        for (url, message) in cases {
            let outcome = try await YilianBinary.run(["hospital", "list"], environment: ["YILIAN_DATABASE_URL": url])
            #expect(outcome.exitCode == 69, "\(url)")
            #expect(outcome.stderr == message + "\n", "\(url)")
        }
    }
}
