import Foundation
import Testing
import YilianCore
import YilianJSON
import YilianPostgres
import YilianServices
import YilianTestSupport

@testable import YilianRepository

/// The wall's `yilian_api.referral_action` and `consultation_action` decide an action in the one
/// call that writes it (migrations 0041, 0042); `ReferralMachine.transition` and
/// `ConsultationMachine.transition` are the one place an action is decided. The two must say the same.
@Suite struct WallDecisionTests {
    /// For every status × action × side (the sender, the receiver, the system) × priority (with
    /// and without the receiver's first response), the wall writes exactly the core's referral,
    /// event and slot changes, or refuses, writing nothing, with the core's error. One up-referral
    /// of the world, put in each state by the owner.
    @Test func theWallDecidesEveryActionAsTheCoreDoes() async throws {
        let world = try await ReferralWorld.make()
        let owner = try await PGConnection.connect(await world.services.database.pool.conninfo)
        let id = try await world.file(world.request()).id
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
                                try await ReferralRepository.withResponseHours(id, as: Reading("referral.get", for: .system), on: $0)
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
                            let wall = await Self.outcome {
                                guard actor == .system else {
                                    // The view shows what the wall wrote; the record holds all of it.
                                    _ = try await world.services.act(id, command, expectedVersion: nil, by: actor)
                                    return try await world.services.database.withConnection(as: .login) {
                                        try await ReferralRepository.get(id, as: Reading("referral.get", for: .system), on: $0)
                                    }
                                }
                                let acted = try await world.services.database.withConnection(as: .login) {
                                    try await ReferralRepository.act(id, command, expectedVersion: nil, by: .system, at: now, on: $0)
                                }
                                guard case .written(let referral)? = acted else { return nil }
                                return referral
                            }
                            if let transition = Self.decided(label, core: expected, wall: wall, as: \.referral) {
                                written += 1
                                let row = try await owner.query(
                                    """
                                    SELECT (\(Self.slots)) AS slots, seq, action, from_status, to_status, actor, at, reason, details
                                    FROM referral_events WHERE referral = $1 ORDER BY seq DESC LIMIT 1
                                    """, [id])[0]
                                #expect(try row.text("slots") == Self.booking(slots, transition.slots), "\(label)")
                                let event = MachineEvent(
                                    seq: try row.decode("seq"), action: try row.decode("action"),
                                    fromStatus: try row.decodeIfPresent("from_status"),
                                    toStatus: try row.decode("to_status"), actor: try row.decode("actor"), at: try row.decode("at"),
                                    reason: try row.decodeIfPresent("reason"),
                                    details: try row.decodeIfPresent("details", as: PGJSON<JSONValue>.self)?.value)
                                #expect(event == transition.event, "\(label)")
                            }
                        }
                    }
                }
            }
        }
        #expect(written > 80)  // 94 moves the core allows, each compared field by field
    }

    /// For every status × mode × action × side (the requester, the consultant, the system), with
    /// no opinion, another expert's, and the actor's own, the wall writes exactly the core's
    /// consultation and event, or refuses, writing nothing, with the core's error. One
    /// consultation of each mode, put in each state by the owner; each has a referral filed from it.
    @Test func theWallDecidesEveryConsultationActionAsTheCoreDoes() async throws {
        let world = try await ReferralWorld.make()
        let owner = try await PGConnection.connect(await world.services.database.pool.conninfo)
        let now = world.clock.now
        var written = 0
        for mode in ConsultationMachine.Mode.allCases {
            let request = ConsultationRequest(
                alliance: "PAIN-BJ", from: "MYQYY", to: "ZRYY", mode: mode, priority: .urgent, patient: ReferralWorld.patient,
                consent: true,
                diagnosis: [Diagnosis(code: "M54.5", name: "腰痛")], question: "是否需要介入治疗？")
            let id = try await world.services.requestConsultation(request, by: world.actor("MYQYY")).id
            let referral = try await world.file(world.request()).id
            try await owner.runScript("UPDATE referrals SET consultation = '\(id)' WHERE id = '\(referral)'")
            let commands: [ConsultationCommand] = [
                .accept(note: "可以"), .decline(code: .other, reason: "不在范围"), .decline(code: .noCapacity, reason: nil),
                .schedule(at: now.addingTimeInterval(86_400)), .schedule(at: now.addingTimeInterval(-3600)),
                .opine(summary: "建议介入", recommendation: .referUp), .conclude(conclusion: "转诊介入"), .acknowledge,
                .cancel(reason: "患者拒绝"), .convert(referral: referral), .expire,
            ]
            for status in ConsultationMachine.Status.allCases {
                for opined in ["[]", "[other]", "[own]"] {
                    for command in commands {
                        for actor in [world.actor("MYQYY"), world.actor("ZRYY"), Actor.system] {
                            let opinion = { (expert: String) in
                                #"{"expert": "\#(expert)", "summary": "意见", "recommendation": "manage_locally", "at": "2026-11-22T00:00:00Z"}"#
                            }
                            let opinions =
                                ["[]": "[]", "[other]": "[\(opinion("wang@ZRYY"))]", "[own]": "[\(opinion(actor.tag))]"][opined] ?? ""
                            try await owner.runScript(
                                """
                                UPDATE consultations SET status = '\(status.rawValue)', version = version + 10, opinions = '\(opinions)',
                                    conclusion = NULL, converted_to = NULL, decline_code = NULL, answered_at = NULL, scheduled_at = NULL,
                                    first_response_at = NULL
                                WHERE id = '\(id)'
                                """)
                            let before = try await world.services.database.withConnection(as: .login) {
                                try await ConsultationRepository.get(id, as: Reading("consultation.get", for: .system), on: $0)
                            }
                            let expected = Result { () throws(YilianError) in
                                try ConsultationMachine.transition(before, command, by: actor, at: now)
                            }
                            let label = "\(mode) \(status) \(opined) \(command) by \(actor.tag)"
                            let wall = await Self.outcome {
                                guard actor == .system else {
                                    _ = try await world.services.consult(id, command, expectedVersion: nil, by: actor)
                                    return try await world.services.database.withConnection(as: .login) {
                                        try await ConsultationRepository.get(id, as: Reading("consultation.get", for: .system), on: $0)
                                    }
                                }
                                let acted = try await world.services.database.withConnection(as: .login) {
                                    try await ConsultationRepository.act(id, command, expectedVersion: nil, by: .system, at: now, on: $0)
                                }
                                guard case .written(let consultation)? = acted else { return nil }
                                return consultation
                            }
                            if let transition = Self.decided(label, core: expected, wall: wall, as: \.consultation) {
                                written += 1
                                let events = try await world.services.database.withConnection(as: .login) {
                                    try await ConsultationRepository.events(of: id, as: Reading("consultation.get", for: .system), on: $0)
                                }
                                #expect(events.last == transition.event, "\(label)")
                            }
                        }
                    }
                }
            }
        }
        #expect(written > 100)  // 123 moves the core allows, each compared field by field
    }

    /// What the wall answered: the record it wrote, the error the services gave, or nil for a
    /// refusal answered to the system (the sweep, which says nothing).
    static func outcome<Record>(_ wall: () async throws -> Record?) async -> Result<Record, YilianError>? {
        do {
            return try await wall().map { .success($0) }
        } catch let error as YilianError {
            return .failure(error)
        } catch {
            return .failure(.internalFailure)
        }
    }

    /// Whether the wall decided as the core: the same record written, or the same error (any
    /// refusal, for the system's). The core's transition when both wrote.
    static func decided<Transition, Record: Equatable>(
        _ label: String, core expected: Result<Transition, YilianError>, wall: Result<Record, YilianError>?,
        as record: (Transition) -> Record
    ) -> Transition? {
        switch (expected, wall) {
        case (.success(let transition), .success(let written)?):
            #expect(written == record(transition), "\(label)")
            return transition
        case (.failure(let refusal), .failure(let error)?):
            #expect(error == refusal, "\(label)")
        case (.failure, nil):
            break
        case (.success, .failure(let error)?):
            Issue.record("\(label): the core allows it, the wall answered \(error)")
        case (.success, nil):
            Issue.record("\(label): the core allows it, the wall refused")
        case (.failure(let refusal), .success?):
            Issue.record("\(label): the core refuses it (\(refusal)), the wall wrote it")
        }
        return nil
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
