import Foundation
import Testing
import YilianCore
import YilianJSON

@testable import YilianRepository
@testable import YilianServices

/// Every action is read without a lock, decided by the core and written only if the referral is
/// still at the version read; whatever happened elsewhere, the stored state decides.
@Suite struct WritePathTests {
    func act(_ services: Services, _ id: String, _ command: ReferralCommand, by hospital: String, version: Int? = nil) async throws
        -> ReferralView
    {
        try await services.act(id, command, expectedVersion: version, by: Actor(user: "coordinator", hospital: hospital))
    }

    @Test func anActionReturnsWhatIsStored() async throws {
        let world = try await ReferralWorld.make()
        let id = try await world.file(world.request(priority: .emergency)).id
        world.clock.advance(hours: 1)
        let accepted = try await world.act(id, .accept(note: "同意接收"), by: "ZRYY")
        let completed = try await world.act(id, .arrive, by: "ZRYY")
        let stored = try await world.elsewhere.referral(id, by: Actor(user: "coordinator", hospital: "ZRYY"))
        var shown = stored
        (shown.history, shown.continuations) = (nil, nil)
        #expect(shown == completed)
        #expect(stored.status == .inTreatment)
        #expect(stored.version == 3)
        #expect(accepted.version == 2)
        let record = try await world.services.database.withConnection(as: .login) {
            try await ReferralRepository.get(id, as: Reading("referral.get", for: .system), on: $0)
        }
        #expect(record.acceptedAt == world.clock.now && record.firstResponseAt == world.clock.now)
        #expect(stored.history?.map(\.action) == ["file", "accept", "arrive"])
        #expect(stored.history?[1].reason == "同意接收")
    }

    @Test func aReferralChangedElsewhereIsReadAgainAndJudgedByWhatIsStored() async throws {
        let world = try await ReferralWorld.make()
        let id = try await world.file(world.request()).id
        _ = try await act(world.elsewhere, id, .accept(note: nil), by: "ZRYY")
        // Read by this process as requested, where requestInfo is allowed; stored as accepted, where it is not.
        _ = try await world.services.referral(id, by: Actor(user: "coordinator", hospital: "ZRYY"))
        let refused = await #expect(throws: YilianError.self) { try await world.act(id, .requestInfo(question: "请补充影像资料"), by: "ZRYY") }
        #expect(refused?.code == .invalidTransition)
        #expect(refused?.data["status"] == "accepted")
        let stored = try await world.services.referral(id, by: Actor(user: "coordinator", hospital: "ZRYY"))
        #expect(stored.version == 2)
        #expect(stored.history?.map(\.action) == ["file", "accept"])
    }

    @Test func whatTheStateThisProcessSawRefusesTheStoredOneMayAllow() async throws {
        let world = try await ReferralWorld.make()
        let id = try await world.file(world.request(priority: .emergency)).id
        _ = try await act(world.elsewhere, id, .accept(note: nil), by: "ZRYY")
        // Filed here as requested, where arrive is refused; the accepted emergency may arrive.
        let arrived = try await world.act(id, .arrive, by: "ZRYY")
        #expect(arrived.status == .inTreatment)
        #expect(arrived.version == 3)
    }

    @Test func aStaleExpectedVersionIsAConflict() async throws {
        let world = try await ReferralWorld.make()
        let id = try await world.file(world.request()).id
        _ = try await act(world.elsewhere, id, .requestInfo(question: "请补充影像资料"), by: "ZRYY")
        let stale = await #expect(throws: YilianError.self) { try await world.act(id, .accept(note: nil), by: "ZRYY", version: 1) }
        #expect(stale?.code == .conflict)
        #expect(stale?.message == "Referral \(id) has changed since you read it (now version 2, you had 1); reload it and try again.")
    }

