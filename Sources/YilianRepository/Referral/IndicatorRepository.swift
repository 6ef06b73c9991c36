import Foundation
import YilianCore
import YilianJSON
import YilianPostgres

/// Raw indicator counts of one group of referrals (the whole alliance, a sender, a receiver, a month).
public struct IndicatorCounts: Sendable, Equatable {
    public var referrals = 0
    /// Filed, by direction and setting.
    public var upOutpatient = 0, upInpatient = 0, downOutpatient = 0, downInpatient = 0
    /// Transferred: the patient arrived (in treatment, completed or closed).
    public var upOutpatientArrived = 0, upInpatientArrived = 0, downOutpatientArrived = 0, downInpatientArrived = 0
    public var accepted = 0, rejected = 0
    public var medianHoursToFirstResponse: Double?
    public var overdue = 0
    public var scheduled = 0, noShow = 0
    public var completedUp = 0, closedLoop = 0
    public var rejectionReasons: [String: Int] = [:]
    public var slotsBooked = 0, slotsCapacity = 0
    /// The Beijing rule: expert units, units released early, and the capacity and total of the
    /// dates whose total was given.
    public var slotsExpert = 0, slotsEarly = 0, slotsCapacityWithTotal = 0, slotsTotal = 0

    public init() {}
}

/// Indicator queries: one scan of the alliance's referrals in the period computes every grouping
/// at once (GROUPING SETS).
public enum IndicatorRepository {
    /// How referrals (and slots) are grouped.
    public enum Grouping: Sendable, CaseIterable {
        case all, sender, receiver, month
    }

