import Foundation
import YilianCore
import YilianJSON
import YilianRepository

extension Services {
    /// Runs `call` (a mutating use case, returning its result's JSON bytes) at most once per
    /// idempotency `key` of the acting hospital (`claimed`, as `identify` resolves it): the key
    /// check, the effect and the stored result are one transaction, which `call`'s own joins. A
    /// repeat with the same `method` and `params` gets the stored bytes without a second effect;
    /// other ones are `idempotency_mismatch`. A failed call leaves the key free.
    public func once(
        key: String, method: String, params: JSONValue, by claimed: Actor?, _ call: @escaping @Sendable () async throws -> Data
    ) async throws -> Data {
        guard (1...200).contains(key.count) else {
            throw YilianError.invalidParams([Problem("idempotencyKey", Text("problem.idempotencyKey"))])
        }
        let identity = try await identify(claimed)
        let hospital = identity.actor.hospital
        return try await database.transaction(as: identity.role) { connection in
            if let stored = try await IdempotencyRepository.claim(
                hospital: hospital, key: key, method: method, params: params, on: connection)
            {
                return Data(stored.utf8)
            }
            let result = try await call()
            try await IdempotencyRepository.complete(key: key, result: String(decoding: result, as: UTF8.self), on: connection)
            return result
        }
    }

    /// Holds one connection for all of `body` (a worker's run of requests), so every use case
    /// inside runs on it without a lease or a thread hop of its own. Throws only when no
    /// connection can be had.
    public func holdingConnection(_ body: @Sendable () async -> Void) async throws {
        try await database.holdingConnection(body)
    }
}
