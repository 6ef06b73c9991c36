import Foundation
import Testing
import YilianJSON
import YilianTestSupport

/// SPEC §12: the reads that may lag (`report.indicators`, `audit.list`) go to
/// `YILIAN_READ_DATABASE_URL` when it is set (a standby), from `serve` as from the CLI.
@Suite struct ReadReplicaTests {
    static let report: JSONValue = [
        "alliance": "PAIN-BJ", "from": "2020-01-01", "to": "2030-12-31", "actor": ["user": "li", "hospital": "ZRYY"],
    ]
    static let audit: JSONValue = ["hospital": "ZRYY", "actor": ["user": "ops", "hospital": "admin"]]

    /// What `serve` at `url` (reads at `reads`) answers to `method`.
    static func answer(_ method: String, _ params: JSONValue, at url: String, reads: String? = nil) throws -> JSONValue? {
        var environment = ["YILIAN_DATABASE_URL": url]
        environment["YILIAN_READ_DATABASE_URL"] = reads
        let session = try ServeSession(environment: environment)
        // Two calls: the first leaves the session's connection of the main database held.
        _ = try session.call("system.whoami", [:])
        let answer = try session.call(method, params)?["result"]
        _ = try session.finish()
        return answer
    }

    @Test func reportsAndTheAuditLogAreReadWhereTheReadURLSays() async throws {
        let url = try await TestPostgres.freshDatabase()
        try ReliabilityFixture.seed(url, slots: [])
        // "The standby": the database as it was before one more referral.
        let standby = try await TestPostgres.copy(of: url)
        let filer = try ServeSession(environment: ["YILIAN_DATABASE_URL": url])
        #expect(try filer.call("referral.file", ReliabilityFixture.filing(from: "MYQYY"))?["result"]?["id"] == "R-000001")
        #expect(try filer.call("referral.get", ["id": "R-000001", "actor": ["user": "li", "hospital": "ZRYY"]])?["result"] != nil)
        _ = try filer.finish()
        for (method, params) in [("report.indicators", Self.report), ("audit.list", Self.audit)] {
            let primary = try Self.answer(method, params, at: url)
            let lagging = try Self.answer(method, params, at: standby)
            #expect(primary != nil && lagging != nil && primary != lagging, "\(method)")
            #expect(try Self.answer(method, params, at: url, reads: standby) == lagging, "\(method)")
            let cli = try await YilianBinary.run(
                method == "audit.list"
                    ? ["audit", "list", "--hospital", "ZRYY", "--json", "--as", "ops@admin"]
                    : ["report", "--alliance", "PAIN-BJ", "--from", "2020-01-01", "--to", "2030-12-31", "--json", "--as", "li@ZRYY"],
                environment: ["YILIAN_DATABASE_URL": url, "YILIAN_READ_DATABASE_URL": standby])
            #expect(cli.exitCode == 0 && (try? JSONValue(parsing: Array(cli.stdout.utf8))) == lagging, "\(method): \(cli.stderr)")
        }
    }
}
