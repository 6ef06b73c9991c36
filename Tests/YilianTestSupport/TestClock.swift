import Foundation
import Synchronization

/// A clock the test moves by hand; services read it through `now`.
public final class TestClock: Sendable {
    private let current: Mutex<Date>

    public init(_ start: Date = Date(timeIntervalSince1970: 1_795_392_000)) {  // 2026-11-23T00:00:00Z
        current = Mutex(start)
    }

    public var now: Date { current.withLock { $0 } }

    public func advance(hours: Double) {
        current.withLock { $0 = $0.addingTimeInterval(hours * 3600) }
    }
}
