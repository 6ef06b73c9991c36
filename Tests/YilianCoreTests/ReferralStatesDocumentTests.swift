import Foundation
import Testing
import YilianCore

/// docs/referral-states.md's table is the state machine: checked row by row against the code.
@Suite struct ReferralStatesDocumentTests {
    @Test func theTableMatchesTheMachine() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appending(path: "../../docs/referral-states.md")
        let rows = try String(contentsOf: url, encoding: .utf8).split(separator: "\n")
            .filter { $0.hasPrefix("| ") && !$0.hasPrefix("| action") }
            .map { $0.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) } }
        let documented = Set(rows.map(\.[0]))
        #expect(documented == Set(ReferralMachine.Action.allCases.filter { $0 != .file }.map(\.rawValue)))
        for row in rows {
            guard let action = ReferralMachine.Action(rawValue: row[0]), let to = ReferralMachine.Status(rawValue: row[2]) else {
                Issue.record("bad row \(row)")
                continue
            }
            #expect(ReferralMachine.party(for: action).rawValue == row[3], "\(action)")
            var expected: Set<String> = []
            for entry in row[1].split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) {
                let emergencyOnly = entry.hasSuffix("(emergency)")
                let status = ReferralMachine.Status(rawValue: String(entry.split(separator: " ")[0]))!
                expected.insert(status.rawValue + (emergencyOnly ? "!" : ""))
            }
            var actual: Set<String> = []
            for status in ReferralMachine.Status.allCases {
                let routine = ReferralMachine.allowed(from: status, priority: .routine).contains(action)
                let emergency = ReferralMachine.allowed(from: status, priority: .emergency).contains(action)
                if routine { actual.insert(status.rawValue) } else if emergency { actual.insert(status.rawValue + "!") }
                if routine || emergency {
                    var machine = ReferralMachine(status: status, priority: .emergency)
                    #expect(try machine.apply(action, by: ReferralMachine.party(for: action)) == to)
                }
            }
            #expect(actual == expected, "\(action)")
        }
    }
}
