import Foundation
import Testing
import YilianCore
import YilianJSON

/// Every consultation status × action × party × mode (SPEC §7), against the table written out
/// here independently of the code; then the transitions, step by step, with their exact events.
@Suite struct ConsultationMachineTests {
    typealias Status = ConsultationMachine.Status
    typealias Action = ConsultationMachine.Action
    typealias Party = ConsultationMachine.Party
    typealias Mode = ConsultationMachine.Mode

    /// SPEC §7's table: (from, action) → to, for advice; remote and MDT sit when scheduled.
    static func expected(_ status: Status, _ action: Action, _ mode: Mode) -> Status? {
        let sitting: Status = mode == .advice ? .accepted : .scheduled
        switch action {
        case .accept: return status == .requested ? .accepted : nil
        case .decline: return status == .requested ? .declined : nil
        case .schedule: return mode != .advice && [.accepted, .scheduled].contains(status) ? .scheduled : nil
        case .opine: return status == sitting ? status : nil
        case .conclude: return status == sitting ? .answered : nil
        case .acknowledge: return status == .answered ? .closed : nil
        case .cancel: return [.requested, .accepted, .scheduled].contains(status) ? .cancelled : nil
        case .convert: return [.answered, .closed].contains(status) ? status : nil
        case .expire: return [.requested, .accepted].contains(status) ? .expired : nil
        case .request: return nil
        }
    }

    static let parties: [Action: Party] = [
        .request: .requester, .accept: .consultant, .decline: .consultant, .schedule: .consultant, .opine: .consultant,
        .conclude: .consultant, .acknowledge: .requester, .cancel: .requester, .convert: .requester, .expire: .system,
    ]

    static let cases: [(Status, Action, Party, Mode)] = Status.allCases.flatMap { status in
        Action.allCases.flatMap { action in Party.allCases.flatMap { party in Mode.allCases.map { (status, action, party, $0) } } }
    }

    @Test(arguments: 0..<cases.count)
    func transition(index: Int) {
        let (status, action, party, mode) = Self.cases[index]
        var machine = ConsultationMachine(status: status, mode: mode)
        do {
            let next = try machine.apply(action, by: party)
            #expect(party == Self.parties[action])
            #expect(next == Self.expected(status, action, mode))
            #expect(machine.status == next)
        } catch {
            #expect(machine.status == status)
            if party != Self.parties[action] {
                #expect(error.code == .forbidden)
            } else {
                #expect(Self.expected(status, action, mode) == nil)
                #expect(error.code == .invalidTransition)
                let allowed = Action.allCases.filter { Self.expected(status, $0, mode) != nil && Self.parties[$0] == party }
                #expect(error.data["allowed"] == .array(allowed.map { .string($0.rawValue) }))
            }
        }
    }

    @Test func terminalStatesAllowNothingButConvertingAClosedOne() {
        for status in Status.allCases where status.isTerminal {
            for mode in Mode.allCases {
                #expect(ConsultationMachine.allowed(from: status, mode: mode) == (status == .closed ? [.convert] : []))
            }
        }
    }

    // MARK: Transitions, step by step

    static let now = Date(timeIntervalSince1970: 1_796_000_000)
    static let myqyy = Actor(user: "wang", hospital: "MYQYY"), zryy = Actor(user: "li", hospital: "ZRYY")
    static let expert2 = Actor(user: "zhao", hospital: "ZRYY")

    static func requested(_ mode: Mode) -> ConsultationRecord {
        ConsultationRecord(
            id: "C-000001",
            request: ConsultationRequest(
                alliance: "PAIN-BJ", from: "MYQYY", to: "ZRYY", mode: mode, priority: .urgent,
                patient: Patient(name: "张三", sex: .male, birthDate: "1980-01-01"),
                consent: true, diagnosis: [Diagnosis(code: "M54.5", name: "腰痛")], question: "是否需要手术？"),
            specialty: "pain", respondBy: now.addingTimeInterval(86_400), now: now)
    }

