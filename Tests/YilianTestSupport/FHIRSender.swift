import YilianJSON

/// A Bundle as another hospital system would send it (`fhir.import`): Yilian's export, with the
/// ServiceRequest under the sender's own identifier (Yilian's ones dropped) and active, the
/// patient's whole resident ID (the export masks it) and type `transaction`.
public enum FHIRSender {
    public static func asSent(_ exported: JSONValue, system: String, value: String, idNumber: String?) -> JSONValue {
        var bundle = members(exported)
        bundle["type"] = "transaction"
        bundle["entry"] = .array(
            (exported["entry"]?.arrayValue ?? []).map { entry in
                var entry = members(entry)
                var resource = members(entry["resource"] ?? [:])
                switch resource["resourceType"]?.stringValue {
                case "ServiceRequest":
                    resource["identifier"] = [["system": .string(system), "value": .string(value)]]
                    resource["status"] = "active"
                case "Patient":
                    resource["meta"] = nil
                    resource["identifier"] = idNumber.map { [["system": "urn:oid:2.16.156.10011.1.3", "value": .string($0)]] }
                default: break
                }
                entry["resource"] = .object(resource)
                return .object(entry)
            })
        return .object(bundle)
    }

    /// The Bundle with `change` made to its one resource of `type`.
    public static func changing(_ bundle: JSONValue, _ type: String, _ change: (inout JSONObject) -> Void) -> JSONValue {
        var changed = members(bundle)
        changed["entry"] = .array(
            (bundle["entry"]?.arrayValue ?? []).map { entry in
                guard entry["resource"]?["resourceType"] == .string(type) else { return entry }
                var entry = members(entry)
                var resource = members(entry["resource"] ?? [:])
                change(&resource)
                entry["resource"] = .object(resource)
                return .object(entry)
            })
        return .object(changed)
    }

    public static func members(_ value: JSONValue) -> JSONObject {
        if case .object(let members) = value { return members }
        return [:]
    }

    /// The smallest Bundle that files a referral from `from` to ZRYY in PAIN-BJ (a routine
    /// outpatient up-referral of 张三, the patient consenting), as a hospital system sends it.
    public static func referral(from: String, identifier: String) -> JSONValue {
        func entry(_ url: String, _ resource: JSONValue) -> JSONValue { ["fullUrl": .string("urn:uuid:\(url)"), "resource": resource] }
        func hospital(_ code: String) -> JSONValue {
            ["resourceType": "Organization", "identifier": [["system": "urn:yilian:hospital", "value": .string(code)]]]
        }
        return [
            "resourceType": "Bundle", "type": "transaction",
            "entry": [
                entry(
                    "00000000-0000-4000-8000-000000000001",
                    [
                        "resourceType": "ServiceRequest", "status": "active", "intent": "order", "priority": "routine",
                        "identifier": [["system": "urn:oid:1.2.156.1.his", "value": .string(identifier)]],
                        "category": [["coding": [["system": "urn:yilian:setting", "code": "outpatient"]]]],
                        "subject": ["reference": "urn:uuid:00000000-0000-4000-8000-000000000002"],
                        "requester": ["reference": "urn:uuid:00000000-0000-4000-8000-000000000003"],
                        "performer": [["reference": "urn:uuid:00000000-0000-4000-8000-000000000004"]],
                        "reasonReference": [["reference": "urn:uuid:00000000-0000-4000-8000-000000000006"]],
                        "note": [["text": "疼痛控制不佳"]],
                    ]),
                entry(
                    "00000000-0000-4000-8000-000000000002",
                    [
                        "resourceType": "Patient", "name": [["family": "张", "given": ["三"]]], "gender": "male", "birthDate": "1980-01-01",
                        "identifier": [["system": "urn:oid:2.16.156.10011.1.3", "value": "11010519800101018X"]],
                    ]),
                entry("00000000-0000-4000-8000-000000000003", hospital(from)),
                entry("00000000-0000-4000-8000-000000000004", hospital("ZRYY")),
                entry(
                    "00000000-0000-4000-8000-000000000005",
                    ["resourceType": "Organization", "identifier": [["system": "urn:yilian:alliance", "value": "PAIN-BJ"]]]),
                entry(
                    "00000000-0000-4000-8000-000000000006",
                    [
                        "resourceType": "Condition", "subject": ["reference": "urn:uuid:00000000-0000-4000-8000-000000000002"],
                        "code": ["coding": [["system": "http://hl7.org/fhir/sid/icd-10", "code": "M79.2", "display": "神经痛"]]],
                    ]),
                entry(
                    "00000000-0000-4000-8000-000000000007",
                    [
                        "resourceType": "Consent", "status": "active",
                        "patient": ["reference": "urn:uuid:00000000-0000-4000-8000-000000000002"],
                    ]),
            ],
        ]
    }
}
