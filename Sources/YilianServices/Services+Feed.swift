import Foundation
import YilianCore
import YilianJSON
import YilianRepository

extension Services {
    /// `events.list`: the feed's events after `since` that the session's hospital may see, in
    /// number order (SPEC §8); `nextCursor` is the last number given, to pass as `since` next.
    /// Events are numbered first, in a transaction of their own; reads are in the access log.
    public func events(since: Int?, limit: Int?, by claimed: Actor?) async throws -> Page<FeedEvent> {
        let identity = try await identify(claimed)
        var problems: [Problem] = []
        if let since, since < 0 { problems.append(Problem("since", Text("problem.since"))) }
        let limit = try? Self.pageLimit(limit)
        if limit == nil { problems.append(Problem("limit", Text("problem.limit"))) }
        guard let limit, problems.isEmpty else { throw YilianError.invalidParams(problems) }
        let events = try await database.transaction(as: identity.role) { connection in
            _ = try await FeedRepository.advance(on: connection)
            return try await FeedRepository.list(since: since ?? 0, limit: limit, on: connection)
        }
        if !events.isEmpty {
            try await database.transaction(as: identity.role) { connection in
                try await AccessLogRepository.append("events.list", referrals: Array(Set(events.map(\.id))).sorted(), by: identity.actor, on: connection)
            }
        }
        return Page(items: events, nextCursor: events.last.map { String($0.number) })
    }
}
