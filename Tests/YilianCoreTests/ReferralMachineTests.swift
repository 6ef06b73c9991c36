import Testing
import YilianCore
import YilianJSON
import YilianTestSupport

/// Every referral status × every action × every party, for routine and emergency referrals.
@Suite struct ReferralMachineTests {
    typealias Status = ReferralMachine.Status
    typealias Action = ReferralMachine.Action
    typealias Party = ReferralMachine.Party

    static let parties = ReferralTable.parties
    static func expected(_ status: Status, _ action: Action, _ priority: Priority) -> Status? {
        ReferralTable.expected(status, action, priority)
    }

    static let cases: [(Status, Action, Party, Priority)] = Status.allCases.flatMap { status in
        Action.allCases.flatMap { action in
            [Party.sender, .receiver, .system].flatMap { party in [Priority.routine, .emergency].map { (status, action, party, $0) } }
        }
    }

    @Test(arguments: 0..<cases.count)
    func transition(index: Int) {
        let (status, action, party, priority) = Self.cases[index]
        var machine = ReferralMachine(status: status, priority: priority)
        do {
            let next = try machine.apply(action, by: party)
            #expect(party == Self.parties[action])
            #expect(next == Self.expected(status, action, priority))
            #expect(machine.status == next)
        } catch {
            #expect(machine.status == status)
            if party != Self.parties[action] {
                #expect(error.code == .forbidden)
            } else {
                #expect(Self.expected(status, action, priority) == nil)
                #expect(error.code == .invalidTransition)
                #expect(error.data["status"] == .string(status.rawValue))
                #expect(error.data["action"] == .string(action.rawValue))
                // Only what this party may do now.
                let allowed = Action.allCases.filter { Self.expected(status, $0, priority) != nil && Self.parties[$0] == party }
                #expect(error.data["allowed"] == .array(allowed.map { .string($0.rawValue) }))
            }
        }
    }

    @Test func terminalStatesAllowNothing() {
        for status in Status.allCases {
            #expect(status.isTerminal == [.rejected, .noShow, .closed, .cancelled, .expired].contains(status))
            if status.isTerminal { #expect(ReferralMachine.allowed(from: status, priority: .emergency).isEmpty) }
        }
    }

    @Test func cancelIsRefusedOnceInTreatment() {
        var machine = ReferralMachine(status: .inTreatment, priority: .routine)
        let error = #expect(throws: YilianError.self) { try machine.apply(.cancel, by: .sender) }
        #expect(error?.message == "A referral that is in treatment cannot be cancelled; there is nothing you can do on it now.")
    }

    @Test func fhirStatuses() {
        let expected: [Status: String] = [
            .requested: "requested", .infoRequested: "requested", .accepted: "accepted", .scheduled: "accepted",
            .inTreatment: "in-progress", .completed: "completed", .closed: "completed", .rejected: "rejected", .cancelled: "cancelled",
            .noShow: "failed", .expired: "failed",
        ]
        for status in Status.allCases { #expect(status.fhirStatus == expected[status]) }
    }
}

@Suite struct FilingRulesTests {
    static let today = CalendarDate("2026-11-23")!

    static func request(_ change: (inout ReferralRequest) -> Void = { _ in }) -> ReferralRequest {
        var request = ReferralRequest(
            alliance: "PAIN-BJ", from: "MYQYY", to: "ZRYY", direction: nil, setting: .outpatient, priority: .routine,
            patient: Patient(name: "张三", sex: .male, birthDate: "1980-01-01", idNumber: "110105198001010059", phone: "13800138000"),
            consent: true, diagnosis: [Diagnosis(code: "M79.2", name: "神经痛")], reason: "疼痛控制不佳")
        change(&request)
        return request
    }

    @Test func aGoodRequestHasNoProblems() {
        #expect(Self.request().problems(today: Self.today).isEmpty)
    }

    @Test func everyFieldProblemIsListedAtOnce() {
        let problems = Self.request {
            $0.patient = Patient(name: " ", sex: .female, birthDate: "2027-02-30", idNumber: "110105198001010051", phone: "abc")
            $0.diagnosis = [Diagnosis(code: "79.2", name: ""), Diagnosis(code: "M79.200x001", name: "肌筋膜疼痛")]
            $0.reason = ""
            $0.attachments = [Attachment(kind: .lab, title: "", reference: "")]
        }.problems(today: Self.today)
        #expect(
            problems == [
                Problem("patient.name", "must not be empty"),
                Problem("patient.birthDate", CalendarDate.rule),
                Problem("patient.idNumber", "has a wrong check digit (GB 11643)"),
                Problem("patient.phone", "must be a phone number (digits, spaces, + and -)"),
                Problem("diagnosis[0].code", "79.2 is not an ICD-10 code such as M79.2"),
                Problem("diagnosis[0].name", "must not be empty"),
                Problem("reason", "must not be empty"),
                Problem("attachments[0].title", "must not be empty"),
                Problem("attachments[0].reference", "must not be empty"),
            ])
    }

    @Test func theResidentIDMustMatchTheBirthDate() {
        let problems = Self.request { $0.patient?.birthDate = "1981-01-01" }.problems(today: Self.today)
        #expect(problems == [Problem("patient.idNumber", "holds a different birth date than patient.birthDate")])
        #expect(
            Self.request {
                $0.patient?.birthDate = "2030-01-01"
                $0.patient?.idNumber = nil
            }.problems(today: Self.today)
                == [Problem("patient.birthDate", "is in the future")])
    }

