/// Transaction isolation levels Yilian uses.
public enum PGIsolation: String, Sendable {
    case readCommitted = "READ COMMITTED"
    case repeatableRead = "REPEATABLE READ"
    case serializable = "SERIALIZABLE"
}

extension PGConnection {
    /// Runs `body` in one transaction: committed when it returns, rolled back when it throws.
    /// A serialization failure (40001) or deadlock (40P01) runs the whole body again, at most
    /// `attempts` times in all, so `body` must have no effects outside the database.
    @discardableResult
    public func transaction<T>(
        _ isolation: PGIsolation = .readCommitted, attempts: Int = 10,
        _ body: (PGConnection) async throws -> T
    ) async throws -> T {
        var attempt = 1
        while true {
            do {
                try await beginTransaction(isolation)
                let value: T
                do {
                    value = try await body(self)
                } catch {
                    try? await endTransaction(commit: false)
                    throw error
                }
                try await endTransaction(commit: true)
                return value
            } catch let error as PGError where error.sqlState?.isRetryable == true && attempt < attempts {
                // Exponential backoff with full jitter (2, 4, 8 … ms, at most 128): competing
                // transactions spread out instead of colliding again in step.
                let ceiling = 1 << min(attempt, 7)
                attempt += 1
                try await Task.sleep(for: .milliseconds(Int.random(in: 1...ceiling)))
            }
        }
    }
}
