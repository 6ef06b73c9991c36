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

public enum MembershipRepository {
    // MARK: Memberships

    /// The membership's role and status; nil when there is none.
    public static func membership(
        alliance: String, hospital: String, on connection: DatabaseSession
    ) async throws -> (role: MemberRole, status: MembershipMachine.Status)? {
        let rows = try await connection.query(
            "SELECT role, status FROM memberships WHERE alliance = $1 AND hospital = $2", [alliance, hospital])
        guard let row = rows.rows.first else { return nil }
        return (try row.decode("role"), try row.decode("status"))
    }

    /// Suspends, reinstates or revokes a member, with its event, through the wall's
    /// `yilian_api.change_membership` (migration 0027): only the core's hospital administrator,
    /// only a move of the membership's machine from the status stored.
    public static func change(
        alliance: String, hospital: String, _ event: MembershipEvent, on connection: DatabaseSession
    ) async throws {
        try await connection.query(
            "SELECT yilian_api.change_membership($1, $2, $3, $4, $5, $6, $7)",
            [alliance, hospital, event.action, event.toStatus, event.at, event.actor, event.reason])
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

    /// Stores a new application under the next number (`A-000001`, …) with its event `apply`,
    /// through the wall's `yilian_api.apply_for_membership` (migration 0027); returns its id.
    public static func insert(_ application: ApplicationRecord, by actor: String, on connection: DatabaseSession) async throws -> String {
        do {
            let rows = try await connection.query(
                "SELECT yilian_api.apply_for_membership($1, $2, $3, $4, $5, $6, $7, $8) AS id",
                [
                    application.alliance, application.hospital, application.role, PGJSON(application.facts), application.criteriaVersion,
                    PGJSON(application.evaluation), application.createdAt, actor,
                ])
            return try rows[0].decode("id")
        } catch let error as PGError where error.sqlState == .uniqueViolation {
            throw YilianError.ruleViolation(
                "open_application", Text("error.openApplication", application.hospital, application.alliance))
        }
    }

    public static func get(_ id: String, on connection: DatabaseSession) async throws -> ApplicationRecord {
        let rows = try await connection.query(
            "SELECT \(applicationColumns) FROM yilian_api.applications($1, NULL, NULL, NULL, 1)", [id])
        guard let row = rows.rows.first else { throw YilianError(.notFound, Text("error.applicationNotFound", id)) }
        return try application(row)
    }

    /// Writes one action on `application` (as read, at its stored version) through the wall's
    /// `yilian_api.act_on_application` (migration 0027): its status, facts, evaluation and
    /// decision fields one version on, and its event; an approval also admits the applicant.
    public static func act(
        _ application: ApplicationRecord, _ event: MembershipEvent, on connection: DatabaseSession
    ) async throws {
        try await connection.query(
            "SELECT yilian_api.act_on_application($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
            [
                application.id, event.action, application.status, application.version + 1, PGJSON(application.facts),
                application.criteriaVersion, PGJSON(application.evaluation), application.decisionReason, application.override,
                event.at, event.actor, event.reason,
            ])
    }

    public static func list(
        alliance: String, status: ApplicationMachine.Status?, limit: Int, after cursor: String?, on connection: DatabaseSession
    ) async throws -> [ApplicationRecord] {
        let rows = try await connection.query(
            """
            SELECT \(applicationColumns) FROM yilian_api.applications(NULL, $1, $2, $3, $4)
            """, [alliance, status, cursor, limit])
        return try rows.rows.map(application)
    }

    /// The facts of the hospital's latest application to the alliance (empty when none).
    public static func latestFacts(alliance: String, hospital: String, on connection: DatabaseSession) async throws -> JSONValue {
        let rows = try await connection.query("SELECT yilian_api.latest_facts($1, $2) AS facts", [alliance, hospital])
        return try rows.rows.first?.decodeIfPresent("facts", as: PGJSON<JSONValue>.self)?.value ?? [:]
    }

    // MARK: Events

    /// The history of an application, and of the membership it led to, in order.
    public static func events(alliance: String, hospital: String, on connection: DatabaseSession) async throws -> [MembershipEvent] {
        let rows = try await connection.query(
            """
            SELECT seq, application, action, from_status, to_status, actor, at, reason FROM yilian_api.membership_history($1, $2)
            """, [alliance, hospital])
        return try rows.rows.map {
            MembershipEvent(
                seq: try $0.decode("seq"), application: try $0.decodeIfPresent("application"), action: try $0.decode("action"),
                fromStatus: try $0.decodeIfPresent("from_status"), toStatus: try $0.decode("to_status"), actor: try $0.decode("actor"),
                at: try $0.decode("at"), reason: try $0.decodeIfPresent("reason"))
        }
    }
}
