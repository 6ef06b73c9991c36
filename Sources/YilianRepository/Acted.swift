import YilianPostgres

/// What the wall did with an action (`yilian_api.referral_action`, `consultation_action`): wrote it
/// (the record as it became), or refused it and wrote nothing (the record as it is, and what the
/// wall said). Either way the record was read, and the read logged as the action's.
public enum Acted<Record: Sendable>: Sendable {
    case written(Record)
    case refused(Record, Refusal)

    /// The answer of an action function (`refusal`, `refusal_code`, then the record's columns,
    /// which `record` reads); nil when it answered nothing: the caller may not see the record.
    init?(_ result: PGResult, record: (PGRow) throws -> Record) throws {
        guard let row = result.rows.first else { return nil }
        let current = try record(row)
        guard let message: String = try row.decodeIfPresent("refusal") else {
            self = .written(current)
            return
        }
        let code = try row.decodeIfPresent("refusal_code", as: String.self).map(SQLState.init(rawValue:))
        self = .refused(current, Refusal(code: code, message: message))
    }
}

/// Why the wall refused an action, as it said it.
public struct Refusal: Sendable {
    public enum Kind: Sendable { case noUnit, pastAppointment, other }
    public var kind: Kind
    /// As a database error (the wall's own sentence, in English, for the log), for a refusal the
    /// core cannot explain: the services say why in the reader's words.
    public var error: PGError

    init(code: SQLState?, message: String) {
        kind = code == .noUnit ? .noUnit : code == .pastAppointment ? .pastAppointment : .other
        error = PGError(.server, sqlState: code, message: message)
    }
}
