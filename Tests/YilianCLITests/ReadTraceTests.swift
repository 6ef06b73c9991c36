import Foundation
import Testing
import YilianJSON
import YilianTestSupport

/// SPEC §6: patient data is read through functions that log in the same call, so that a user's
/// own `psql` login leaves the access-log rows that the same read through `yilian` leaves. Each
/// read method, as users of each duty of both hospitals, once through `yilian serve` (the owner
/// acting for the user) and once through psql with the user's own login, sending the statements
/// yilian sends in one transaction: the two logs must be the same rows.
@Suite struct ReadTraceTests {
    struct Read: Sendable, CustomTestStringConvertible {
        var method: String
        var params: JSONObject
        /// What yilian sends, as psql would type it (`HOSPITAL` is the user's own).
        var sql: String
        var testDescription: String { method }
    }

    static let reads: [Read] = [
        Read(
            method: "referral.get", params: ["id": "R-000001"],
            sql: """
                SELECT id FROM yilian_api.referral(NULL, 'referral.get', 'R-000001');
                SELECT seq FROM yilian_api.referral_events(NULL, 'referral.get', 'R-000001');
                SELECT * FROM yilian_api.continuations('R-000001')
                """),
        Read(
            method: "referral.history", params: ["id": "R-000001"],
            sql: """
                SELECT id FROM yilian_api.referral(NULL, 'referral.history', 'R-000001');
                SELECT seq FROM yilian_api.referral_events(NULL, 'referral.history', 'R-000001')
                """),
        Read(method: "referral.list", params: [:], sql: "SELECT id FROM \(AccessTests.listed)"),
        Read(
            method: "worklist.get", params: ["hospital": "HOSPITAL"],
            sql: """
                SELECT section FROM yilian_api.worklist(NULL, 'HOSPITAL', now(), 50);
                SELECT total FROM yilian_api.consultations(NULL, 'worklist.get', 'HOSPITAL', NULL, NULL, 50, true)
                """),
        Read(
            method: "consultation.get", params: ["id": "C-000001"],
            sql: """
                SELECT id FROM yilian_api.consultation(NULL, 'consultation.get', 'C-000001');
                SELECT seq FROM yilian_api.consultation_events(NULL, 'consultation.get', 'C-000001')
                """),
        Read(
            method: "consultation.history", params: ["id": "C-000001"],
            sql: """
                SELECT id FROM yilian_api.consultation(NULL, 'consultation.history', 'C-000001');
                SELECT seq FROM yilian_api.consultation_events(NULL, 'consultation.history', 'C-000001')
                """),
        Read(
            method: "consultation.list", params: [:],
            sql: "SELECT total FROM yilian_api.consultations(NULL, 'consultation.list', NULL, NULL, NULL, 50, false)"),
        Read(
            method: "events.list", params: ["since": 0],
            sql: "SELECT yilian_feed_advance(); SELECT number FROM yilian_api.feed(NULL, 0, 50)"),
    ]

    /// Users of every duty that reads referrals, of the receiver (ZRYY) and of the sender (MYQYY).
    static let readers = ["li@ZRYY", "wdesk@ZRYY", "wdoc@ZRYY", "waud@ZRYY", "wang@MYQYY"]

    /// The access-log rows after `seq`, without their times.
    static func log(after seq: String, on url: String) async throws -> [String] {
        let rows =
            try await PGQuery.value(
                url,
                """
                SELECT coalesce(string_agg(login || ' ' || actor || ' ' || hospital || ' ' || method || ' ' || array_to_string(referrals, ','),
                                           E'\\n' ORDER BY seq), '')
                FROM access_log WHERE seq > \(seq)
                """) ?? ""
        return rows.split(separator: "\n").map(String.init)
    }

    static func lastSeq(_ url: String) async throws -> String {
        try await PGQuery.value(url, "SELECT coalesce(max(seq), 0) FROM access_log") ?? "0"
    }

    @Test(arguments: reads)
    func aReadThroughPsqlLeavesTheTraceOfTheSameReadThroughYilian(_ read: Read) async throws {
        let url = try await AccessTests.world()
        for login in Self.readers {
            let (user, hospital) = (String(login.split(separator: "@")[0]), String(login.split(separator: "@")[1]))
            var params = read.params
            if params["hospital"] != nil { params["hospital"] = .string(hospital) }
            params["actor"] = ["user": .string(user), "hospital": .string(hospital)]

            let beforeYilian = try await Self.lastSeq(url)
            let session = try ServeSession(environment: ["YILIAN_DATABASE_URL": url])
            #expect(try session.call(read.method, .object(params))?["result"] != nil, "\(login)")
            _ = try session.finish()
            let throughYilian = try await Self.log(after: beforeYilian, on: url)

            let beforePsql = try await Self.lastSeq(url)
            let psql = try Psql.run(Psql.url(url, as: login), read.sql.replacingOccurrences(of: "HOSPITAL", with: hospital))
            #expect(psql.succeeded, "\(login): \(psql.error)")
            let throughPsql = try await Self.log(after: beforePsql, on: url)

            // One row for the read, naming what it returned, the same both ways.
            #expect(throughYilian.count == 1, "\(login): \(throughYilian)")
            #expect(throughYilian.first?.hasPrefix("\(login) \(login) \(hospital) \(read.method) ") == true, "\(throughYilian)")
            #expect(throughPsql == throughYilian, "\(login)")
        }
    }

    /// A number set by hand for the row a transaction's reads join (`yilian.access_row`) finds
    /// no row of this transaction and this user: the read is logged on a row of its own, and
    /// another's row is left as it was.
    @Test func aForgedRowNumberStillLeavesARowOfItsOwn() async throws {
        let url = try await AccessTests.world()
        let first = try await Self.lastSeq(url)
        let own = try Psql.run(Psql.url(url, as: "wdoc@ZRYY"), "SELECT id FROM yilian_api.referral(NULL, 'referral.get', 'R-000002')")
        #expect(own.succeeded, "\(own.error)")
        let logged = try await Self.lastSeq(url)
        #expect(logged != first)
        let forged = try Psql.run(
            Psql.url(url, as: "wang@MYQYY"),
            """
            SELECT set_config('yilian.access_row', '\(logged)', false);
            SELECT id FROM yilian_api.referral(NULL, 'referral.get', 'R-000001')
            """)
        #expect(forged.succeeded, "\(forged.error)")
        #expect(
            try await Self.log(after: first, on: url) == [
                "wdoc@ZRYY wdoc@ZRYY ZRYY referral.get R-000002", "wang@MYQYY wang@MYQYY MYQYY referral.get R-000001",
            ])
    }
}
