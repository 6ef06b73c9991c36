import YilianCore
import YilianPostgres

/// Reads the specialty catalog seeded by the first migration.
public enum SpecialtyRepository {
    public static func list(on connection: DatabaseSession) async throws -> [Specialty] {
        let rows = try await connection.query("SELECT code, name FROM specialties ORDER BY position")
        return try rows.rows.map { Specialty(code: try $0.decode("code"), name: try $0.decode("name")) }
    }

    /// Why each of `codes` that is not a catalog code is refused, keyed by it: a specialty's
    /// Chinese name (`疼痛科`) is pointed to its code.
    public static func unknown(_ codes: [String], on connection: DatabaseSession) async throws -> [String: Text] {
        guard !codes.isEmpty else { return [:] }
        let rows = try await connection.query(
            "SELECT code, name FROM specialties WHERE code = ANY($1::text[]) OR name = ANY($1::text[])", [codes])
        var known = Set<String>()
        var byName: [String: String] = [:]
        for row in rows.rows {
            let code: String = try row.decode("code")
            known.insert(code)
            byName[try row.decode("name")] = code
        }
        var unknown: [String: Text] = [:]
        for code in codes where !known.contains(code) {
            unknown[code] = byName[code].map { Text("problem.specialtyName", code, $0) } ?? Text("problem.specialtyUnknown", code)
        }
        return unknown
    }
}
