import YilianJSON

/// What a hospital system's FHIR R4 Bundle asks (SPEC §11, `fhir.import`): the parameters of
/// `referral.file` or `consultation.request` it carries, the sender system's own identifier of
/// its ServiceRequest, and where in the Bundle each parameter was read, so that every problem the
/// filing finds is told at its FHIR path (`Bundle.entry[2].resource.birthDate`).
///
/// Read: one ServiceRequest (`status` active, `intent` order, `category` of `urn:yilian:request-kind`
/// referral or consultation, with `urn:yilian:setting` or `urn:yilian:consultation-mode`,
/// `priority` routine, urgent or stat), the Patient its `subject` refers to, the Organizations of
/// its `requester` and its one `performer` (by `urn:yilian:hospital` identifier), the alliance's
/// Organization (`urn:yilian:alliance`), an active Consent of the patient, the Conditions of its
/// `reasonReference` (ICD-10) and the DocumentReferences of its `supportingInfo`. References are
/// `fullUrl`s (`urn:uuid:…`) or relative (`Patient/123`); every other entry is left alone.
public struct FHIRInbound: Sendable, Equatable {
    public enum Kind: String, Sendable { case referral, consultation }

    public let kind: Kind
    /// The parameters of `referral.file` (a referral) or `consultation.request` (a consultation).
    public let params: JSONObject
    public let identifier: SenderIdentifier
    /// Where each parameter was read.
    let places: FHIRPlaces

    /// A referral's Bundle holds tens of entries; more than this is refused before it is read.
    public static let entriesAtMost = 1_000

    /// The FHIR path of a parameter path (`patient.birthDate`).
    public func place(of path: String) -> String { places.place(of: path) }

    /// Reads `bundle`; every problem found is thrown at once as `invalid_params` with its FHIR path.
    public init(reading bundle: JSONValue) throws(YilianError) {
        var reader = Reader()
        let read = reader.read(bundle)
        guard let read, reader.problems.isEmpty else {
            throw YilianError.invalidParams(Array(reader.problems.prefix(FileProblems.listedAtMost)))
        }
        self = read
    }

    init(kind: Kind, params: JSONObject, identifier: SenderIdentifier, places: FHIRPlaces) {
        (self.kind, self.params, self.identifier, self.places) = (kind, params, identifier, places)
    }
}

