import Foundation
import YilianCore
import YilianJSON
import YilianPostgres

extension ReferralMachine.Status: PGCodable {
    public func pgText() -> String? { rawValue }
    public init(pgText text: String) throws {
        guard let value = Self(rawValue: text) else { throw PGError(.decoding, message: "unknown referral status \(text)") }
        self = value
    }
}

/// Enumerations stored as their raw text.
public protocol PGRawText: PGCodable, RawRepresentable where RawValue == String {}
extension PGRawText {
    public func pgText() -> String? { rawValue }
    public init(pgText text: String) throws {
        guard let value = Self(rawValue: text) else { throw PGError(.decoding, message: "unknown value \(text)") }
        self = value
    }
}
extension Priority: PGRawText {}
extension Direction: PGRawText {}
extension Setting: PGRawText {}

public enum ReferralRepository {
    /// A referral row's columns, in the order `columns` selects them: `record` reads them by
    /// position (a lookup by name per column and row was 7 % of a large worklist's time).
    enum Column: Int, CaseIterable {
        case id, alliance, specialty, direction, setting, priority, fromHospital, toHospital, patient, consent, diagnosis, reason
        case summary, attachments, parent, status, version, respondBy, clockStart, infoRequestedAt, slotDate, outcome, escalation
        case firstResponseAt, acceptedAt, rejectCode, scheduledAt, createdAt, updatedAt, slotExpert, consultation, patientKey
        case senderIdentifier, outreach

        /// The column's name in SQL: `fromHospital` → `from_hospital`.
        var name: String {
            String(String(describing: self).flatMap { $0.isUppercase ? ["_", Character($0.lowercased())] : [$0] })
        }
    }

    static let columns = columns(of: nil)

    /// The columns as `record` reads them, of the composite `source` (`(w.referral)`) when named.
    static func columns(of source: String?) -> String {
        Column.allCases.map { column in
            let name = source.map { "\($0).\(column.name)" } ?? column.name
            return column == .slotDate ? "\(name)::text AS slot_date" : name
        }.joined(separator: ", ")
    }

    /// The referral whose columns begin at column `first` of `row`.
    static func record(_ row: PGRow, from first: Int = 0) throws -> ReferralRecord {
        func value<T: PGDecodable>(_ column: Column, as type: T.Type = T.self) throws -> T { try row.decode(at: first + column.rawValue) }
        func optional<T: PGDecodable>(_ column: Column, as type: T.Type = T.self) throws -> T? {
            try row.decodeIfPresent(at: first + column.rawValue)
        }
        var record = ReferralRecord(
            request: ReferralRequest(
                alliance: try value(.alliance), from: try value(.fromHospital), to: try value(.toHospital), direction: nil,
                setting: try value(.setting), priority: try value(.priority), patient: nil, consent: try value(.consent), diagnosis: [],
                reason: try value(.reason), summary: try optional(.summary),
                attachments: try value(.attachments, as: PGJSON<[Attachment]>.self).value,
                parent: try optional(.parent)),
            patient: try value(.patient, as: PGJSON<Patient>.self).value,
            diagnosis: try value(.diagnosis, as: PGJSON<[Diagnosis]>.self).value,
            specialty: try value(.specialty), direction: try value(.direction), respondBy: try value(.respondBy), now: try value(.createdAt)
        )
        record.id = try value(.id)
        record.status = try value(.status)
        record.version = try value(.version)
        record.clockStart = try value(.clockStart)
        record.infoRequestedAt = try optional(.infoRequestedAt)
        record.slot = try optional(.slotDate, as: String.self).flatMap(CalendarDate.init)
        record.slotExpert = try value(.slotExpert)
        record.outcome = try optional(.outcome, as: PGJSON<TreatmentOutcome>.self)?.value
        record.escalation = try value(.escalation)
        record.firstResponseAt = try optional(.firstResponseAt)
        record.acceptedAt = try optional(.acceptedAt)
        record.rejectCode = try optional(.rejectCode, as: String.self).flatMap(RejectReason.init(rawValue:))
        record.scheduledAt = try optional(.scheduledAt)
        record.updatedAt = try value(.updatedAt)
        record.consultation = try optional(.consultation)
        record.patient.key = try optional(.patientKey)
        record.senderIdentifier = try optional(.senderIdentifier, as: PGJSON<SenderIdentifier>.self)?.value
        record.outreach = try optional(.outreach)
        return record
    }

