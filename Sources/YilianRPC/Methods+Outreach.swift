import YilianCore
import YilianJSON
import YilianServices

// MARK: - Expert outreach (专家下沉) and multi-site practice (多点执业, SPEC §14)

extension OutreachKind: ParamEnum {}

extension Schema {
    static let practiceRecord = object([
        "alliance": string, "expert": string, "expertName": nullableString, "title": enumeration(ExpertTitle.allCases.map(\.rawValue)),
        "specialty": string,
        "site": string, "filingNumber": string, "validFrom": string, "validUntil": string, "registeredBy": string,
        "registeredAt": timestamp,
    ])
    static let outreachBooking = object(
        [
            "session": string, "number": integer,
            "patient": object([
                "name": string, "sex": enumeration(Sex.allCases.map(\.rawValue)), "birthDate": string, "idNumber": ["type": "null"],
                "phone": nullableString,
            ]),
            "bookedBy": string, "bookedAt": timestamp, "cancelledBy": nullableString, "cancelledAt": ["type": ["string", "null"]],
        ], required: ["session", "number", "patient", "bookedBy", "bookedAt"])
    static let outreachSession = object(
        [
            "id": string, "alliance": string, "expert": string, "expertName": nullableString, "site": string, "specialty": string,
            "date": string,
            "kind": enumeration(OutreachKind.allCases.map(\.rawValue)), "capacity": integer, "booked": integer, "available": integer,
            "publishedBy": string, "publishedAt": timestamp, "bookings": ["type": ["array", "null"], "items": outreachBooking],
        ],
        required: [
            "id", "alliance", "expert", "site", "specialty", "date", "kind", "capacity", "booked", "available", "publishedBy",
            "publishedAt",
        ])
}

public struct PracticeRegister: RPCMethod {
    public struct Params: RPCParams {
        let alliance: String, expert: String, title: String, specialty: String, site: String, filingNumber: String
        let validFrom: String, validUntil: String
        public init(reading reader: ParamReader) {
            alliance = reader.required("alliance")
            expert = reader.required("expert", "The expert's login, a physician of the core or a tertiary member (fan@ZRYY).")
            title = reader.required("title", "主任医师, 副主任医师 or 主治医师.")
            specialty = reader.required("specialty", "The expert's specialty code.")
            site = reader.required("site", "The member hospital where the expert may work.")
            filingNumber = reader.required("filingNumber", "The filing number of the multi-site practice record (备案号).")
            validFrom = reader.required("validFrom", "First day of validity, YYYY-MM-DD.")
            validUntil = reader.required("validUntil", "Last day of validity, YYYY-MM-DD.")
        }
    }
    public static let name = "practice.register"
    public static let summary = "Registers an expert's multi-site practice at a member's site (an administrator of the expert's hospital)."
    public static var resultSchema: JSONValue { Schema.practiceRecord }
    public static var mutates: Bool { true }
    public static func run(_ params: Params, in context: RPCContext) async throws -> PracticeRecord {
        try await context.services.registerPractice(
            alliance: params.alliance, expert: params.expert, title: params.title, specialty: params.specialty, site: params.site,
            filingNumber: params.filingNumber, validFrom: params.validFrom, validUntil: params.validUntil, by: context.actor)
    }
}

public struct PracticeList: RPCMethod {
    public struct Params: RPCParams {
        let alliance: String?, expert: String?, site: String?
        public init(reading reader: ParamReader) {
            alliance = reader.optional("alliance")
            expert = reader.optional("expert")
            site = reader.optional("site")
        }
    }
    public static let name = "practice.list"
    public static let summary = "Multi-site practice records (at most 1000), by alliance, expert and site."
    public static var resultSchema: JSONValue { ["type": "array", "items": Schema.practiceRecord] }
    public static func run(_ params: Params, in context: RPCContext) async throws -> [PracticeRecord] {
        try await context.services.practices(alliance: params.alliance, expert: params.expert, site: params.site, by: context.actor)
    }
}

public struct OutreachPublish: RPCMethod {
    public struct Params: RPCParams {
        let alliance: String, expert: String, site: String, date: String, kind: OutreachKind, capacity: Int
        public init(reading reader: ParamReader) {
            alliance = reader.required("alliance")
            expert = reader.required("expert", "The expert's login; a valid practice record must cover the site and date.")
            site = reader.required("site", "The member hospital where the session is held.")
            date = reader.required("date", "YYYY-MM-DD, from today to a year ahead.")
            kind = reader.required("kind", "clinic (坐诊), ward_round (查房) or teaching (带教).")
            capacity = reader.required("capacity", "Patients the session takes, 1 to 200.")
        }
    }
    public static let name = "outreach.publish"
    public static let summary = "Publishes an expert's session at a member's site (a coordinator of the expert's hospital)."
    public static var resultSchema: JSONValue { Schema.outreachSession }
    public static var mutates: Bool { true }
    public static func run(_ params: Params, in context: RPCContext) async throws -> OutreachSession {
        try await context.services.publishOutreach(
            alliance: params.alliance, expert: params.expert, site: params.site, date: params.date, kind: params.kind,
            capacity: params.capacity, by: context.actor)
    }
}

public struct OutreachBook: RPCMethod {
    public struct Params: RPCParams {
        let session: String, patient: Patient
        public init(reading reader: ParamReader) {
            session = reader.required("session", "The session, e.g. O-000001.")
            patient = reader.required("patient", "{name, sex, birthDate, phone?}; no resident ID.")
        }
    }
    public static let name = "outreach.book"
    public static let summary = "Books a patient into a session, never beyond its capacity (a coordinator of the session's site)."
    public static var resultSchema: JSONValue { Schema.outreachBooking }
    public static var mutates: Bool { true }
    public static func run(_ params: Params, in context: RPCContext) async throws -> OutreachBooking {
        try await context.services.bookOutreach(session: params.session, patient: params.patient, by: context.actor)
    }
}

public struct OutreachCancel: RPCMethod {
    public struct Params: RPCParams {
        let session: String, booking: Int
        public init(reading reader: ParamReader) {
            session = reader.required("session")
            booking = reader.required("booking", "The booking's number in the session.")
        }
    }
    public static let name = "outreach.cancel"
    public static let summary = "Cancels a booking; its place is free again (a coordinator of the session's site)."
    public static var resultSchema: JSONValue { Schema.outreachBooking }
    public static var mutates: Bool { true }
    public static func run(_ params: Params, in context: RPCContext) async throws -> OutreachBooking {
        try await context.services.cancelOutreach(session: params.session, booking: params.booking, by: context.actor)
    }
}

public struct OutreachList: RPCMethod {
    public struct Params: RPCParams {
        let alliance: String?, expert: String?, site: String?, from: String?, to: String?
        public init(reading reader: ParamReader) {
            alliance = reader.optional("alliance")
            expert = reader.optional("expert")
            site = reader.optional("site")
            from = reader.optional("from", "First date, YYYY-MM-DD.")
            to = reader.optional("to", "Last date, YYYY-MM-DD.")
        }
    }
    public static let name = "outreach.list"
    public static let summary =
        "Outreach sessions (at most 1000, by date); with their bookings for the site's and the expert's hospital's users (logged)."
    public static var resultSchema: JSONValue { ["type": "array", "items": Schema.outreachSession] }
    public static func run(_ params: Params, in context: RPCContext) async throws -> [OutreachSession] {
        try await context.services.outreachSessions(
            alliance: params.alliance, expert: params.expert, site: params.site, from: params.from, to: params.to, by: context.actor)
    }
}
