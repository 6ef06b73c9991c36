import YilianJSON

// `Date` only, a value with no I/O: the core stays free of Foundation proper.
#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// A referral or a consultation as HL7 FHIR R4 (4.0.1) carries it (SPEC §11), in the pattern of
/// HL7's Clinical Order Workflows: a `ServiceRequest` for the request and a coordinating `Task` for
/// its workflow, with the `Patient` (resident ID masked, labelled `MASKED`), the hospitals and the
/// alliance, a `Condition` per diagnosis, a `DocumentReference` per attachment, an `Appointment`
/// for a booked slot, `Communication`s for questions, answers and opinions, and a `Provenance` per
/// event. A `Bundle` of type `collection`; every entry's `fullUrl` is a `urn:uuid:` made from what
/// the entry is, so the same case exports the same way, and every reference is one of those
/// `fullUrl`s (docs/fhir.md).
public enum FHIRBundle {
    /// Yilian's own identifier systems and code systems: `urn:yilian:<name>`.
    public static func system(_ name: String) -> String { "urn:yilian:\(name)" }

    /// The resident ID (居民身份证号) system Chinese health records name.
    public static let residentID = "urn:oid:2.16.156.10011.1.3"

    /// A Bundle's entries as they are added: each resource with its `fullUrl`.
    struct Entries {
        var items: [(String, JSONValue)] = []

        /// Adds the resource and returns a reference to it.
        mutating func add(_ type: String, _ id: String, _ members: JSONObject) -> JSONValue {
            var resource = members
            (resource["resourceType"], resource["id"]) = (.string(type), .string(id))
            items.append((fullUrl(type, id), .object(resource)))
            return ["reference": .string(fullUrl(type, id))]
        }

        var bundle: JSONValue {
            ["resourceType": "Bundle", "type": "collection", "entry": .array(items.map { ["fullUrl": .string($0.0), "resource": $0.1] })]
        }
    }

    /// The alliance a case belongs to, as its Bundle names it: the alliance, and the two
    /// hospitals' memberships (`OrganizationAffiliation`).
    public struct Alliance: Sendable {
        public var code: String, name: String
        /// The roles of the members (core, collaborating, …) by hospital code.
        public var roles: [String: MemberRole]
        public init(code: String, name: String, roles: [String: MemberRole]) { (self.code, self.name, self.roles) = (code, name, roles) }
    }

    /// What every case refers to: its patient, its two hospitals (with their memberships of the
    /// alliance), a Condition per diagnosis and a DocumentReference per attachment.
    struct Parties {
        let patient: JSONValue, sender: JSONValue, receiver: JSONValue, conditions: [JSONValue], documents: [JSONValue]