    /// Files a new referral with its filing event (seq 1) and, from FHIR, the sender system's
    /// identifier, through the wall's `yilian_api.file_referral` (migrations 0025, 0051, 0053), which
    /// checks the caller, the members, the deadline and what it continues, and numbers it
    /// (`R-000001`, …); returns its id.
    public static func insert(_ referral: ReferralRecord, filing event: MachineEvent, on connection: DatabaseSession) async throws
        -> String
    {
        let rows = try await connection.query(
            """
            SELECT yilian_api.file_referral($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21) AS id
            """,
            [
                referral.alliance, referral.direction, referral.setting, referral.priority, referral.from, referral.to,
                PGJSON(referral.patient), referral.consent, PGJSON(referral.diagnosis), referral.reason, referral.summary,
                PGJSON(referral.attachments), referral.parent, referral.respondBy, referral.createdAt,
                event.actor, event.reason, event.details.map(PGJSON.init), referral.consultation,
                referral.senderIdentifier.map(PGJSON.init), referral.outreach,
            ])
        return try rows[0].decode("id")
    }

    /// The referral or consultation (`R-…`, `C-…`) the caller's hospital filed under the sending
    /// system's `identifier`, if any, through the wall's `yilian_api.sent_case` (migration 0051).
    public static func sentCase(_ identifier: SenderIdentifier, on connection: DatabaseSession) async throws -> String? {
        try await connection.query("SELECT yilian_api.sent_case($1, $2) AS id", [identifier.system, identifier.value])[0]
            .decodeIfPresent("id")
    }

    public static func get(_ id: String, as reading: Reading, on connection: DatabaseSession) async throws -> ReferralRecord {
        guard let record = try await find(id, as: reading, on: connection) else { throw notFound(id) }
        return record
    }

    /// The referral, or nil when there is none this user may see; the read is logged.
    public static func find(_ id: String, as reading: Reading, on connection: DatabaseSession) async throws -> ReferralRecord? {
        let rows = try await connection.query(
            "SELECT \(columns) FROM yilian_api.referral($1, $2, $3)", [reading.actor, reading.method, id])
        return try rows.rows.first.map { try record($0) }
    }

    static func notFound(_ id: String) -> YilianError { YilianError(.notFound, Text("error.referralNotFound", id)) }

    /// The referral as an action needs it: its stored state, with its alliance's response-time
    /// policy, in one round trip and without a lock (`save` writes only if it is still this). The
    /// read is logged as the action's (its result shows the referral).
    public static func withResponseHours(
        _ id: String, as reading: Reading, on connection: DatabaseSession
    ) async throws -> (referral: ReferralRecord, hours: ResponseHours) {
        let rows = try await connection.query(
            """
            SELECT \(columns), a.emergency_hours, a.urgent_hours, a.routine_hours FROM yilian_api.referral($1, $2, $3) r
            JOIN LATERAL (SELECT emergency_hours, urgent_hours, routine_hours FROM alliances WHERE code = r.alliance) a ON true
            """, [reading.actor, reading.method, id])
        guard let row = rows.rows.first else { throw notFound(id) }
        let hours = Column.allCases.count
        return (
            try record(row),
            ResponseHours(
                emergency: try row.decode(at: hours), urgent: try row.decode(at: hours + 1), routine: try row.decode(at: hours + 2))
        )
    }

    /// Carries out `command` on referral `id` in one call of the wall's
    /// `yilian_api.referral_action` (migration 0041), which decides what it does as
    /// `ReferralMachine.transition` does and writes it, all or nothing: the referral, its event and
    /// its slot changes at the receiver (only if every booking finds a unit), at `expectedVersion`
    /// when one is given. Either answer is the referral, logged as read; nil when this user may
    /// not see it.
    public static func act(
        _ id: String, _ command: ReferralCommand, expectedVersion: Int?, by actor: Actor, at now: Date, on connection: DatabaseSession
    ) async throws -> Acted<ReferralRecord>? {
        var reason: String?
        var rejectCode: String?
        var to: String?
        var date: String?
        var expert: Bool?
        var outcome: PGJSON<TreatmentOutcome>?
        switch command {
        case .accept(let note): reason = note
        case .reject(let code, let text): (rejectCode, reason) = (code.rawValue, text)
        case .requestInfo(let text), .provideInfo(let text), .cancel(let text): reason = text
        case .redirect(let hospital): to = hospital
        case .schedule(let day, let isExpert), .reschedule(let day, let isExpert): (date, expert) = (day, isExpert)
        case .complete(let result): outcome = PGJSON(result)
        case .arrive, .noShow, .acknowledge, .escalate, .expire: break
        }
        let rows = try await connection.queryFinishing(
            """
            SELECT x.refusal, x.refusal_code, \(columns(of: "(x.referral)"))
            FROM yilian_api.referral_action($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) x
            """,
            [
                id, command.action.rawValue, expectedVersion, actor == .system ? "system" : actor.tag, now, reason, rejectCode, to, date,
                expert, outcome,
            ])
        return try Acted(rows) { try record($0, from: 2) }
    }

