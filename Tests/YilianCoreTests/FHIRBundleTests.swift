import Foundation
import Testing
import YilianCore
import YilianJSON

/// docs/fhir.md's example Bundle is what `FHIRBundle.referral` makes of its referral.
@Suite struct FHIRBundleTests {
    static let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appending(path: "../../docs/fhir.md")

    /// The example's referral as `referral.get` gives it: a green-channel up-referral that came
    /// in through FHIR (its sender's identifier ZZ-0007), accepted, with an attachment.
    static func exampleFacts() throws -> JSONValue {
        [
            "id": "R-000042", "alliance": "PAIN-BJ", "specialty": "pain", "direction": "up", "setting": "outpatient",
            "priority": "emergency", "from": "MYQYY", "to": "ZRYY",
            "patient": ["name": "张三", "sex": "male", "birthDate": "1956-03-12", "idNumber": "**************0016"],
            "consent": true, "diagnosis": [["code": "M54.5", "name": "腰痛"]], "reason": "剧烈腰痛，保守治疗无效", "summary": nil,
            "attachments": [
                [
                    "kind": "imaging", "title": "腰椎 MRI", "reference": "PACS-7781", "item": "MRI-L", "performedAt": "2026-11-20",
                    "performedBy": "MYQYY",
                ]
            ],
            "parent": nil, "consultation": nil, "senderIdentifier": ["system": "urn:oid:1.2.156.1.MYQYY.his", "value": "ZZ-0007"],
            "status": "accepted", "version": 2, "respondBy": "2026-12-01T02:00:00Z",
            "slot": nil, "outcome": nil, "escalation": 0, "createdAt": "2026-12-01T00:00:00Z", "updatedAt": "2026-12-01T00:30:00Z",
        ]
    }

    /// Its Bundle, with its filing and its acceptance.
    static func example() throws -> JSONValue {
        let facts = try ReferralFacts(json: try exampleFacts())
        let at = { (text: String) in JSONCoding.date(text) ?? .distantPast }
        let history = [
            MachineEvent(
                seq: 1, action: "file", fromStatus: nil, toStatus: "requested", actor: "wang@MYQYY", at: at("2026-12-01T00:00:00Z"),
                reason: "剧烈腰痛，保守治疗无效", details: nil, actorName: "王芳"),
            MachineEvent(
                seq: 2, action: "accept", fromStatus: "requested", toStatus: "accepted", actor: "li@ZRYY", at: at("2026-12-01T00:30:00Z"),
                reason: nil, details: nil, actorName: "李明"),
        ]
        return FHIRBundle.referral(
            facts, history: history, from: Hospital(code: "MYQYY", name: "密云区医院", level: 2),
            to: Hospital(code: "ZRYY", name: "中日友好医院", level: 3),
            alliance: FHIRBundle.Alliance(code: "PAIN-BJ", name: "北京地区疼痛专科医联体", roles: ["ZRYY": .core, "MYQYY": .cooperating]))
    }

    @Test func theDocumentedExampleIsWhatTheCodeMakes() throws {
        let text = try String(contentsOf: Self.docs, encoding: .utf8)
        let block = try #require(text.firstMatch(of: /```json\n([\s\S]*?)\n```/)?.1)
        let documented = try JSONDecoder().decode(JSONValue.self, from: Data(block.utf8))
        let made = try Self.example()
        // `YILIAN_WRITE_FHIR_EXAMPLE=FILE` writes what the code makes, for the docs (pretty-printed by `python3 -m json.tool --sort-keys`).
        if let file = ProcessInfo.processInfo.environment["YILIAN_WRITE_FHIR_EXAMPLE"] {
            try Data(made.serialized).write(to: URL(fileURLWithPath: file))
        }
        #expect(documented == made, "docs/fhir.md's example differs from what the code makes (YILIAN_WRITE_FHIR_EXAMPLE writes it)")
    }
}
