/// A small pool of at most `capacity` connections, opened on demand. A leased connection is used
/// by one task only until it is given back.
public actor PGPool {
    public let conninfo: String
    /// Another database on the server `conninfo` names, if any.
    public let database: String?
    public let capacity: Int
    private let prepare: @Sendable (PGConnection) async throws -> Void
    private var idle: [PGConnection] = []
    private var open = 0
    private var waiters: [CheckedContinuation<PGConnection?, Never>] = []

    /// `prepare` runs once on every new connection (e.g. a schema check); when it throws, the
    /// connection is closed and the error reaches the caller.
    public init(
        conninfo: String, database: String? = nil, capacity: Int = 1,
        prepare: @escaping @Sendable (PGConnection) async throws -> Void = { _ in }
    ) {
        self.conninfo = conninfo
        self.database = database
        self.capacity = max(1, capacity)
        self.prepare = prepare
    }

    /// Leases a connection for the duration of `body`, which runs on the connection's executor.
    public nonisolated func withConnection<T: Sendable>(
        _ body: @Sendable (PGConnection) async throws -> T
    ) async throws -> T {
        let connection = try await lease()
        do {
            let value = try await withTaskExecutorPreference(connection.executor) { try await body(connection) }
            await giveBack(connection)
            return value
        } catch {
            await giveBack(connection)
            throw error
        }
    }

    private func lease() async throws -> PGConnection {
        if let connection = idle.popLast() { return connection }
        if open < capacity {
            open += 1
            do {
                let connection = try await PGConnection.connect(conninfo, database: database)
                try await prepare(connection)
                return connection
            } catch {
                open -= 1
                // A waiter may now open a connection of its own.
                if !waiters.isEmpty { waiters.removeFirst().resume(returning: nil) }
                throw error
            }
        }
        if let connection = await withCheckedContinuation({ waiters.append($0) }) {
            return connection
        }
        return try await lease()
    }

    private func giveBack(_ connection: PGConnection) {
        if waiters.isEmpty {
            idle.append(connection)
        } else {
            waiters.removeFirst().resume(returning: connection)
        }
    }
}
