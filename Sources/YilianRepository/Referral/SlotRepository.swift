import YilianCore
import YilianJSON
import YilianPostgres

/// Reserved capacity per (hospital, specialty, date).
public struct Slot: Sendable, Equatable, Codable {
    public var hospital: String
    public var specialty: String
    public var date: String
    public var capacity: Int
    public var booked: Int
    public var available: Int
}

public enum SlotRepository {
    /// Sets the capacity; refuses to go below what is booked.
    public static func publish(
        hospital: String, specialty: String, date: CalendarDate, capacity: Int, on connection: DatabaseSession
    ) async throws -> Slot {
        let rows = try await connection.query(
            """
            INSERT INTO slots (hospital, specialty, date, capacity) VALUES ($1, $2, $3::date, $4)
            ON CONFLICT (hospital, specialty, date) DO UPDATE SET capacity = $4 WHERE slots.booked <= $4
            RETURNING hospital, specialty, date::text AS date, capacity, booked
            """, [hospital, specialty, date.description, capacity])
        guard let row = rows.rows.first else {
            let booked = try await connection.query(
                "SELECT booked FROM slots WHERE hospital = $1 AND specialty = $2 AND date = $3::date", [hospital, specialty, date.description])
            let count = try booked.rows.first?.decode("booked", as: Int.self) ?? 0
            throw YilianError(
                .capacityExhausted,
                "\(hospital) has \(count) referral(s) booked for \(specialty) on \(date); the capacity cannot be lowered below that.")
        }
        return try slot(row)
    }

    static func slot(_ row: PGRow) throws -> Slot {
        let capacity: Int = try row.decode("capacity"), booked: Int = try row.decode("booked")
        return Slot(hospital: try row.decode("hospital"), specialty: try row.decode("specialty"), date: try row.decode("date"),
                    capacity: capacity, booked: booked, available: capacity - booked)
    }

    public static func list(
        hospital: String?, specialty: String?, from: CalendarDate?, to: CalendarDate?, on connection: DatabaseSession
    ) async throws -> [Slot] {
        let rows = try await connection.query(
            """
            SELECT hospital, specialty, date::text AS date, capacity, booked FROM slots
            WHERE ($1::text IS NULL OR hospital = $1) AND ($2::text IS NULL OR specialty = $2)
              AND ($3::date IS NULL OR date >= $3::date) AND ($4::date IS NULL OR date <= $4::date)
            ORDER BY date, hospital, specialty LIMIT 1000
            """, [hospital, specialty, from?.description, to?.description])
        return try rows.rows.map(slot)
    }
}
