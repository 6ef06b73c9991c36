import Foundation
import Testing
import YilianCore
import YilianServices
import YilianTestSupport

/// Thirty referrals whose every indicator is worked out by hand below.
@Suite struct IndicatorTests {
    @Test func everyIndicatorOfAHandBuiltAlliance() async throws {
        let world = try await ReferralWorld.make()
        let t0 = world.clock.now  // 2026-11-23T00:00Z
        _ = try await world.services.publishSlots(
            hospital: "ZRYY", specialty: "pain", from: "2026-11-28", capacity: 20, by: world.actor("ZRYY"))
        func file(_ from: String, _ to: String, _ setting: Setting, parent: String? = nil) async throws -> String {
            var request = world.request(from: from, to: to, parent: parent)
            request.setting = setting
            return try await world.file(request).id
        }
        // A: 10 up outpatient MYQYY → ZRYY; B: 6 up inpatient JGYY → ZRYY; C: 4 up outpatient CHC-HPL → MYQYY. Filed at t0.
        var a: [String] = []
        var b: [String] = []
        var c: [String] = []
        for _ in 0..<10 { a.append(try await file("MYQYY", "ZRYY", .outpatient)) }
        for _ in 0..<6 { b.append(try await file("JGYY", "ZRYY", .inpatient)) }
        for _ in 0..<4 { c.append(try await file("CHC-HPL", "MYQYY", .outpatient)) }

        // t0 + 2 h: ZRYY answers A[0…8] (A[9] is never answered).
        world.clock.advance(hours: 2)
        for id in a[0..<7] {
            _ = try await world.act(id, .accept(note: nil), by: "ZRYY")
            _ = try await world.act(id, .schedule(date: "2026-11-28"), by: "ZRYY")
        }
        _ = try await world.act(a[7], .reject(code: .capacityFull, reason: nil), by: "ZRYY")
        _ = try await world.act(a[8], .reject(code: .outsideScope, reason: nil), by: "ZRYY")
        // t0 + 5 h: B[0…2] accepted and scheduled, B[3] rejected, B[4…5] asked for information.
        world.clock.advance(hours: 3)
        for id in b[0..<3] {
            _ = try await world.act(id, .accept(note: nil), by: "ZRYY")
            _ = try await world.act(id, .schedule(date: "2026-11-28"), by: "ZRYY")
        }
        _ = try await world.act(b[3], .reject(code: .capacityFull, reason: nil), by: "ZRYY")
        for id in b[4..<6] { _ = try await world.act(id, .requestInfo(question: "请补充"), by: "ZRYY") }
        // t0 + 10 h: MYQYY accepts all of C.
        world.clock.advance(hours: 5)
        for id in c { _ = try await world.act(id, .accept(note: nil), by: "MYQYY") }
        // A[0…3] closed, A[4…5] completed, A[6] no-show.
        let outcome = TreatmentOutcome(summary: "明确", diagnosis: [], recommendation: .downRefer)
        for id in a[0..<6] {
            _ = try await world.act(id, .arrive, by: "ZRYY")
            _ = try await world.act(id, .complete(outcome), by: "ZRYY")
        }
        for id in a[0..<4] { _ = try await world.act(id, .acknowledge, by: "MYQYY") }
        _ = try await world.act(a[6], .noShow, by: "ZRYY")
        // t0 + 70 h: D: 10 down, one of them continuing A[4]; never answered, but within their window.
        world.clock.advance(hours: 60)
        _ = try await file("ZRYY", "MYQYY", .inpatient, parent: a[4])
        for index in 0..<9 { _ = try await file("ZRYY", index.isMultiple(of: 2) ? "MYQYY" : "JGYY", index < 5 ? .outpatient : .inpatient) }
        // The report is read at t0 + 80 h: A[9] (72 h window) is overdue, nothing else.
        world.clock.advance(hours: 10)
        #expect(world.clock.now == t0.addingTimeInterval(80 * 3600))

        let report = try await world.services.indicators(alliance: "PAIN-BJ", from: "2026-11-23", to: "2026-12-02", byMonth: true, by: nil)
        let overall = report.overall
        #expect(overall.referrals == 30)
        #expect(overall.up.filed == SettingCounts(outpatient: 14, inpatient: 6))
        #expect(overall.up.transferred == SettingCounts(outpatient: 6, inpatient: 0))  // A[0…5] arrived
        #expect(overall.down.filed == SettingCounts(outpatient: 5, inpatient: 5))
        #expect(overall.down.transferred == SettingCounts(outpatient: 0, inpatient: 0))
        #expect(overall.downUpRatio == 0)  // transferred: 0 down / 6 up (filed, it would be 10 / 20)
        #expect(overall.acceptanceRate == 0.8235)  // 14 accepted (A 7, B 3, C 4) / 17 decided (+3 rejected)
        #expect(overall.rejectionReasons == ["capacity_full": 2, "outside_scope": 1])
        #expect(overall.medianHoursToFirstResponse == 5)  // nine 2 h, six 5 h, four 10 h: the 10th of 19
        #expect(overall.overdueShare == 0.0333)  // 1 / 30
        #expect(overall.noShowRate == 0.1)  // 1 no-show / 10 scheduled
        #expect(overall.closedLoopRate == 0.8333)  // (4 closed + 1 continued) / 6 completed up
        #expect(overall.slotUtilisation == 0.45)  // 9 booked (10 − the no-show's) / 20

        let myqyy = try #require(report.members.first { $0.hospital == "MYQYY" })
        #expect(myqyy.sent.referrals == 10)
        #expect(myqyy.sent.up.filed == SettingCounts(outpatient: 10, inpatient: 0))
        #expect(myqyy.sent.up.transferred == SettingCounts(outpatient: 6, inpatient: 0))
        #expect(myqyy.sent.acceptanceRate == 0.7778)  // 7 / 9
        #expect(myqyy.sent.overdueShare == 0.1)
        #expect(myqyy.sent.noShowRate == 0.1429)  // 1 / 7
        #expect(myqyy.sent.closedLoopRate == 0.8333)
        #expect(myqyy.received.referrals == 10)  // C and 5 of D
        #expect(myqyy.received.acceptanceRate == 1)
        #expect(myqyy.received.medianHoursToFirstResponse == 10)

        let zryy = try #require(report.members.first { $0.hospital == "ZRYY" })
        #expect(zryy.received.referrals == 16)
        #expect(zryy.received.acceptanceRate == 0.7692)  // 10 / 13
        #expect(zryy.received.medianHoursToFirstResponse == 2)  // nine 2 h, six 5 h: the 8th of 15
        #expect(zryy.received.overdueShare == 0.0625)  // 1 / 16
        #expect(zryy.received.slotUtilisation == 0.45)
        #expect(zryy.sent.down.filed == SettingCounts(outpatient: 5, inpatient: 5))
        #expect(zryy.sent.downUpRatio == nil)  // nothing sent up

        // Every month of the period, December without referrals too.
        #expect(report.months?.map(\.month) == ["2026-11", "2026-12"])
        #expect(report.months?.first?.indicators == overall)
        #expect(report.months?.last?.indicators.referrals == 0)
        let empty = try await world.services.indicators(alliance: "PAIN-BJ", from: "2027-01-01", to: "2027-01-31", byMonth: false, by: nil)
        #expect(empty.overall.referrals == 0)
        #expect(empty.overall.acceptanceRate == nil)
    }
}