    public static func events(of referral: String, as reading: Reading, on connection: DatabaseSession) async throws -> [MachineEvent] {
        try events(in: try await connection.query(eventsSQL, [reading.actor, reading.method, referral]))
    }

    /// The referral with its history and the referrals that continue it (down-referrals naming
    /// it as parent), read in one round trip.
    public static func withHistory(
        _ id: String, as reading: Reading, on connection: DatabaseSession
    ) async throws -> (referral: ReferralRecord, history: [MachineEvent], continuations: [String]) {
        let results = try await connection.queries([
            ("SELECT \(columns) FROM yilian_api.referral($1, $2, $3)", [reading.actor, reading.method, id]),
            (eventsSQL, [reading.actor, reading.method, id]), ("SELECT id FROM yilian_api.continuations($1) id", [id]),
        ])
        guard let row = results[0].rows.first else { throw notFound(id) }
        return (try record(row), try events(in: results[1]), try results[2].rows.map { try $0.decode("id") })
    }

    private static let eventsSQL = eventsSQL(from: "yilian_api.referral_events")

    /// A referral's or a consultation's events as `yilian_api.referral_events` and
    /// `consultation_events` return them, each actor with the display name the reader may see.
    static func events(in result: PGResult) throws -> [MachineEvent] {
        try result.rows.map {
            MachineEvent(
                seq: try $0.decode("seq"), action: try $0.decode("action"), fromStatus: try $0.decodeIfPresent("from_status"),
                toStatus: try $0.decode("to_status"), actor: try $0.decode("actor"), at: try $0.decode("at"),
                reason: try $0.decodeIfPresent("reason"), details: try $0.decodeIfPresent("details", as: PGJSON<JSONValue>.self)?.value,
                actorName: try $0.decodeIfPresent("actor_name"))
        }
    }

    /// The columns of `events(in:)` from an events function.
    static func eventsSQL(from function: String) -> String {
        """
        SELECT seq, action, from_status, to_status, actor, at, reason, details, yilian_api.display_name(actor) AS actor_name
        FROM \(function)($1, $2, $3)
        """
    }

    /// `referral.list`'s page (logged as read for `actor`).
    public static func list(
        _ filter: ReferralFilter, now: Date, limit: Int, after cursor: String?, for actor: Actor, on connection: DatabaseSession
    ) async throws -> [ReferralRecord] {
        let rows = try await connection.query(
            "SELECT \(columns) FROM yilian_api.referrals($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
            [
                Reading("referral.list", for: actor).actor, filter.alliance, filter.hospital, filter.side.rawValue,
                filter.statuses?.map(\.rawValue),
                filter.direction, filter.priority, filter.overdue, now, cursor, limit, filter.patient?.idNumber, filter.patient?.name,
                filter.patient?.birthDate,
            ])
        return try rows.rows.map { try record($0) }
    }

    /// The first open referral of `patient` (the same person: SPEC §2) from `from` to `to`. The
    /// sender is the caller, and `yilian_api.open_referrals` reads only the caller's own open
    /// referrals of the patient, each along an index holding patient and hospital as one value
    /// (migration 0039: a lookup must read nothing of another hospital's, which `EXPLAIN
    /// (ANALYZE, BUFFERS)` would count; and with the two as separate columns, a table not
    /// analyzed yet was read through the hospital's open referrals one by one, and filings slowed
    /// from 570/s to 120/s over 10,000); the receiver is matched here, among the few rows it returns.
    public static func openReferral(of patient: Patient, from: String, to: String, on connection: DatabaseSession) async throws -> String? {
        let rows = try await connection.query(
            "SELECT id, from_hospital, to_hospital FROM yilian_api.open_referrals($1, $2, $3, $4)",
            [patient.name, patient.sex.rawValue, patient.birthDate, patient.idNumber])
        return try rows.rows.filter { try $0.decode("from_hospital") == from && $0.decode("to_hospital") == to }.map {
            try $0.decode("id") as String
        }.min()
    }

