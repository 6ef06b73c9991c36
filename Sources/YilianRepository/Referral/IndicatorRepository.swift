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
    /// On a standby, the time of the last transaction it has replayed (what a report read there
    /// is as of; its start when it has replayed none yet); nil on the primary.
    public static func replayedAt(on connection: DatabaseSession) async throws -> Date? {
        try await connection.query(
            """
            SELECT CASE WHEN pg_is_in_recovery() THEN coalesce(pg_last_xact_replay_timestamp(), pg_postmaster_start_time()) END AS at
            """
        )[0].decodeIfPresent("at")
    }

    /// How referrals (and slots) are grouped.
    public enum Grouping: Sendable, CaseIterable {
        case all, sender, receiver, month
        /// By 互认 catalogue item (`recognition`).
        case item
    }

    /// Counts per grouping and group key for referrals filed from the day `first` to the day `last`
    /// (inclusive) in the alliance's time zone; slots dated in the same days. `months` adds the
    /// month grouping (months of that time zone).
    public static func counts(
        alliance: String, first: CalendarDate, last: CalendarDate, now: Date, months: Bool, on connection: DatabaseSession
    ) async throws -> [Grouping: [String: IndicatorCounts]] {
        let from = first.description
        let to = last.description
        var groups: [Grouping: [String: IndicatorCounts]] = [:]
        /// GROUPING(from, to, month) is a bit mask of the columns *not* grouped by; without
        /// `months` the month group is one of NULL, ignored.
        func grouping(_ row: PGRow) throws -> (Grouping, String)? {
            switch try row.decode("grouping_set", as: Int.self) {
            case 3: return (.sender, try row.decode("from_hospital"))
            case 5: return (.receiver, try row.decode("to_hospital"))
            case 6: return months ? (.month, try row.decode("month")) : nil
            default: return (.all, "")
            }
        }
        // The counts are computed by the database as its owner (sql/0023): a user reads no
        // referral of other hospitals one by one.
        let main = try await connection.query(
            "SELECT * FROM yilian_referral_indicators($1, $2, $3, $4, $5)", [alliance, from, to, now, months])
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
            guard let (kind, key) = try grouping(row) else { continue }
            groups[kind, default: [:]][key] = counts
        }
        let reasons = try await connection.query("SELECT * FROM yilian_rejection_indicators($1, $2, $3, $4)", [alliance, from, to, months])
        for row in reasons.rows {
            guard let (kind, key) = try grouping(row) else { continue }
            groups[kind, default: [:]][key, default: IndicatorCounts()].rejectionReasons[try row.decode("reject_code")] = try row.decode(
                "n")
        }
        let slots = try await connection.query(
            """
            SELECT GROUPING(s.hospital, s.month) AS grouping_set, s.hospital, s.month, sum(s.booked) AS booked, sum(s.capacity) AS capacity,
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
            let kind: Grouping
            let key: String
            switch try row.decode("grouping_set", as: Int.self) {
            case 1: (kind, key) = (.receiver, try row.decode("hospital"))
            case 2: (kind, key) = (.month, try row.decode("month"))
            default: (kind, key) = (.all, "")
            }
            // The () set over no slots is one row of NULL sums.
            groups[kind, default: [:]][key, default: IndicatorCounts()].slotsBooked = try row.decodeIfPresent("booked") ?? 0
            groups[kind, default: [:]][key, default: IndicatorCounts()].slotsCapacity = try row.decodeIfPresent("capacity") ?? 0
            groups[kind, default: [:]][key, default: IndicatorCounts()].slotsExpert = try row.decodeIfPresent("expert") ?? 0
            groups[kind, default: [:]][key, default: IndicatorCounts()].slotsEarly = try row.decodeIfPresent("early") ?? 0
            groups[kind, default: [:]][key, default: IndicatorCounts()].slotsCapacityWithTotal =
                try row.decodeIfPresent("capacity_with_total") ?? 0
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
            "SELECT * FROM yilian_consultation_indicators($1, $2, $3)", [alliance, first.description, last.description])
        var groups: [Grouping: [String: ConsultationCounts]] = [:]
        for row in rows.rows {
            let counts = ConsultationCounts(
                asked: try row.decode("asked"), answered: try row.decode("answered"),
                medianHoursToFirstResponse: try row.decodeIfPresent("median_hours"),
                answeredInTime: try row.decode("answered_in_time"), converted: try row.decode("converted"))
            // GROUPING(from, to) is a bit mask of the columns not grouped by.
            switch try row.decode("grouping_set", as: Int.self) {
            case 1: groups[.sender, default: [:]][try row.decode("from_hospital")] = counts
            case 2: groups[.receiver, default: [:]][try row.decode("to_hospital")] = counts
            default: groups[.all, default: [:]][""] = counts
            }
        }
        return groups
    }
}

extension IndicatorRepository {
    /// The results (lab and imaging attachments) of referrals filed from the day `first` to the
    /// day `last` and how many the alliance recognised (SPEC §13): in all (key ""), by sending
    /// member (`.sender`), by catalogue item (`.item`; key "" for results naming none). One scan.
    public static func recognition(
        alliance: String, first: CalendarDate, last: CalendarDate, on connection: DatabaseSession
    ) async throws -> [Grouping: [String: (results: Int, recognized: Int)]] {
        let rows = try await connection.query(
            "SELECT * FROM yilian_recognition_indicators($1, $2, $3)", [alliance, first.description, last.description])
        var groups: [Grouping: [String: (results: Int, recognized: Int)]] = [:]
        for row in rows.rows {
            let counts = (results: try row.decode("results", as: Int.self), recognized: try row.decode("recognized", as: Int.self))
            // GROUPING(hospital, item) is a bit mask of the columns not grouped by.
            switch try row.decode("grouping_set", as: Int.self) {
            case 1: groups[.sender, default: [:]][try row.decode("hospital")] = counts
            case 2: groups[.item, default: [:]][try row.decodeIfPresent("item") ?? ""] = counts
            default: groups[.all, default: [:]][""] = counts
            }
        }
        return groups
    }
}

/// Outreach sessions held in a period and their live bookings: in all, per site and per expert.
public struct OutreachCounts: Sendable {
    public typealias Count = (sessions: Int, patients: Int)
    public var all: Count = (0, 0)
    public var bySite: [String: Count] = [:]
    public var byExpert: [String: Count] = [:]
    /// The experts' display names, where set.
    public var names: [String: String] = [:]
}

extension IndicatorRepository {
    /// The alliance's outreach sessions held from the day `first` to the day `last` (SPEC §14).
    public static func outreach(alliance: String, first: CalendarDate, last: CalendarDate, on connection: DatabaseSession) async throws
        -> OutreachCounts
    {
        let rows = try await connection.query(
            "SELECT o.*, yilian_api.display_name(o.expert) AS name FROM yilian_outreach_indicators($1, $2, $3) o",
            [alliance, first.description, last.description])
        var counts = OutreachCounts()
        for row in rows.rows {
            let count = (sessions: try row.decode("sessions", as: Int.self), patients: try row.decode("patients", as: Int.self))
            // GROUPING(site, expert) is a bit mask of the columns not grouped by.
            switch try row.decode("grouping_set", as: Int.self) {
            case 1: counts.bySite[try row.decode("site")] = count
            case 2:
                let expert: String = try row.decode("expert")
                counts.byExpert[expert] = count
                counts.names[expert] = try row.decodeIfPresent("name")
            default: counts.all = count
            }
        }
        return counts
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