    /// Counts per grouping and group key for referrals filed from the day `first` to the day `last`
    /// (inclusive) in the alliance's time zone; slots dated in the same days. `months` adds the
    /// month grouping (months of that time zone).
    public static func counts(
        alliance: String, first: CalendarDate, last: CalendarDate, now: Date, months: Bool, on connection: DatabaseSession
    ) async throws -> [Grouping: [String: IndicatorCounts]] {
        let from = first.description, to = last.description
        // Fixed text only: the month grouping set is present or not. Without it, month may be
        // neither selected nor named in GROUPING(), and the mask is made the same shape.
        let sets = "(), (r.from_hospital), (r.to_hospital)" + (months ? ", (r.month)" : "")
        let mask = months ? "GROUPING(r.from_hospital, r.to_hospital, r.month)" : "GROUPING(r.from_hospital, r.to_hospital) * 2 + 1"
        // Grouped by the truncated timestamp; only the output rows are formatted (to_char on every
        // referral cost ~90 ms at 100,000 referrals).
        let month = months ? "to_char(r.month, 'YYYY-MM') AS month" : "NULL::text AS month"
        var groups: [Grouping: [String: IndicatorCounts]] = [:]
        // The grouping sets sort the period's referrals several times: in memory, not on disk.
        // Local to the caller's transaction.
        try await connection.query("SELECT set_config('work_mem', '64MB', true)")
        /// GROUPING(from, to, month) is a bit mask of the columns *not* grouped by.
        func grouping(_ row: PGRow) throws -> (Grouping, String) {
            switch try row.decode("grouping", as: Int.self) {
            case 3: return (.sender, try row.decode("from_hospital"))
            case 5: return (.receiver, try row.decode("to_hospital"))
            case 6: return (.month, try row.decode("month"))
            default: return (.all, "")
            }
        }
        let referrals = """
            (SELECT r.*, date_trunc('month', r.created_at AT TIME ZONE a.time_zone) AS month,
                    r.status IN ('in_treatment', 'completed', 'closed') AS arrived,
                    make_interval(hours => CASE r.priority WHEN 'emergency' THEN a.emergency_hours
                        WHEN 'urgent' THEN a.urgent_hours ELSE a.routine_hours END) AS response_window
             FROM referral_facts r JOIN alliances a ON a.code = r.alliance
             WHERE r.alliance = $1 AND r.created_at >= $2::date::timestamp AT TIME ZONE a.time_zone
               AND r.created_at < ($3::date + 1)::timestamp AT TIME ZONE a.time_zone) r
            """
        let main = try await connection.query(
            """
            SELECT \(mask) AS grouping, r.from_hospital, r.to_hospital, \(month), count(*) AS referrals,
                count(*) FILTER (WHERE r.direction = 'up' AND r.setting = 'outpatient') AS up_out,
                count(*) FILTER (WHERE r.direction = 'up' AND r.setting = 'inpatient') AS up_in,
                count(*) FILTER (WHERE r.direction = 'down' AND r.setting = 'outpatient') AS down_out,
                count(*) FILTER (WHERE r.direction = 'down' AND r.setting = 'inpatient') AS down_in,
                count(*) FILTER (WHERE r.arrived AND r.direction = 'up' AND r.setting = 'outpatient') AS up_out_arrived,
                count(*) FILTER (WHERE r.arrived AND r.direction = 'up' AND r.setting = 'inpatient') AS up_in_arrived,
                count(*) FILTER (WHERE r.arrived AND r.direction = 'down' AND r.setting = 'outpatient') AS down_out_arrived,
                count(*) FILTER (WHERE r.arrived AND r.direction = 'down' AND r.setting = 'inpatient') AS down_in_arrived,
                count(r.accepted_at) AS accepted, count(r.reject_code) AS rejected,
                percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM r.first_response_at - r.created_at) / 3600) AS median_hours,
                count(*) FILTER (WHERE r.escalation > 0 OR r.first_response_at > r.created_at + r.response_window
                    OR (r.first_response_at IS NULL AND r.created_at + r.response_window < $4)) AS overdue,
                count(r.scheduled_at) AS scheduled, count(*) FILTER (WHERE r.status = 'no_show') AS no_show,
                count(*) FILTER (WHERE r.direction = 'up' AND r.status IN ('completed', 'closed')) AS completed_up,
                count(*) FILTER (WHERE r.direction = 'up' AND (r.status = 'closed' OR (r.status = 'completed' AND c.parent IS NOT NULL))) AS closed_loop
            FROM \(referrals)
            LEFT JOIN (SELECT DISTINCT parent FROM referral_facts WHERE alliance = $1 AND parent IS NOT NULL) c ON c.parent = r.id
            GROUP BY GROUPING SETS (\(sets))
            """, [alliance, from, to, now])
        for row in main.rows {
            var counts = IndicatorCounts()
            counts.referrals = try row.decode("referrals")
            counts.upOutpatient = try row.decode("up_out")
            counts.upInpatient = try row.decode("up_in")
            counts.downOutpatient = try row.decode("down_out")
            counts.downInpatient = try row.decode("down_in")
            counts.upOutpatientArrived = try row.decode("up_out_arrived")
            counts.upInpatientArrived = try row.decode("up_in_arrived")
            counts.downOutpatientArrived = try row.decode("down_out_arrived")
            counts.downInpatientArrived = try row.decode("down_in_arrived")
            counts.accepted = try row.decode("accepted")
            counts.rejected = try row.decode("rejected")
            counts.medianHoursToFirstResponse = try row.decodeIfPresent("median_hours")
            counts.overdue = try row.decode("overdue")
            counts.scheduled = try row.decode("scheduled")
            counts.noShow = try row.decode("no_show")
            counts.completedUp = try row.decode("completed_up")
            counts.closedLoop = try row.decode("closed_loop")
            let (kind, key) = try grouping(row)
            groups[kind, default: [:]][key] = counts
        }
        let reasonSets = "(r.reject_code), (r.from_hospital, r.reject_code), (r.to_hospital, r.reject_code)"
            + (months ? ", (r.month, r.reject_code)" : "")
        let reasons = try await connection.query(
            """
            SELECT \(mask) AS grouping, r.from_hospital, r.to_hospital, \(month), r.reject_code, count(*) AS n
            FROM (SELECT r.from_hospital, r.to_hospital, r.reject_code, date_trunc('month', r.created_at AT TIME ZONE a.time_zone) AS month
                  FROM referral_facts r JOIN alliances a ON a.code = r.alliance
                  WHERE r.alliance = $1 AND r.created_at >= $2::date::timestamp AT TIME ZONE a.time_zone
                    AND r.created_at < ($3::date + 1)::timestamp AT TIME ZONE a.time_zone AND r.reject_code IS NOT NULL) r
            GROUP BY GROUPING SETS (\(reasonSets))
            """, [alliance, from, to])
        for row in reasons.rows {
            let (kind, key) = try grouping(row)
            groups[kind, default: [:]][key, default: IndicatorCounts()].rejectionReasons[try row.decode("reject_code")] = try row.decode("n")
        }
        let slots = try await connection.query(
            """
            SELECT GROUPING(s.hospital, s.month) AS grouping, s.hospital, s.month, sum(s.booked) AS booked, sum(s.capacity) AS capacity,
                sum(s.expert) AS expert, sum(s.early) AS early, sum(s.capacity) FILTER (WHERE s.total IS NOT NULL) AS capacity_with_total,
                sum(s.total) AS total
            FROM (SELECT s.*, to_char(s.date, 'YYYY-MM') AS month FROM slots s
                  JOIN memberships m ON m.hospital = s.hospital AND m.alliance = $1
                  JOIN alliances a ON a.code = $1 AND a.specialty = s.specialty
                  WHERE s.date >= $2::date AND s.date <= $3::date) s
            GROUP BY GROUPING SETS ((), (s.hospital), (s.month))
            """, [alliance, from, to])
        for row in slots.rows {
            // GROUPING(hospital, month): 3 = total, 1 = by hospital, 2 = by month.
            let kind: Grouping, key: String
            switch try row.decode("grouping", as: Int.self) {
            case 1: (kind, key) = (.receiver, try row.decode("hospital"))
            case 2: (kind, key) = (.month, try row.decode("month"))
            default: (kind, key) = (.all, "")
            }
            // The () set over no slots is one row of NULL sums.
            groups[kind, default: [:]][key, default: IndicatorCounts()].slotsBooked = try row.decodeIfPresent("booked") ?? 0
            groups[kind, default: [:]][key, default: IndicatorCounts()].slotsCapacity = try row.decodeIfPresent("capacity") ?? 0
            groups[kind, default: [:]][key, default: IndicatorCounts()].slotsExpert = try row.decodeIfPresent("expert") ?? 0
            groups[kind, default: [:]][key, default: IndicatorCounts()].slotsEarly = try row.decodeIfPresent("early") ?? 0
            groups[kind, default: [:]][key, default: IndicatorCounts()].slotsCapacityWithTotal = try row.decodeIfPresent("capacity_with_total") ?? 0
            groups[kind, default: [:]][key, default: IndicatorCounts()].slotsTotal = try row.decodeIfPresent("total") ?? 0
        }
        return groups
    }

