import YilianJSON

// `Date` only, a value with no I/O: the core stays free of Foundation proper.
#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// A referral as HL7 FHIR R4 (4.0.1) carries it (SPEC §11), in the pattern of HL7's Clinical Order
/// Workflows: a `ServiceRequest` for the request, a coordinating `Task` for its workflow, one
/// `Provenance` per event, and the `Patient` (resident ID masked, labelled `MASKED`), the two
/// hospitals' `Organization`s and a `Condition` per diagnosis they refer to. A `Bundle` of type
/// `collection`; every entry's `fullUrl` is a `urn:uuid:` made from what the entry is, so an export
/// of the same referral is the same, and every reference is one of those `fullUrl`s.
public enum FHIRBundle {
    /// Yilian's own identifier systems and code systems: `urn:yilian:<name>`.
    public static func system(_ name: String) -> String { "urn:yilian:\(name)" }

    /// The resident ID (居民身份证号) system Chinese health records name.
    public static let residentID = "urn:oid:2.16.156.10011.1.3"

    /// `facts` (its patient masked), its events, and the sending and receiving hospitals.
    public static func referral(_ facts: ReferralFacts, history: [MachineEvent], from: Hospital, to: Hospital) -> JSONValue {
        var entries: [(String, JSONValue)] = []
        func add(_ type: String, _ id: String, _ members: JSONObject) -> JSONValue {
            var resource = members
            (resource["resourceType"], resource["id"]) = (.string(type), .string(id))
            entries.append((fullUrl(type, id), .object(resource)))
            return ["reference": .string(fullUrl(type, id))]
        }
        let patient = add("Patient", "\(facts.id)-patient", patientMembers(facts.patient))
        let sender = add("Organization", "org-\(from.code)", organization(from))
        let receiver = add("Organization", "org-\(to.code)", organization(to))
        let conditions = facts.diagnosis.enumerated().map { index, diagnosis in
            add("Condition", "\(facts.id)-dx\(index + 1)", ["code": icd10(diagnosis), "subject": patient])
        }
        let identifier: JSONValue = [["system": .string(system("referral")), "value": .string(facts.id)]]
        var request: JSONObject = [
            "identifier": identifier, "status": .string(requestStatus(facts.status)), "intent": "order",
            "category": .array(categories(facts)), "priority": .string(priority(facts.priority)),
            "subject": patient, "requester": sender, "performer": [receiver],
            "authoredOn": .string(JSONCoding.iso8601(facts.createdAt)),
            "note": .array(([facts.reason] + [facts.summary].compactMap { $0 }).map { ["text": .string($0)] }),
        ]
        if !conditions.isEmpty { request["reasonReference"] = .array(conditions) }
        if let parent = facts.parent {
            request["basedOn"] = [["identifier": ["system": .string(system("referral")), "value": .string(parent)]]]
        }
        let serviceRequest = add("ServiceRequest", facts.id, request)
        var task: JSONObject = [
            "identifier": identifier, "basedOn": [serviceRequest], "focus": serviceRequest, "for": patient,
            "status": .string(facts.status.fhirStatus), "intent": "order",
            "businessStatus": coded("referral-status", facts.status.rawValue),
            "code": ["coding": [["system": "http://hl7.org/fhir/CodeSystem/task-code", "code": "fulfill"]]],
            "requester": sender, "owner": receiver, "authoredOn": .string(JSONCoding.iso8601(facts.createdAt)),
            "lastModified": .string(JSONCoding.iso8601(facts.updatedAt)),
            "restriction": ["period": ["end": .string(JSONCoding.iso8601(facts.respondBy))]],
        ]
        if let outcome = facts.outcome {
            task["output"] = [
                ["type": ["text": "outcome"], "valueString": .string(outcome.summary)],
                ["type": ["text": "recommendation"], "valueCode": .string(outcome.recommendation.rawValue)],
            ]
        }
        let coordinating = add("Task", "\(facts.id)-task", task)
        for event in history {
            var agent: JSONObject = ["who": ["identifier": ["system": .string(system("user")), "value": .string(event.actor)]]]
            if let name = event.actorName { agent["who"] = ["identifier": agent["who"]?["identifier"] ?? .null, "display": .string(name)] }
            _ = add(
                "Provenance", "\(facts.id)-event\(event.seq)",
                [
                    "target": [coordinating], "recorded": .string(JSONCoding.iso8601(event.at)),
                    "activity": coded("referral-action", event.action), "agent": [.object(agent)],
                ])
        }
        return [
            "resourceType": "Bundle", "type": "collection",
            "entry": .array(entries.map { ["fullUrl": .string($0.0), "resource": $0.1] }),
        ]
    }