    @Test func anActionInsideACallersTransactionIsUndoneWithIt() async throws {
        let world = try await ReferralWorld.make()
        let services = world.services
        let id = try await world.file(world.request()).id
        let undo = YilianError.ruleViolation("test", "Undone by the test.")
        await #expect(throws: undo) {
            try await services.database.transaction(as: .user("coordinator@ZRYY")) { _ in
                _ = try await services.act(id, .accept(note: nil), expectedVersion: nil, by: Actor(user: "coordinator", hospital: "ZRYY"))
                throw undo
            }
        }
        // The accept was rolled back: the referral is still requested.
        #expect(try await world.act(id, .requestInfo(question: "请补充影像资料"), by: "ZRYY").version == 2)
    }

    @Test(arguments: [true, false])
    func concurrentActionsFromOneStateLetExactlyOneSucceed(sameProcess: Bool) async throws {
        let world = try await ReferralWorld.make(capacity: 20)
        let id = try await world.file(world.request()).id
        let services = sameProcess ? world.services : world.elsewhere
        let successes = await withTaskGroup(of: Bool.self) { group in
            for index in 0..<20 {
                group.addTask {
                    let command: ReferralCommand = index.isMultiple(of: 2) ? .accept(note: nil) : .reject(code: .capacityFull, reason: nil)
                    return (try? await act(services, id, command, by: "ZRYY")) != nil
                }
            }
            return await group.reduce(into: 0) { $0 += $1 ? 1 : 0 }
        }
        #expect(successes == 1)
        let referral = try await world.elsewhere.referral(id, by: Actor(user: "coordinator", hospital: "ZRYY"))
        #expect(referral.version == 2)
        #expect(referral.history?.count == 2)
    }

    func booked(_ world: ReferralWorld) async throws -> [Int] {
        try await world.services.slots(hospital: "ZRYY", specialty: "pain", from: nil, to: nil, by: nil).map(\.booked)
    }

    @Test func aScheduleWithoutAUnitLeftChangesNothing() async throws {
        let world = try await ReferralWorld.make()
        for date in ["2026-12-01", "2026-12-04"] {
            _ = try await world.services.publishSlots(hospital: "ZRYY", specialty: "pain", from: date, capacity: 1, by: world.actor("ZRYY"))
        }
        let ids = try await world.acceptedReferrals(2)
        _ = try await world.act(ids[0], .schedule(date: "2026-12-01"), by: "ZRYY")
        // Full, and never published (SPEC §2): each says which, and names the next date with room.
        for (date, reason, said) in [
            ("2026-12-01", "full", "ZRYY's reserved pain medicine slots on 2026-12-01 are fully booked"),
            ("2026-12-03", "not_published", "ZRYY has not published reserved pain medicine slots for 2026-12-03"),
        ] {
            let full = await #expect(throws: YilianError.self) { try await world.act(ids[1], .schedule(date: date), by: "ZRYY") }
            #expect(full?.code == .capacityExhausted)
            #expect(full?.data["reason"] == .string(reason))
            #expect(full?.message == said + "; the next date with a free unit is 2026-12-04.")
        }
        #expect(try await booked(world) == [1, 0])
        let stored = try await world.services.referral(ids[1], by: Actor(user: "coordinator", hospital: "ZRYY"))
        #expect(stored.status == .accepted)
        #expect(stored.history?.count == 2)
    }

    @Test func aScheduleOfAReferralCancelledElsewhereBooksNothing() async throws {
        let world = try await ReferralWorld.make()
        _ = try await world.services.publishSlots(
            hospital: "ZRYY", specialty: "pain", from: "2026-12-01", capacity: 5, by: world.actor("ZRYY"))
        let id = try await world.file(world.request()).id
        _ = try await world.act(id, .accept(note: nil), by: "ZRYY")
        _ = try await act(world.elsewhere, id, .cancel(reason: "患者改变主意"), by: "MYQYY")
        let refused = await #expect(throws: YilianError.self) { try await world.act(id, .schedule(date: "2026-12-01"), by: "ZRYY") }
        #expect(refused?.code == .invalidTransition)
        #expect(refused?.data["status"] == "cancelled")
        #expect(try await booked(world) == [0])
    }

    @Test(arguments: [true, false])
    func concurrentSchedulesNeverBookMoreThanTheCapacity(sameProcess: Bool) async throws {
        let world = try await ReferralWorld.make(capacity: 20)
        _ = try await world.services.publishSlots(
            hospital: "ZRYY", specialty: "pain", from: "2026-12-10", capacity: 5, by: world.actor("ZRYY"))
        let ids = try await world.acceptedReferrals(20)
        let outcomes = await world.concurrently(
            ids, .schedule(date: "2026-12-10"), by: "ZRYY", through: sameProcess ? world.services : world.elsewhere)
        #expect(outcomes.filter { $0 == nil }.count == 5)
        #expect(outcomes.filter { $0 == .capacityExhausted }.count == 15)
        #expect(try await booked(world) == [5])
        let scheduled = try await world.services.referrals(
            ReferralFilter(statuses: [.scheduled]), limit: 500, cursor: nil, by: world.actor("ZRYY"))
        #expect(scheduled.items.count == 5)
    }

    /// Two reschedules crossing each other's dates at once (A: D1 → D2, B: D2 → D1, with a unit
    /// left on each) both succeed, 20 times over: the slot rows are locked in date order, so
    /// neither waits for the other's lock while holding its own.
    @Test func crossingReschedulesNeitherDeadlockNorLoseAUnit() async throws {
        let world = try await ReferralWorld.make(capacity: 4)
        for date in ["2026-12-01", "2026-12-02"] {
            _ = try await world.services.publishSlots(hospital: "ZRYY", specialty: "pain", from: date, capacity: 2, by: world.actor("ZRYY"))
        }
        let ids = try await world.acceptedReferrals(2)
        _ = try await world.act(ids[0], .schedule(date: "2026-12-01"), by: "ZRYY")
        _ = try await world.act(ids[1], .schedule(date: "2026-12-02"), by: "ZRYY")
        for round in 0..<20 {
            let (a, b) = round.isMultiple(of: 2) ? ("2026-12-02", "2026-12-01") : ("2026-12-01", "2026-12-02")
            async let first = world.elsewhere.act(ids[0], .reschedule(date: a), expectedVersion: nil, by: world.actor("ZRYY"))
            async let second = world.elsewhere.act(ids[1], .reschedule(date: b), expectedVersion: nil, by: world.actor("ZRYY"))
            #expect(try await first.slot == CalendarDate(a))
            #expect(try await second.slot == CalendarDate(b))
            #expect(try await booked(world) == [1, 1])
        }
    }
}
