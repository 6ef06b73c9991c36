import Testing
import YilianCore

@testable import YilianRPC

/// What a call does when the database is lost under it (SPEC §12), for every kind of call.
@Suite struct ReconnectionTests {
    static let unreached = YilianError(.databaseUnavailable, Text("db.unavailable"))
    static let lost = YilianError(.databaseUnavailable, Text("db.lost"))
    static let noServer = YilianError(.databaseUnavailable, Text("db.noServer"))

    @Test func onlyAnUnkeyedChangeCutOffIsInDoubt() {
        for (mutates, keyed) in [(false, false), (true, true), (true, false), (false, true)] {
            #expect(Reconnection.redo(after: Self.unreached, mutates: mutates, keyed: keyed) == .yes)
            #expect(Reconnection.redo(after: Self.lost, mutates: mutates, keyed: keyed) == (mutates && !keyed ? .inDoubt : .yes))
            // A setup mistake is not waited for; nor is anything but the database's loss.
            #expect(Reconnection.redo(after: Self.noServer, mutates: mutates, keyed: keyed) == .no)
            #expect(Reconnection.redo(after: .internalFailure, mutates: mutates, keyed: keyed) == .no)
        }
        #expect(YilianError.inDoubt.data["inDoubt"] == true && YilianError.inDoubt.code == .databaseUnavailable)
    }
}
