import Foundation
import YilianCore
import YilianJSON
import YilianPostgres

extension Hospital.Grade: PGCodable {
    public func pgText() -> String? { rawValue }
    public init(pgText text: String) throws {
        guard let value = Self(rawValue: text) else { throw PGError(.decoding, message: "unknown grade \(text)") }
        self = value
    }
}

extension Hospital.Kind: PGCodable {
    public func pgText() -> String? { rawValue }
    public init(pgText text: String) throws {
        guard let value = Self(rawValue: text) else { throw PGError(.decoding, message: "unknown kind \(text)") }
        self = value
    }
}

/// The hospital registry.
public enum HospitalRepository {
    static let columns = "code, name, level, grade, kind, district, beds, departments, facts"

    static func hospital(_ row: PGRow) throws -> Hospital {
        Hospital(
            code: try row.decode("code"), name: try row.decode("name"), level: try row.decode("level"),
            grade: try row.decode("grade"), kind: try row.decode("kind"), district: try row.decodeIfPresent("district"),
            beds: try row.decodeIfPresent("beds"), departments: try row.decode("departments"),
            facts: try row.decode("facts", as: PGJSON<JSONValue>.self).value)
    }

    public static func insert(_ hospital: Hospital, at time: Date, on connection: DatabaseSession) async throws {
        do {
            try await insertMany([hospital], at: time, on: connection)
        } catch let error as PGError where error.sqlState == .uniqueViolation {
            throw YilianError(.alreadyExists, Text("error.hospitalExists", hospital.code))
        }
    }

    /// Registers many hospitals in one call of the wall's `yilian_api.register_hospitals`
    /// (migration 0031; the platform's only), arrays unnested on the server.
    public static func insertMany(_ hospitals: [Hospital], at time: Date, on connection: DatabaseSession) async throws {
        try await connection.query(
            "SELECT yilian_api.register_hospitals($1::text[], $2::text[], $3::smallint[], $4::text[], $5::text[], $6::text[], $7::int[], $8::text[], $9::jsonb[], $10)",
            [
                hospitals.map(\.code), hospitals.map(\.name), hospitals.map(\.level), hospitals.map(\.grade.rawValue),
                hospitals.map(\.kind.rawValue), hospitals.map(\.district), hospitals.map(\.beds),
                hospitals.map { $0.departments.joined(separator: ";") }, hospitals.map { PGJSON($0.facts) }, time,
            ])
    }

    /// Which of `codes` are registered already.
    public static func existing(_ codes: [String], on connection: DatabaseSession) async throws -> Set<String> {
        let rows = try await connection.query("SELECT code FROM hospitals WHERE code = ANY($1::text[])", [codes])
        return Set(try rows.rows.map { try $0.decode("code", as: String.self) })
    }

    public static func find(_ code: String, on connection: DatabaseSession) async throws -> Hospital? {
        let rows = try await connection.query("SELECT \(columns) FROM hospitals WHERE code = $1", [code])
        return try rows.rows.first.map(hospital)
    }

    public static func get(_ code: String, on connection: DatabaseSession) async throws -> Hospital {
        guard let hospital = try await find(code, on: connection) else { throw notFound(code) }
        return hospital
    }

    public static func notFound(_ code: String) -> YilianError {
        YilianError(.notFound, Text("error.hospitalNotFound", code))
    }

    /// Of `codes` (given by a user), the first that no hospital has, as `not_found` naming the
    /// closest registered code (SPEC §3: a mistyped code is never a rule about it).
    public static func unknown(among codes: [String], on connection: DatabaseSession) async throws -> YilianError? {
        let known: [String] = try await connection.query("SELECT code FROM hospitals ORDER BY code").rows.map { try $0.decode("code") }
        guard let code = codes.first(where: { !known.contains($0) }) else { return nil }
        guard let closest = Codes.closest(to: code, among: known) else { return notFound(code) }
        return YilianError(.notFound, Text("error.hospitalNotFoundMaybe", code, closest))
    }

    /// A page of hospitals in code order, after `cursor` (the last code of the previous page).
    public static func list(
        level: Int?, district: String?, specialty: String?, limit: Int, after cursor: String?, on connection: DatabaseSession
    ) async throws -> [Hospital] {
        let rows = try await connection.query(
            """
            SELECT \(columns) FROM hospitals
            WHERE ($1::smallint IS NULL OR level = $1) AND ($2::text IS NULL OR district = $2)
              AND ($3::text IS NULL OR departments @> ARRAY[$3::text]) AND ($4::text IS NULL OR code > $4)
            ORDER BY code LIMIT $5
            """, [level, district, specialty, cursor, limit])
        return try rows.rows.map(hospital)
    }
}
