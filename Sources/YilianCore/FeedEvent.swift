import YilianJSON

// `Date` only, a value with no I/O: the core stays free of Foundation proper.
#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// One event of the feed (SPEC §8), as a subscriber receives it.
public struct FeedEvent: Sendable, Equatable, JSONRepresentable {
    public var number: Int
    public var kind: String
    public var id: String
    public var action: String
    public var fromStatus: String?
    public var toStatus: String
    public var actor: String
    public var at: Date
    public var priority: String?

    package init(
        number: Int, kind: String, id: String, action: String, fromStatus: String?, toStatus: String, actor: String, at: Date,
        priority: String?
    ) {
        (self.number, self.kind, self.id, self.action, self.fromStatus) = (number, kind, id, action, fromStatus)
        (self.toStatus, self.actor, self.at, self.priority) = (toStatus, actor, at, priority)
    }

    public var json: JSONValue {
        [
            "action": .string(action), "actor": .string(actor), "at": .string(JSONCoding.iso8601(at)), "fromStatus": JSONValue(fromStatus),
            "id": .string(id), "kind": .string(kind), "number": .integer(number), "priority": JSONValue(priority),
            "toStatus": .string(toStatus),
        ]
    }
}
