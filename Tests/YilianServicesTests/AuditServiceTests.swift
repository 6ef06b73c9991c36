import Foundation
import Testing
import YilianCore
import YilianRepository
import YilianTestSupport

@testable import YilianServices

/// The access log (SPEC §6): every read of patient data is appended, and only the hospital's
/// auditors and the platform read it.
@Suite struct AuditServiceTests {
    @Test func everyReadOfPatientDataIsLoggedAndOnlyAuditorsAndThePlatformReadIt() async throws {
        let world = try await ReferralWorld.make()
        let services = world.services
        let id = try await world.file(world.request()).id
        let zryy = world.actor("ZRYY")
        let myqyy = world.actor("MYQYY")
        _ = try await services.referral(id, by: zryy)
        _ = try await services.referrals(ReferralFilter(), limit: nil, cursor: nil, by: zryy)
        _ = try await services.referralHistory(id, by: zryy)
        _ = try await services.worklist(hospital: "ZRYY", limit: nil, by: zryy)
        _ = try await services.referral(id, by: myqyy)
        // Reads that return no patient: a non-party's refusal, an empty list, the platform.
        _ = await #expect(throws: YilianError.self) { try await services.referral(id, by: world.actor("JGYY")) }
        _ = try await services.referrals(ReferralFilter(), limit: nil, cursor: nil, by: world.actor("JGYY"))
        _ = try await services.referrals(ReferralFilter(), limit: nil, cursor: nil, by: world.admin)
        _ = try await services.addUser("chen", hospital: "ZRYY", duty: .auditor, password: nil, by: world.coreAdmin)
        _ = try await services.addUser("sun", hospital: "MYQYY", duty: .auditor, password: nil, by: world.admin)
        let chen = Actor(user: "chen", hospital: "ZRYY")
        let sun = Actor(user: "sun", hospital: "MYQYY")

        func log(
            _ hospital: String? = nil, referral: String? = nil, from: String? = nil, limit: Int? = nil, cursor: String? = nil,
            by actor: Actor
        ) async throws -> Page<AccessRecord> {
            try await services.accessLog(
                hospital: hospital, referral: referral, from: from, to: nil, limit: limit, cursor: cursor, by: actor)
        }
        func lines(_ page: Page<AccessRecord>) -> [String] {
            page.items.map { "\($0.user)@\($0.hospital) \($0.method) \($0.referrals.joined(separator: ","))" }
        }
        let core = try await log(by: chen)
        #expect(
            lines(core) == [
                "coordinator@ZRYY worklist.get \(id)", "coordinator@ZRYY referral.history \(id)",
                "coordinator@ZRYY referral.list \(id)", "coordinator@ZRYY referral.get \(id)",
            ])
        #expect(core.items.allSatisfy { $0.login == "coordinator@ZRYY" })
        #expect(lines(try await log(by: sun)) == ["coordinator@MYQYY referral.get \(id)"])
        #expect(try await log(by: world.admin).items.count == 5)
        #expect(lines(try await log("MYQYY", by: world.admin)) == ["coordinator@MYQYY referral.get \(id)"])
        #expect(try await log(referral: "R-999999", by: world.admin).items.isEmpty)
        #expect(try await log(referral: id, by: world.admin).items.count == 5)
        // Pages, newest first.
        let first = try await log(limit: 3, by: world.admin)
        let rest = try await log(limit: 3, cursor: first.nextCursor, by: world.admin)
        #expect(first.items.count == 3 && rest.items.count == 2 && rest.nextCursor == nil)
        #expect(lines(first) + lines(rest) == lines(try await log(by: world.admin)))
        // Nobody else reads it, and an auditor reads its own hospital's only.
        for actor in [zryy, world.coreAdmin] {
            let refused = await #expect(throws: YilianError.self) { try await log(by: actor) }
            #expect(refused?.code == .forbidden)
            #expect(refused?.message == "\(actor.tag) may not read the access log: only its hospital's auditors and the platform do.")
        }
        let other = await #expect(throws: YilianError.self) { try await log("MYQYY", by: chen) }
        #expect(other?.message == "chen@ZRYY audits ZRYY only; it may not read MYQYY's access log.")
        let bad = await #expect(throws: YilianError.self) { try await log(from: "2026-13-01", limit: 0, cursor: "x", by: chen) }
        #expect(bad?.code == .invalidParams && bad?.data["problems"]?.arrayCount == 3)
    }

    /// An auditor in Beijing who asks for 30 November gets Beijing's 30 November, not UTC's.
    @Test func daysAreChinaDays() {
        var problems: [Problem] = []
        let period = Services.period(from: "2026-11-30", to: "2026-11-30", problems: &problems)
        #expect(problems.isEmpty)
        #expect(period.lower == ISO8601DateFormatter().date(from: "2026-11-29T16:00:00Z"))
        #expect(period.upper == ISO8601DateFormatter().date(from: "2026-11-30T16:00:00Z"))
    }
}
