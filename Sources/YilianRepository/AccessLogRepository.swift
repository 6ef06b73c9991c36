import Foundation
import YilianCore
import YilianPostgres

/// What a read of patient data is logged as (SPEC §6): its method and the user it is for. The
/// wall's read functions (migration 0034) log it in the same call that returns the rows, so that
/// a user's own psql login leaves the trace yilian leaves; a transaction's reads by one method are
/// one record.
public struct Reading: Sendable {
    let method: String
    /// The user named as acting; nil: the session's own login (a sweep's system moves).
    let actor: String?

    public init(_ method: String, for actor: Actor) {
        self.method = method
        self.actor = actor == .system ? nil : actor.tag
    }
}

/// The append-only access log, which the wall's read functions append to and auditors read
/// through `yilian_api.access_records` (migration 0055).
public enum AccessLogRepository {
    /// The visible records, newest first, optionally only `hospital`'s, those touching
    /// `referral`, and those at or after `from` and before `to`; `before` is a page's cursor.
    public static func list(
        hospital: String?, referral: String?, from: Date?, to: Date?, limit: Int, before cursor: Int64?, on connection: DatabaseSession
    ) async throws -> [AccessRecord] {
        let rows = try await connection.query(
            """
            SELECT seq, at, actor, hospital, login, method, referrals FROM yilian_api.access_records($1, $2, $3, $4, $5, $6)
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
