import YilianCore
import YilianPostgres

/// Reads the specialty catalog seeded by the first migration.
public enum SpecialtyRepository {
    public static func list(on connection: DatabaseSession) async throws -> [Specialty] {
        let rows = try await connection.query("SELECT code, name FROM specialties ORDER BY position")
        return try rows.rows.map { Specialty(code: try $0.decode("code"), name: try $0.decode("name")) }
    }
}
