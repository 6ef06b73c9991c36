import YilianCore
import YilianJSON
import YilianServices

extension MethodTable {
    /// Every method Yilian serves.
    public static let yilian = MethodTable(methods: [
        Discover.self, SystemPing.self, SystemVersion.self, SystemWhoAmI.self,
        UserAdd.self, UserList.self, UserDisable.self, AuditList.self,
        SpecialtyList.self, HospitalRegister.self, HospitalImport.self, HospitalGet.self, HospitalList.self,
        AllianceCreate.self, AllianceGet.self, AllianceList.self, CriteriaSetMethod.self, CriteriaGet.self, CriteriaEvaluate.self,
        RecognitionSet.self, RecognitionList.self, PracticeRegister.self, PracticeList.self, OutreachPublish.self, OutreachBook.self,
        OutreachCancel.self, OutreachList.self, PlanBurden.self, PlanSpecialties.self, PlanAlliance.self,
        MembershipApply.self, MembershipUpdate.self, MembershipDecide.self, MembershipWithdraw.self,
        MembershipSuspend.self, MembershipReinstate.self, MembershipRevoke.self,
        MembershipGet.self, MembershipList.self, MembershipReview.self,
        ReferralFile.self,
        MachineAction<ReferralAccept>.self, MachineAction<ReferralReject>.self,
        MachineAction<ReferralRequestInfo>.self, MachineAction<ReferralProvideInfo>.self, MachineAction<ReferralRedirect>.self,
        MachineAction<ReferralSchedule>.self, MachineAction<ReferralReschedule>.self,
        MachineAction<ReferralArrive>.self, MachineAction<ReferralNoShow>.self, MachineAction<ReferralComplete>.self,
        MachineAction<ReferralAcknowledge>.self, MachineAction<ReferralCancel>.self,
        ReferralGet.self, ReferralList.self, ReferralHistoryMethod.self, ReferralSweep.self,
        SlotsPublish.self, SlotsList.self, WorklistGet.self, ReportIndicators.self,
        ConsultationRequestMethod.self,
        MachineAction<ConsultationAccept>.self, MachineAction<ConsultationDecline>.self, MachineAction<ConsultationSchedule>.self,
        MachineAction<ConsultationOpine>.self, MachineAction<ConsultationConclude>.self,
        MachineAction<ConsultationAcknowledge>.self, MachineAction<ConsultationCancel>.self, ConsultationConvert.self,
        ConsultationGet.self, ConsultationList.self, ConsultationHistoryMethod.self,
        EventsList.self, EventsSubscribe.self, EventsUnsubscribe.self,
        FHIRExport.self, FHIRImport.self, FHIRTask.self,
    ])
}

/// Schema helpers for result descriptions.
enum Schema {
    static func object(_ properties: JSONObject, required: [String]? = nil) -> JSONValue {
        [
            "type": "object", "properties": .object(properties),
            "required": .array((required ?? properties.keys.sorted()).map { .string($0) }),
        ]
    }

    static func page(of item: JSONValue) -> JSONValue {
        object(["items": ["type": "array", "items": item], "nextCursor": ["type": ["string", "null"]]])
    }
}

public struct Discover: RPCMethod {
    public static let name = "rpc.discover"
    public static let summary = "The OpenRPC document of every method, with JSON Schemas."
    public static var resultSchema: JSONValue { ["$ref": "https://meta.open-rpc.org/"] }
    public static func run(_ params: NoParams, in context: RPCContext) async throws -> JSONValue { context.discovery }
}

public struct SystemPing: RPCMethod {
    public struct Pong: Encodable, Sendable { let pong = true }
    public static let name = "system.ping"
    public static let summary = "Answers at once; for liveness checks. Needs no database."
    public static var resultSchema: JSONValue { Schema.object(["pong": ["const": true]]) }
    public static func run(_ params: NoParams, in context: RPCContext) async throws -> Pong { Pong() }
}

public struct SystemVersion: RPCMethod {
    public static let name = "system.version"
    public static let summary = "The service version and the schema version it expects."
    public static var resultSchema: JSONValue {
        Schema.object(["version": ["type": "string"], "schemaVersion": ["type": "integer"]])
    }
    public static func run(_ params: NoParams, in context: RPCContext) async throws -> VersionInfo {
        Services.versionInfo()
    }
}

public struct SpecialtyList: RPCMethod {
    public static let name = "specialty.list"
    public static let summary = "The specialty catalog (code and Chinese name), in catalog order."
    public static var resultSchema: JSONValue {
        Schema.page(of: Schema.object(["code": ["type": "string"], "name": ["type": "string"]]))
    }
    public static func run(_ params: NoParams, in context: RPCContext) async throws -> Page<Specialty> {
        try await context.services.specialties(by: context.actor)
    }
}
