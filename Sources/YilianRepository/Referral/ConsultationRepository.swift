import Foundation
import YilianCore
import YilianJSON
import YilianPostgres

extension ConsultationMachine.Status: PGRawText {}
extension ConsultationMachine.Mode: PGRawText {}

/// Consultations and their events (SPEC §7), read through the wall's functions (migration
/// 0034), which log the read: one that is not the user's hospitals' does not exist.
public enum ConsultationRepository {
    static let columns = columns(of: nil)

    /// The columns as `record` reads them, of the composite `source` (`(c.consultation)`) when named.
    static func columns(of source: String?) -> String {
        """
        id, alliance, specialty, from_hospital, to_hospital, mode, priority, patient, consent, diagnosis, question, attachments, referral,
        scheduled_at, opinions, conclusion, converted_to, decline_code, status, version, respond_by, first_response_at, answered_at,
        created_at, updated_at, patient_key, sender_identifier
        """.split(separator: ",").map { column in
            let name = column.trimmingCharacters(in: .whitespacesAndNewlines)
            return source.map { "\($0).\(name) AS \(name)" } ?? name
        }.joined(separator: ", ")
    }

    static func record(_ row: PGRow) throws -> ConsultationRecord {
        var record = ConsultationRecord(
            id: try row.decode("id"),
            request: ConsultationRequest(
                alliance: try row.decode("alliance"), from: try row.decode("from_hospital"), to: try row.decode("to_hospital"),
                mode: try row.decode("mode"), priority: try row.decode("priority"),
                patient: try row.decode("patient", as: PGJSON<Patient>.self).value,
                consent: try row.decode("consent"), diagnosis: try row.decode("diagnosis", as: PGJSON<[Diagnosis]>.self).value,
                question: try row.decode("question"), attachments: try row.decode("attachments", as: PGJSON<[Attachment]>.self).value,
                referral: try row.decodeIfPresent("referral")),
            specialty: try row.decode("specialty"), respondBy: try row.decode("respond_by"), now: try row.decode("created_at"))
        record.scheduledAt = try row.decodeIfPresent("scheduled_at")
        record.opinions = try row.decode("opinions", as: PGJSON<[Opinion]>.self).value
        record.conclusion = try row.decodeIfPresent("conclusion")
        record.convertedTo = try row.decodeIfPresent("converted_to")
        record.declineCode = try row.decodeIfPresent("decline_code", as: String.self).flatMap(DeclineReason.init(rawValue:))
        record.status = try row.decode("status")
        record.version = try row.decode("version")
        record.firstResponseAt = try row.decodeIfPresent("first_response_at")
        record.answeredAt = try row.decodeIfPresent("answered_at")
        record.updatedAt = try row.decode("updated_at")
        record.patient.key = try row.decodeIfPresent("patient_key")
        record.senderIdentifier = try row.decodeIfPresent("sender_identifier", as: PGJSON<SenderIdentifier>.self)?.value
        return record
    }

    /// Asks for a new consultation with its request event (seq 1) and, from FHIR, the sender
    /// system's identifier, through the wall's `yilian_api.request_consultation` (migrations 0026,
    /// 0051), which checks the caller, the members,
    /// the deadline and the referral it concerns, and numbers it (`C-000001`, …); returns its id.
    public static func insert(_ consultation: ConsultationRecord, request event: MachineEvent, on connection: DatabaseSession) async throws
        -> String
    {
        let c = consultation
        let rows = try await connection.query(
            "SELECT yilian_api.request_consultation($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) AS id",
            [
                c.alliance, c.from, c.to, c.mode, c.priority, PGJSON(c.patient), c.consent, PGJSON(c.diagnosis), c.question,
                PGJSON(c.attachments), c.referral, c.respondBy, c.createdAt, event.actor, c.senderIdentifier.map(PGJSON.init),
            ])
        return try rows[0].decode("id")
    }