extension FHIRInbound {
    /// Reads a Bundle in one pass over what the ServiceRequest refers to.
    fileprivate struct Reader {
        var problems: [Problem] = []
        var places: [String: String] = [:]
        var entries: [JSONValue] = []
        /// A reference (`fullUrl`, or `Type/id`) → its entry.
        var index: [String: Int] = [:]

        mutating func problem(_ path: String, _ text: Text) { problems.append(Problem(path, text)) }

        mutating func read(_ bundle: JSONValue) -> FHIRInbound? {
            guard bundle["resourceType"] == "Bundle" else {
                problem("Bundle.resourceType", Text("problem.oneOf", "Bundle"))
                return nil
            }
            if !["transaction", "collection"].contains(bundle["type"]?.stringValue ?? "") {
                problem("Bundle.type", Text("problem.oneOf", "transaction, collection"))
            }
            guard case .array(let entries)? = bundle["entry"] else {
                problem("Bundle.entry", Text("problem.array"))
                return nil
            }
            guard entries.count <= FHIRInbound.entriesAtMost else {
                problem("Bundle.entry", Text("fhir.entries", entries.count, FHIRInbound.entriesAtMost))
                return nil
            }
            self.entries = entries
            for (number, entry) in entries.enumerated() {
                guard let type = entry["resource"]?["resourceType"]?.stringValue else {
                    problem("Bundle.entry[\(number)].resource.resourceType", Text("problem.required"))
                    continue
                }
                if let url = entry["fullUrl"]?.stringValue { index[url] = number }
                if let id = entry["resource"]?["id"]?.stringValue { index["\(type)/\(id)"] = number }
            }
            let requests = entries.indices.filter { entries[$0]["resource"]?["resourceType"] == "ServiceRequest" }
            guard requests.count == 1, let request = entries[requests[0]]["resource"] else {
                problem("Bundle.entry", Text("fhir.serviceRequests", requests.count))
                return nil
            }
            return serviceRequest(request, at: "Bundle.entry[\(requests[0])].resource")
        }

        mutating func serviceRequest(_ request: JSONValue, at path: String) -> FHIRInbound? {
            let identifier = senderIdentifier(request["identifier"], at: "\(path).identifier")
            if request["status"] != "active" { problem("\(path).status", Text("problem.oneOf", "active")) }
            if request["intent"] != "order" { problem("\(path).intent", Text("problem.oneOf", "order")) }
            let categories = request["category"]?.arrayValue ?? []
            func category(_ name: String) -> JSONValue? { code(in: categories, system: FHIRBundle.system(name)) }
            let kind = Kind(rawValue: category("request-kind")?.stringValue ?? Kind.referral.rawValue)
            if kind == nil { problem("\(path).category", Text("problem.oneOf", "referral, consultation")) }
            var params: JSONObject = [:]
            (params["priority"], places["priority"]) = (priority(request["priority"], at: "\(path).priority"), "\(path).priority")
            if kind == .consultation {
                params["mode"] = category("consultation-mode")
            } else {
                (params["direction"], params["setting"]) = (category("direction"), category("setting"))
            }
            for name in ["mode", "direction", "setting"] { places[name] = "\(path).category" }

            let patient = resolve(request["subject"], at: "\(path).subject", as: "Patient")
            if let patient { params["patient"] = .object(self.patient(patient.resource, at: patient.path)) }
            params["from"] = hospital(resolve(request["requester"], at: "\(path).requester", as: "Organization"), as: "from")
            let performers = request["performer"]?.arrayValue ?? []
            if performers.count == 1 {
                params["to"] = hospital(resolve(performers[0], at: "\(path).performer[0]", as: "Organization"), as: "to")
            } else {
                problem("\(path).performer", Text("fhir.onePerformer", performers.count))
            }
            params["alliance"] = alliance()
            params["consent"] = consent(of: patient?.path)

            places["diagnosis"] = "\(path).reasonReference"
            params["diagnosis"] = .array(
                (request["reasonReference"]?.arrayValue ?? []).enumerated().compactMap { number, reference in
                    resolve(reference, at: "\(path).reasonReference[\(number)]", as: "Condition").map {
                        diagnosis($0.resource, at: $0.path, number: number)
                    }
                })
            params["attachments"] = .array(
                (request["supportingInfo"]?.arrayValue ?? []).enumerated().compactMap { number, reference in
                    resolve(reference, at: "\(path).supportingInfo[\(number)]", as: "DocumentReference").map {
                        attachment($0.resource, at: $0.path, number: number)
                    }
                })
            let notes = request["note"]?.arrayValue ?? []
            let (said, basedOn) = kind == .consultation ? ("question", "referral") : ("reason", "parent")
            (params[said], places[said]) = (notes.first?["text"], "\(path).note[0].text")
            if kind != .consultation { (params["summary"], places["summary"]) = (notes.dropFirst().first?["text"], "\(path).note[1].text") }
            let referral = (request["basedOn"]?.arrayValue ?? []).first {
                $0["identifier"]?["system"] == .string(FHIRBundle.system("referral"))
            }
            (params[basedOn], places[basedOn]) = (referral?["identifier"]?["value"], "\(path).basedOn")

            guard let kind, let identifier else { return nil }
            return FHIRInbound(kind: kind, params: params, identifier: identifier, places: FHIRPlaces(places, whole: "Bundle"))
        }

        /// The sender system's own identifier: the first one not of Yilian's systems.
        mutating func senderIdentifier(_ identifiers: JSONValue?, at path: String) -> SenderIdentifier? {
            let own = (identifiers?.arrayValue ?? []).first {
                !($0["system"]?.stringValue ?? "urn:yilian:").lowercased().hasPrefix("urn:yilian:")
            }
            guard let system = own?["system"]?.stringValue, let value = own?["value"]?.stringValue,
                case let identifier = SenderIdentifier(system: system, value: value), identifier.isValid
            else {
                problem(path, Text("fhir.senderIdentifier"))
                return nil
            }
            return identifier
        }

        /// request-priority as Yilian's: `stat` is the green channel; `asap` has no Yilian meaning.
        mutating func priority(_ code: JSONValue?, at path: String) -> JSONValue? {
            switch code?.stringValue {
            case nil, "routine": return .string(Priority.routine.rawValue)
            case "urgent": return .string(Priority.urgent.rawValue)
            case "stat": return .string(Priority.emergency.rawValue)
            default:
                problem(path, Text("problem.oneOf", "routine, urgent, stat"))
                return nil
            }
        }

        /// The entry a Reference at `path` refers to, which must be a `type`.
        mutating func resolve(_ reference: JSONValue?, at path: String, as type: String) -> (resource: JSONValue, path: String)? {
            guard let target = reference?["reference"]?.stringValue else {
                problem("\(path).reference", Text("problem.required"))
                return nil
            }
            guard let number = index[target], let resource = entries[number]["resource"] else {
                problem("\(path).reference", Text("fhir.unresolved", target))
                return nil
            }
            guard resource["resourceType"] == .string(type) else {
                problem("\(path).reference", Text("fhir.refersTo", target, resource["resourceType"]?.stringValue ?? "", type))
                return nil
            }
            return (resource, "Bundle.entry[\(number)].resource")
        }

        /// The first coding's code of `system` among `concepts` (CodeableConcepts).
        func code(in concepts: [JSONValue], system: String) -> JSONValue? {
            concepts.lazy.compactMap { $0["coding"]?.arrayValue?.first { $0["system"] == .string(system) }?["code"] }.first
        }

        /// The value of the identifier of `system` of `resource` (at `path`), or a problem.
        mutating func identifier(of resource: JSONValue, at path: String, system: String) -> JSONValue? {
            let found = resource["identifier"]?.arrayValue?.first { $0["system"] == .string(system) }?["value"]
            if found == nil { problem("\(path).identifier", Text("fhir.identifier", system)) }
            return found
        }

        /// A hospital's code: its Organization's `urn:yilian:hospital` identifier.
        mutating func hospital(_ organization: (resource: JSONValue, path: String)?, as parameter: String) -> JSONValue? {
            guard let organization else { return nil }
            places[parameter] = "\(organization.path).identifier"
            return identifier(of: organization.resource, at: organization.path, system: FHIRBundle.system("hospital"))
        }

        /// The alliance: the one Organization with a `urn:yilian:alliance` identifier.
        mutating func alliance() -> JSONValue? {
            let system = FHIRBundle.system("alliance")
            let alliances = entries.indices.filter { number in
                entries[number]["resource"]?["resourceType"] == "Organization"
                    && entries[number]["resource"]?["identifier"]?.arrayValue?.contains { $0["system"] == .string(system) } == true
            }
            guard alliances.count == 1, let alliance = entries[alliances[0]]["resource"] else {
                problem("Bundle.entry", Text("fhir.alliance", alliances.count))
                return nil
            }
            places["alliance"] = "Bundle.entry[\(alliances[0])].resource.identifier"
            return identifier(of: alliance, at: "Bundle.entry[\(alliances[0])].resource", system: system)
        }

        /// Whether the patient (its entry at `patient`) agreed: an active Consent of it.
        mutating func consent(of patient: String?) -> JSONValue? {
            guard let patient else { return nil }
            let agreed = entries.indices.first { number in
                guard let consent = entries[number]["resource"], consent["resourceType"] == "Consent", consent["status"] == "active",
                    let target = consent["patient"]?["reference"]?.stringValue, let referred = index[target]
                else { return false }
                return "Bundle.entry[\(referred)].resource" == patient
            }
            guard let agreed else {
                problem("Bundle.entry", Text("fhir.consent"))
                return nil
            }
            places["consent"] = "Bundle.entry[\(agreed)].resource"
            return true
        }

        mutating func patient(_ resource: JSONValue, at path: String) -> JSONObject {
            places["patient"] = path
            let name = resource["name"]?.arrayValue?.first
            let text =
                name?["text"]
                ?? name.map { name in
                    .string(
                        ([name["family"]?.stringValue] + (name["given"]?.arrayValue ?? []).map(\.stringValue)).compactMap { $0 }.joined())
                }
            let id = (resource["identifier"]?.arrayValue ?? []).firstIndex { $0["system"] == .string(FHIRBundle.residentID) }
            let phone = (resource["telecom"]?.arrayValue ?? []).firstIndex { $0["system"] == "phone" }
            (places["patient.name"], places["patient.sex"], places["patient.birthDate"]) = (
                "\(path).name[0]", "\(path).gender", "\(path).birthDate"
            )
            (places["patient.idNumber"], places["patient.phone"]) = (
                "\(path).identifier[\(id ?? 0)].value", "\(path).telecom[\(phone ?? 0)].value"
            )
            var members: JSONObject = [:]
            (members["name"], members["sex"], members["birthDate"]) = (text, resource["gender"], resource["birthDate"])
            members["idNumber"] = id.flatMap { resource["identifier"]?.arrayValue?[$0]["value"] }
            members["phone"] = phone.flatMap { resource["telecom"]?.arrayValue?[$0]["value"] }
            return members
        }

        /// A Condition's ICD-10 coding as a diagnosis.
        mutating func diagnosis(_ resource: JSONValue, at path: String, number: Int) -> JSONValue {
            let icd10 = "http://hl7.org/fhir/sid/icd-10"
            let codings = resource["code"]?["coding"]?.arrayValue ?? []
            guard let coding = codings.firstIndex(where: { $0["system"] == .string(icd10) }) else {
                problem("\(path).code", Text("fhir.coding", icd10))
                return [:]
            }
            places["diagnosis[\(number)]"] = "\(path).code"
            places["diagnosis[\(number)].code"] = "\(path).code.coding[\(coding)].code"
            places["diagnosis[\(number)].name"] = "\(path).code.coding[\(coding)].display"
            var members: JSONObject = [:]
            (members["code"], members["name"]) = (codings[coding]["code"], codings[coding]["display"] ?? resource["code"]?["text"])
            return .object(members)
        }

        /// A DocumentReference as an attachment: its kind, title and reference, and its 互认 item,
        /// the day it was performed and the hospital that performed it (whether the alliance
        /// recognises it is decided by Yilian, whatever the sender's category says).
        mutating func attachment(_ resource: JSONValue, at path: String, number: Int) -> JSONValue {
            let content = resource["content"]?.arrayValue?.first?["attachment"]
            let reference = resource["identifier"]?.arrayValue?.first { $0["system"] == .string(FHIRBundle.system("attachment")) }?["value"]
            places["attachments[\(number)]"] = path
            places["attachments[\(number)].kind"] = "\(path).type"
            places["attachments[\(number)].title"] = "\(path).content[0].attachment.title"
            places["attachments[\(number)].reference"] = reference == nil ? "\(path).content[0].attachment.url" : "\(path).identifier"
            var members: JSONObject = [
                "kind": code(in: [resource["type"] ?? .null], system: FHIRBundle.system("attachment-kind")) ?? "document"
            ]
            (members["title"], members["reference"]) = (content?["title"], reference ?? content?["url"])
            members["item"] = code(in: resource["category"]?.arrayValue ?? [], system: FHIRBundle.system("recognition-item"))
            members["performedAt"] = resource["context"]?["period"]?["start"]
            members["performedBy"] = resource["author"]?.arrayValue?.first?["identifier"].flatMap {
                $0["system"] == .string(FHIRBundle.system("hospital")) ? $0["value"] : nil
            }
            places["attachments[\(number)].item"] = "\(path).category"
            places["attachments[\(number)].performedAt"] = "\(path).context.period.start"
            places["attachments[\(number)].performedBy"] = "\(path).author[0].identifier.value"
            return .object(members)
        }
    }
}

/// Where in a FHIR resource each parameter of a Yilian method was read: parameter path
/// (`patient.birthDate`) → FHIR path (`Bundle.entry[0].resource.birthDate`), so that a problem
/// the method finds is told where the sender wrote it.
struct FHIRPlaces: Sendable, Equatable {
    let places: [String: String]
    /// The path of the whole (`Bundle`, `Task`), for a parameter read from nowhere in particular.
    let whole: String

    init(_ places: [String: String], whole: String) { (self.places, self.whole) = (places, whole) }

    /// The place of `path`, else of its nearest enclosing parameter.
    func place(of path: String) -> String {
        var path = path
        while true {
            if let place = places[path] { return place }
            guard let cut = path.lastIndex(where: { $0 == "." || $0 == "[" }) else { return whole }
            path = String(path[..<cut])
        }
    }
}