    func step(
        _ record: inout ConsultationRecord, _ command: ConsultationCommand, by actor: Actor, minutes: Double,
        _ event: String, sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let transition = try ConsultationMachine.transition(record, command, by: actor, at: Self.now.addingTimeInterval(minutes * 60))
        let e = transition.event
        #expect(
            "\(e.seq) \(e.action) \(e.fromStatus ?? "-")→\(e.toStatus) \(e.actor) \(e.reason ?? "-") \(e.details.map { String(decoding: $0.serialized, as: UTF8.self) } ?? "-")"
                == event,
            sourceLocation: sourceLocation)
        record = transition.consultation
    }

    @Test func writtenAdviceFromRequestToConversion() throws {
        var record = Self.requested(.advice)
        try step(&record, .accept(note: nil), by: Self.zryy, minutes: 30, "2 accept requested→accepted li@ZRYY - -")
        #expect(record.firstResponseAt == Self.now.addingTimeInterval(1800))
        // No conclusion without an opinion.
        let early = #expect(throws: YilianError.self) {
            try ConsultationMachine.transition(record, .conclude(conclusion: "x"), by: Self.zryy, at: Self.now)
        }
        #expect(early?.code == .ruleViolation && early?.data["rule"] == "opinions")
        try step(
            &record, .opine(summary: "建议先保守治疗", recommendation: .manageLocally), by: Self.zryy, minutes: 60,
            #"3 opine accepted→accepted li@ZRYY 建议先保守治疗 {"recommendation":"manage_locally"}"#)
        try step(
            &record, .opine(summary: "可行射频治疗", recommendation: .referUp), by: Self.expert2, minutes: 70,
            #"4 opine accepted→accepted zhao@ZRYY 可行射频治疗 {"recommendation":"refer_up"}"#)
        // One opinion per expert.
        let twice = #expect(throws: YilianError.self) {
            try ConsultationMachine.transition(record, .opine(summary: "x", recommendation: .furtherTests), by: Self.zryy, at: Self.now)
        }
        #expect(twice?.data["rule"] == "opinion")
        #expect(record.opinions.map(\.expert) == ["li@ZRYY", "zhao@ZRYY"])
        try step(
            &record, .conclude(conclusion: "建议上转行射频治疗"), by: Self.zryy, minutes: 90, "5 conclude accepted→answered li@ZRYY 建议上转行射频治疗 -")
        #expect(record.answeredAt == Self.now.addingTimeInterval(5400) && record.conclusion == "建议上转行射频治疗")
        try step(&record, .acknowledge, by: Self.myqyy, minutes: 120, "6 acknowledge answered→closed wang@MYQYY - -")
        try step(
            &record, .convert(referral: "R-000007"), by: Self.myqyy, minutes: 130,
            #"7 convert closed→closed wang@MYQYY - {"referral":"R-000007"}"#)
        #expect(record.convertedTo == "R-000007" && record.version == 7)
        let again = #expect(throws: YilianError.self) {
            try ConsultationMachine.transition(record, .convert(referral: "R-000008"), by: Self.myqyy, at: Self.now)
        }
        #expect(again?.data["rule"] == "converted")
    }

    @Test func aRemoteConsultationIsScheduledBeforeOpinions() throws {
        var record = Self.requested(.remote)
        try step(&record, .accept(note: "请准备影像"), by: Self.zryy, minutes: 10, "2 accept requested→accepted li@ZRYY 请准备影像 -")
        let unscheduled = #expect(throws: YilianError.self) {
            try ConsultationMachine.transition(record, .opine(summary: "x", recommendation: .furtherTests), by: Self.zryy, at: Self.now)
        }
        #expect(unscheduled?.code == .invalidTransition && unscheduled?.data["allowed"] == ["schedule"].jsonValue)
        let past = #expect(throws: YilianError.self) {
            try ConsultationMachine.transition(record, .schedule(at: Self.now), by: Self.zryy, at: Self.now.addingTimeInterval(60))
        }
        #expect(past?.code == .invalidParams)
        let sitting = Self.now.addingTimeInterval(2 * 86_400)
        try step(
            &record, .schedule(at: sitting), by: Self.zryy, minutes: 20,
            #"3 schedule accepted→scheduled li@ZRYY - {"at":"2026-12-02T00:53:20Z"}"#)
        #expect(record.scheduledAt == sitting)
        try step(
            &record, .opine(summary: "完善 MRI", recommendation: .furtherTests), by: Self.zryy, minutes: 3000,
            #"4 opine scheduled→scheduled li@ZRYY 完善 MRI {"recommendation":"further_tests"}"#)
        try step(&record, .conclude(conclusion: "完善检查后复诊"), by: Self.zryy, minutes: 3010, "5 conclude scheduled→answered li@ZRYY 完善检查后复诊 -")
    }

    @Test func declineCancelExpireAndAThirdHospital() throws {
        var declined = Self.requested(.advice)
        try step(
            &declined, .decline(code: .referInstead, reason: nil), by: Self.zryy, minutes: 5,
            #"2 decline requested→declined li@ZRYY - {"reasonCode":"refer_instead"}"#)
        #expect(declined.declineCode == .referInstead)
        var cancelled = Self.requested(.mdt)
        try step(&cancelled, .cancel(reason: "患者已自行就诊"), by: Self.myqyy, minutes: 5, "2 cancel requested→cancelled wang@MYQYY 患者已自行就诊 -")
        let stranger = #expect(throws: YilianError.self) {
            try ConsultationMachine.transition(
                Self.requested(.advice), .accept(note: nil), by: Actor(user: "x", hospital: "JGYY"), at: Self.now)
        }
        #expect(stranger?.code == .forbidden)
        // The sweep: due only past twice the window (urgent: 24 h).
        let record = Self.requested(.advice)
        #expect(ConsultationMachine.due(record, at: Self.now.addingTimeInterval(47 * 3600), hours: .defaults) == nil)
        #expect(ConsultationMachine.due(record, at: Self.now.addingTimeInterval(48 * 3600), hours: .defaults) == .expire)
        var expired = record
        try step(&expired, .expire, by: .system, minutes: 48 * 60, "2 expire requested→expired system - -")
        #expect(ConsultationMachine.due(expired, at: Self.now.addingTimeInterval(100 * 3600), hours: .defaults) == nil)
    }

    @Test func wrongStateErrorsInBothLanguages() {
        var machine = ConsultationMachine(status: .answered, mode: .advice)
        let error = #expect(throws: YilianError.self) { try machine.apply(.cancel, by: .requester) }
        #expect(error?.message == "A consultation that is answered cannot be cancelled; allowed: acknowledge, convert to a referral.")
        #expect(error?.text?(.zh) == "已出具意见的会诊不能取消；可做：确认、转为转诊。")
    }
}

extension Array where Element == String {
    fileprivate var jsonValue: JSONValue { .array(map(JSONValue.string)) }
}
