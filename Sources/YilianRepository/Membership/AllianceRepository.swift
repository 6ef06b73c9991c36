import Foundation
import YilianCore
import YilianJSON
import YilianPostgres

/// An alliance as stored, with its members.
public struct AllianceRecord: Sendable, Equatable {
    public var code: String
    public var name: String
    public var specialty: String
    public var core: String
    public var status: String
    public var criteriaVersion: Int
    /// Its 互认 catalogue's current version (0: none yet), and that version when asked for
    /// (`get(_:withCatalogue:)`; else, or when none, empty).
    public var recognitionVersion: Int
    public var recognition: RecognitionCatalogue
    public var responseHours: ResponseHours
    /// IANA name (`Asia/Shanghai`): reports, slot dates and "today" are cut in it.
    public var timeZone: String
    /// Slots published at least this many days before their date count as released early.
    public var slotLeadDays: Int
    /// The slot rule its report shows (none by default).
    public var slotRule: SlotRule?
    public var members: [AllianceMember]
}

extension MemberRole: PGCodable {
    public func pgText() -> String? { rawValue }
    public init(pgText text: String) throws {
        guard let value = Self(rawValue: text) else { throw PGError(.decoding, message: "unknown role \(text)") }
        self = value
    }
}

extension MembershipMachine.Status: PGCodable {
    public func pgText() -> String? { rawValue }
    public init(pgText text: String) throws {
        guard let value = Self(rawValue: text) else { throw PGError(.decoding, message: "unknown membership status \(text)") }
        self = value
    }
}

public enum AllianceRepository {
    /// Creates the alliance with its core as first member (event `create`) through the wall's
    /// `yilian_api.create_alliance` (migration 0027), which only the platform may call.
    public static func insert(
        code: String, name: String, specialty: String, core: String, responseHours: ResponseHours, timeZone: String, slotLeadDays: Int,
        slotRule: SlotRule?, at time: Date, by actor: String, on connection: DatabaseSession
    ) async throws {
        do {
            try await connection.query(
                "SELECT yilian_api.create_alliance($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
                [
                    code, name, specialty, core, responseHours.emergency, responseHours.urgent, responseHours.routine, timeZone,
                    slotLeadDays, slotRule?.rawValue, time, actor,
                ])
        } catch let error as PGError where error.sqlState == .uniqueViolation {
            throw YilianError(.alreadyExists, Text("error.allianceExists", code))
        }
    }

    /// The alliance with its members and their levels (and `withCatalogue`, its current 互认
    /// catalogue, which only a filing decides by), read in one round trip.
    public static func get(_ code: String, withCatalogue: Bool = false, on connection: DatabaseSession) async throws -> AllianceRecord {
        let catalogue = """
            SELECT v.document FROM recognition_versions v JOIN alliances a ON a.code = v.alliance AND a.recognition_version = v.version
            WHERE v.alliance = $1
            """
        let results = try await connection.queries(
            [
                (
                    """
                    SELECT code, name, specialty, core, status, criteria_version, recognition_version, emergency_hours, urgent_hours,
                           routine_hours, time_zone, slot_lead_days, slot_rule
                    FROM alliances WHERE code = $1
                    """, [code]
                ),
                (
                    """
                    SELECT m.hospital, m.role, m.status, m.since, h.level FROM memberships m JOIN hospitals h ON h.code = m.hospital
                    WHERE m.alliance = $1
                    ORDER BY CASE m.role WHEN 'core' THEN 0 WHEN 'collaborating' THEN 1 WHEN 'cooperating' THEN 2 ELSE 3 END, m.hospital
                    """, [code]
                ),
            ] + (withCatalogue ? [(catalogue, [code])] : []))
        guard let row = results[0].rows.first else {
            let known: [String] = try await connection.query("SELECT code FROM alliances ORDER BY code").rows.map { try $0.decode("code") }
            guard let closest = Codes.closest(to: code, among: known) else {
                throw YilianError(.notFound, Text("error.allianceNotFound", code))
            }
            throw YilianError(.notFound, Text("error.allianceNotFoundMaybe", code, closest))
        }
        return AllianceRecord(
            code: try row.decode("code"), name: try row.decode("name"), specialty: try row.decode("specialty"),
            core: try row.decode("core"), status: try row.decode("status"), criteriaVersion: try row.decode("criteria_version"),
            recognitionVersion: try row.decode("recognition_version"),
            recognition: try results.dropFirst(2).first?.rows.first.flatMap {
                RecognitionCatalogue.read(try $0.decode("document", as: PGJSON<JSONValue>.self).value).0
            } ?? RecognitionCatalogue(items: []),
            responseHours: ResponseHours(
                emergency: try row.decode("emergency_hours"), urgent: try row.decode("urgent_hours"),
                routine: try row.decode("routine_hours")),
            timeZone: try row.decode("time_zone"), slotLeadDays: try row.decode("slot_lead_days"),
            slotRule: try row.decodeIfPresent("slot_rule", as: String.self).flatMap(SlotRule.init(rawValue:)),
            members: try results[1].rows.map {
                AllianceMember(
                    hospital: try $0.decode("hospital"), role: try $0.decode("role"), status: try $0.decode("status"),
                    since: try $0.decode("since"),
                    level: try $0.decode("level"))
            })
    }

    public static func list(limit: Int, after cursor: String?, on connection: DatabaseSession) async throws -> [AllianceRecord] {
        let rows = try await connection.query(
            "SELECT code FROM alliances WHERE ($1::text IS NULL OR code > $1) ORDER BY code LIMIT $2", [cursor, limit])
        var alliances: [AllianceRecord] = []
        for row in rows.rows { alliances.append(try await get(try row.decode("code"), on: connection)) }
        return alliances
    }

    /// Stores a new version of one of the alliance's published documents and makes it current,
    /// through the wall's `yilian_api.set_criteria` (migration 0027) or `set_recognition` (0052),
    /// which only the core's hospital administrators may call; returns its number.
    public static func addDocument(
        _ kind: AllianceDocument, _ document: JSONValue, to alliance: String, by actor: String, at time: Date,
        on connection: DatabaseSession
    ) async throws -> Int {
        let rows = try await connection.query(
            "SELECT yilian_api.\(kind.setter)($1, $2, $3, $4) AS version", [alliance, PGJSON(document), time, actor])
        return try rows[0].decode("version")
    }

    /// A version of one of the alliance's published documents, nil when there is none.
    public static func document(
        _ kind: AllianceDocument, of alliance: String, version: Int, on connection: DatabaseSession
    ) async throws -> JSONValue? {
        let rows = try await connection.query(
            "SELECT document FROM \(kind.table) WHERE alliance = $1 AND version = $2", [alliance, version])
        return try rows.rows.first?.decode("document", as: PGJSON<JSONValue>.self).value
    }
}

/// The documents an alliance publishes in versions: its admission criteria (准入标准) and its
/// catalogue of mutually recognised results (互认目录).
public enum AllianceDocument: Sendable {
    case criteria, recognition

    /// Its versions' table (the names are Yilian's own, never a user's).
    var table: String {
        switch self {
        case .criteria: "criteria_versions"
        case .recognition: "recognition_versions"
        }
    }

    /// The wall's function that publishes a version.
    var setter: String {
        switch self {
        case .criteria: "set_criteria"
        case .recognition: "set_recognition"
        }
    }
}
