import Foundation
import Logging
import Testing
import YilianCore
import YilianRepository
import YilianServices
import YilianTestSupport

/// Registering and disabling users (SPEC §6), and what the database then lets them do.
@Suite struct UserServiceTests {
    @Test func administratorsRegisterTheirOwnAndBadInputIsRefusedWhole() async throws {
        let world = try await ReferralWorld.make()
        let services = world.services
        let added = try await services.addUser("zhao", hospital: "MYQYY", duty: .physician, password: nil, by: world.admin)
        #expect(added.user == "zhao" && added.hospital == "MYQYY" && added.duty == .physician && added.enabled)
        let again = await #expect(throws: YilianError.self) {
            try await services.addUser("zhao", hospital: "MYQYY", duty: .physician, password: nil, by: world.admin)
        }
        #expect(again?.code == .alreadyExists)
        // ZRYY's administrator registers ZRYY's users, not MYQYY's.
        _ = try await services.addUser("chen", hospital: "ZRYY", duty: .auditor, password: nil, by: world.coreAdmin)
        let other = await #expect(throws: YilianError.self) {
            try await services.addUser("chen", hospital: "MYQYY", duty: .coordinator, password: nil, by: world.coreAdmin)
        }
        #expect(other?.code == .forbidden)
        let bad = await #expect(throws: YilianError.self) {
            try await services.addUser("Bad Name", hospital: "ZRYY", duty: .platformAdmin, password: "short\u{0}", by: world.admin)
        }
        #expect(bad?.data["problems"]?.arrayCount == 3)
        let nul = await #expect(throws: YilianError.self) {
            try await services.addUser("sun", hospital: "ZRYY", duty: .coordinator, password: "twelve chars\u{0}hidden", by: world.admin)
        }
        #expect(nul?.message == "password: must be 12 to 1024 characters, without NUL.")
    }

    @Test func aDisabledUserIsNoLongerActedAs() async throws {
        let world = try await ReferralWorld.make()
        _ = try await world.services.addUser("zhou", hospital: "MYQYY", duty: .coordinator, password: nil, by: world.admin)
        let zhou = Actor(user: "zhou", hospital: "MYQYY")
        let me = try await world.services.whoami(by: zhou)
        #expect(me.user == "zhou" && me.hospital == "MYQYY" && me.duty == .coordinator)
        let disabled = try await world.services.disableUser("zhou", hospital: "MYQYY", by: world.admin)
        #expect(!disabled.enabled)
        let refused = await #expect(throws: YilianError.self) { try await world.services.fileReferral(world.request(), by: zhou) }
        #expect(refused?.code == .forbidden)
        #expect(refused?.message == "zhou@MYQYY is not a registered, enabled Yilian user; only registered users act.")
        // Its hospital's users still list it, disabled.
        let listed = try await world.services.users(hospital: "MYQYY", by: world.actor("MYQYY")).items
        #expect(listed.first { $0.user == "zhou" }?.enabled == false)
    }
}
