import Foundation
import YilianCore
import YilianPostgres

/// What the commission plans from (SPEC §15): the burden table, the registry, and what the
/// alliances of each specialty offer, each read in one statement.
public enum PlanRepository {
    /// Replaces the rows of the years `rows` give, through the wall's `yilian_api.import_burden`
    /// (migration 0054); how many it wrote.
    public static func importBurden(_ rows: [BurdenRow], at now: Date, on connection: DatabaseSession) async throws -> Int {
        try await connection.query(
            "SELECT yilian_api.import_burden($1::text[], $2::text[], $3::int[], $4::int[], $5::float8[], $6) AS n",
            [
                rows.map(\.district), rows.map(\.specialty), rows.map { String($0.year) }, rows.map { String($0.cases) },
                rows.map { $0.incidence.map { String($0) } }, now,
            ])[0].decode("n")
    }

    /// The burden table as the planning reads it: the rows of a year, the years it holds, and its
    /// districts where no hospital is registered.
    public struct BurdenTable: Sendable {
        /// The year read (nil: the table is empty).
        public var year: Int?
        public var rows: [BurdenRow]
        public var years: [Int]
        public var unregistered: [String]
    }

    /// The burden of `year`, else of the latest year the table holds, through the wall's
    /// `yilian_api.burden` (the platform's administrator only; migration 0054), in one round trip.
    public static func burden(year: Int?, on connection: DatabaseSession) async throws -> BurdenTable {
        let rows = try await connection.query(
            "SELECT district, specialty, year, cases, incidence, years, unregistered FROM yilian_api.burden($1)", [year])
        // The first row holds the year and the table's figures; the others, its rows.
        guard let first = rows.rows.first else { return BurdenTable(year: year, rows: [], years: [], unregistered: []) }
        return BurdenTable(
            year: try first.decodeIfPresent("year"),
            rows: try rows.rows.dropFirst().map {
                BurdenRow(
                    district: try $0.decode("district"), specialty: try $0.decode("specialty"), year: try $0.decode("year"),
                    cases: try $0.decode("cases"), incidence: try $0.decodeIfPresent("incidence"))
            }, years: try first.decode("years"), unregistered: try first.decode("unregistered"))
    }

    /// Per specialty and district (`""`: registered without one): the hospitals there that are
    /// active members of an active alliance of the specialty, and the reserved slots they published
    /// for dates in `year`.
    public static func capacity(year: Int, on connection: DatabaseSession) async throws -> [Capacity] {
        let rows = try await connection.query(
            """
            WITH joined AS (
                SELECT DISTINCT a.specialty, m.hospital, coalesce(h.district, '') AS district
                FROM alliances a JOIN memberships m ON m.alliance = a.code AND m.status = 'active' JOIN hospitals h ON h.code = m.hospital
                WHERE a.status = 'active')
            SELECT j.specialty, j.district, count(*) AS members, coalesce(sum(s.capacity), 0) AS slots
            FROM joined j LEFT JOIN LATERAL (
                SELECT sum(capacity) AS capacity FROM slots x
                WHERE x.hospital = j.hospital AND x.specialty = j.specialty AND x.date >= make_date($1, 1, 1) AND x.date < make_date($1 + 1, 1, 1)
            ) s ON true
            GROUP BY j.specialty, j.district
            """, [year])
        return try rows.rows.map {
            Capacity(
                specialty: try $0.decode("specialty"), district: try $0.decode("district"), members: try $0.decode("members"),
                slots: try $0.decode("slots"))
        }
    }

    /// The active alliances' codes by specialty, the one with the most active members first (then
    /// by code).
    public static func alliances(on connection: DatabaseSession) async throws -> [String: [String]] {
        let rows = try await connection.query(
            """
            SELECT a.specialty, a.code FROM alliances a WHERE a.status = 'active'
            ORDER BY (SELECT count(*) FROM memberships m WHERE m.alliance = a.code AND m.status = 'active') DESC, a.code
            """)
        var bySpecialty: [String: [String]] = [:]
        for row in rows.rows { bySpecialty[try row.decode("specialty"), default: []].append(try row.decode("code")) }
        return bySpecialty
    }

    /// Every registered hospital.
    public static func hospitals(on connection: DatabaseSession) async throws -> [Hospital] {
        try await connection.query("SELECT \(HospitalRepository.columns) FROM hospitals ORDER BY code").rows.map(
            HospitalRepository.hospital)
    }
}