    /// ServiceRequest.status (request-status): active while open, completed, or revoked when it
    /// ended without being done.
    public static func requestStatus(_ status: ReferralMachine.Status) -> String {
        switch status {
        case .requested, .infoRequested, .accepted, .scheduled, .inTreatment: return "active"
        case .completed, .closed: return "completed"
        case .rejected, .cancelled, .expired, .noShow: return "revoked"
        }
    }

    /// ServiceRequest.priority (request-priority): an emergency is `stat`, with the green-channel
    /// category.
    public static func priority(_ priority: Priority) -> String {
        switch priority {
        case .routine: return "routine"
        case .urgent: return "urgent"
        case .emergency: return "stat"
        }
    }

    static func categories(_ facts: ReferralFacts) -> [JSONValue] {
        var categories = [
            coded("request-kind", "referral"), coded("direction", facts.direction.rawValue), coded("setting", facts.setting.rawValue),
        ]
        if facts.priority == .emergency { categories.append(coded("green-channel", "emergency")) }
        return categories
    }

    static func patientMembers(_ patient: Patient) -> JSONObject {
        var members: JSONObject = [
            "meta": ["security": [["system": "http://terminology.hl7.org/CodeSystem/v3-ObservationValue", "code": "MASKED"]]],
            "name": [["text": .string(patient.name)]], "gender": .string(patient.sex.rawValue), "birthDate": .string(patient.birthDate),
        ]
        if let id = patient.idNumber { members["identifier"] = [["system": .string(residentID), "value": .string(id)]] }
        if let phone = patient.phone { members["telecom"] = [["system": "phone", "value": .string(phone)]] }
        return members
    }

    static func organization(_ hospital: Hospital) -> JSONObject {
        [
            "identifier": [["system": .string(system("hospital")), "value": .string(hospital.code)]], "name": .string(hospital.name),
            "type": [coded("hospital-level", String(hospital.level))],
        ]
    }

    static func icd10(_ diagnosis: Diagnosis) -> JSONValue {
        ["coding": [["system": "http://hl7.org/fhir/sid/icd-10", "code": .string(diagnosis.code), "display": .string(diagnosis.name)]]]
    }

    static func coded(_ codeSystem: String, _ code: String) -> JSONValue {
        ["coding": [["system": .string(system(codeSystem)), "code": .string(code)]]]
    }

    /// `urn:uuid:` and a UUID (RFC 9562 version 8) made from the resource's type and id: the same
    /// resource has the same `fullUrl` in every export.
    static func fullUrl(_ type: String, _ id: String) -> String {
        // Two FNV-1a 64-bit hashes of the name (the second over it reversed) as the 128 bits.
        func fnv(_ bytes: some Sequence<UInt8>) -> UInt64 {
            bytes.reduce(0xcbf2_9ce4_8422_2325) { ($0 ^ UInt64($1)) &* 0x0000_0100_0000_01b3 }
        }
        let name = Array("\(type)/\(id)".utf8)
        var bytes = withUnsafeBytes(of: fnv(name).bigEndian, Array.init) + withUnsafeBytes(of: fnv(name.reversed()).bigEndian, Array.init)
        bytes[6] = (bytes[6] & 0x0f) | 0x80
        bytes[8] = (bytes[8] & 0x3f) | 0x80
        let hex = bytes.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
        let parts = [
            hex.prefix(8), hex.dropFirst(8).prefix(4), hex.dropFirst(12).prefix(4), hex.dropFirst(16).prefix(4), hex.dropFirst(20),
        ]
        return "urn:uuid:" + parts.joined(separator: "-")
    }
}
