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
    public struct Params: RPCParams {
        /// The Bundle as read: its problems are the parameters' own, found before anything is
        /// asked of the database.
        let inbound: Result<FHIRInbound, YilianError>
        public init(reading reader: ParamReader) {
            let bundle: JSONValue = reader.required(
                "bundle",
                "An HL7 FHIR R4 Bundle (transaction or collection) with one ServiceRequest, its Patient, the two hospitals' and the alliance's Organizations, the patient's Consent, Conditions and DocumentReferences."
            )
            inbound = Result { () throws(YilianError) in try FHIRInbound(reading: bundle) }
        }
        public var valueProblems: [Problem] { Self.problems(of: inbound) }
    }
    public static let name = "fhir.import"
    public static let whoMay: WhoMay? = .sender
    public static let summary =
        "Files a referral (or requests a consultation) from a hospital system's FHIR R4 Bundle, once per the sender's ServiceRequest identifier; every problem is told at its FHIR path."
    public static var resultSchema: JSONValue { ["anyOf": [Schema.referral, Schema.consultation]] }
    public static var mutates: Bool { true }

    public static func run(_ params: Params, in context: RPCContext) async throws -> JSONValue {
        let inbound = try params.inbound.get()
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
    public struct Params: RPCParams {
        /// The Task as read, as `FHIRImport.Params` reads its Bundle.
        let update: Result<FHIRTaskUpdate, YilianError>
        public init(reading reader: ParamReader) {
            let task: JSONValue = reader.required(
                "task",
                "An HL7 FHIR R4 Task as fhir.export gives it, its status changed: accepted, rejected (statusReason), in-progress, completed (output), cancelled (statusReason)."
            )
            update = Result { () throws(YilianError) in try FHIRTaskUpdate(reading: task) }
        }
        public var valueProblems: [Problem] { Self.problems(of: update) }
    }
    public static let name = "fhir.task"
    public static let summary =
        "Applies a hospital system's FHIR R4 Task update as the matching action of the referral or consultation, with every rule of that action; problems are told at their FHIR paths."
    public static var resultSchema: JSONValue { ["anyOf": [Schema.referral, Schema.consultation]] }
    public static var mutates: Bool { true }

    public static func run(_ params: Params, in context: RPCContext) async throws -> JSONValue {
        let update = try params.update.get()
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

extension RPCParams {
    /// The problems of a FHIR resource read as a parameter (none once it was read).
    static func problems<T>(of read: Result<T, YilianError>) -> [Problem] {
        guard case .failure(let error) = read else { return [] }
        return error.problems
    }
}
