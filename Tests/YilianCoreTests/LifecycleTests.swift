import Testing
import YilianCore

/// Every application status × every action × both parties.
@Suite struct ApplicationMachineTests {
    typealias Status = ApplicationMachine.Status
    typealias Action = ApplicationMachine.Action

    /// The expected new status; nil means `invalid_transition` for the rightful party.
    static let table: [Status: [Action: Status]] = [
        .submitted: [.approve: .approved, .reject: .rejected, .requestInfo: .infoRequested, .withdraw: .withdrawn],
        .infoRequested: [.update: .submitted, .withdraw: .withdrawn],
        .approved: [:], .rejected: [:], .withdrawn: [:],
    ]

    static let cases: [(Status, Action, ApplicationMachine.Party)] = Status.allCases.flatMap { status in
        Action.allCases.flatMap { action in [(status, action, .applicant), (status, action, .core)] }
    }

    @Test(arguments: 0..<cases.count)
    func transition(index: Int) {
        let (status, action, party) = Self.cases[index]
        var machine = ApplicationMachine(status: status)
        let rightful = ApplicationMachine.party(for: action)
        do {
            let next = try machine.apply(action, by: party)
            #expect(party == rightful)
            #expect(next == Self.table[status]?[action])
            #expect(machine.status == next)
        } catch {
            #expect(machine.status == status)
            if party != rightful {
                #expect(error.code == .forbidden)
            } else {
                #expect(Self.table[status]?[action] == nil)
                #expect(error.code == .invalidTransition)
                #expect(error.data["status"] == .string(status.rawValue))
                #expect(error.data["action"] == .string(action.rawValue))
                #expect(error.data["allowed"] == .array(ApplicationMachine.allowed(from: status).map { .string($0.rawValue) }))
            }
        }
    }

    @Test func allowedListsMatchTheTable() {
        for status in Status.allCases {
            #expect(Set(ApplicationMachine.allowed(from: status)) == Set(Self.table[status]!.keys))
        }
    }

    @Test(arguments: [Decision.incomplete, .ineligible])
    func approvalNeedsEligibleOrAnOverride(decision: Decision) throws {
        var machine = ApplicationMachine(status: .submitted)
        let error = #expect(throws: YilianError.self) { try machine.apply(.approve, by: .core, decision: decision) }
        #expect(error?.code == .ruleViolation)
        #expect(error?.data["rule"] == "eligibility")
        #expect(
            error?.message == "The application is \(decision.rawValue); approving it needs the decision eligible or an override reason.")
        #expect(throws: YilianError.self) { try machine.apply(.approve, by: .core, decision: decision, override: "   ") }
        #expect(try machine.apply(.approve, by: .core, decision: decision, override: "区卫健委特批") == .approved)
    }

    @Test func messagesAreOneSentence() {
        var machine = ApplicationMachine(status: .approved)
        let error = #expect(throws: YilianError.self) { try machine.apply(.withdraw, by: .applicant) }
        #expect(error?.message == "An application that is approved cannot be withdrawn; allowed: nothing.")
        let forbidden = #expect(throws: YilianError.self) { try machine.apply(.approve, by: .applicant) }
        #expect(forbidden?.message == "Only the alliance's core hospital may approve an application.")
    }
}

/// Every membership status × every action.
@Suite struct MembershipMachineTests {
    typealias Status = MembershipMachine.Status
    static let table: [Status: [MembershipMachine.Action: Status]] = [
        .active: [.suspend: .suspended, .revoke: .revoked],
        .suspended: [.reinstate: .active, .revoke: .revoked],
        .withdrawn: [:], .revoked: [:],
    ]

    @Test(arguments: Status.allCases, MembershipMachine.Action.allCases)
    func transition(status: Status, action: MembershipMachine.Action) throws {
        var machine = MembershipMachine(status: status)
        if let expected = Self.table[status]?[action] {
            #expect(try machine.apply(action) == expected)
        } else {
            let error = #expect(throws: YilianError.self) { try machine.apply(action) }
            #expect(error?.code == .invalidTransition)
            #expect(error?.data["allowed"] == .array(MembershipMachine.allowed(from: status).map { .string($0.rawValue) }))
            #expect(machine.status == status)
        }
    }

    @Test func applyingIsAllowedOnlyWhenNotAMember() {
        #expect(MembershipMachine.mayApply(from: nil))
        #expect(MembershipMachine.mayApply(from: .withdrawn))
        #expect(MembershipMachine.mayApply(from: .revoked))
        #expect(!MembershipMachine.mayApply(from: .active))
        #expect(!MembershipMachine.mayApply(from: .suspended))
    }
}

@Suite struct HospitalRulesTests {
    @Test(arguments: [
        ("ZRYY", true), ("PAIN-BJ", true), ("A1", true), ("-AB", false), ("A", false), ("zryy", false),
        ("中日", false), (String(repeating: "A", count: 32), true), (String(repeating: "A", count: 33), false),
    ])
    func codes(code: String, valid: Bool) {
        #expect(Codes.isValid(code) == valid)
    }

    @Test func registrationProblems() {
        let hospital = Hospital(code: "bad", name: " ", level: 4, beds: -1, facts: [1])
        #expect(hospital.problems.map(\.path) == ["code", "name", "level", "beds", "facts"])
    }

    @Test func rolesRequireLevels() {
        #expect(MemberRole.allCases.map(\.requiredLevel) == [3, 3, 2, 1])
    }

    @Test func theRegistryOverridesSubmittedFactsForWhatItRecords() {
        let hospital = Hospital(
            code: "MYQYY", name: "密云区医院", level: 2, grade: .A, district: "密云区", departments: ["pain"],
            facts: ["labMutualRecognition": true])
        let facts = hospital.evaluationFacts(submitted: ["level": 3, "seniorPhysicians": ["pain": 4], "labMutualRecognition": false])
        #expect(facts["level"] == 2)
        #expect(facts["grade"] == "A")
        #expect(facts["district"] == "密云区")
        #expect(facts["departments"] == ["pain"])
        #expect(facts["seniorPhysicians"] == ["pain": 4])
        #expect(facts["labMutualRecognition"] == false)  // submitted facts update the registered ones
        #expect(facts["beds"] == nil)
    }
}