    public static func get(_ id: String, as reading: Reading, on connection: DatabaseSession) async throws -> ConsultationRecord {
        let rows = try await connection.query(
            "SELECT \(columns) FROM yilian_api.consultation($1, $2, $3)", [reading.actor, reading.method, id])
        guard let row = rows.rows.first else { throw YilianError(.notFound, Text("error.consultationNotFound", id)) }
        return try record(row)
    }

    /// Carries out `command` on consultation `id` in one call of the wall's
    /// `yilian_api.consultation_action` (migration 0042), which decides what it does as
    /// `ConsultationMachine.transition` does and writes it with its event, at `expectedVersion`
    /// when one is given. Either answer is the consultation, logged as read; nil when this user may
    /// not see it.
    public static func act(
        _ id: String, _ command: ConsultationCommand, expectedVersion: Int?, by actor: Actor, at now: Date,
        on connection: DatabaseSession
    ) async throws -> Acted<ConsultationRecord>? {
        var reason: String?
        var declineCode: String?
        var scheduledAt: Date?
        var recommendation: String?
        var referral: String?
        switch command {
        case .accept(let note): reason = note
        case .decline(let code, let text): (declineCode, reason) = (code.rawValue, text)
        case .schedule(let at): scheduledAt = at
        case .opine(let summary, let recommended): (reason, recommendation) = (summary, recommended.rawValue)
        case .conclude(let conclusion): reason = conclusion
        case .cancel(let text): reason = text
        case .convert(let filed): referral = filed
        case .acknowledge, .expire: break
        }
        let rows = try await connection.queryFinishing(
            """
            SELECT x.refusal, x.refusal_code, \(columns(of: "(x.consultation)"))
            FROM yilian_api.consultation_action($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) x
            """,
            [
                id, command.action.rawValue, expectedVersion, actor == .system ? "system" : actor.tag, now, reason, declineCode,
                scheduledAt, recommendation, referral,
            ])
        return try Acted(rows, record: record)
    }

    public static func events(of consultation: String, as reading: Reading, on connection: DatabaseSession) async throws -> [MachineEvent] {
        try ReferralRepository.events(
            in: try await connection.query(
                ReferralRepository.eventsSQL(from: "yilian_api.consultation_events"), [reading.actor, reading.method, consultation]))
    }

    /// `consultation.list`'s page: consultations asked by or of `hospital`, in `statuses`, by id
    /// after `cursor` (logged as read for `actor`).
    public static func list(
        hospital: String?, statuses: [ConsultationMachine.Status]?, limit: Int, after cursor: String?, for actor: Actor,
        on connection: DatabaseSession
    ) async throws -> [ConsultationRecord] {
        let statement = listStatement(
            Reading("consultation.list", for: actor), hospital: hospital, statuses: statuses, limit: limit, after: cursor, openOnly: false)
        return try await connection.query(statement.sql, statement.parameters).rows.map(record)
    }

    /// `yilian_api.consultations`: a page of `consultation.list`, or (`openOnly`) the worklist's
    /// `consultations` section, the open consultations asked by or of `hospital`, those waiting
    /// for its acceptance first, then by respond-by time, each row with how many there are in
    /// all (`total`, counted before the limit).
    static func listStatement(
        _ reading: Reading, hospital: String?, statuses: [ConsultationMachine.Status]?, limit: Int, after cursor: String?, openOnly: Bool
    ) -> (sql: String, parameters: [any PGEncodable]) {
        (
            "SELECT c.total, \(columns(of: "(c.consultation)")) FROM yilian_api.consultations($1, $2, $3, $4, $5, $6, $7) c",
            [reading.actor, reading.method, hospital, statuses?.map(\.rawValue), cursor, limit, openOnly]
        )
    }

    /// Consultations a sweep at `now` may have to expire (`ConsultationMachine.due` decides).
    public static func due(at now: Date, on connection: DatabaseSession) async throws -> [String] {
        let rows = try await connection.query("SELECT id FROM yilian_api.due($1) WHERE kind = 'consultation'", [now])
        return try rows.rows.map { try $0.decode("id") }
    }
}