    @Test(
        arguments: [
            ("110105198001010059", nil), ("11010519800101018X", nil), ("110105198001010051", "has a wrong check digit (GB 11643)"),
            ("1101051980010100", "must have 18 characters"),
            ("1101051980010100AX", "must start with 17 digits"), ("110105198013010054", "has a wrong check digit (GB 11643)"),
            ("440524188001010014", "holds no valid birth date"),  // GB 11643's own example, born 1880: before 1900 (SPEC §10)
        ] as [(String, String?)])
    func residentIDs(number: String, problem: String?) {
        #expect(ResidentID.problem(number)?.description == problem)
    }

    @Test func masking() {
        #expect(ResidentID.mask("11010519800101018X") == "**************018X")
        #expect(Self.request().patient?.masked.idNumber == "**************0059")
    }

    /// A masked ID passes only with the key of a stored patient, which no request carries: a
    /// caller sending one, with a `key` member or not, is told the ID is wrong.
    @Test func aMaskedIDFromARequestIsRefused() throws {
        let json: JSONValue = ["name": "张三", "sex": "male", "birthDate": "1980-01-01", "idNumber": "**************018X", "key": "forged"]
        let patient = try Patient(json: json)
        #expect(patient.key == nil)
        var request = Self.request()
        request.patient = patient
        #expect(request.problems(today: CalendarDate("2026-12-01")!).map(\.path).contains("patient.idNumber"))
    }

    @Test(arguments: [
        ("M79.2", true), ("M79", true), ("U07.1", true), ("M79.200x001", true), ("m79.2", false), ("M7.2", false),
        ("M79.", false), ("M79-2", false), ("疼痛", false),
    ])
    func icd10(code: String, valid: Bool) {
        #expect(Referrals.isICD10(code) == valid)
    }

    @Test func directionByTierAndCore() {
        #expect(Referrals.direction(fromLevel: 1, toLevel: 3, toIsCore: false, fromIsCore: false) == .up)
        #expect(Referrals.direction(fromLevel: 3, toLevel: 3, toIsCore: true, fromIsCore: false) == .up)
        #expect(Referrals.direction(fromLevel: 3, toLevel: 2, toIsCore: false, fromIsCore: true) == .down)
        #expect(Referrals.direction(fromLevel: 3, toLevel: 3, toIsCore: false, fromIsCore: true) == nil)
        #expect(Referrals.direction(fromLevel: 2, toLevel: 2, toIsCore: false, fromIsCore: false) == nil)
    }

    @Test func calendarDates() {
        #expect(CalendarDate("2024-02-29") != nil)
        #expect(CalendarDate("2023-02-29") == nil)
        #expect(CalendarDate("2026-1-5") == nil)
        #expect(CalendarDate(daysSinceEpoch: 20_415).description == "2025-11-23")
        #expect(CalendarDate("2026-11-23")! > CalendarDate("2026-11-22")!)
    }
}
