import Testing
import YilianCore
import YilianTestSupport

/// The database checks a user's change of a referral (a consultation) against `referral_moves`
/// (`consultation_moves`); the state machines live in the core. The two must say the same.
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

    @Test func theDatabasesConsultationMovesAreTheCoresMoves() async throws {
        var core: Set<String> = []
        for status in ConsultationMachine.Status.allCases {
            for action in ConsultationMachine.Action.allCases where action != .request {
                for party in ConsultationMachine.Party.allCases {
                    for mode in ConsultationMachine.Mode.allCases {
                        var machine = ConsultationMachine(status: status, mode: mode)
                        guard let next = try? machine.apply(action, by: party) else { continue }
                        core.insert("\(status.rawValue) \(next.rawValue) \(party.rawValue)")
                    }
                }
            }
        }
        let url = try await TestPostgres.freshDatabase()
        let stored = try await PGQuery.value(url, "SELECT string_agg(from_status || ' ' || to_status || ' ' || side, ',') FROM consultation_moves")
        #expect(Set((stored ?? "").split(separator: ",").map(String.init)) == core)
    }
}
