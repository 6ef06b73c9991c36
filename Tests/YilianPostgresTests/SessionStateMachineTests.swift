import Testing

@testable import YilianPostgres

/// The session's state machine step by step, without a server: every transaction state × event.
@Suite struct SessionStateMachineTests {
    typealias Machine = SessionStateMachine
    typealias Statement = SessionStateMachine.Statement

    static let role = Statement(sql: "SELECT set_config('role', $1, false)", parameters: ["li@ZRYY"])
    static let other = Statement(sql: "SELECT set_config('role', $1, false)", parameters: ["wang@MYQYY"])
    static let write = Statement(sql: "SELECT yilian_api.act($1)", parameters: ["R-000001"])
    static let begin = Statement(sql: "BEGIN ISOLATION LEVEL READ COMMITTED", parameters: [], control: true)

    /// A machine in each transaction state, with the role wanted and (but for `none`) in effect.
    static func machine(_ state: Machine.Transaction) -> Machine {
        var machine = Machine()
        machine.want(role)
        switch state {
        case .none:
            break
        case .pending:
            machine.begin("READ COMMITTED")
        case .open:
            machine.begin("READ COMMITTED")
            _ = machine.unsent()
        case .broken:
            machine.begin("READ COMMITTED")
            _ = machine.unsent()
            machine.lost()
        }
        return machine
    }

    static let states: [Machine.Transaction] = [.none, .pending(begin: "BEGIN ISOLATION LEVEL READ COMMITTED"), .open, .broken]

    @Test(arguments: states)
    func whatIsCheckedBeforeSending(_ state: Machine.Transaction) {
        let machine = Self.machine(state)
        #expect(machine.transaction == state)
        switch state {
        case .none, .pending: #expect(machine.beforeSending == .renewIfLost)
        case .open: #expect(machine.beforeSending == .useAsIs)
        case .broken: #expect(machine.beforeSending == .fail)
        }
    }

    @Test func theBeginTheRoleAndTheHeldStatementsGoOutTogetherOnce() {
        var machine = Self.machine(.pending(begin: Self.begin.sql))
        let result1 = machine.execute(Self.write)
        #expect(result1)
        let result2 = machine.unsent()
        #expect(result2 == [Self.begin, Self.role, Self.write])
        #expect(machine.transaction == .open && machine.applied == Self.role)
        // Open: nothing more goes out before the next statement, not even a changed role.
        machine.want(Self.other)
        let result3 = machine.unsent()
        #expect(result3 == [])
        let result4 = machine.execute(Self.write)
        #expect(result4)
        let result5 = machine.unsent()
        #expect(result5 == [Self.write])
    }

    @Test func outsideATransactionTheRoleGoesOutOnlyWhenItChanged() {
        var machine = Self.machine(.none)
        let result6 = machine.execute(Self.write)
        #expect(!result6)
        let result7 = machine.unsent()
        #expect(result7 == [Self.role])
        let result8 = machine.unsent()
        #expect(result8 == [])
        machine.want(Self.other)
        let result9 = machine.unsent()
        #expect(result9 == [Self.other])
        // After an error the role in effect is unknown: it is sent again.
        machine.failed()
        let result10 = machine.unsent()
        #expect(result10 == [Self.other])
        machine.renewed()
        let result11 = machine.unsent()
        #expect(result11 == [Self.other])
        machine.lost()
        let result12 = machine.unsent()
        #expect(result12 == [Self.other])
        machine.commitFailed()
        let result13 = machine.unsent()
        #expect(result13 == [Self.other])
    }

    @Test(arguments: states)
    func aHeldStatementWaitsOnlyInsideATransaction(_ state: Machine.Transaction) {
        var machine = Self.machine(state)
        let held = machine.execute(Self.write)
        switch state {
        case .pending, .open: #expect(held && machine.deferred == [Self.write])
        case .none, .broken: #expect(!held && machine.deferred == [])
        }
    }

    @Test(arguments: states, [false, true])
    func endingATransaction(_ state: Machine.Transaction, commit: Bool) {
        var machine = Self.machine(state)
        let ending = machine.end(commit: commit)
        switch (state, commit) {
        case (.none, _), (.broken, false), (.pending, _): #expect(ending == .nothing)
        case (.broken, true): #expect(ending == .fail)
        case (.open, true): #expect(ending == .commit)
        case (.open, false): #expect(ending == .rollback && machine.applied == nil)
        }
        // Still in it while the ending is sent (a break then must fail it, not renew the session).
        #expect(machine.transaction == state)
        machine.ended()
        #expect(machine.transaction == .none && machine.deferred == [])
    }

    @Test func aTransactionThatRanNothingCommitsItsHeldStatements() {
        var machine = Self.machine(.pending(begin: Self.begin.sql))
        _ = machine.execute(Self.write)
        #expect(machine.end(commit: true) == .commit)
        let result14 = machine.unsent()
        #expect(result14 == [Self.begin, Self.role, Self.write])
    }

    @Test(arguments: states)
    func aStatementSentWithTheCommit(_ state: Machine.Transaction) {
        let committing = Self.machine(state).committing
        switch state {
        case .none: #expect(committing == .alone)
        case .pending, .open: #expect(committing == .withCommit)
        case .broken: #expect(committing == .fail)
        }
    }

    @Test(arguments: states)
    func aLostConnectionBreaksOnlyAnOpenTransaction(_ state: Machine.Transaction) {
        var machine = Self.machine(state)
        machine.lost()
        #expect(machine.transaction == (state == .open ? .broken : state))
        #expect(machine.applied == nil)
    }
}
