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

    /// The burden of `year`, else of the latest year the table holds; with that year (nil: empty).
    public static func burden(year: Int?, on connection: DatabaseSession) async throws -> (year: Int?, rows: [BurdenRow]) {
        let rows = try await connection.query(
            """
            SELECT district, specialty, year, cases, incidence FROM burden
            WHERE year = coalesce($1::int, (SELECT max(year) FROM burden)) ORDER BY specialty, district
            """, [year])
        let burden = try rows.rows.map {
            BurdenRow(
                district: try $0.decode("district"), specialty: try $0.decode("specialty"), year: try $0.decode("year"),
                cases: try $0.decode("cases"), incidence: try $0.decodeIfPresent("incidence"))
        }
        return (burden.first?.year ?? year, burden)
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

    /// The years the burden table holds, and its districts where no hospital is registered.
    public static func coverage(on connection: DatabaseSession) async throws -> (years: [Int], unregistered: [String]) {
        let row = try await connection.query(
            """
            SELECT ARRAY(SELECT DISTINCT year FROM burden ORDER BY year) AS years,
                   ARRAY(SELECT DISTINCT b.district FROM burden b
                         WHERE NOT EXISTS (SELECT FROM hospitals h WHERE h.district = b.district) ORDER BY b.district) AS unregistered
            """)[0]
        return (try row.decode("years"), try row.decode("unregistered"))
    }

    /// Every registered hospital.
    public static func hospitals(on connection: DatabaseSession) async throws -> [Hospital] {
        try await connection.query("SELECT \(HospitalRepository.columns) FROM hospitals ORDER BY code").rows.map(
            HospitalRepository.hospital)
    }
}
