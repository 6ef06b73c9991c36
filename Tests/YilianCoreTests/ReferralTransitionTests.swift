import Foundation
import Testing
import YilianCore
import YilianJSON
import YilianTestSupport

/// `ReferralMachine.transition`, the one place an action is decided, driven without a database:
/// every status × command × party × priority, with the exact referral, event and slot changes;
/// then a referral's life step by step, and the sweep's decisions on an injected clock.
@Suite struct ReferralTransitionTests {
    typealias Status = ReferralMachine.Status

    static let filed = Date(timeIntervalSince1970: 1_795_392_000)  // 2026-11-23T00:00:00Z
    static let now = filed.addingTimeInterval(3600)
    static let hours = ResponseHours(emergency: 2, urgent: 24, routine: 72)
    static let sender = Actor(user: "wang", hospital: "MYQYY"), receiver = Actor(user: "li", hospital: "ZRYY")
    static let booked = CalendarDate("2026-12-10")!
    static let outcome = TreatmentOutcome(summary: "诊断明确，疼痛缓解", diagnosis: [], recommendation: .downRefer, followUpDays: 14)

    static func referral(_ status: Status, _ priority: Priority) -> ReferralRecord {
        var referral = ReferralRecord(
            id: "R-000001",
            request: ReferralRequest(
                alliance: "PAIN-BJ", from: "MYQYY", to: "ZRYY", direction: .up, setting: .outpatient, priority: priority,
                patient: nil, consent: true, diagnosis: [], reason: "疼痛控制不佳"),
            patient: Patient(name: "张三", sex: .male, birthDate: "1980-01-01"), diagnosis: [Diagnosis(code: "M79.2", name: "神经痛")],
            specialty: "pain", direction: .up, respondBy: filed.addingTimeInterval(hours.window(priority)), now: filed)
        referral.status = status
        referral.version = 3
        if status == .scheduled { referral.slot = booked }
        return referral
    }

    static let commands: [ReferralCommand] = [
        .accept(note: "同意接收"), .reject(code: .other, reason: "超出诊疗范围"), .requestInfo(question: "请补充影像资料"),
        .provideInfo(answer: "已补充MRI"), .redirect(to: "BYSY"), .schedule(date: "2026-12-11"), .reschedule(date: "2026-12-11"), .arrive,
        .noShow, .complete(outcome), .acknowledge, .cancel(reason: "患者改变主意"), .escalate, .expire,
    ]

    /// What `command` does to a referral it is allowed on, written out from SPEC §2 apart from the
    /// code: the fields it changes (beyond status, version and updatedAt), the event's reason and
    /// details, and the slot changes.
    static func effects(
        _ command: ReferralCommand, on before: ReferralRecord, by party: ReferralMachine.Party
    ) -> (referral: ReferralRecord, reason: String?, details: JSONValue?, slots: [SlotChange]) {
        var after = before
        if party == .receiver { after.firstResponseAt = now }
        let restarted = now.addingTimeInterval(hours.window(before.priority))
        switch command {
        case .accept(let note):
            after.acceptedAt = now
            return (after, note, nil, [])
        case .reject(let code, let reason):
            after.rejectCode = code
            return (after, reason, ["reasonCode": .string(code.rawValue)], [])
        case .requestInfo(let question):
            after.infoRequestedAt = now
            return (after, question, nil, [])
        case .provideInfo(let answer):
            (after.clockStart, after.respondBy) = (now, restarted)
            return (after, answer, nil, [])
        case .redirect(let to):
            (after.to, after.firstResponseAt, after.clockStart, after.respondBy) = (to, nil, now, restarted)
            return (after, nil, ["to": .string(to), "previousTo": "ZRYY"], [])
        case .schedule:
            (after.slot, after.scheduledAt) = (CalendarDate("2026-12-11"), now)
            return (after, nil, ["date": "2026-12-11"], [.book(CalendarDate("2026-12-11")!, expert: false)])
        case .reschedule:
            after.slot = CalendarDate("2026-12-11")
            return (
                after, nil, ["date": "2026-12-11", "previousDate": "2026-12-10"],
                [.book(CalendarDate("2026-12-11")!, expert: false), .release(booked, expert: false)]
            )
        case .noShow:
            return (after, nil, nil, [.release(booked, expert: false)])
        case .complete(let outcome):
            after.outcome = outcome
            return (after, outcome.summary, nil, [])
        case .cancel(let reason):
            return (after, reason, nil, before.status == .scheduled ? [.release(booked, expert: false)] : [])
        case .escalate:
            after.escalation = 1
            after.respondBy = before.respondBy.addingTimeInterval(hours.window(before.priority))
            return (after, nil, ["escalation": 1], [])
        case .arrive, .acknowledge, .expire:
            return (after, nil, nil, [])
        }
    }

