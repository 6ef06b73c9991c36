import Foundation
import Synchronization

/// A clock moved by hand, for the demo's "three days later" and for tests: pass
/// `{ clock.now }` as the services' clock.
public final class ManualClock: Sendable {
    private let current: Mutex<Date>

    public init(_ start: Date) { current = Mutex(start) }

    public var now: Date { current.withLock { $0 } }

    public func advance(hours: Double) {
        current.withLock { $0 = $0.addingTimeInterval(hours * 3600) }
    }
}
