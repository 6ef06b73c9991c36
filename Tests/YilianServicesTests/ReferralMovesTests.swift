import Foundation
import Testing
import YilianCore
import YilianJSON
import YilianTestSupport

/// The database checks a user's change of a referral (a consultation) against `referral_actions`
/// (`consultation_actions`); the state machines live in the core. The two must say the same.
@Suite struct ReferralMovesTests {
    /// `referral_actions`, which the wall's `yilian_api.referral_action` takes every move from
    /// against, is the core's machine: for every status × action × party × priority the core
    /// allows, the same side, statuses, and whether only emergencies may.
    @Test func theDatabasesActionsAreTheCoresTransitions() async throws {
        let now = Date(timeIntervalSince1970: 1_795_395_600)
        let hours = ResponseHours.defaults
        let outcome = TreatmentOutcome(summary: "缓解", diagnosis: [], recommendation: .downRefer, followUpDays: 14)
        let commands: [ReferralCommand] = [
            .accept(note: nil), .reject(code: .other, reason: nil), .requestInfo(question: "?"), .provideInfo(answer: "!"),
            .redirect(to: "BYSY"), .schedule(date: "2026-12-11", expert: true), .reschedule(date: "2026-12-11", expert: true), .arrive,
            .noShow, .complete(outcome), .acknowledge, .cancel(reason: "x"), .escalate, .expire,
        ]
        let actors: [ReferralMachine.Party: Actor] = [
            .sender: Actor(user: "wang", hospital: "MYQYY"), .receiver: Actor(user: "li", hospital: "ZRYY"), .system: .system,
        ]
        // action side from to → [priority allowed]
        var moves: [String: Set<Priority>] = [:]
        for status in ReferralMachine.Status.allCases {
            for command in commands {
                for (party, actor) in actors {
                    for priority in Priority.allCases {
                        var before = ReferralRecord(
                            id: "R-000001",
                            request: ReferralRequest(
                                alliance: "PAIN-BJ", from: "MYQYY", to: "ZRYY", direction: .up, setting: .outpatient,
                                priority: priority,
                                patient: nil, consent: true, diagnosis: [], reason: "x"),
                            patient: Patient(name: "张三", sex: .male, birthDate: "1980-01-01"), diagnosis: [], specialty: "pain",
                            direction: .up, respondBy: now.addingTimeInterval(-7200), now: now.addingTimeInterval(-86_400 * 30))
                        before.status = status
                        if status == .scheduled { before.slot = CalendarDate("2026-12-10") }
                        guard let after = try? ReferralMachine.transition(before, command, by: actor, at: now, hours: hours) else {
                            continue
                        }
                        let key = "\(command.action.rawValue) \(party.rawValue) \(status.rawValue) \(after.referral.status.rawValue)"
                        moves[key, default: []].insert(priority)
                    }
                }
            }
        }
        let core = Set(
            moves.map { key, priorities in "\(key) \(priorities == [.emergency])" })
        let url = try await TestPostgres.freshDatabase()
        let stored = try await PGQuery.value(
            url,
            """
            SELECT string_agg(action || ' ' || side || ' ' || from_status || ' ' || to_status || ' ' || emergency_only, ';')
            FROM referral_actions
            """)
        #expect(Set((stored ?? "").split(separator: ";").map(String.init)) == core)
    }

    /// `consultation_actions`, which the wall's `yilian_api.consultation_action` takes every
    /// user's change against, is the core's machine: for every status × action × party × mode the
    /// core allows, the same side, statuses and modes.
    @Test func theDatabasesConsultationActionsAreTheCoresTransitions() async throws {
        let now = Date(timeIntervalSince1970: 1_795_395_600)
        let commands: [ConsultationCommand] = [
            .accept(note: nil), .decline(code: .other, reason: "x"), .schedule(at: now.addingTimeInterval(86_400)),
            .opine(summary: "建议射频治疗", recommendation: .referUp), .conclude(conclusion: "转上级"), .acknowledge, .cancel(reason: "x"),
            .convert(referral: "R-000009"), .expire,
        ]
        let actors: [ConsultationMachine.Party: Actor] = [
            .requester: Actor(user: "wang", hospital: "MYQYY"), .consultant: Actor(user: "li", hospital: "ZRYY"), .system: .system,
        ]
        var moves: [String: Set<String>] = [:]
        for status in ConsultationMachine.Status.allCases {
            for command in commands {
                for (party, actor) in actors {
                    for mode in ConsultationMachine.Mode.allCases {
                        var before = ConsultationRecord(
                            id: "C-000001",
                            request: ConsultationRequest(
                                alliance: "PAIN-BJ", from: "MYQYY", to: "ZRYY", mode: mode, priority: .routine,
                                patient: Patient(name: "张三", sex: .male, birthDate: "1980-01-01"), consent: true, diagnosis: [],
                                question: "?", attachments: [], referral: nil),
                            specialty: "pain", respondBy: now.addingTimeInterval(-7200), now: now.addingTimeInterval(-86_400 * 30))
                        before.status = status
                        before.opinions = [Opinion(expert: "zhao@ZRYY", summary: "x", recommendation: .manageLocally, at: now)]
                        guard let after = try? ConsultationMachine.transition(before, command, by: actor, at: now) else { continue }
                        let key =
                            "\(command.action.rawValue) \(party.rawValue) \(status.rawValue) \(after.consultation.status.rawValue)"
                        moves[key, default: []].insert(mode.rawValue)
                    }
                }
            }
        }
        let core = Set(
            moves.map { key, modes in "\(key) \(modes.sorted().joined(separator: ","))" })
        let url = try await TestPostgres.freshDatabase()
        let stored = try await PGQuery.value(
            url,
            """
            SELECT string_agg(action || ' ' || side || ' ' || from_status || ' ' || to_status || ' '
                              || array_to_string(ARRAY(SELECT unnest(modes) ORDER BY 1), ','), ';')
            FROM consultation_actions
            """)
        #expect(Set((stored ?? "").split(separator: ";").map(String.init)) == core)
    }

    /// An action reads the record it acts on, logged as the action's method: `yilian_api.reads_as`
    /// (its list written when migrated) takes every action of both machines but filing and
    /// requesting, and nothing else.
    @Test func everyActionReadIsLoggedAsItsMethod() async throws {
        let url = try await TestPostgres.freshDatabase()
        let methods =
            ReferralMachine.Action.allCases.filter { $0 != .file }.map { ("referral", "referral.\($0.rawValue)") }
            + ConsultationMachine.Action.allCases.filter { $0 != .request }.map { ("consultation", "consultation.\($0.rawValue)") }
        for (kind, method) in methods + [("referral", "referral.get"), ("consultation", "consultation.get")] {
            #expect(try await PGQuery.value(url, "SELECT yilian_api.reads_as('\(kind)', '\(method)')") == "t", "\(method)")
        }
        for (kind, method) in [("referral", "audit.list"), ("referral", "consultation.get"), ("consultation", "referral.accept")] {
            #expect(try await PGQuery.value(url, "SELECT yilian_api.reads_as('\(kind)', '\(method)')") == "f", "\(method)")
        }
    }
}
