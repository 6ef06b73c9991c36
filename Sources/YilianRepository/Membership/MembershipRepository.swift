import Foundation
import YilianCore
import YilianJSON
import YilianPostgres

extension ApplicationMachine.Status: PGCodable {
    public func pgText() -> String? { rawValue }
    public init(pgText text: String) throws {
        guard let value = Self(rawValue: text) else { throw PGError(.decoding, message: "unknown application status \(text)") }
        self = value
    }
}

/// A membership application as stored.
public struct ApplicationRecord: Sendable, Equatable {
    public var id: String
    public var alliance: String
    public var hospital: String
    public var role: MemberRole
    public var status: ApplicationMachine.Status
    public var facts: JSONValue
    public var criteriaVersion: Int
    /// The evaluation it was judged by, as stored (JSON of the Evaluation result).
    public var evaluation: JSONValue
    public var decisionReason: String?
    public var override: String?
    public var version: Int
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: String, alliance: String, hospital: String, role: MemberRole, status: ApplicationMachine.Status, facts: JSONValue,
        criteriaVersion: Int, evaluation: JSONValue, decisionReason: String? = nil, override: String? = nil, version: Int = 1,
        createdAt: Date, updatedAt: Date
    ) {
        self.id = id
        self.alliance = alliance
        self.hospital = hospital
        self.role = role
        self.status = status
        self.facts = facts
        self.criteriaVersion = criteriaVersion
        self.evaluation = evaluation
        self.decisionReason = decisionReason
        self.override = override
        self.version = version
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// One recorded change to an application or membership (also the `history` result shape).
public struct MembershipEvent: Sendable, Equatable, Codable {
    public var seq: Int
    @Nullable public var application: String?
    public var action: String
    @Nullable public var fromStatus: String?
    public var toStatus: String
    public var actor: String
    public var at: Date
    @Nullable public var reason: String?

    public init(seq: Int = 0, application: String?, action: String, fromStatus: String?, toStatus: String, actor: String, at: Date, reason: String?) {
        self.seq = seq
        self.application = application
        self.action = action
        self.fromStatus = fromStatus
        self.toStatus = toStatus
        self.actor = actor
        self.at = at
        self.reason = reason
    }

}

public enum MembershipRepository {
    // MARK: Memberships

    /// The membership's role and status (`lock`: locked for update, which only the alliance's
    /// core may); nil when there is none.
    public static func membership(
        alliance: String, hospital: String, lock: Bool, on connection: DatabaseSession
    ) async throws -> (role: MemberRole, status: MembershipMachine.Status)? {
        let rows = try await connection.query(
            lock
                ? "SELECT role, status FROM memberships WHERE alliance = $1 AND hospital = $2 FOR UPDATE"
                : "SELECT role, status FROM memberships WHERE alliance = $1 AND hospital = $2", [alliance, hospital])
        guard let row = rows.rows.first else { return nil }
        return (try row.decode("role"), try row.decode("status"))
    }

    /// Creates the membership, or reactivates it with a new role.
    public static func activate(
        alliance: String, hospital: String, role: MemberRole, at time: Date, on connection: DatabaseSession
    ) async throws {
        try await connection.query(
            """
            INSERT INTO memberships (alliance, hospital, role, status, since, updated_at) VALUES ($1, $2, $3, 'active', $4, $4)
            ON CONFLICT (alliance, hospital) DO UPDATE SET role = $3, status = 'active', since = $4, updated_at = $4
            """, [alliance, hospital, role, time])
    }

    public static func setStatus(
        _ status: MembershipMachine.Status, alliance: String, hospital: String, at time: Date, on connection: DatabaseSession
    ) async throws {
        try await connection.query(
            "UPDATE memberships SET status = $3, updated_at = $4 WHERE alliance = $1 AND hospital = $2",
            [alliance, hospital, status, time])
    }

    // MARK: Applications

    static let applicationColumns = """
        id, alliance, hospital, role, status, facts, criteria_version, evaluation, decision_reason, override, version,
        created_at, updated_at
        """

    static func application(_ row: PGRow) throws -> ApplicationRecord {
        ApplicationRecord(
            id: try row.decode("id"), alliance: try row.decode("alliance"), hospital: try row.decode("hospital"),
            role: try row.decode("role"), status: try row.decode("status"),
            facts: try row.decode("facts", as: PGJSON<JSONValue>.self).value, criteriaVersion: try row.decode("criteria_version"),
            evaluation: try row.decode("evaluation", as: PGJSON<JSONValue>.self).value,
            decisionReason: try row.decodeIfPresent("decision_reason"), override: try row.decodeIfPresent("override"),
            version: try row.decode("version"), createdAt: try row.decode("created_at"), updatedAt: try row.decode("updated_at"))
    }

    /// Stores a new application under the next number (`A-000001`, …); returns its id.
    public static func insert(_ application: ApplicationRecord, on connection: DatabaseSession) async throws -> String {
        do {
            let rows = try await connection.query(
                """
                INSERT INTO applications (id, alliance, hospital, role, status, facts, criteria_version, evaluation, created_at, updated_at)
                VALUES ('A-' || lpad(nextval('application_numbers')::text, 6, '0'), $1, $2, $3, $4, $5, $6, $7, $8, $8)
                RETURNING id
                """,
                [application.alliance, application.hospital, application.role, application.status, PGJSON(application.facts),
                 application.criteriaVersion, PGJSON(application.evaluation), application.createdAt])
            return try rows[0].decode("id")
        } catch let error as PGError where error.sqlState == .uniqueViolation {
            throw YilianError.ruleViolation(
                "open_application", Text("error.openApplication", application.hospital, application.alliance))
        }
    }

    public static func get(_ id: String, lock: Bool = false, on connection: DatabaseSession) async throws -> ApplicationRecord {
        let rows = try await connection.query(
            "SELECT \(applicationColumns) FROM applications WHERE id = $1 \(lock ? "FOR UPDATE" : "")", [id])
        guard let row = rows.rows.first else { throw YilianError(.notFound, Text("error.applicationNotFound", id)) }
        return try application(row)
    }

    /// Writes back status, facts, evaluation and decision fields; bumps the version.
    public static func update(_ application: ApplicationRecord, on connection: DatabaseSession) async throws {
        try await connection.query(
            """
            UPDATE applications SET status = $2, facts = $3, criteria_version = $4, evaluation = $5, decision_reason = $6,
                override = $7, updated_at = $8, version = version + 1
            WHERE id = $1
            """,
            [application.id, application.status, PGJSON(application.facts), application.criteriaVersion,
             PGJSON(application.evaluation), application.decisionReason, application.override, application.updatedAt])
    }

    public static func list(
        alliance: String, status: ApplicationMachine.Status?, limit: Int, after cursor: String?, on connection: DatabaseSession
    ) async throws -> [ApplicationRecord] {
        let rows = try await connection.query(
            """
            SELECT \(applicationColumns) FROM applications
            WHERE alliance = $1 AND ($2::text IS NULL OR status = $2) AND ($3::text IS NULL OR id > $3)
            ORDER BY id LIMIT $4
            """, [alliance, status, cursor, limit])
        return try rows.rows.map(application)
    }

    /// The facts of the hospital's latest application to the alliance (empty when none).
    public static func latestFacts(alliance: String, hospital: String, on connection: DatabaseSession) async throws -> JSONValue {
        let rows = try await connection.query(
            "SELECT facts FROM applications WHERE alliance = $1 AND hospital = $2 ORDER BY created_at DESC, id DESC LIMIT 1",
            [alliance, hospital])
        return try rows.rows.first?.decode("facts", as: PGJSON<JSONValue>.self).value ?? [:]
    }

    // MARK: Events

    public static func append(
        _ event: MembershipEvent, alliance: String, hospital: String, on connection: DatabaseSession
    ) async throws {
        try await connection.query(
            """
            INSERT INTO membership_events (alliance, hospital, application, action, from_status, to_status, actor, at, reason)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
            """,
            [alliance, hospital, event.application, event.action, event.fromStatus, event.toStatus, event.actor, event.at, event.reason])
    }

    /// The history of an application, and of the membership it led to, in order.
    public static func events(alliance: String, hospital: String, on connection: DatabaseSession) async throws -> [MembershipEvent] {
        let rows = try await connection.query(
            """
            SELECT seq, application, action, from_status, to_status, actor, at, reason FROM membership_events
            WHERE alliance = $1 AND hospital = $2 ORDER BY seq
            """, [alliance, hospital])
        return try rows.rows.map {
            MembershipEvent(
                seq: try $0.decode("seq"), application: try $0.decodeIfPresent("application"), action: try $0.decode("action"),
                fromStatus: try $0.decodeIfPresent("from_status"), toStatus: try $0.decode("to_status"), actor: try $0.decode("actor"),
                at: try $0.decode("at"), reason: try $0.decodeIfPresent("reason"))
        }
    }
}
