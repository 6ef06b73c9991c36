import Foundation
import YilianCore
import YilianJSON
import YilianPostgres

/// Expert outreach and multi-site practice (SPEC §14): every change is one call of the wall's
/// function (migration 0053), which checks who, duty and move and decides; what it refuses comes
/// back as the reason's word (`OutreachRefusal`).
public enum OutreachRepository {
    static let practiceColumns =
        """
        alliance, expert, yilian_api.display_name(expert) AS expert_name, title, specialty, site, filing_number, \
        valid_from::text AS valid_from, valid_until::text AS valid_until, registered_by, registered_at
        """
    static let sessionColumns =
        """
        id, alliance, expert, yilian_api.display_name(expert) AS expert_name, site, specialty, date::text AS date, kind, capacity, booked, \
        published_by, published_at
        """
    static let bookingColumns = "session, number, patient, booked_by, booked_at, cancelled_by, cancelled_at"

    /// The wall's refusal of a change, or nil when the error is another.
    public static func refusal(_ error: any Error) -> OutreachRefusal? {
        guard let error = error as? PGError, error.sqlState == .outreachRefused else { return nil }
        return error.detail.flatMap(OutreachRefusal.init(rawValue:))
    }

    public static func register(
        alliance: String, expert: String, title: ExpertTitle, specialty: String, site: String, filingNumber: String,
        validFrom: String, validUntil: String, at now: Date, actor: String, on connection: DatabaseSession
    ) async throws -> PracticeRecord {
        let rows = try await connection.query(
            "SELECT \(practiceColumns) FROM yilian_api.register_practice($1, $2, $3, $4, $5, $6, $7::date, $8::date, $9, $10)",
            [alliance, expert, title.rawValue, specialty, site, filingNumber, validFrom, validUntil, now, actor])
        return try practice(rows[0])
    }

    public static func practices(alliance: String?, expert: String?, site: String?, on connection: DatabaseSession) async throws
        -> [PracticeRecord]
    {
        let rows = try await connection.query(
            """
            SELECT \(practiceColumns) FROM practice_records
            WHERE ($1::text IS NULL OR alliance = $1) AND ($2::text IS NULL OR expert = $2) AND ($3::text IS NULL OR site = $3)
            ORDER BY alliance, expert, site, valid_from LIMIT 1000
            """, [alliance, expert, site])
        return try rows.rows.map(practice)
    }

    public static func publish(
        alliance: String, expert: String, site: String, date: String, kind: OutreachKind, capacity: Int, at now: Date, actor: String,
        on connection: DatabaseSession
    ) async throws -> OutreachSession {
        let rows = try await connection.query(
            "SELECT \(sessionColumns) FROM yilian_api.publish_outreach($1, $2, $3, $4::date, $5, $6, $7, $8)",
            [alliance, expert, site, date, kind.rawValue, capacity, now, actor])
        return try session(rows[0])
    }

    public static func book(session: String, patient: Patient, at now: Date, actor: String, on connection: DatabaseSession) async throws
        -> OutreachBooking
    {
        let rows = try await connection.query(
            "SELECT \(bookingColumns) FROM yilian_api.book_outreach($1, $2, $3, $4)", [session, PGJSON(patient.booked), now, actor])
        return try booking(rows[0])
    }

    public static func cancel(session: String, booking number: Int, at now: Date, actor: String, on connection: DatabaseSession)
        async throws -> OutreachBooking
    {
        let rows = try await connection.query(
            "SELECT \(bookingColumns) FROM yilian_api.cancel_outreach($1, $2, $3, $4)", [session, number, now, actor])
        return try booking(rows[0])
    }

    /// Sessions held from `from` to `to` (at most 1000, by date), each with its bookings when the
    /// reader may see them (the read of those logged, as `reading`), in one round trip.
    public static func sessions(
        alliance: String?, expert: String?, site: String?, from: CalendarDate?, to: CalendarDate?, as reading: Reading,
        on connection: DatabaseSession
    ) async throws -> [OutreachSession] {
        let rows = try await connection.query(
            """
            WITH listed AS (
                SELECT \(sessionColumns) FROM outreach_sessions
                WHERE ($1::text IS NULL OR alliance = $1) AND ($2::text IS NULL OR expert = $2) AND ($3::text IS NULL OR site = $3)
                  AND ($4::date IS NULL OR date >= $4::date) AND ($5::date IS NULL OR date <= $5::date)
                ORDER BY date, id LIMIT 1000),
            shown AS (SELECT * FROM yilian_api.outreach_bookings($6, $7, ARRAY(SELECT id FROM listed)))
            SELECT l.*, b.number, b.patient, b.booked_by, b.booked_at, b.cancelled_by, b.cancelled_at, b.session
            FROM listed l LEFT JOIN shown b ON b.session = l.id ORDER BY l.date, l.id, b.number
            """, [alliance, expert, site, from?.description, to?.description, reading.actor, reading.method])
        var sessions: [OutreachSession] = []
        for row in rows.rows {
            if sessions.last?.id != (try row.decode("id", as: String.self)) { sessions.append(try session(row)) }
            guard try row.decodeIfPresent("session", as: String.self) != nil else { continue }
            sessions[sessions.count - 1].bookings = (sessions[sessions.count - 1].bookings ?? []) + [try booking(row)]
        }
        return sessions
    }

    static func practice(_ row: PGRow) throws -> PracticeRecord {
        guard let title = ExpertTitle(rawValue: try row.decode("title")) else {
            throw PGError(.decoding, message: "a practice record's title is not one Yilian knows")
        }
        return PracticeRecord(
            alliance: try row.decode("alliance"), expert: try row.decode("expert"), expertName: try row.decodeIfPresent("expert_name"),
            title: title, specialty: try row.decode("specialty"),
            site: try row.decode("site"), filingNumber: try row.decode("filing_number"), validFrom: try row.decode("valid_from"),
            validUntil: try row.decode("valid_until"), registeredBy: try row.decode("registered_by"),
            registeredAt: try row.decode("registered_at"))
    }

    static func session(_ row: PGRow) throws -> OutreachSession {
        guard let kind = OutreachKind(rawValue: try row.decode("kind")) else {
            throw PGError(.decoding, message: "an outreach session's kind is not one Yilian knows")
        }
        return OutreachSession(
            id: try row.decode("id"), alliance: try row.decode("alliance"), expert: try row.decode("expert"),
            expertName: try row.decodeIfPresent("expert_name"), site: try row.decode("site"),
            specialty: try row.decode("specialty"), date: try row.decode("date"), kind: kind, capacity: try row.decode("capacity"),
            booked: try row.decode("booked"), publishedBy: try row.decode("published_by"), publishedAt: try row.decode("published_at"))
    }

    static func booking(_ row: PGRow) throws -> OutreachBooking {
        OutreachBooking(
            session: try row.decode("session"), number: try row.decode("number"),
            patient: try row.decode("patient", as: PGJSON<Patient>.self).value, bookedBy: try row.decode("booked_by"),
            bookedAt: try row.decode("booked_at"), cancelledBy: try row.decodeIfPresent("cancelled_by"),
            cancelledAt: try row.decodeIfPresent("cancelled_at"))
    }
}
