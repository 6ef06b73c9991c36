import Foundation
import YilianCore
import YilianJSON
import YilianPostgres

/// The event feed: numbered in the order events become visible (`yilian_feed_advance`), read
/// through the wall's `yilian_api.feed` (a hospital reads the events it may see, and the read is logged).
public enum FeedRepository {
    /// Numbers every event whose transaction and all earlier ones have ended; the highest number.
    public static func advance(on connection: DatabaseSession) async throws -> Int {
        try await connection.query("SELECT yilian_feed_advance() AS last")[0].decode("last")
    }

    /// Runs `body` with a connection of its own that listens for new events of `hospital` (a
    /// NOTIFY at each commit that added some it is concerned by). The feed table stays the
    /// source of truth.
    public static func listening<T: Sendable>(
        for hospital: String, on database: Database, _ body: @Sendable (Database.Listener) async throws -> T
    ) async throws -> T {
        try await database.listening("SELECT yilian_listen($1)", [hospital], body)
    }

    /// The numbered events after `since` this user may see, in order, at most `limit`; logged as a
    /// read (for `actor`) of the referrals and consultations they are events of.
    public static func list(since: Int, limit: Int, for actor: Actor, on connection: DatabaseSession) async throws -> [FeedEvent] {
        let rows = try await connection.query(
            "SELECT number, kind, id, action, from_status, to_status, actor_tag, at, priority FROM yilian_api.feed($1, $2, $3)",
            [Reading("events.list", for: actor).actor, since, limit])
        return try rows.rows.map {
            FeedEvent(
                number: try $0.decode("number"), kind: try $0.decode("kind"), id: try $0.decode("id"), action: try $0.decode("action"),
                fromStatus: try $0.decodeIfPresent("from_status"), toStatus: try $0.decode("to_status"), actor: try $0.decode("actor_tag"),
                at: try $0.decode("at"), priority: try $0.decodeIfPresent("priority"))
        }
    }
}
