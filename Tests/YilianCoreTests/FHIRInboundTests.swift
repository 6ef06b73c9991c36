import Foundation
import Testing
import YilianCore
import YilianJSON
import YilianTestSupport

/// `fhir.import`'s reading of a hospital system's Bundle (issue 29, SPEC §11): what it files, and
/// every problem at its FHIR path, at once and bounded in cost.
@Suite struct FHIRInboundTests {
    /// docs/fhir.md's example as the sending hospital's own system sends it.
    static func sent() throws -> JSONValue {
        FHIRSender.asSent(
            try FHIRBundleTests.example(), system: "urn:oid:1.2.156.1.MYQYY.his", value: "ZZ-0007", idNumber: "110105195603120016")
    }

    /// The entry of the Bundle's resource of `type` (its path).
    static func place(_ bundle: JSONValue, _ type: String) -> String {
        let index = (bundle["entry"]?.arrayValue ?? []).firstIndex { $0["resource"]?["resourceType"] == .string(type) } ?? -1
        return "Bundle.entry[\(index)].resource"
    }

    static func problems(_ bundle: JSONValue) -> [String] {
        do {
            _ = try FHIRInbound(reading: bundle)
            return []
        } catch {
            return error.problems.map { "\($0.path): \($0.message)" }
        }
    }

