import YilianCore
import YilianJSON
import YilianPostgres

/// Stored first results of calls made with an idempotency key. Used inside the transaction of
/// the call itself: `claim`, then the effect, then `complete`. A call's parameters are kept only
/// as a SHA-256 digest of their canonical JSON: they may hold resident IDs (SPEC §4).
public enum IdempotencyRepository {
    /// Claims the key for this call and returns nil; or, when an earlier call holds it, returns
    /// that call's stored result. A concurrent first call with the same key is waited for. The
    /// same key with another method or other parameters is `idempotency_mismatch`.
    public static func claim(
        hospital: String, key: String, method: String, params: JSONValue, on connection: DatabaseSession
    ) async throws -> String? {
        let claimed = try await connection.query(
            """
            INSERT INTO idempotency_keys (hospital, key, method, digest) VALUES ($1, $2, $3, sha256(convert_to($4::jsonb::text, 'UTF8')))
            ON CONFLICT (hospital, key) DO NOTHING
            """, [hospital, key, method, PGJSON(params)])
        if claimed.affectedRows == 1 { return nil }
        let rows = try await connection.query(
            """
            SELECT method = $3 AND digest = sha256(convert_to($4::jsonb::text, 'UTF8')) AS same, result FROM idempotency_keys
            WHERE hospital = $1 AND key = $2 FOR UPDATE
            """, [hospital, key, method, PGJSON(params)])
        guard let row = rows.rows.first, try row.decode("same", as: Bool.self), let result = try row.decodeIfPresent("result", as: String.self)
        else {
            throw YilianError(
                .idempotencyMismatch,
                Text("error.idempotencyMismatch", key, hospital))
        }
        return result
    }

    /// Stores the result of the call that claimed the key.
    public static func complete(hospital: String, key: String, result: String, on connection: DatabaseSession) async throws {
        try await connection.query(
            "UPDATE idempotency_keys SET result = $3 WHERE hospital = $1 AND key = $2", [hospital, key, result])
    }
}
