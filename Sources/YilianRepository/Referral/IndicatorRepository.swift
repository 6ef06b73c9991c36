import Foundation
import YilianCore
import YilianPostgres

/// Raw indicator counts of one group of referrals (the whole alliance, a sender, a receiver, a month).
public struct IndicatorCounts: Sendable, Equatable {
    public var referrals = 0
    public var upOutpatient = 0, upInpatient = 0, downOutpatient = 0, downInpatient = 0
    public var accepted = 0, rejected = 0
    public var medianHoursToFirstResponse: Double?
    public var overdue = 0
    public var scheduled = 0, noShow = 0
    public var completedUp = 0, closedLoop = 0
    public var rejectionReasons: [String: Int] = [:]
    public var slotsBooked = 0, slotsCapacity = 0

    public init() {}
}

/// Indicator queries: each one scan of the alliance's referrals in the period, grouped.
public enum IndicatorRepository {
    /// How referrals (and slots) are grouped. The cases map to fixed SQL expressions only.
    public enum Grouping: Sendable {
        case all, sender, receiver, month

        var referralKey: String {
            switch self {
            case .all: return "''"
            case .sender: return "r.from_hospital"
            case .receiver: return "r.to_hospital"
            case .month: return "to_char(r.created_at AT TIME ZONE 'UTC', 'YYYY-MM')"
            }
        }

        var slotKey: String {
            switch self {
            case .all, .sender: return "''"
            case .receiver: return "s.hospital"
            case .month: return "to_char(s.date, 'YYYY-MM')"
            }
        }
    }

    /// Counts per group key for referrals filed in [from, to) (UTC); slots dated in the same days.
    public static func counts(
        alliance: String, from: Date, to: Date, now: Date, grouping: Grouping, on connection: PGConnection
    ) async throws -> [String: IndicatorCounts] {
        var groups: [String: IndicatorCounts] = [:]
        let main = try await connection.query(
            """
            SELECT \(grouping.referralKey) AS key, count(*) AS referrals,
                count(*) FILTER (WHERE r.direction = 'up' AND r.setting = 'outpatient') AS up_out,
                count(*) FILTER (WHERE r.direction = 'up' AND r.setting = 'inpatient') AS up_in,
                count(*) FILTER (WHERE r.direction = 'down' AND r.setting = 'outpatient') AS down_out,
                count(*) FILTER (WHERE r.direction = 'down' AND r.setting = 'inpatient') AS down_in,
                count(r.accepted_at) AS accepted, count(r.reject_code) AS rejected,
                percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM r.first_response_at - r.created_at) / 3600) AS median_hours,
                count(*) FILTER (WHERE r.escalation > 0 OR r.first_response_at > r.created_at + r.response_window
                    OR (r.first_response_at IS NULL AND r.created_at + r.response_window < $4)) AS overdue,
                count(r.scheduled_at) AS scheduled, count(*) FILTER (WHERE r.status = 'no_show') AS no_show,
                count(*) FILTER (WHERE r.direction = 'up' AND r.status IN ('completed', 'closed')) AS completed_up,
                count(*) FILTER (WHERE r.direction = 'up' AND (r.status = 'closed' OR (r.status = 'completed' AND c.parent IS NOT NULL))) AS closed_loop
            FROM (SELECT r.*, make_interval(hours => CASE r.priority WHEN 'emergency' THEN a.emergency_hours
                          WHEN 'urgent' THEN a.urgent_hours ELSE a.routine_hours END) AS response_window
                  FROM referrals r JOIN alliances a ON a.code = r.alliance
                  WHERE r.alliance = $1 AND r.created_at >= $2 AND r.created_at < $3) r
            LEFT JOIN (SELECT DISTINCT parent FROM referrals WHERE alliance = $1 AND parent IS NOT NULL) c ON c.parent = r.id
            GROUP BY 1
            """, [alliance, from, to, now])
        for row in main.rows {
            var counts = IndicatorCounts()
            counts.referrals = try row.decode("referrals")
            counts.upOutpatient = try row.decode("up_out")
            counts.upInpatient = try row.decode("up_in")
            counts.downOutpatient = try row.decode("down_out")
            counts.downInpatient = try row.decode("down_in")
            counts.accepted = try row.decode("accepted")
            counts.rejected = try row.decode("rejected")
            counts.medianHoursToFirstResponse = try row.decodeIfPresent("median_hours")
            counts.overdue = try row.decode("overdue")
            counts.scheduled = try row.decode("scheduled")
            counts.noShow = try row.decode("no_show")
            counts.completedUp = try row.decode("completed_up")
            counts.closedLoop = try row.decode("closed_loop")
            groups[try row.decode("key")] = counts
        }
        let reasons = try await connection.query(
            """
            SELECT \(grouping.referralKey) AS key, r.reject_code, count(*) AS n FROM referrals r
            WHERE r.alliance = $1 AND r.created_at >= $2 AND r.created_at < $3 AND r.reject_code IS NOT NULL GROUP BY 1, 2
            """, [alliance, from, to])
        for row in reasons.rows {
            groups[try row.decode("key"), default: IndicatorCounts()].rejectionReasons[try row.decode("reject_code")] = try row.decode("n")
        }
        if grouping != .sender {
            let slots = try await connection.query(
                """
                SELECT \(grouping.slotKey) AS key, sum(s.booked) AS booked, sum(s.capacity) AS capacity
                FROM slots s JOIN memberships m ON m.hospital = s.hospital AND m.alliance = $1
                JOIN alliances a ON a.code = $1 AND a.specialty = s.specialty
                WHERE s.date >= ($2 AT TIME ZONE 'UTC')::date AND s.date < ($3 AT TIME ZONE 'UTC')::date GROUP BY 1
                """, [alliance, from, to])
            for row in slots.rows {
                let key: String = try row.decode("key")
                groups[key, default: IndicatorCounts()].slotsBooked = try row.decode("booked")
                groups[key, default: IndicatorCounts()].slotsCapacity = try row.decode("capacity")
            }
        }
        return groups
    }
}
