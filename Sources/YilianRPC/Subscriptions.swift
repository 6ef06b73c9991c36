import Foundation
import Synchronization
import YilianCore
import YilianJSON
import YilianServices

/// The event-feed subscriptions of one `serve` session (SPEC §8). A subscription starts only
/// once the response to `events.subscribe` is written, then sends an `events.event` notification
/// for every event after its starting number that the session's hospital may see, in order,
/// until `events.unsubscribe` or the end of the session.
public final class Subscriptions: Sendable {
    /// At most this many at once: each holds a listening connection.
    public static let limit = 4

    private struct Pending {
        let id: String, since: Int, actor: Actor?
    }

    private struct State {
        var write: (@Sendable (Data) -> Void)?
        var pending: [Pending] = []
        var running: [String: Task<Void, Never>] = [:]
        var next = 1
    }

    private let state = Mutex(State())
    let services: Services

    init(services: Services) { self.services = services }

    /// Where notifications go (the session's output).
    public func attach(_ write: @escaping @Sendable (Data) -> Void) { state.withLock { $0.write = write } }

    /// Registers a subscription from `since`; it starts with `startPending`.
    func subscribe(since: Int, actor: Actor?) throws -> String {
        try state.withLock { state in
            guard state.running.count + state.pending.count < Self.limit else {
                throw YilianError.ruleViolation("subscriptions", Text("error.subscriptions", Self.limit))
            }
            let id = "S\(state.next)"
            state.next += 1
            state.pending.append(Pending(id: id, since: since, actor: actor))
            return id
        }
    }

    /// Ends subscription `id`; false when there is none.
    func unsubscribe(_ id: String) -> Bool {
        let task = state.withLock { state -> Task<Void, Never>? in
            state.pending.removeAll { $0.id == id }
            return state.running.removeValue(forKey: id)
        }
        task?.cancel()
        return task != nil
    }

    /// Starts the subscriptions registered since the last call (after their response was written).
    public func startPending() {
        state.withLock { state in
            guard let write = state.write else { return }
            for pending in state.pending {
                let services = services
                // Detached: a subscription outlives the request that made it and reads on
                // connections of its own, never on the one its worker holds (a task-local the
                // worker's child tasks would inherit, sharing one session between two requests).
                state.running[pending.id] = Task.detached {
                    do {
                        try await services.watchEvents(since: pending.since, by: pending.actor) { event in
                            guard case .object(var params) = event.json else { return }
                            params["subscription"] = .string(pending.id)
                            let notification: JSONValue = ["jsonrpc": "2.0", "method": "events.event", "params": .object(params)]
                            write(Data(notification.serialized))
                        }
                    } catch is CancellationError {
                    } catch {
                        // Ended by something waiting cannot mend (its user disabled): said, so
                        // that the subscriber does not go on believing it hears everything.
                        let ended = error as? YilianError ?? .internalFailure
                        let notification: JSONValue = [
                            "jsonrpc": "2.0", "method": "events.ended",
                            "params": ["subscription": .string(pending.id), "error": RPCResponse.object(ended)],
                        ]
                        write(Data(notification.serialized))
                    }
                }
            }
            state.pending.removeAll()
        }
    }

    /// The end of the session.
    public func cancelAll() {
        let tasks = state.withLock { state in
            defer { state.running.removeAll() }
            return Array(state.running.values)
        }
        for task in tasks { task.cancel() }
    }
}