    static let parties: [(ReferralMachine.Party, Actor)] = [(.sender, sender), (.receiver, receiver), (.system, .system)]
    static let cases: [(Status, Int, Int, Priority)] = Status.allCases.flatMap { status in
        commands.indices.flatMap { command in
            parties.indices.flatMap { party in [Priority.routine, .urgent, .emergency].map { (status, command, party, $0) } }
        }
    }

    @Test(arguments: 0..<cases.count)
    func everyStatusCommandPartyAndPriority(index: Int) throws {
        let (status, commandIndex, partyIndex, priority) = Self.cases[index]
        let command = Self.commands[commandIndex]
        let (party, actor) = Self.parties[partyIndex]
        let before = Self.referral(status, priority)
        let rightful = ReferralMachine.party(for: command.action)
        let to = ReferralTable.expected(status, command.action, priority)
        let transition: ReferralTransition
        do {
            transition = try ReferralMachine.transition(before, command, by: actor, at: Self.now, hours: Self.hours)
        } catch {
            if party != rightful {
                #expect(error.code == .forbidden)
            } else {
                #expect(to == nil)
                #expect(error.code == .invalidTransition)
                #expect(error.data["status"] == .string(status.rawValue))
            }
            return
        }
        #expect(party == rightful)
        let effects = Self.effects(command, on: before, by: party)
        var expected = effects.referral
        expected.status = try #require(to)
        expected.version = 4
        expected.updatedAt = Self.now
        #expect(transition.referral == expected)
        #expect(transition.slots == effects.slots)
        #expect(
            transition.event
                == MachineEvent(
                    seq: 4, action: command.action.rawValue, fromStatus: status.rawValue, toStatus: expected.status.rawValue,
                    actor: party == .system ? "system" : actor.tag, at: Self.now, reason: effects.reason, details: effects.details))
    }

    @Test func aHospitalNeitherSendingNorReceivingMayNotAct() {
        let error = #expect(throws: YilianError.self) {
            try ReferralMachine.transition(
                Self.referral(.requested, .routine), .accept(note: nil), by: Actor(user: "x", hospital: "BYSY"), at: Self.now,
                hours: Self.hours)
        }
        #expect(error?.code == .forbidden)
        #expect(error?.message == "Referral R-000001 can be handled only by MYQYY or ZRYY; BYSY is neither.")
    }

    @Test func aDateThatIsNoDateIsInvalidParams() {
        let error = #expect(throws: YilianError.self) {
            try ReferralMachine.transition(
                Self.referral(.accepted, .routine), .schedule(date: "2026-13-01"), by: Self.receiver, at: Self.now, hours: Self.hours)
        }
        #expect(error?.code == .invalidParams)
        #expect(error?.message == "date: must be a date YYYY-MM-DD from 1900-01-01 to 2200-12-31.")
    }

    @Test func aReferralsLifeStepByStep() throws {
        var referral = Self.referral(.requested, .routine)
        referral.version = 1
        func step(_ command: ReferralCommand, by actor: Actor) throws -> ReferralTransition {
            let transition = try ReferralMachine.transition(referral, command, by: actor, at: Self.now, hours: Self.hours)
            referral = transition.referral
            return transition
        }
        #expect(try step(.accept(note: nil), by: Self.receiver).slots == [])
        #expect(referral.status == .accepted && referral.version == 2 && referral.firstResponseAt == Self.now)
        #expect(try step(.schedule(date: "2026-12-10"), by: Self.receiver).slots == [.book(Self.booked, expert: false)])
        #expect(
            try step(.reschedule(date: "2026-12-12"), by: Self.receiver).slots == [
                .book(CalendarDate("2026-12-12")!, expert: false), .release(Self.booked, expert: false),
            ])
        let again = #expect(throws: YilianError.self) { try step(.reschedule(date: "2026-12-12"), by: Self.receiver) }
        #expect(again?.message == "date: is already the booked date.")
        #expect(referral.slot == CalendarDate("2026-12-12") && referral.version == 4)
        #expect(try step(.arrive, by: Self.receiver).event.toStatus == "in_treatment")
        let cancel = #expect(throws: YilianError.self) { try step(.cancel(reason: "不去了"), by: Self.sender) }
        #expect(cancel?.message == "A referral that is in treatment cannot be cancelled; there is nothing you can do on it now.")
        #expect(try step(.complete(Self.outcome), by: Self.receiver).event.reason == Self.outcome.summary)
        let closed = try step(.acknowledge, by: Self.sender)
        #expect(
            closed.event
                == MachineEvent(
                    seq: 7, action: "acknowledge", fromStatus: "completed", toStatus: "closed", actor: "wang@MYQYY", at: Self.now,
                    reason: nil, details: nil))
        #expect(referral.status == .closed && referral.slot == CalendarDate("2026-12-12"))
    }

    @Test func theSweepEscalatesOncePerWindowThenExpires() throws {
        var referral = Self.referral(.requested, .urgent)  // respond within 24 h, expire after 48 h
        referral.version = 1
        func due(after hours: Double) -> ReferralCommand? {
            ReferralMachine.due(referral, at: Self.filed.addingTimeInterval(hours * 3600), hours: Self.hours)
        }
        #expect(due(after: 23.9) == nil)
        #expect(due(after: 24) == .escalate)
        referral = try ReferralMachine.transition(
            referral, .escalate, by: .system, at: Self.filed.addingTimeInterval(24 * 3600), hours: Self.hours
        ).referral
        #expect(referral.escalation == 1 && referral.respondBy == Self.filed.addingTimeInterval(48 * 3600))
        #expect(due(after: 47.9) == nil)
        #expect(due(after: 48) == .expire)
        referral.status = .infoRequested
        referral.infoRequestedAt = Self.filed
        #expect(due(after: 7 * 24 - 0.1) == nil)
        #expect(due(after: 7 * 24) == .expire)
        for status in Status.allCases where status != .requested && status != .infoRequested {
            referral.status = status
            #expect(due(after: 10_000) == nil)
        }
    }
}

