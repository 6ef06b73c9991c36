import YilianCore
import YilianJSON
import YilianServices

// MARK: - Mutual recognition of results (检查检验结果互认, SPEC §13)

extension Schema {
    static let recognitionCatalogue = object([
        "items": [
            "type": "array",
            "items": object(
                [
                    "code": string, "name": string, "kind": enumeration(["lab", "imaging"]), "validDays": integer,
                    "qualified": ["type": ["array", "null"], "items": string],
                ], required: ["code", "name", "kind", "validDays"]),
        ]
    ])
    static let recognition = object(["alliance": string, "version": integer, "catalogue": recognitionCatalogue])
}

public struct RecognitionSet: RPCMethod {
    public struct Params: RPCParams {
        let alliance: String
        let catalogue: JSONValue
        public init(reading reader: ParamReader) {
            alliance = reader.required("alliance")
            catalogue = reader.required(
                "catalogue", "{items: [{code, name, kind (lab or imaging), validDays, qualified?}]} (see docs/recognition.md).")
        }
    }
    public static let name = "recognition.set"
    public static let whoMay: WhoMay? = .coreAdmin
    public static let summary = "Publishes a new version of an alliance's catalogue of mutually recognised results (core hospital only)."
    public static var resultSchema: JSONValue { Schema.recognition }
    public static var mutates: Bool { true }
    public static func run(_ params: Params, in context: RPCContext) async throws -> RecognitionView {
        try await context.services.setRecognition(alliance: params.alliance, catalogue: params.catalogue, by: context.actor)
    }
}

public struct RecognitionList: RPCMethod {
    public struct Params: RPCParams {
        let alliance: String
        let version: Int?
        public init(reading reader: ParamReader) {
            alliance = reader.required("alliance")
            version = reader.optional("version", "Default: the current version.")
        }
    }
    public static let name = "recognition.list"
    public static let summary = "An alliance's catalogue of mutually recognised results, current or of a given version."
    public static var resultSchema: JSONValue { Schema.recognition }
    public static func run(_ params: Params, in context: RPCContext) async throws -> RecognitionView {
        try await context.services.recognition(alliance: params.alliance, version: params.version, by: context.actor)
    }
}
