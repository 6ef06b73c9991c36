import Foundation
import Testing
import YilianCore
import YilianJSON
import YilianPostgres
import YilianServices
import YilianTestSupport

@testable import YilianRepository

/// The wall's `yilian_api.referral_action` decides an action in the one call that writes it
/// (migration 0041); `ReferralMachine.transition` is the one place an action is decided. The two
/// must say the same.
@Suite struct ReferralActionTests {
    /// For every status × action × side (the sender, the receiver, the system) × priority (with
    /// and without the receiver's first response), the wall writes exactly the core's referral,
    /// event and slot changes, or refuses, writing nothing, with the core's error. One up-referral
    /// of the world, put in each state by the owner.
    @Test func theWallDecidesEveryActionAsTheCoreDoes() async throws {
        let world = try await ReferralWorld.make()
        let owner = try await PGConnection.connect(await world.services.database.pool.conninfo)
        let id = try await world.file(world.request()).record.id
        _ = try await world.services.publishSlots(
            hospital: "ZRYY", specialty: "pain", from: "2026-12-10", to: "2026-12-11", capacity: 1000, expert: 500, by: world.coreAdmin)
        let outcome = TreatmentOutcome(summary: "缓解", diagnosis: [], recommendation: .downRefer, followUpDays: 14)
        let commands: [ReferralCommand] = [
            .accept(note: "可以"), .reject(code: .other, reason: "不符合"), .reject(code: .capacityFull, reason: nil),
            .requestInfo(question: "影像？"), .provideInfo(answer: "已补"), .redirect(to: "BYSY"), .redirect(to: "ZRYY"),
            .redirect(to: "WJ-1"), .schedule(date: "2026-12-11", expert: true), .schedule(date: "2026-12-11", expert: false),
            .reschedule(date: "2026-12-11", expert: false), .reschedule(date: "2026-12-10", expert: true), .arrive, .noShow,
            .complete(outcome), .acknowledge, .cancel(reason: "患者改约"), .escalate, .expire,
        ]
        let actors = [world.actor("MYQYY"), world.actor("ZRYY"), Actor.system]
        let now = world.clock.now
        var cases = 0
        var written = 0
        for status in ReferralMachine.Status.allCases {
            for priority in [Priority.routine, .emergency] {
                for responded in [false, true] {
                    for command in commands {
                        for actor in actors {
                            cases += 1
                            // The referral put in the state, with 400 units (200 expert) booked on each date.
                            try await owner.runScript(
                                """
                                UPDATE slots SET booked = 400, expert_booked = 200 WHERE hospital = 'ZRYY';
                                UPDATE referrals SET status = '\(status.rawValue)', priority = '\(priority.rawValue)', version = \(cases * 10),
                                    to_hospital = 'ZRYY', earlier_receivers = '{}', respond_by = now() - interval '2 hours',
                                    clock_start = now() - interval '30 days', escalation = 1,
                                    info_requested_at = \(status == .infoRequested ? "now() - interval '8 days'" : "NULL"),
                                    slot_date = \(status == .scheduled || status == .noShow ? "'2026-12-10'" : "NULL"),
                                    slot_expert = \(status == .scheduled), accepted_at = NULL, scheduled_at = NULL, reject_code = NULL,
                                    outcome = NULL, first_response_at = \(responded ? "now() - interval '1 hour'" : "NULL")
                                WHERE id = '\(id)'
                                """)
                            let slots = try await owner.query(Self.slots)[0].text(at: 0) ?? ""
                            let (before, hours) = try await world.services.database.withConnection(as: .login) {
                                try await ReferralRepository.forAction(id, as: Reading("referral.get", for: .system), on: $0)
                            }
                            // A redirect also meets the filing guards: WJ-1 is registered but no member.
                            let expected = Result { () throws(YilianError) in
                                let transition = try ReferralMachine.transition(before, command, by: actor, at: now, hours: hours)
                                if command == .redirect(to: "WJ-1") {
                                    throw YilianError.ruleViolation("membership", Text("error.membership", "WJ-1", "PAIN-BJ"))
                                }
                                return transition
                            }
                            let label = "\(status) \(priority) responded \(responded) \(command) by \(actor.tag)"
                            let actual: Result<ReferralRecord, YilianError>
                            do {
                                if actor == .system {
                                    let acted = try await world.services.database.withConnection(as: .login) {
                                        try await ReferralRepository.act(id, command, expectedVersion: nil, by: .system, at: now, on: $0)
                                    }
                                    guard case .written(let referral)? = acted else {
                                        #expect(throws: YilianError.self, "\(label): the wall refused, the core did not") { try expected.get() }
                                        continue
                                    }
                                    actual = .success(referral)
                                } else {
                                    actual = .success(try await world.services.act(id, command, expectedVersion: nil, by: actor).record)
                                }
                            } catch let error as YilianError {
                                actual = .failure(error)
                            }
                            switch (expected, actual) {
                            case (.success(let transition), .success(let referral)):
                                written += 1
                                #expect(referral == transition.referral, "\(label)")
                                let row = try await owner.query(
                                    """
                                    SELECT (\(Self.slots)) AS slots, seq, action, from_status, to_status, actor, at, reason, details
                                    FROM referral_events WHERE referral = $1 ORDER BY seq DESC LIMIT 1
                                    """, [id])[0]
                                #expect(try row.text("slots") == Self.booking(slots, transition.slots), "\(label)")
                                let event = ReferralEvent(
                                    seq: try row.decode("seq"), action: try row.decode("action"), fromStatus: try row.decodeIfPresent("from_status"),
                                    toStatus: try row.decode("to_status"), actor: try row.decode("actor"), at: try row.decode("at"),
                                    reason: try row.decodeIfPresent("reason"),
                                    details: try row.decodeIfPresent("details", as: PGJSON<JSONValue>.self)?.value)
                                #expect(event == transition.event, "\(label)")
                            case (.failure(let refusal), .failure(let error)):
                                #expect(error == refusal, "\(label)")
                            case (.success, .failure(let error)):
                                Issue.record("\(label): the core allows it, the wall answered \(error)")
                            case (.failure(let refusal), .success):
                                Issue.record("\(label): the core refuses it (\(refusal)), the wall wrote it")
                            }
                        }
                    }
                }
            }
        }
        #expect(written > 80)  // 94 moves the core allows, each compared field by field
    }

    static let slots = "SELECT string_agg(date || ':' || booked || ':' || expert_booked, ' ' ORDER BY date) FROM slots"

    /// `slots` ("date:booked:expert_booked …") after `changes`.
    static func booking(_ slots: String, _ changes: [SlotChange]) -> String {
        slots.split(separator: " ").map { slot in
            let parts = slot.split(separator: ":").map(String.init)
            var (booked, expert) = (Int(parts[1]) ?? 0, Int(parts[2]) ?? 0)
            for change in changes {
                switch change {
                case .book(let date, let isExpert) where date.description == parts[0]:
                    booked += 1
                    if isExpert { expert += 1 }
                case .release(let date, let isExpert) where date.description == parts[0]:
                    booked -= 1
                    if isExpert { expert -= 1 }
                case .book, .release:
                    break
                }
            }
            return "\(parts[0]):\(booked):\(expert)"
        }.joined(separator: " ")
    }
}
