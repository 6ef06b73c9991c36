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
        "A referral or a consultation as an HL7 FHIR R4 Bundle (collection): ServiceRequest, Task, Patient (resident ID masked), Organizations, Consent, Conditions, DocumentReferences, a Provenance per event, a Communication per opinion."
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

public struct FHIRImport: RPCMethod {
    public typealias Params = FHIRParams<FHIRInbound>
    public static let name = "fhir.import"
    public static let whoMay: WhoMay? = .sender
    public static let summary =
        "Files a referral (or requests a consultation) from a hospital system's FHIR R4 Bundle, once per the sender's ServiceRequest identifier; every problem is told at its FHIR path."
    public static var resultSchema: JSONValue { ["anyOf": [Schema.referral, Schema.consultation]] }
    public static var mutates: Bool { true }

    public static func run(_ params: Params, in context: RPCContext) async throws -> JSONValue {
        let inbound = try params.read.get()
        do {
            let filing: FHIRFiling
            switch inbound.kind {
            case .referral: filing = .referral(try ReferralFile.Params.decode(.object(inbound.params)).request)
            case .consultation: filing = .consultation(try ConsultationRequestMethod.Params.decode(.object(inbound.params)).request)
            }
            return try await context.services.fhirImport(filing, identifier: inbound.identifier, by: context.actor)
        } catch let error as YilianError where error.code == .invalidParams {
            throw error.placing(inbound.place(of:))
        } catch let error as YilianError where error.code == .notFound && error.text?.key.hasPrefix("error.hospitalNotFound") == true {
            // A hospital the Bundle names by an identifier no registered hospital has.
            let code = error.text?.arguments.first?.text(in: .en) ?? ""
            let parameter = inbound.params["to"]?.stringValue == code ? "to" : "from"
            throw YilianError.invalidParams([Problem(inbound.place(of: parameter), Text("fhir.unknownHospital", code))])
        }
    }
}

public struct FHIRTask: RPCMethod {
    public typealias Params = FHIRParams<FHIRTaskUpdate>
    public static let name = "fhir.task"
    public static let summary =
        "Applies a hospital system's FHIR R4 Task update as the matching action of the referral or consultation, with every rule of that action; problems are told at their FHIR paths."
    public static var resultSchema: JSONValue { ["anyOf": [Schema.referral, Schema.consultation]] }
    public static var mutates: Bool { true }

    public static func run(_ params: Params, in context: RPCContext) async throws -> JSONValue {
        let update = try params.read.get()
        guard let action = MethodTable.yilian.entry(named: update.method) else { throw YilianError.internalFailure }
        var members = update.params
        members["actor"] = context.actor.map { ["user": .string($0.user), "hospital": .string($0.hospital)] }
        do {
            return try JSONValue(parsing: Array(try await action.call(.object(members), context)))
        } catch let error as YilianError {
            throw error.placing(update.place(of:))
        }
    }
}

/// A FHIR resource as read from the one parameter that carries it.
public protocol FHIRResource: Sendable {
    /// The parameter's name and description.
    static var parameter: (name: String, summary: String) { get }
    init(reading resource: JSONValue) throws(YilianError)
}

extension FHIRInbound: FHIRResource {
    public static let parameter = (
        name: "bundle",
        summary:
            "An HL7 FHIR R4 Bundle (transaction or collection) with one ServiceRequest, its Patient, the two hospitals' and the alliance's Organizations, the patient's Consent, Conditions and DocumentReferences."
    )
}

extension FHIRTaskUpdate: FHIRResource {
    public static let parameter = (
        name: "task",
        summary:
            "An HL7 FHIR R4 Task as fhir.export gives it, its status changed: accepted, rejected (statusReason), in-progress, completed (output), cancelled (statusReason)."
    )
}

/// The parameters of a method that takes one FHIR resource: the resource as read, whose problems
/// are the parameters' own, found before anything is asked of the database.
public struct FHIRParams<Resource: FHIRResource>: RPCParams {
    let read: Result<Resource, YilianError>
    public init(reading reader: ParamReader) {
        let resource: JSONValue = reader.required(Resource.parameter.name, Resource.parameter.summary)
        read = Result { () throws(YilianError) in try Resource(reading: resource) }
    }
    public var valueProblems: [Problem] {
        guard case .failure(let error) = read else { return [] }
        return error.problems
    }
}
