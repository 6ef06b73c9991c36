import Foundation
import YilianCore
import YilianJSON
import YilianPostgres

public enum SlotRepository {
    static let returning = "hospital, specialty, date::text AS date, capacity, booked, expert, expert_booked, total, published_at"

    /// The time zone and lead days of the hospital's alliance in that specialty (the first by
    /// code when several), else the defaults: `yilian_api.slot_policy`, which publishing uses too.
    public static func policy(hospital: String, specialty: String, on connection: DatabaseSession) async throws -> (
        timeZone: String, leadDays: Int
    ) {
        let row = try await connection.query("SELECT time_zone, lead_days FROM yilian_api.slot_policy($1, $2)", [hospital, specialty])[0]
        return (try row.decode("time_zone"), try row.decode("lead_days"))
    }

    /// Sets the capacity on every date, and the expert units and total when given (else a new
    /// date has 0 and none, a published one keeps its own), all or none: a date whose bookings
    /// would not fit is `capacity_exhausted`. Through the wall's `yilian_api.publish_slots`
    /// (migration 0030), which derives what counts as released early (at least the lead days
    /// after today in the alliance's time zone) from the publication time.
    public static func publish(
        hospital: String, specialty: String, dates: [CalendarDate], capacity: Int, expert: Int?, total: Int?, at now: Date,
        on connection: DatabaseSession
    ) async throws -> [PublishedSlot] {
        let days = dates.map(\.description)
        let existing = try await connection.query(
            "SELECT \(returning) FROM slots WHERE hospital = $1 AND specialty = $2 AND date = ANY($3::text[]::date[]) ORDER BY date",
            [hospital, specialty, days])
        var before: [String: Slot] = [:]
        for row in existing.rows {
            let slot = try slot(row)
            before[slot.date] = slot
        }
        let full = before.values.filter {
            let units = expert ?? $0.expert
            return $0.expertBooked > units || $0.booked - $0.expertBooked > capacity - units || units > capacity
        }.map(\.date).sorted()
        if !full.isEmpty {
            throw YilianError(.capacityExhausted, Text("error.slotsBooked", hospital, full.joined(separator: ", ")))
        }
        // A total kept from before must still hold the new capacity.
        if total == nil, before.values.contains(where: { ($0.total ?? Int.max) < capacity }) {
            throw YilianError.invalidParams([Problem("total", Text("problem.total"))])
        }
        let rows = try await connection.query(
            "SELECT \(returning) FROM yilian_api.publish_slots($1, $2, $3::text[]::date[], $4, $5, $6, $7)",
            [hospital, specialty, days, capacity, expert, total, now])
        return try rows.rows.map(slot).sorted { $0.date < $1.date }.map { slot in
            guard let old = before[slot.date] else { return PublishedSlot(change: "created", before: nil, slot: slot) }
            let same = (old.capacity, old.expert, old.total) == (slot.capacity, slot.expert, slot.total)
            return PublishedSlot(
                change: same ? "unchanged" : "changed",
                before: same ? nil : .init(capacity: old.capacity, expert: old.expert, total: old.total),
                slot: slot)
        }
    }

    static func slot(_ row: PGRow) throws -> Slot {
        let capacity: Int = try row.decode("capacity")
        let booked: Int = try row.decode("booked")
        return Slot(
            hospital: try row.decode("hospital"), specialty: try row.decode("specialty"), date: try row.decode("date"),
            capacity: capacity, booked: booked, available: capacity - booked, expert: try row.decode("expert"),
            expertBooked: try row.decode("expert_booked"), total: try row.decodeIfPresent("total"),
            publishedAt: try row.decode("published_at"))
    }

    public static func list(
        hospital: String?, specialty: String?, from: CalendarDate?, to: CalendarDate?, on connection: DatabaseSession
    ) async throws -> [Slot] {
        let rows = try await connection.query(
            """
            SELECT \(returning) FROM slots
            WHERE ($1::text IS NULL OR hospital = $1) AND ($2::text IS NULL OR specialty = $2)
              AND ($3::date IS NULL OR date >= $3::date) AND ($4::date IS NULL OR date <= $4::date)
            ORDER BY date, hospital, specialty LIMIT 1000
            """, [hospital, specialty, from?.description, to?.description])
        return try rows.rows.map(slot)
    }
}
