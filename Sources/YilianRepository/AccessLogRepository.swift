import Foundation
import YilianCore
import YilianPostgres

/// One read of patient data (SPEC §6), as `audit.list` shows it.
public struct AccessRecord: Sendable, Equatable, Encodable {
    public var at: Date
    /// The acting user's name; `hospital` is its hospital.
    public var user: String
    public var hospital: String
    /// The login that read: the user itself, or the integration acting for it.
    public var login: String
    public var method: String
    public var referrals: [String]
    var seq: Int64

    private enum CodingKeys: String, CodingKey { case at, user, hospital, login, method, referrals }

    /// The cursor of the page after this record.
    public var cursor: String { String(seq) }
}

/// The append-only access log: every call that returns patient data appends the referrals it
/// returned, in the transaction that read them, through the wall's `yilian_api.log_access`
/// (migration 0028), in the caller's name. The database's policies decide who reads it.
public enum AccessLogRepository {
    /// Appends `actor`'s read of `referrals` by `method`, with the transaction's commit (nothing
    /// when no referral was returned).
    public static func append(_ method: String, referrals: [String], by actor: Actor, on connection: DatabaseSession) async throws {
        guard !referrals.isEmpty else { return }
        try await connection.execute("SELECT yilian_api.log_access($1, $2, $3)", [actor.tag, method, referrals])
    }

    /// The visible records, newest first, optionally only `hospital`'s, those touching
    /// `referral`, and those at or after `from` and before `to`; `before` is a page's cursor.
    public static func list(
        hospital: String?, referral: String?, from: Date?, to: Date?, limit: Int, before cursor: Int64?, on connection: DatabaseSession
    ) async throws -> [AccessRecord] {
        let rows = try await connection.query(
            """
            SELECT seq, at, actor, hospital, login, method, referrals FROM access_log
            WHERE ($1::text IS NULL OR hospital = $1) AND ($2::text IS NULL OR referrals @> ARRAY[$2::text])
              AND ($3::timestamptz IS NULL OR at >= $3) AND ($4::timestamptz IS NULL OR at < $4)
              AND ($5::bigint IS NULL OR seq < $5)
            ORDER BY seq DESC LIMIT $6
            """, [hospital, referral, from, to, cursor, limit])
        return try rows.rows.map { row in
            let actor: String = try row.decode("actor")
            return AccessRecord(
                at: try row.decode("at"), user: Actor(parsing: actor)?.user ?? actor, hospital: try row.decode("hospital"),
                login: try row.decode("login"), method: try row.decode("method"), referrals: try row.decode("referrals"),
                seq: try row.decode("seq"))
        }
    }
}
