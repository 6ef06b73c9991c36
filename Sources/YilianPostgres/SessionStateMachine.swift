/// Where a session is, as a value: the transaction it is in, the statements it holds back for
/// the next round trip, and the session state (the role its statements run as) wanted and in
/// effect. Events come in as calls; what the connection must do comes out as their results. No
/// libpq here, so every state × event is tested without a server (`SessionStateMachineTests`);
/// `PGConnection` does what it says.
struct SessionStateMachine: Equatable {
    /// One statement to send: values as text parameters; transaction control is sent unnamed,
    /// everything else is prepared once per session.
    struct Statement: Equatable {
        var sql: String
        var parameters: [String?]
        var control = false
    }

    enum Transaction: Equatable {
        case none
        /// Begun, no statement sent yet: the `BEGIN` goes out with the first one, in one round trip.
        case pending(begin: String)
        case open
        /// The connection broke inside the transaction: every further statement of it fails, and
        /// the session is renewed only once the transaction has ended (never mid-transaction,
        /// which would run the rest of it on its own, outside the transaction).
        case broken
    }

    private(set) var transaction = Transaction.none
    /// Statements of the open transaction whose results nobody reads (`execute`), not sent yet.
    private(set) var deferred: [Statement] = []
    /// The statement that puts the session in the state the next statements need, and the one in
    /// effect (nil: unknown).
    private(set) var wanted: Statement?
    private(set) var applied: Statement?

    /// What the connection does before it sends anything.
    enum Check: Equatable {
        /// Fails: the transaction's connection broke.
        case fail
        /// Sends on the connection as it is: a transaction is open on it, and a break must fail it.
        case useAsIs
        /// Renews the session first if the connection was lost meanwhile.
        case renewIfLost
    }

    var beforeSending: Check {
        switch transaction {
        case .broken: .fail
        case .open: .useAsIs
        case .none, .pending: .renewIfLost
        }
    }

    /// A transaction starts: its `BEGIN` waits for the first statement.
    mutating func begin(_ isolation: String) { transaction = .pending(begin: "BEGIN ISOLATION LEVEL \(isolation)") }

    /// The session state the next statements need.
    mutating func want(_ state: Statement) { wanted = state }

    /// A statement whose result is not needed: inside a transaction it is held for the next round
    /// trip (true); outside one the connection runs it at once (false).
    mutating func execute(_ statement: Statement) -> Bool {
        switch transaction {
        case .pending, .open:
            deferred.append(statement)
            return true
        case .none, .broken:
            return false
        }
    }

    /// What goes out before the caller's statements: the `BEGIN` not sent yet, the session state
    /// when it is not the one in effect, and the held statements, in order. The transaction is
    /// open from here on. The state is sent after the `BEGIN` (which must come first to set its
    /// isolation level), never later inside an open transaction: it began in the state it needs,
    /// and one that failed must receive nothing but its `ROLLBACK`.
    mutating func unsent() -> [Statement] {
        var statements: [Statement] = []
        let opening = transaction != .open && transaction != .broken
        if case .pending(let begin) = transaction {
            statements.append(Statement(sql: begin, parameters: [], control: true))
            transaction = .open
        }
        if let wanted, wanted != applied, opening {
            statements.append(wanted)
            applied = wanted
        }
        statements += deferred
        deferred = []
        return statements
    }

    /// The connection was lost under a round trip: an open transaction is broken; the state in
    /// effect is unknown.
    mutating func lost() {
        applied = nil
        if transaction == .open { transaction = .broken }
    }

    /// A round trip failed otherwise: the state may have been sent with what failed, and undone with it.
    mutating func failed() { applied = nil }

    /// The session was replaced by a new one: nothing of the old one's state is in effect.
    mutating func renewed() { applied = nil }

    /// What ending the transaction takes.
    enum Ending: Equatable {
        /// Nothing to send (no transaction, or one that ran nothing and holds nothing to commit).
        case nothing
        /// Committing a transaction whose connection broke: none of it was committed.
        case fail
        /// Send the held statements and `COMMIT`, in one round trip.
        case commit
        /// Send `ROLLBACK`.
        case rollback
    }

    /// The transaction ends (committed when `commit`); the session is then out of it, whatever
    /// the connection does next.
    mutating func end(commit: Bool) -> Ending {
        let ending: Ending
        switch transaction {
        case .none: ending = .nothing
        case .broken: ending = commit ? .fail : .nothing
        case .pending: ending = commit && !deferred.isEmpty ? .commit : .nothing
        case .open: ending = commit ? .commit : .rollback
        }
        if ending == .rollback { (deferred, applied) = ([], nil) }
        return ending
    }

    /// The transaction is over (committed, rolled back or failed).
    mutating func ended() { (transaction, deferred) = (.none, []) }

    /// A statement sent with the commit (`queryCommitting`): alone outside a transaction, failing
    /// in a broken one, else with the held statements and the `COMMIT`.
    enum Committing: Equatable { case alone, fail, withCommit }

    var committing: Committing {
        switch transaction {
        case .none: .alone
        case .broken: .fail
        case .pending, .open: .withCommit
        }
    }

    /// A commit's statement failed, so its `COMMIT` did not run: the connection rolls back, and
    /// the state in effect is unknown.
    mutating func commitFailed() { applied = nil }
}
