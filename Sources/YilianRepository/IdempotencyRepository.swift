import YilianCore
import YilianJSON
import YilianPostgres

/// Stored first results of calls made with an idempotency key, replayed to the login that made
/// the call. Used inside the transaction of the call itself: `claim`, then the effect, then
/// `complete`. A call's parameters are kept only
/// as a SHA-256 digest of their canonical JSON: they may hold resident IDs (SPEC §4).
public enum IdempotencyRepository {
    /// Claims the key for this call and returns nil; or, when an earlier call of the same login
    /// holds it, returns that call's stored result. A concurrent first call with the same key is
    /// waited for. The same key with another method, other parameters or from another login is
    /// `idempotency_mismatch`. Through the wall's `yilian_api.claim_key` (migration 0031), which
    /// takes the hospital and login from the session.
    public static func claim(
        hospital: String, key: String, method: String, params: JSONValue, on connection: DatabaseSession
    ) async throws -> String? {
        let row = try await connection.query(
            "SELECT claimed, result FROM yilian_api.claim_key($1, $2, $3)", [key, method, PGJSON(params)])[0]
        if try row.decode("claimed", as: Bool.self) { return nil }
        guard let result = try row.decodeIfPresent("result", as: String.self) else {
            throw YilianError(.idempotencyMismatch, Text("error.idempotencyMismatch", key, hospital))
        }
        return result
    }

    /// Stores the result of the call that claimed the key: the call's last statement, sent with
    /// the transaction's commit when the call began it (one round trip less).
    public static func complete(key: String, result: String, on connection: DatabaseSession) async throws {
        _ = try await connection.queryFinishing("SELECT yilian_api.complete_key($1, $2)", [key, result])
    }
}
