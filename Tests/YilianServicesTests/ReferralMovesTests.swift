import Testing
import YilianCore
import YilianTestSupport

/// The database checks a user's change of a referral against `referral_moves`; the state machine
/// lives in the core. The two must say the same.
@Suite struct ReferralMovesTests {
    @Test func theDatabasesMovesAreTheCoresMoves() async throws {
        var core: Set<String> = []
        for status in ReferralMachine.Status.allCases {
            for action in ReferralMachine.Action.allCases where action != .file {
                for party in [ReferralMachine.Party.sender, .receiver, .system] {
                    for priority in Priority.allCases {
                        var machine = ReferralMachine(status: status, priority: priority)
                        guard let next = try? machine.apply(action, by: party) else { continue }
                        core.insert("\(status.rawValue) \(next.rawValue) \(party.rawValue)")
                    }
                }
            }
        }
        let url = try await TestPostgres.freshDatabase()
        let stored = try await PGQuery.value(url, "SELECT string_agg(from_status || ' ' || to_status || ' ' || side, ',') FROM referral_moves")
        #expect(Set((stored ?? "").split(separator: ",").map(String.init)) == core)
    }
}
