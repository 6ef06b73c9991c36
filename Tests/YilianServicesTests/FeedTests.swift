import Foundation
import Logging
import Testing
import YilianCore
import YilianJSON
import YilianRepository
import YilianServices
import YilianTestSupport

/// The event feed (SPEC §8): numbers grow in the order events become visible, so a reader that
/// resumes after the last number it saw misses none and sees none twice, while writers on
/// several hospitals commit out of order; a hospital reads only its own events.
@Suite struct FeedTests {
    @Test func readersResumingWhileEightWritersCommitOutOfOrderMissNothing() async throws {
        let world = try await ReferralWorld.make(capacity: 12)
        let senders = ["MYQYY", "JGYY", "CHC-HPL", "BYSY"]
        // 8 writers, two per sending hospital, each filing and acting on its own referrals.
        let writers = Task {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for writer in 0..<8 {
                    let from = senders[writer % senders.count]
                    group.addTask {
                        for round in 0..<6 {
                            var request = world.request(from: from)
                            request.patient = Patient(name: "患者\(writer)-\(round)", sex: .female, birthDate: "1970-01-01")
                            let id = try await world.file(request).id
                            _ = try await world.act(id, .accept(note: nil), by: "ZRYY")
                            if round % 2 == 0 { _ = try await world.act(id, .cancel(reason: "x"), by: from) }
                        }
                    }
                }
                try await group.waitForAll()
            }
        }
        // Readers that keep only their last number and start again (a new process) each time.
        func read(as hospital: String, until done: @Sendable () -> Bool) async throws -> [FeedEvent] {
            var received: [FeedEvent] = []
            var last = 0
            while true {
                let finished = done()
                let reader = world.elsewhere
                let page = try await reader.events(since: last, limit: 7, by: world.actor(hospital))
                received += page.items
                last = page.items.last?.number ?? last
                if page.items.isEmpty && finished { return received }
            }
        }
        let finished = Flag()
        async let core = read(as: "ZRYY", until: { finished.value })
        async let myqyy = read(as: "MYQYY", until: { finished.value })
        try await writers.value
        finished.set()
        let (coreEvents, myqyyEvents) = try await (core, myqyy)

        // ZRYY receives every referral's events: 48 filed and accepted, 24 of them cancelled.
        let numbers = coreEvents.map(\.number)
        #expect(numbers == numbers.sorted() && Set(numbers).count == numbers.count, "out of order or twice")
        #expect(coreEvents.filter { $0.kind == "referral" }.count == 48 * 2 + 24)
        // Exactly the events its hospital may see, none missing: the same as a fresh reader from 0.
        let all = try await world.elsewhere.events(since: 0, limit: 500, by: world.actor("ZRYY")).items
        #expect(all == coreEvents)
        // MYQYY reads only the events of its own referrals, also in order.
        let own = Set(
            try await world.services.referrals(
                ReferralFilter(hospital: "MYQYY", side: .sender), limit: 500, cursor: nil, by: world.actor("MYQYY")
            ).items.map(\.id))
        #expect(myqyyEvents.map(\.number) == myqyyEvents.map(\.number).sorted())
        let myqyyReferrals = myqyyEvents.filter { $0.kind == "referral" }
        #expect(own.count == 12, "\(own)")
        #expect(myqyyReferrals.count == 12 * 2 + 6, "\(myqyyReferrals.count)")
        #expect(myqyyReferrals.allSatisfy { own.contains($0.id) })
        // The platform sees no patient's events.
        #expect(try await world.services.events(since: 0, limit: nil, by: world.admin).items.isEmpty)
    }

    /// A commit wakes the watchers of the hospitals its events concern only: every watcher of
    /// every hospital was woken by every commit, and read the feed to find nothing of its own.
    @Test func aCommitWakesOnlyTheWatchersOfTheHospitalsItConcerns() async throws {
        let world = try await ReferralWorld.make()
        let woken = try await FeedRepository.listening(for: "JGYY", on: world.services.database) { listener in
            _ = try await world.file(world.request())  // MYQYY → ZRYY
            let byOthers = try await listener.wait(0.5)
            _ = try await world.file(world.request(from: "JGYY"))  // JGYY → ZRYY
            return [byOthers, try await listener.wait(5)]
        }
        #expect(woken == [false, true])
    }

    @Test func aFeedEventSaysWhatHappened() async throws {
        let world = try await ReferralWorld.make()
        let id = try await world.file(world.request(priority: .emergency)).id
        _ = try await world.act(id, .accept(note: nil), by: "ZRYY")
        let events = try await world.services.events(since: nil, limit: nil, by: world.actor("ZRYY"))
        let referralEvents = events.items.filter { $0.kind == "referral" }
        #expect(
            referralEvents.map { "\($0.id) \($0.action) \($0.fromStatus ?? "-")→\($0.toStatus) \($0.actor) \($0.priority ?? "-")" } == [
                "\(id) file -→requested coordinator@MYQYY emergency", "\(id) accept requested→accepted coordinator@ZRYY emergency",
            ])
        #expect(events.nextCursor == String(events.items.last?.number ?? 0))
        let bad = await #expect(throws: YilianError.self) { try await world.services.events(since: -1, limit: 0, by: world.actor("ZRYY")) }
        #expect(bad?.data["problems"]?.arrayCount == 2)
    }
}

/// A flag one task sets and others read.
final class Flag: @unchecked Sendable {
    private let lock = NSLock()
    private var isSet = false
    var value: Bool { lock.withLock { isSet } }
    func set() { lock.withLock { isSet = true } }
}
