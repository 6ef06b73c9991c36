import YilianCore
import YilianJSON
import YilianServices

extension MethodTable {
    /// Every method Yilian serves.
    public static let yilian = MethodTable([
        MethodTable.method(Discover.self),
        MethodTable.method(SystemPing.self),
        MethodTable.method(SystemVersion.self),
        MethodTable.method(SystemWhoAmI.self),
        MethodTable.method(UserAdd.self),
        MethodTable.method(UserList.self),
        MethodTable.method(UserDisable.self),
        MethodTable.method(AuditList.self),
        MethodTable.method(SpecialtyList.self),
        MethodTable.method(HospitalRegister.self),
        MethodTable.method(HospitalGet.self),
        MethodTable.method(HospitalList.self),
        MethodTable.method(AllianceCreate.self),
        MethodTable.method(AllianceGet.self),
        MethodTable.method(AllianceList.self),
        MethodTable.method(CriteriaSetMethod.self),
        MethodTable.method(CriteriaGet.self),
        MethodTable.method(CriteriaEvaluate.self),
        MethodTable.method(MembershipApply.self),
        MethodTable.method(MembershipUpdate.self),
        MethodTable.method(MembershipDecide.self),
        MethodTable.method(MembershipWithdraw.self),
        MethodTable.method(MembershipSuspend.self),
        MethodTable.method(MembershipReinstate.self),
        MethodTable.method(MembershipRevoke.self),
        MethodTable.method(MembershipGet.self),
        MethodTable.method(MembershipList.self),
        MethodTable.method(MembershipReview.self),
        MethodTable.method(ReferralFile.self),
        MethodTable.method(MachineAction<ReferralAccept>.self),
        MethodTable.method(MachineAction<ReferralReject>.self),
        MethodTable.method(MachineAction<ReferralRequestInfo>.self),
        MethodTable.method(MachineAction<ReferralProvideInfo>.self),
        MethodTable.method(MachineAction<ReferralRedirect>.self),
        MethodTable.method(MachineAction<ReferralSchedule>.self),
        MethodTable.method(MachineAction<ReferralReschedule>.self),
        MethodTable.method(MachineAction<ReferralArrive>.self),
        MethodTable.method(MachineAction<ReferralNoShow>.self),
        MethodTable.method(MachineAction<ReferralComplete>.self),
        MethodTable.method(MachineAction<ReferralAcknowledge>.self),
        MethodTable.method(MachineAction<ReferralCancel>.self),
        MethodTable.method(ReferralGet.self),
        MethodTable.method(ReferralList.self),
        MethodTable.method(ReferralHistoryMethod.self),
        MethodTable.method(ReferralSweep.self),
        MethodTable.method(SlotsPublish.self),
        MethodTable.method(SlotsList.self),
        MethodTable.method(WorklistGet.self),
        MethodTable.method(ReportIndicators.self),
        MethodTable.method(ConsultationRequestMethod.self),
        MethodTable.method(MachineAction<ConsultationAccept>.self),
        MethodTable.method(MachineAction<ConsultationDecline>.self),
        MethodTable.method(MachineAction<ConsultationSchedule>.self),
        MethodTable.method(MachineAction<ConsultationOpine>.self),
        MethodTable.method(MachineAction<ConsultationConclude>.self),
        MethodTable.method(MachineAction<ConsultationAcknowledge>.self),
        MethodTable.method(MachineAction<ConsultationCancel>.self),
        MethodTable.method(ConsultationConvert.self),
        MethodTable.method(ConsultationGet.self),
        MethodTable.method(ConsultationList.self),
        MethodTable.method(ConsultationHistoryMethod.self),
        MethodTable.method(EventsList.self),
        MethodTable.method(EventsSubscribe.self),
        MethodTable.method(EventsUnsubscribe.self),
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
