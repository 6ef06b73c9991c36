import YilianCore
import YilianJSON
import YilianServices

public struct FHIRExport: RPCMethod {
    public struct Params: RPCParams {
        let id: String
        public init(reading reader: ParamReader) { id = reader.required("id", "A referral (R-000042) or a consultation (C-000042).") }
    }
    public static let name = "fhir.export"
    public static let summary =
        "A referral or a consultation as an HL7 FHIR R4 Bundle (collection): ServiceRequest, Task, Patient (resident ID masked), Organizations, Conditions, DocumentReferences, a Provenance per event, a Communication per opinion."
    public static var resultSchema: JSONValue {
        [
            "type": "object", "description": "An HL7 FHIR R4 Bundle of type collection.",
            "properties": ["resourceType": ["const": "Bundle"], "type": ["const": "collection"], "entry": ["type": "array"]],
            "required": ["resourceType", "type", "entry"],
        ]
    }
    public static func run(_ params: Params, in context: RPCContext) async throws -> JSONValue {
        try await context.services.fhirExport(params.id, by: context.actor)
    }
}
