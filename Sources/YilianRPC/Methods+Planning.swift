import YilianCore
import YilianJSON
import YilianServices

// MARK: - The commission's planning (SPEC §15)

extension Schema {
    static let districtNeed = object([
        "district": string, "cases": integer, "members": integer, "slots": integer, "membersPer10k": ["type": ["number", "null"]],
        "slotsPer10k": ["type": ["number", "null"]],
    ])
    static let need = object([
        "specialty": string, "cases": integer, "members": integer, "slots": integer, "membersPer10k": ["type": ["number", "null"]],
        "slotsPer10k": ["type": ["number", "null"]], "alliances": ["type": "array", "items": string],
        "worstDistricts": ["type": "array", "items": string], "districts": ["type": "array", "items": districtNeed],
    ])
    static let specialtyNeed = object(["specialty": string, "name": string, "need": need])
}

public struct PlanBurden: RPCMethod {
    public struct Params: RPCParams {
        let csv: String
        let file: String
        public init(reading reader: ParamReader) {
            csv = reader.required("csv", "UTF-8 CSV with a header row: district,specialty,year,cases[,incidence].")
            file = reader.optional("file", "The file's name, for messages.") ?? "csv"
        }
    }
    public static let name = "plan.burden"
    public static let whoMay: WhoMay? = .platform
    public static let summary = "Imports the disease-burden table, replacing the years the CSV gives (platform administrator only)."
    public static var resultSchema: JSONValue { Schema.object(["imported": Schema.integer]) }
    public static var mutates: Bool { true }
    public static func run(_ params: Params, in context: RPCContext) async throws -> ImportResult {
        try await context.services.importBurden(csv: params.csv, file: params.file, by: context.actor)
    }
}

public struct PlanSpecialties: RPCMethod {
    public struct Params: RPCParams {
        let year: Int?
        public init(reading reader: ParamReader) { year = reader.optional("year", "Default: the latest year of the burden table.") }
    }
    public static let name = "plan.specialties"
    public static let whoMay: WhoMay? = .platform
    public static let summary =
        "Specialties ranked by burden against what alliances offer (members and reserved slots per 10,000 cases, per district)."
    public static var resultSchema: JSONValue {
        Schema.object(["year": ["type": ["integer", "null"]], "specialties": ["type": "array", "items": Schema.specialtyNeed]])
    }
    public static func run(_ params: Params, in context: RPCContext) async throws -> SpecialtiesPlan {
        try await context.services.planSpecialties(year: params.year, by: context.actor)
    }
}

public struct PlanAlliance: RPCMethod {
    public struct Params: RPCParams {
        let specialty: String
        let criteria: JSONValue?
        public init(reading reader: ParamReader) {
            specialty = reader.required("specialty")
            criteria = reader.optional("criteria", "Criteria as criteria.set takes them; default: the specialty's alliance's current ones.")
        }
    }
    public static let name = "plan.alliance"
    public static let whoMay: WhoMay? = .platform
    public static let summary =
        "A specialty's alliance planned: the core to propose, every registered hospital evaluated by the criteria, and an existing alliance's expansion."
    public static var resultSchema: JSONValue {
        let criterion = Schema.object([
            "id": Schema.string, "title": Schema.string, "required": ["type": "boolean"], "weight": Schema.integer, "result": Schema.string,
            "explanation": Schema.string,
        ])
        let planned = Schema.object([
            "code": Schema.string, "name": Schema.string, "level": Schema.integer, "role": Schema.string, "member": ["type": "boolean"],
            "decision": Schema.string, "score": Schema.integer, "passScore": Schema.integer,
            "criteria": ["type": "array", "items": criterion],
        ])
        return Schema.object([
            "specialty": Schema.string, "name": Schema.string, "alliance": ["type": ["string", "null"]],
            "criteriaVersion": ["type": ["integer", "null"]],
            "proposedCore": [
                "anyOf": [
                    Schema.object([
                        "code": Schema.string, "name": Schema.string, "level": Schema.integer, "beds": ["type": ["integer", "null"]],
                        "district": ["type": ["string", "null"]], "keySpecialty": ["type": ["string", "null"]],
                    ]), ["type": "null"],
                ]
            ],
            "districts": [
                "type": "array",
                "items": Schema.object(["district": ["type": ["string", "null"]], "hospitals": ["type": "array", "items": planned]]),
            ],
            "expansion": ["type": "array", "items": Schema.string], "districtsWithoutMembers": ["type": "array", "items": Schema.string],
            "need": ["anyOf": [Schema.need, ["type": "null"]]],
            "year": ["type": ["integer", "null"]],
            "byDistrict": [
                "type": "array",
                "items": Schema.object([
                    "district": ["type": ["string", "null"]], "cases": ["type": ["integer", "null"]], "members": Schema.integer,
                    "membersPer10k": ["type": ["number", "null"]], "hospitals": Schema.integer,
                    "invite": ["type": "array", "items": Schema.string],
                ]),
            ],
        ])
    }
    public static func run(_ params: Params, in context: RPCContext) async throws -> AlliancePlanView {
        try await context.services.planAlliance(specialty: params.specialty, criteria: params.criteria, by: context.actor)
    }
}