        init(
            _ id: String, patient: Patient, diagnosis: [Diagnosis], attachments: [Attachment], from: Hospital, to: Hospital,
            alliance: Alliance, agreedAt: Date, into entries: inout Entries
        ) {
            let patient = entries.add("Patient", "\(id)-patient", patientMembers(patient))
            self.patient = patient
            sender = entries.add("Organization", "org-\(from.code)", organization(from))
            receiver = entries.add("Organization", "org-\(to.code)", organization(to))
            // The patient's agreement to be referred (or to have the case consulted on), which
            // the sending hospital recorded when it filed: every case has it.
            _ = entries.add(
                "Consent", "\(id)-consent",
                [
                    "status": "active",
                    "scope": ["coding": [["system": "http://terminology.hl7.org/CodeSystem/consentscope", "code": "patient-privacy"]]],
                    "category": [["coding": [["system": "http://loinc.org", "code": "59284-0"]]]], "patient": patient,
                    "dateTime": .string(JSONCoding.iso8601(agreedAt)), "organization": [sender],
                    "policyRule": ["coding": [["system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "OPTIN"]]],
                ])
            let network = entries.add(
                "Organization", "alliance-\(alliance.code)",
                [
                    "identifier": [["system": .string(system("alliance")), "value": .string(alliance.code)]],
                    "name": .string(alliance.name), "type": [coded("organization-kind", "alliance")],
                ])
            for (hospital, reference) in [(from.code, sender), (to.code, receiver)] {
                guard let role = alliance.roles[hospital] else { continue }
                _ = entries.add(
                    "OrganizationAffiliation", "member-\(alliance.code)-\(hospital)",
                    [
                        "active": true, "organization": network, "participatingOrganization": reference,
                        "code": [coded("member-role", role.rawValue)],
                    ])
            }
            conditions = diagnosis.enumerated().map { index, diagnosis in
                entries.add("Condition", "\(id)-dx\(index + 1)", ["code": icd10(diagnosis), "subject": patient])
            }
            documents = attachments.enumerated().map { index, attachment in
                // The 互认 item and the alliance's decision on it (its reason, SPEC §13); the day
                // it was performed as the period of service, the hospital as its author.
                var document: JSONObject = [
                    "status": "current", "type": coded("attachment-kind", attachment.kind.rawValue),
                    "category": .array(
                        [
                            attachment.item.map { coded("recognition-item", $0) },
                            attachment.recognition.map { coded("recognition", $0.reason.rawValue) },
                        ]
                        .compactMap { $0 }),
                    "identifier": [["system": .string(system("attachment")), "value": .string(attachment.reference)]],
                    "subject": patient, "content": [["attachment": ["title": .string(attachment.title)]]],
                ]
                if document["category"] == [] { document["category"] = nil }
                document["context"] = attachment.performedAt.map { ["period": ["start": .string($0)]] }
                document["author"] = attachment.performedBy.map {
                    [["identifier": ["system": .string(system("hospital")), "value": .string($0)]]]
                }
                return entries.add("DocumentReference", "\(id)-doc\(index + 1)", document)
            }
        }

        /// The ServiceRequest's references to them.
        func request(_ members: JSONObject) -> JSONObject {
            var request = members
            (request["subject"], request["requester"], request["performer"]) = (patient, sender, [receiver])
            if !conditions.isEmpty { request["reasonReference"] = .array(conditions) }
            if !documents.isEmpty { request["supportingInfo"] = .array(documents) }
            return request
        }

        /// The Task's references to them, and why it ended when it was rejected, declined or
        /// cancelled (`history`'s last event: a coding of `reasons` and its text).
        func task(_ members: JSONObject, focus: JSONValue, history: [MachineEvent], reasons: String) -> JSONObject {
            var task = members
            if let ended = history.last, ["reject", "decline", "cancel"].contains(ended.action) {
                var reason: JSONObject = [:]
                if let code = ended.details?["reasonCode"] { reason["coding"] = [["system": .string(system(reasons)), "code": code]] }
                reason["text"] = ended.reason.map(JSONValue.string)
                if !reason.isEmpty { task["statusReason"] = .object(reason) }
            }
            (task["basedOn"], task["focus"], task["for"]) = ([focus], focus, patient)
            (task["requester"], task["owner"]) = (sender, receiver)
            task["intent"] = "order"
            task["code"] = ["coding": [["system": "http://hl7.org/fhir/CodeSystem/task-code", "code": "fulfill"]]]
            return task
        }
    }

    /// A Provenance per event of `id`'s history (kind `referral` or `consultation`), its target the Task.
    static func provenances(_ id: String, _ history: [MachineEvent], kind: String, target: JSONValue, into entries: inout Entries) {
        for event in history {
            var who: JSONObject = ["identifier": ["system": .string(system("user")), "value": .string(event.actor)]]
            if let name = event.actorName { who["display"] = .string(name) }
            _ = entries.add(
                "Provenance", "\(id)-event\(event.seq)",
                [
                    "target": [target], "recorded": .string(JSONCoding.iso8601(event.at)),
                    "activity": coded("\(kind)-action", event.action), "agent": [["who": .object(who)]],
                ])
        }
    }

    /// `facts` (its patient masked), its events, the sending and receiving hospitals, its alliance
    /// and, when a slot is booked, the day of the appointment (its start and end in the alliance's
    /// time zone: slots are dates).
    public static func referral(
        _ facts: ReferralFacts, history: [MachineEvent], from: Hospital, to: Hospital, alliance: Alliance,
        appointment day: (start: Date, end: Date)? = nil
    ) -> JSONValue {
        var entries = Entries()
        let parties = Parties(
            facts.id, patient: facts.patient, diagnosis: facts.diagnosis, attachments: facts.attachments, from: from, to: to,
            alliance: alliance, agreedAt: facts.createdAt, into: &entries)
        let identifier: JSONValue = [["system": .string(system("referral")), "value": .string(facts.id)]]
        var request: JSONObject = [
            "identifier": identifiers(identifier, sender: facts.senderIdentifier), "status": .string(requestStatus(facts.status)),
            "intent": "order",
            "category": .array(categories(facts)), "priority": .string(priority(facts.priority)),
            "authoredOn": .string(JSONCoding.iso8601(facts.createdAt)),
            "note": .array(([facts.reason] + [facts.summary].compactMap { $0 }).map { ["text": .string($0)] }),
        ]
        if let parent = facts.parent {
            request["basedOn"] = [["identifier": ["system": .string(system("referral")), "value": .string(parent)]]]
        }
        let serviceRequest = entries.add("ServiceRequest", facts.id, parties.request(request))
        var task: JSONObject = [
            "identifier": identifier, "status": .string(facts.status.fhirStatus),
            "businessStatus": coded("referral-status", facts.status.rawValue),
            "authoredOn": .string(JSONCoding.iso8601(facts.createdAt)), "lastModified": .string(JSONCoding.iso8601(facts.updatedAt)),
            "restriction": ["period": ["end": .string(JSONCoding.iso8601(facts.respondBy))]],
        ]
        if let outcome = facts.outcome {
            task["output"] = [
                ["type": ["text": "outcome"], "valueString": .string(outcome.summary)],
                ["type": ["text": "recommendation"], "valueCode": .string(outcome.recommendation.rawValue)],
            ]
        }
        let coordinating = entries.add(
            "Task", "\(facts.id)-task", parties.task(task, focus: serviceRequest, history: history, reasons: "reject-reason"))
        if let day, let status = appointmentStatus(facts.status) {
            _ = entries.add(
                "Appointment", "\(facts.id)-appointment",
                [
                    "status": .string(status), "basedOn": [serviceRequest], "start": .string(JSONCoding.iso8601(day.start)),
                    "end": .string(JSONCoding.iso8601(day.end)), "participant": [["actor": parties.patient, "status": "accepted"]],
                ])
        }
        // The receiver's questions and the sender's answers, each answer in response to the question.
        var question: JSONValue?
        for event in history where event.action == "requestInfo" || event.action == "provideInfo" {
            let asking = event.action == "requestInfo"
            var message: JSONObject = [
                "status": "completed", "category": [coded("communication-kind", asking ? "info-request" : "info-answer")],
                "basedOn": [serviceRequest], "partOf": [coordinating], "subject": parties.patient,
                "sent": .string(JSONCoding.iso8601(event.at)), "sender": asking ? parties.receiver : parties.sender,
                "recipient": [asking ? parties.sender : parties.receiver], "payload": [["contentString": .string(event.reason ?? "")]],
            ]
            if !asking, let question { message["inResponseTo"] = [question] }
            let sent = entries.add("Communication", "\(facts.id)-message\(event.seq)", message)
            if asking { question = sent }
        }
        provenances(facts.id, history, kind: "referral", target: coordinating, into: &entries)
        return entries.bundle
    }

    /// Appointment.status (appointmentstatus) of a referral with a booked slot (a cancelled one's
    /// last booked); none before it is scheduled.
    public static func appointmentStatus(_ status: ReferralMachine.Status) -> String? {
        switch status {
        case .scheduled: return "booked"
        case .inTreatment: return "arrived"
        case .completed, .closed: return "fulfilled"
        case .noShow: return "noshow"
        case .cancelled: return "cancelled"
        case .requested, .infoRequested, .accepted, .rejected, .expired: return nil
        }
    }

    /// A consultation (SPEC §7) the same way: its ServiceRequest of category `consultation`, the
    /// Task whose output is the conclusion and a Communication per expert's opinion.
    public static func consultation(
        _ facts: ConsultationFacts, history: [MachineEvent], from: Hospital, to: Hospital, alliance: Alliance
    ) -> JSONValue {
        var entries = Entries()
        let parties = Parties(
            facts.id, patient: facts.patient, diagnosis: facts.diagnosis, attachments: facts.attachments, from: from, to: to,
            alliance: alliance, agreedAt: facts.createdAt, into: &entries)
        let identifier: JSONValue = [["system": .string(system("consultation")), "value": .string(facts.id)]]
        var categories = [coded("request-kind", "consultation"), coded("consultation-mode", facts.mode.rawValue)]
        if facts.priority == .emergency { categories.append(coded("green-channel", "emergency")) }
        var request: JSONObject = [
            "identifier": identifiers(identifier, sender: facts.senderIdentifier), "status": .string(requestStatus(facts.status)),
            "intent": "order", "category": .array(categories), "priority": .string(priority(facts.priority)),
            "authoredOn": .string(JSONCoding.iso8601(facts.createdAt)), "note": [["text": .string(facts.question)]],
        ]
        if let referral = facts.referral {
            request["basedOn"] = [["identifier": ["system": .string(system("referral")), "value": .string(referral)]]]
        }
        let serviceRequest = entries.add("ServiceRequest", facts.id, parties.request(request))
        let taskID = "\(facts.id)-task"
        let opinions = facts.opinions.enumerated().map { index, opinion in
            entries.add(
                "Communication", "\(facts.id)-opinion\(index + 1)",
                [
                    "status": "completed", "basedOn": [serviceRequest], "partOf": [["reference": .string(fullUrl("Task", taskID))]],
                    "subject": parties.patient, "sent": .string(JSONCoding.iso8601(opinion.at)),
                    "sender": ["identifier": ["system": .string(system("user")), "value": .string(opinion.expert)]],
                    "recipient": [parties.sender], "topic": coded("opinion-recommendation", opinion.recommendation.rawValue),
                    "payload": [["contentString": .string(opinion.summary)]],
                ])
        }
        var task: JSONObject = [
            "identifier": identifier, "status": .string(taskStatus(facts.status, opined: !facts.opinions.isEmpty)),
            "businessStatus": coded("consultation-status", facts.status.rawValue),
            "authoredOn": .string(JSONCoding.iso8601(facts.createdAt)), "lastModified": .string(JSONCoding.iso8601(facts.updatedAt)),
            "restriction": ["period": ["end": .string(JSONCoding.iso8601(facts.respondBy))]],
        ]
        let output =
            opinions.map { ["type": ["text": "opinion"], "valueReference": $0] as JSONValue }
            + [facts.conclusion].compactMap { $0 }.map { ["type": ["text": "conclusion"], "valueString": .string($0)] }
        if !output.isEmpty { task["output"] = .array(output) }
        let coordinating = entries.add(
            "Task", taskID, parties.task(task, focus: serviceRequest, history: history, reasons: "decline-reason"))
        provenances(facts.id, history, kind: "consultation", target: coordinating, into: &entries)
        return entries.bundle
    }

    /// A consultation's ServiceRequest.status: active while open, completed once answered, revoked
    /// when it ended without an answer.
    public static func requestStatus(_ status: ConsultationMachine.Status) -> String {
        switch status {
        case .requested, .accepted, .scheduled: return "active"
        case .answered, .closed: return "completed"
        case .declined, .cancelled, .expired: return "revoked"
        }
    }

    /// A consultation's Task.status (task-status): in progress once an expert has given an opinion.
    public static func taskStatus(_ status: ConsultationMachine.Status, opined: Bool) -> String {
        switch status {
        case .requested: return "requested"
        case .accepted, .scheduled: return opined ? "in-progress" : "accepted"
        case .answered, .closed: return "completed"
        case .declined: return "rejected"
        case .cancelled, .expired: return "cancelled"
        }
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

    /// A ServiceRequest's identifiers: Yilian's, and the sending system's own when it came in through FHIR.
    static func identifiers(_ yilian: JSONValue, sender: SenderIdentifier?) -> JSONValue {
        .array((yilian.arrayValue ?? []) + [sender?.json].compactMap { $0 })
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