    /// Consultations asked from the day `first` to the day `last` (inclusive, the alliance's time
    /// zone), for the whole alliance (key ""), by requesting hospital (`.sender`) and by consulting
    /// hospital (`.receiver`): how many, answered, the median hours to the first response,
    /// answered within the response window, converted to a referral. One scan.
    public static func consultations(
        alliance: String, first: CalendarDate, last: CalendarDate, on connection: DatabaseSession
    ) async throws -> [Grouping: [String: ConsultationCounts]] {
        let rows = try await connection.query(
            """
            SELECT GROUPING(c.from_hospital, c.to_hospital) AS grouping, c.from_hospital, c.to_hospital,
                count(*) AS asked, count(c.answered_at) AS answered,
                percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM c.first_response_at - c.created_at) / 3600) AS median_hours,
                count(*) FILTER (WHERE c.answered_at <= c.respond_by + (c.respond_by - c.created_at)) AS answered_in_time,
                count(c.converted_to) AS converted
            FROM consultation_facts c JOIN alliances a ON a.code = c.alliance
            WHERE c.alliance = $1 AND c.created_at >= $2::date::timestamp AT TIME ZONE a.time_zone
              AND c.created_at < ($3::date + 1)::timestamp AT TIME ZONE a.time_zone
            GROUP BY GROUPING SETS ((), (c.from_hospital), (c.to_hospital))
            """, [alliance, first.description, last.description])
        var groups: [Grouping: [String: ConsultationCounts]] = [:]
        for row in rows.rows {
            let counts = ConsultationCounts(
                asked: try row.decode("asked"), answered: try row.decode("answered"), medianHoursToFirstResponse: try row.decodeIfPresent("median_hours"),
                answeredInTime: try row.decode("answered_in_time"), converted: try row.decode("converted"))
            // GROUPING(from, to) is a bit mask of the columns not grouped by.
            switch try row.decode("grouping", as: Int.self) {
            case 1: groups[.sender, default: [:]][try row.decode("from_hospital")] = counts
            case 2: groups[.receiver, default: [:]][try row.decode("to_hospital")] = counts
            default: groups[.all, default: [:]][""] = counts
            }
        }
        return groups
    }
}

/// Raw counts of an alliance's consultations in a period.
public struct ConsultationCounts: Sendable, Equatable {
    public static let none = ConsultationCounts(asked: 0, answered: 0, medianHoursToFirstResponse: nil, answeredInTime: 0, converted: 0)
    public var asked: Int, answered: Int
    public var medianHoursToFirstResponse: Double?
    /// Answered within twice the response window of its priority (before it would expire).
    public var answeredInTime: Int
    public var converted: Int
}
