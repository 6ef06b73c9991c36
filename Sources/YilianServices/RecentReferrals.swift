import Synchronization
import YilianRepository

/// The referrals this process last saw committed (filed, changed or read), so that an action on
/// one of them can be written in one round trip (`ReferralRepository.saveIfUnchanged`) instead of
/// first reading the referral under a lock. An entry may be stale, when someone else changed the
/// referral since: the write then finds another version and changes nothing, and the action
/// takes the locked path. Holds at most `capacity` referrals, forgetting the oldest.
final class RecentReferrals: Sendable {
    private struct State {
        var records: [String: ReferralRecord] = [:]
        /// Ids in the order they came in, as a ring; `next` is the oldest.
        var order: [String] = []
        var next = 0
    }

    private let state = Mutex(State())
    let capacity: Int

    init(capacity: Int = 1024) { self.capacity = capacity }

    subscript(id: String) -> ReferralRecord? { state.withLock { $0.records[id] } }

    /// Keeps `record` unless a later version of it is already kept.
    func remember(_ record: ReferralRecord) {
        state.withLock { state in
            if let kept = state.records[record.id] {
                if kept.version <= record.version { state.records[record.id] = record }
                return
            }
            if state.order.count < capacity {
                state.order.append(record.id)
            } else {
                state.records[state.order[state.next]] = nil
                state.order[state.next] = record.id
                state.next = (state.next + 1) % capacity
            }
            state.records[record.id] = record
        }
    }

    /// Its id stays in the ring, so a referral forgotten and kept again may leave a little early.
    func forget(_ id: String) { _ = state.withLock { $0.records.removeValue(forKey: id) } }
}
