import YilianCore
import YilianJSON
import YilianServices

extension Duty: ParamEnum {}

enum UserSchema {
    static let user = Schema.object([
        "user": Schema.string, "hospital": Schema.string,
        "duty": ["type": "string", "enum": .array(Duty.allCases.map { .string($0.rawValue) })],
        "enabled": ["type": "boolean"], "createdAt": Schema.string, "displayName": Schema.nullableString,
    ])
}

public struct SystemWhoAmI: RPCMethod {
    public static let name = "system.whoami"
    public static let summary = "Who acts in this session: the user, its hospital and duty."
    public static var resultSchema: JSONValue {
        Schema.object(["user": Schema.string, "hospital": Schema.string, "duty": Schema.string])
    }
    public static func run(_ params: NoParams, in context: RPCContext) async throws -> WhoAmI {
        try await context.services.whoami(by: context.actor)
    }
}

public struct UserAdd: RPCMethod {
    public struct Params: RPCParams {
        let user: String, hospital: String, duty: Duty
        let password: String?
        let displayName: String?
        public init(reading reader: ParamReader) {
            user = reader.required("user", "The user name, e.g. li; the login is user@hospital.")
            hospital = reader.required("hospital", "The user's hospital code (admin for the platform).")
            duty = reader.required(
                "duty", "What the user does: coordinator, physician, hospital_admin, auditor, integration or platform_admin.")
            password = reader.optional("password", "Its login password (at least 12 characters); without one it cannot log in by password.")
            displayName = reader.optional("displayName", "The person's name on forms and timelines, e.g. 刘明 (at most 32 characters).")
        }
    }
    public static let name = "user.add"
    public static let whoMay: WhoMay? = .userAdmins
    public static let summary = "Registers a user and creates its PostgreSQL login role."
    public static var resultSchema: JSONValue { UserSchema.user }
    public static var mutates: Bool { true }
    public static func run(_ params: Params, in context: RPCContext) async throws -> UserRecord {
        try await context.services.addUser(
            params.user, hospital: params.hospital, duty: params.duty, password: params.password, displayName: params.displayName,
            by: context.actor)
    }
}

public struct UserList: RPCMethod {
    public struct Params: RPCParams {
        let hospital: String?
        public init(reading reader: ParamReader) { hospital = reader.optional("hospital", "Only this hospital's users.") }
    }
    public static let name = "user.list"
    public static let summary = "The users the acting user may see: its hospital's (the platform: all)."
    public static var resultSchema: JSONValue { Schema.page(of: UserSchema.user) }
    public static func run(_ params: Params, in context: RPCContext) async throws -> Page<UserRecord> {
        try await context.services.users(hospital: params.hospital, by: context.actor)
    }
}

public struct UserDisable: RPCMethod {
    public struct Params: RPCParams {
        let user: String, hospital: String
        public init(reading reader: ParamReader) {
            user = reader.required("user", "The user name.")
            hospital = reader.required("hospital", "The user's hospital code.")
        }
    }
    public static let name = "user.disable"
    public static let whoMay: WhoMay? = .userAdmins
    public static let summary = "Stops a user logging in or being acted as; its history stays."
    public static var resultSchema: JSONValue { UserSchema.user }
    public static var mutates: Bool { true }
    public static func run(_ params: Params, in context: RPCContext) async throws -> UserRecord {
        try await context.services.disableUser(params.user, hospital: params.hospital, by: context.actor)
    }
}

public struct AuditList: RPCMethod {
    public struct Params: RPCParams {
        let hospital: String?, referral: String?, from: String?, to: String?, paging: Paging
        public init(reading reader: ParamReader) {
            hospital = reader.optional("hospital", "Only reads by this hospital's users (the platform; an auditor reads its own).")
            referral = reader.optional("referral", "Only reads that returned this referral.")
            from = reader.optional("from", "Only reads on or after this day (China time), YYYY-MM-DD.")
            to = reader.optional("to", "Only reads on or before this day (China time), YYYY-MM-DD.")
            paging = Paging(reader)
        }
    }
    public static let name = "audit.list"
    public static let whoMay: WhoMay? = .auditors
    public static let summary =
        "The access log, newest first: who read which referrals, when and how (auditors: their hospital's; the platform: all)."
    public static var resultSchema: JSONValue {
        Schema.page(
            of: Schema.object([
                "at": Schema.string, "user": Schema.string, "hospital": Schema.string, "login": Schema.string, "method": Schema.string,
                "referrals": ["type": "array", "items": Schema.string],
            ]))
    }
    public static func run(_ params: Params, in context: RPCContext) async throws -> Page<AccessRecord> {
        try await context.services.accessLog(
            hospital: params.hospital, referral: params.referral, from: params.from, to: params.to, limit: params.paging.limit,
            cursor: params.paging.cursor, by: context.actor)
    }
}
