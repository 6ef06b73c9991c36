import Foundation
import YilianCore
import YilianPostgres

extension Duty: PGRawText {}

/// Registered users and their login roles. The wall's functions (migration 0028) decide who may
/// register or disable whom, and make the role match the row.
public enum UserRepository {
    public static func add(
        _ actor: Actor, duty: Duty, password: String?, displayName: String?, on connection: DatabaseSession
    ) async throws -> UserRecord {
        var verifier: String?
        if let password { verifier = try await connection.encryptPassword(password, user: actor.tag) }
        let rows = try await connection.queries([
            ("SELECT yilian_api.add_user($1, $2, $3, $4)", [actor.tag, duty, verifier, displayName]),
            ("SELECT name AS user, hospital, duty, enabled, created_at, display_name FROM users WHERE login = $1", [actor.tag]),
        ])
        return try record(rows[1][0])
    }

    /// Disables the user: its role can no longer log in, and the owner no longer acts as it.
    public static func disable(_ actor: Actor, on connection: DatabaseSession) async throws -> UserRecord {
        let rows = try await connection.queries([
            ("SELECT yilian_api.disable_user($1) AS disabled", [actor.tag]),
            ("SELECT name AS user, hospital, duty, enabled, created_at, display_name FROM users WHERE login = $1", [actor.tag]),
        ])
        guard try rows[0][0].decode("disabled", as: Bool.self), let row = rows[1].rows.first else { throw notFound(actor) }
        return try record(row)
    }

    public static func list(hospital: String?, on connection: DatabaseSession) async throws -> [UserRecord] {
        let rows = try await connection.query(
            """
            SELECT name AS user, hospital, duty, enabled, created_at, display_name FROM users
            WHERE $1::text IS NULL OR hospital = $1 ORDER BY hospital, name
            """, [hospital])
        return try rows.rows.map(record)
    }

    /// The duty of the role the statements run as (the platform's for `yilian_platform`).
    public static func currentDuty(on connection: DatabaseSession) async throws -> Duty? {
        try await connection.query("SELECT yilian_duty(current_user) AS duty")[0].decodeIfPresent("duty")
    }

    /// Whether the session's own login is an integration of `actor`'s hospital and `actor` is a
    /// registered, enabled user there (whom it may name as acting): `yilian_api.may_act_for`.
    public static func integrationMayName(_ actor: Actor, on connection: DatabaseSession) async throws -> Bool {
        try await connection.query("SELECT yilian_api.may_act_for($1) AS allowed", [actor.tag])[0].decode("allowed")
    }

    /// Ends the sessions of registered users whose transaction has been open longer than
    /// `interval` (PostgreSQL's text, e.g. `1 minute`); how many. The owner's only.
    public static func endLongTransactions(longerThan interval: String, on connection: DatabaseSession) async throws -> Int {
        try await connection.query("SELECT yilian_end_long_transactions($1::interval) AS ended", [interval])[0].decode("ended")
    }

    static func notFound(_ actor: Actor) -> YilianError { YilianError(.notFound, Text("error.userNotFound", actor.tag)) }

    static func record(_ row: PGRow) throws -> UserRecord {
        UserRecord(
            user: try row.decode("user"), hospital: try row.decode("hospital"), duty: try row.decode("duty"),
            enabled: try row.decode("enabled"), createdAt: try row.decode("created_at"),
            displayName: try row.decodeIfPresent("display_name"))
    }
}
