import Foundation
import Testing
import YilianCore
import YilianJSON
import YilianRepository

@testable import YilianServices

/// A reschedule that finds no unit on the new date changes nothing: the old booking stays, and
/// nobody else can take it. Checked through the process that made the booking and through
/// another one (SPEC §2, reserved slots).
@Suite struct RescheduleTests {
    func publish(_ world: ReferralWorld, _ date: String, capacity: Int) async throws {
        _ = try await world.services.publishSlots(
            hospital: "ZRYY", specialty: "pain", from: date, capacity: capacity, by: world.actor("ZRYY"))
    }

    /// Each published date's (date, capacity, booked), in date order.
    func slots(_ world: ReferralWorld) async throws -> [String] {
        try await world.elsewhere.slots(hospital: "ZRYY", specialty: "pain", from: nil, to: nil, by: nil).map {
            "\($0.date) \($0.booked)/\($0.capacity)"
        }
    }

    /// `ids` scheduled on `date`, one after the other.
    func schedule(_ world: ReferralWorld, _ ids: [String], on date: String) async throws {
        for id in ids { _ = try await world.act(id, .schedule(date: date), by: "ZRYY") }
    }

    func refusedReschedule(_ world: ReferralWorld, _ id: String, to date: String, remembered: Bool) async throws {
        let services = remembered ? world.services : world.elsewhere
        let refused = await #expect(throws: YilianError.self) {
            try await services.act(id, .reschedule(date: date), expectedVersion: nil, by: world.actor("ZRYY"))
        }
        #expect(refused?.code == .capacityExhausted)
        #expect(refused?.message.hasPrefix("ZRYY") == true && refused?.message.contains(date) == true)
        let stored = try await world.elsewhere.referral(id, by: Actor(user: "coordinator", hospital: "ZRYY"))
        #expect(stored.slot == CalendarDate("2026-12-01"))
        #expect(stored.status == .scheduled)
        #expect(stored.history?.map(\.action) == ["file", "accept", "schedule"])
    }

    @Test(arguments: [true, false])
    func aRescheduleToAFullDateKeepsTheOldBooking(remembered: Bool) async throws {
        let world = try await ReferralWorld.make()
        try await publish(world, "2026-12-01", capacity: 1)
        try await publish(world, "2026-12-02", capacity: 1)
        let ids = try await world.acceptedReferrals(3)
        try await schedule(world, [ids[0]], on: "2026-12-01")
        try await schedule(world, [ids[1]], on: "2026-12-02")
        try await refusedReschedule(world, ids[0], to: "2026-12-02", remembered: remembered)
        #expect(try await slots(world) == ["2026-12-01 1/1", "2026-12-02 1/1"])
        // The old date is still full: a third referral cannot take A's unit.
        let third = await #expect(throws: YilianError.self) { try await world.act(ids[2], .schedule(date: "2026-12-01"), by: "ZRYY") }
        #expect(third?.code == .capacityExhausted)
        #expect(try await slots(world) == ["2026-12-01 1/1", "2026-12-02 1/1"])
    }

    @Test(arguments: [true, false])
    func aRescheduleToADateNeverPublishedKeepsTheOldBooking(remembered: Bool) async throws {
        let world = try await ReferralWorld.make()
        try await publish(world, "2026-12-01", capacity: 1)
        let ids = try await world.acceptedReferrals(1)
        try await schedule(world, ids, on: "2026-12-01")
        try await refusedReschedule(world, ids[0], to: "2026-12-05", remembered: remembered)
        #expect(try await slots(world) == ["2026-12-01 1/1"])
    }

    @Test(arguments: [true, false])
    func threeFailedReschedulesLeaveAFullDateFull(remembered: Bool) async throws {
        let world = try await ReferralWorld.make()
        try await publish(world, "2026-12-01", capacity: 3)
        try await publish(world, "2026-12-02", capacity: 1)
        let ids = try await world.acceptedReferrals(5)
        try await schedule(world, Array(ids[0..<3]), on: "2026-12-01")
        try await schedule(world, [ids[3]], on: "2026-12-02")
        for id in ids[0..<3] { try await refusedReschedule(world, id, to: "2026-12-02", remembered: remembered) }
        #expect(try await slots(world) == ["2026-12-01 3/3", "2026-12-02 1/1"])
        let fourth = await #expect(throws: YilianError.self) { try await world.act(ids[4], .schedule(date: "2026-12-01"), by: "ZRYY") }
        #expect(fourth?.code == .capacityExhausted)
        #expect(try await slots(world) == ["2026-12-01 3/3", "2026-12-02 1/1"])
    }
}