/// SPEC §2: a down-referral continuing a parent records the parent's patient, checked.
@Suite struct DownReferralPatientTests {
    static func parent(outcome: TreatmentOutcome?, idNumber: String? = "11010519800101018X") -> ReferralRecord {
        var parent = ReferralTransitionTests.referral(.completed, .routine)
        parent.patient.idNumber = idNumber
        parent.outcome = outcome
        return parent
    }

    static func down(_ patient: Patient?, diagnosis: [Diagnosis] = []) -> ReferralRequest {
        ReferralRequest(
            alliance: "PAIN-BJ", from: "ZRYY", to: "MYQYY", direction: .down, setting: .outpatient, priority: .routine, patient: patient,
            consent: true, diagnosis: diagnosis, reason: "康复治疗", parent: "R-000001")
    }

    @Test func withoutAPatientTheParentsPatientAndTreatedDiagnosisAreRecorded() throws {
        let treated = [Diagnosis(code: "M51.2", name: "腰椎间盘突出症")]
        let parent = Self.parent(outcome: TreatmentOutcome(summary: "好转", diagnosis: treated, recommendation: .downRefer))
        let recorded = try Self.down(nil).recorded(continuing: parent)
        #expect(recorded.patient == parent.patient)
        #expect(recorded.diagnosis == treated)
        #expect(try Self.down(nil).recorded(continuing: Self.parent(outcome: nil)).diagnosis == parent.diagnosis)
        let own = [Diagnosis(code: "Z50.1", name: "康复")]
        #expect(try Self.down(nil, diagnosis: own).recorded(continuing: parent).diagnosis == own)
        #expect(Self.down(nil).problems(today: CalendarDate("2026-12-01")!) == [])
    }

    @Test func theSamePersonByResidentIDElseByNameSexAndBirthDate() throws {
        let parent = Self.parent(outcome: nil)
        let sameID = Patient(name: "张 三", sex: .male, birthDate: "1980-01-01", idNumber: "11010519800101018x", phone: "13800000000")
        let recorded = try Self.down(sameID).recorded(continuing: parent)
        #expect(recorded.patient.idNumber == "11010519800101018X")
        #expect(recorded.patient.phone == "13800000000")
        #expect(recorded.patient.name == "张三")
        let noID = Patient(name: "张三", sex: .male, birthDate: "1980-01-01")
        #expect(try Self.down(noID).recorded(continuing: parent).patient == parent.patient)
        for other in [
            Patient(name: "李四", sex: .female, birthDate: "1975-05-05"),
            Patient(name: "张三", sex: .male, birthDate: "1980-01-01", idNumber: "110105198001010059"),
            Patient(name: "张三", sex: .female, birthDate: "1980-01-01"),
        ] {
            #expect(
                throws: YilianError.ruleViolation(
                    "patient",
                    "The patient given is not the patient of R-000001, which this down-referral continues; leave the patient out to take theirs."
                )
            ) {
                try Self.down(other).recorded(continuing: parent)
            }
        }
    }
}