    /// The key the database gives a whole resident ID (`Patient.key`), when the user's own
    /// hospital filed a referral or asked a consultation with it; else nil (a whole ID is
    /// compared with no other, migration 0035).
    public static func patientKey(of idNumber: String, on connection: DatabaseSession) async throws -> String? {
        try await connection.query("SELECT yilian_visible_patient_key($1) AS key", [idNumber])[0].decodeIfPresent("key")
    }

    /// A hospital's worklist as stored: each referral section's first `limit` referrals and how
    /// many it holds, and the open consultations (section `consultations`) likewise.
    public struct StoredWorklist: Sendable {
        public var sections: [String: (records: [ReferralRecord], total: Int)]
        public var consultations: (records: [ConsultationRecord], total: Int)
    }

    /// The worklist's referral sections, in the order `yilian_worklist_counts` counts them
    /// (their conditions and orders are `yilian_api.worklist`'s, migration 0034).
    static let sections = ["incoming", "outgoing", "overdue", "toSchedule", "expected", "inTreatment", "toAcknowledge"]

    /// A hospital's worklist (SPEC §2): each section's first `limit` referrals in its order and
    /// how many it holds, and its open consultations, in one round trip: whether the hospital
    /// exists, the counts, the sections (`yilian_api.worklist`) and the consultations, the two
    /// reads logged as one. JIT compilation is off for the transaction: it would compile the
    /// consultations' sort (tens of milliseconds). Unknown hospitals are `not_found`.
    public static func worklist(hospital: String, now: Date, limit: Int, for actor: Actor, on connection: DatabaseSession) async throws
        -> StoredWorklist
    {
        let reading = Reading("worklist.get", for: actor)
        let statements: [(sql: String, parameters: [any PGEncodable])] = [
            ("SELECT set_config('jit', 'off', true)", []),
            ("SELECT code FROM hospitals WHERE code = $1", [hospital]), ("SELECT * FROM yilian_worklist_counts($1, $2)", [hospital, now]),
            (
                "SELECT w.section, \(columns(of: "(w.referral)")) FROM yilian_api.worklist($1, $2, $3, $4) w",
                [reading.actor, hospital, now, limit]
            ),
            ConsultationRepository.listStatement(reading, hospital: hospital, statuses: nil, limit: limit, after: nil, openOnly: true),
        ]
        // Each result is decoded as soon as it arrives, while PostgreSQL reads the next. A
        // referral is often in two sections (overdue ones are incoming, completed ones outgoing
        // too): it is decoded once.
        let results = try await connection.queries(statements) {
            index, result -> (rows: Int, sections: [String: [ReferralRecord]], result: PGResult?) in
            guard index == 3 else { return (result.rowCount, [:], result) }
            var read: [String: ReferralRecord] = [:]
            var sections: [String: [ReferralRecord]] = [:]
            for row in result.rows {
                let id: String = try row.decode(at: Column.id.rawValue + 1)
                let record = try read[id] ?? record(row, from: 1)
                read[id] = record
                sections[try row.decode(at: 0), default: []].append(record)
            }
            return (result.rowCount, sections, nil)
        }
        guard results[1].rows == 1, let counts = results[2].result?.rows.first else { throw HospitalRepository.notFound(hospital) }
        let consultations = results[4].result?.rows ?? []
        var worklist = StoredWorklist(
            sections: [:],
            consultations: (try consultations.map { try ConsultationRepository.record($0) }, try consultations.first?.decode("total") ?? 0))
        for (index, section) in sections.enumerated() {
            // Counted a moment earlier: never fewer than were listed, whatever changed meanwhile.
            let counted: Int = try counts.decode(at: index)
            let listed = results[3].sections[section] ?? []
            worklist.sections[section] = (listed, max(counted, listed.count))
        }
        return worklist
    }

    /// Referrals a sweep at `now` may have to expire or escalate (`ReferralMachine.due` decides),
    /// among those this user may see.
    public static func due(at now: Date, on connection: DatabaseSession) async throws -> [String] {
        let rows = try await connection.query("SELECT id FROM yilian_api.due($1) WHERE kind = 'referral'", [now])
        return try rows.rows.map { try $0.decode("id") }
    }
}
