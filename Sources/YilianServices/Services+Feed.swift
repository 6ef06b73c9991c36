import Foundation
import Synchronization
import YilianCore
import YilianJSON
import YilianRepository

extension Services {
    /// `events.list`: the feed's events after `since` that the session's hospital may see, in
    /// number order (SPEC §8); `nextCursor` is the last number given, to pass as `since` next.
    /// Events are numbered first (committed with the read); reads are in the access log.
    public func events(since: Int?, limit: Int?, by claimed: Actor?) async throws -> Page<FeedEvent> {
        let identity = try await identify(claimed)
        var problems: [Problem] = []
        if let since, since < 0 { problems.append(Problem("since", Text("problem.since"))) }
        let limit = try? Self.pageLimit(limit)
        if limit == nil { problems.append(Problem("limit", Text("problem.limit"))) }
        guard let limit, problems.isEmpty else { throw YilianError.invalidParams(problems) }
        let events = try await database.transaction(as: identity.role) { connection in
            _ = try await FeedRepository.advance(on: connection)
            return try await FeedRepository.list(since: since ?? 0, limit: limit, for: identity.actor, on: connection)
        }
        return Page(items: events, nextCursor: events.last.map { String($0.number) })
    }

    /// Where a watcher starts: after `since` when given, else after the newest event (from now).
    /// The session's user must be one that may read the feed.
    public func feedStart(since: Int?, by claimed: Actor?) async throws -> Int {
        let identity = try await identify(claimed)
        if let since {
            guard since >= 0 else { throw YilianError.invalidParams([Problem("since", Text("problem.since"))]) }
            return since
        }
        return try await database.withConnection(as: identity.role) { try await FeedRepository.advance(on: $0) }
    }

    /// `yilian watch`: hands `deliver` every event after `since` (default: from now) that the
    /// session's hospital may see, in order, as they become visible, until the task is
    /// cancelled. Woken by NOTIFY of a commit that concerns its hospital, and every `poll`
    /// seconds anyway, but at most one read per `pause` seconds while events keep coming (each
    /// read numbers, reads and logs); when the database goes away
    /// (a restart) it waits and goes on from the last number delivered: nothing is missed.
    public func watchEvents(
        since: Int?, poll: Double = 5, pause: Double = 0.05, by claimed: Actor?, deliver: @Sendable (FeedEvent) async -> Void
    ) async throws {
        let last = Progress(try await feedStart(since: since, by: claimed))
        let hospital = try await identify(claimed).actor.hospital
        while !Task.isCancelled {
            do {
                try await FeedRepository.listening(for: hospital, on: database) { listener in
                    while !Task.isCancelled {
                        let page = try await events(since: last.number, limit: 500, by: claimed)
                        for event in page.items {
                            await deliver(event)
                            last.number = event.number
                        }
                        guard page.items.count < 500 else { continue }
                        // A burst is read in a few rounds, not one per event: after delivering
                        // some, a rest without listening (the first event after a quiet spell
                        // comes at once; a commit during the rest wakes nobody).
                        if page.items.isEmpty {
                            _ = try await listener.wait(poll)
                        } else {
                            try await listener.rest(pause)
                        }
                    }
                }
            } catch let error as YilianError where error.isDatabaseLoss {
                // Lost (a restart, a failover): waited for as long as the watch runs. Anything
                // else (a user disabled, a setup mistake) ends it, said.
                try await Task.sleep(for: .seconds(1))
            }
        }
    }
}

/// The last feed number a watcher delivered, kept across reconnections.
private final class Progress: Sendable {
    private let value: Mutex<Int>
    init(_ number: Int?) { value = Mutex(number ?? 0) }
    var number: Int {
        get { value.withLock { $0 } }
        set { value.withLock { $0 = newValue } }
    }
}
