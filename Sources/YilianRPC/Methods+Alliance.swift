import YilianCore
import YilianJSON
import YilianServices

// MARK: - Hospitals

public struct HospitalRegister: RPCMethod {
    public struct Params: RPCParams {
        let hospital: Hospital
        public init(reading reader: ParamReader) {
            hospital = Hospital(
                code: reader.required("code", "Hospital code, e.g. ZRYY."), name: reader.required("name", "Hospital name."),
                level: reader.required("level", "1, 2 or 3 (一级/二级/三级)."), grade: reader.optional("grade") ?? .unrated,
                kind: reader.optional("kind") ?? .general, district: reader.optional("district"), beds: reader.optional("beds"),
                departments: reader.optional("departments", "Specialty codes of its departments.") ?? [],
                facts: (reader.optional("facts", "Other facts for admission criteria (a JSON object, at most 64 KiB).") as Facts?)?.value
                    ?? [:])
        }
    }
    public static let name = "hospital.register"
    public static let whoMay: WhoMay? = .platform
    public static let summary = "Registers a hospital (platform administrator only)."
    public static var resultSchema: JSONValue { Schema.hospital }
    public static var mutates: Bool { true }
    public static func run(_ params: Params, in context: RPCContext) async throws -> Hospital {
        try await context.services.registerHospital(params.hospital, by: context.actor)
    }
}

public struct HospitalImport: RPCMethod {
    public struct Params: RPCParams {
        let csv: String
        let file: String
        public init(reading reader: ParamReader) {
            csv = reader.required("csv", "UTF-8 CSV with a header row: code,name,level,grade,kind,district,beds,departments.")
            file = reader.optional("file", "The file's name, for messages.") ?? "csv"
        }
    }
    public static let name = "hospital.import"
    public static let whoMay: WhoMay? = .platform
    public static let summary = "Registers the hospitals of a CSV file, all or nothing (platform administrator only)."
    public static var resultSchema: JSONValue { Schema.object(["imported": Schema.integer]) }
    public static var mutates: Bool { true }
    public static func run(_ params: Params, in context: RPCContext) async throws -> ImportResult {
        try await context.services.importHospitals(csv: params.csv, file: params.file, by: context.actor, progress: context.progress)
    }
}

public struct HospitalGet: RPCMethod {
    public static let name = "hospital.get"
    public static let summary = "One hospital by code."
    public static var resultSchema: JSONValue { Schema.hospital }
    public static func run(_ params: CodeParams, in context: RPCContext) async throws -> Hospital {
        try await context.services.hospital(params.code, by: context.actor)
    }
}

public struct HospitalList: RPCMethod {
    public struct Params: RPCParams {
        let level: Int?
        let district: String?
        let specialty: String?
        let paging: Paging
        public init(reading reader: ParamReader) {
            level = reader.optional("level")
            district = reader.optional("district")
            specialty = reader.optional("specialty", "Only hospitals with a department of this specialty.")
            paging = Paging(reader)
        }
    }
    public static let name = "hospital.list"
    public static let summary = "Hospitals in code order, filtered by level, district or specialty."
    public static var resultSchema: JSONValue { Schema.page(of: Schema.hospital) }
    public static func run(_ params: Params, in context: RPCContext) async throws -> Page<Hospital> {
        try await context.services.hospitals(
            level: params.level, district: params.district, specialty: params.specialty, limit: params.paging.limit,
            cursor: params.paging.cursor, by: context.actor)
    }
}

// MARK: - Alliances

public struct AllianceCreate: RPCMethod {
    public struct Params: RPCParams {
        let code: String, name: String, specialty: String, core: String
        let responseHours: ResponseHours?
        let timeZone: String?
        let slotLeadDays: Int?
        let slotRule: SlotRule?
        public init(reading reader: ParamReader) {
            code = reader.required("code", "Alliance code, e.g. PAIN-BJ.")
            name = reader.required("name")
            specialty = reader.required("specialty", "A specialty code of the catalog.")
            core = reader.required("core", "The core hospital (level 3).")
            responseHours = reader.optional("responseHours", "Response windows; default 2, 24 and 72 hours.")
            timeZone = reader.optional("timeZone", "IANA time zone of reports, slot dates and today; default Asia/Shanghai.")
            slotLeadDays = reader.optional("slotLeadDays", "Days ahead slots count as released early (Beijing rule); default 14.")
            slotRule = reader.optional("slotRule", "beijing: its report shows the Beijing slot rule; default none.")
        }
    }
    public static let name = "alliance.create"
    public static let whoMay: WhoMay? = .platform
    public static let summary = "Creates an alliance led by a level-3 core hospital (platform administrator only)."
    public static var resultSchema: JSONValue { Schema.alliance }
    public static var mutates: Bool { true }
    public static func run(_ params: Params, in context: RPCContext) async throws -> AllianceView {
        try await context.services.createAlliance(
            code: params.code, name: params.name, specialty: params.specialty, core: params.core,
            responseHours: params.responseHours, timeZone: params.timeZone, slotLeadDays: params.slotLeadDays,
            slotRule: params.slotRule, by: context.actor)
    }
}

public struct AllianceGet: RPCMethod {
    public static let name = "alliance.get"
    public static let summary = "One alliance with its members."
    public static var resultSchema: JSONValue { Schema.alliance }
    public static func run(_ params: CodeParams, in context: RPCContext) async throws -> AllianceView {
        try await context.services.alliance(params.code, by: context.actor)
    }
}

public struct AllianceList: RPCMethod {
    public struct Params: RPCParams {
        let paging: Paging
        public init(reading reader: ParamReader) { paging = Paging(reader) }
    }
    public static let name = "alliance.list"
    public static let summary = "Alliances in code order."
    public static var resultSchema: JSONValue { Schema.page(of: Schema.alliance) }
    public static func run(_ params: Params, in context: RPCContext) async throws -> Page<AllianceView> {
        try await context.services.alliances(limit: params.paging.limit, cursor: params.paging.cursor, by: context.actor)
    }
}