    @Test func aSentBundleCarriesTheReferralFileParameters() throws {
        let inbound = try FHIRInbound(reading: try Self.sent())
        #expect(inbound.kind == .referral)
        #expect(inbound.identifier == SenderIdentifier(system: "urn:oid:1.2.156.1.MYQYY.his", value: "ZZ-0007"))
        let expected: JSONValue = [
            "alliance": "PAIN-BJ", "from": "MYQYY", "to": "ZRYY", "direction": "up", "setting": "outpatient", "priority": "emergency",
            "patient": ["name": "张三", "sex": "male", "birthDate": "1956-03-12", "idNumber": "110105195603120016"], "consent": true,
            "diagnosis": [["code": "M54.5", "name": "腰痛"]], "reason": "剧烈腰痛，保守治疗无效",
            "attachments": [
                [
                    "kind": "imaging", "title": "腰椎 MRI", "reference": "PACS-7781", "item": "MRI-L", "performedAt": "2026-11-20",
                    "performedBy": "MYQYY",
                ]
            ],
        ]
        #expect(JSONValue.object(inbound.params) == expected)
        // A parameter's problem is told where the Bundle holds it.
        let patient = Self.place(try Self.sent(), "Patient")
        #expect(inbound.place(of: "patient.birthDate") == "\(patient).birthDate")
        #expect(
            inbound.place(of: "attachments[0].title") == "\(Self.place(try Self.sent(), "DocumentReference")).content[0].attachment.title")
        #expect(inbound.place(of: "patient.nickname") == patient)
    }

    @Test func relativeReferencesResolveToo() throws {
        var bundle = try Self.sent()
        bundle = FHIRSender.changing(bundle, "ServiceRequest") { $0["subject"] = ["reference": "Patient/R-000042-patient"] }
        #expect(try FHIRInbound(reading: bundle).params["patient"]?["name"] == "张三")
    }

    /// Each bad Bundle of the issue's list is refused with the FHIR path of what is wrong.
    @Test func badBundlesAreRefusedAtTheirFHIRPaths() throws {
        let sent = try Self.sent()
        let request = Self.place(sent, "ServiceRequest")
        let entries = sent["entry"]?.arrayValue ?? []
        let noPatient = JSONValue.object([
            "resourceType": "Bundle", "type": "transaction",
            "entry": .array(entries.filter { $0["resource"]?["resourceType"] != "Patient" }),
        ])
        #expect(
            Self.problems(noPatient).contains { $0.hasPrefix("Bundle.entry[") && $0.contains(".resource.subject.reference: urn:uuid:") })
        #expect(
            Self.problems(FHIRSender.changing(sent, "ServiceRequest") { $0["priority"] = "asap" }) == [
                "\(request).priority: must be one of routine, urgent, stat"
            ])
        #expect(
            Self.problems(FHIRSender.changing(sent, "ServiceRequest") { $0["performer"] = [["reference": "urn:uuid:nowhere"]] }) == [
                "\(request).performer[0].reference: urn:uuid:nowhere is no entry of the Bundle (refer to an entry by its fullUrl, or by type/id)"
            ])
        let organization = try #require(entries.first { $0["resource"]?["resourceType"] == "Organization" }?["fullUrl"])
        let wrongType = Self.problems(FHIRSender.changing(sent, "ServiceRequest") { $0["subject"] = ["reference": organization] })
        #expect(
            wrongType.contains(
                "\(request).subject.reference: \(organization.stringValue ?? "") is a Organization where a Patient is expected"))
        #expect(Self.problems(["resourceType": "Parameters"]) == ["Bundle.resourceType: must be one of Bundle"])
        // The sender's identifier is kept and shown: nothing in it may move a terminal.
        let escaping = FHIRSender.changing(sent, "ServiceRequest") { $0["identifier"] = [["system": "urn:x\u{1B}[31m", "value": "1"]] }
        #expect(Self.problems(escaping).count == 1 && Self.problems(escaping)[0].hasPrefix("\(request).identifier: needs the sending"))
        // Every problem at once.
        let three = FHIRSender.changing(sent, "ServiceRequest") { request in
            (request["priority"], request["identifier"], request["intent"]) = ("asap", nil, "plan")
        }
        #expect(Self.problems(three).count == 3, "\(Self.problems(three))")
        let noConsent = JSONValue.object([
            "resourceType": "Bundle", "type": "collection",
            "entry": .array(entries.filter { $0["resource"]?["resourceType"] != "Consent" }),
        ])
        #expect(
            Self.problems(noConsent) == ["Bundle.entry: must hold an active Consent of the Patient: the patient's agreement to be referred"]
        )
    }

    /// 10,000 entries are refused by their count, before any is read: within a second.
    @Test func tenThousandEntriesAreRefusedAtOnce() throws {
        let entry = #"{"fullUrl":"urn:uuid:x","resource":{"resourceType":"Basic","code":{"text":"填充"}}}"#
        let text =
            #"{"resourceType":"Bundle","type":"transaction","entry":["# + Array(repeating: entry, count: 10_000).joined(separator: ",")
            + "]}"
        let clock = ContinuousClock()
        var problems: [String] = []
        let elapsed = try clock.measure { problems = Self.problems(try JSONValue(parsing: Array(text.utf8))) }
        #expect(problems == ["Bundle.entry: holds 10000 entries; a Bundle may hold at most 1000"])
        #expect(elapsed < .seconds(1), "\(elapsed)")
    }

    /// A repeated import is answered by the case it filed when that is what it asks: the receiver
    /// as filed (a redirect changes it later), the patient by the masked ID with name, sex and birth.
    @Test func aFiledReferralIsRecognisedByWhatItWasAsked() throws {
        let facts = try ReferralFacts(json: try FHIRBundleTests.exampleFacts())
        let request = ReferralRequest(
            alliance: "PAIN-BJ", from: "MYQYY", to: "ZRYY", direction: nil, setting: .outpatient, priority: .emergency,
            patient: Patient(name: "张三", sex: .male, birthDate: "1956-03-12", idNumber: "110105195603120016"), consent: true,
            diagnosis: [Diagnosis(code: "M54.5", name: "腰痛")], reason: "剧烈腰痛，保守治疗无效",
            attachments: [
                Attachment(
                    kind: .imaging, title: "腰椎 MRI", reference: "PACS-7781", item: "MRI-L", performedAt: "2026-11-20", performedBy: "MYQYY")
            ])
        #expect(request.isFiled(as: facts, filedTo: "ZRYY"))
        var redirected = facts
        redirected.to = "BYSY"
        #expect(request.isFiled(as: redirected, filedTo: "ZRYY"))
        var other = request
        other.reason = "另一原因"
        #expect(!other.isFiled(as: facts, filedTo: "ZRYY"))
        other = request
        other.patient?.idNumber = "110105195603121234"
        #expect(!other.isFiled(as: facts, filedTo: "ZRYY"))
    }
}
