import Foundation
import Testing
import YilianCore
import YilianJSON
import YilianRepository
import YilianServices

/// The referral's JSON, byte for byte: every field, in key order, as `referral.get` and the
/// CLI's `--json` print it (the resident ID masked).
@Suite struct ReferralJSONTests {
    @Test func aCompletedReferralWithItsHistoryIsWrittenExactly() async throws {
        let world = try await ReferralWorld.make()
        _ = try await world.services.publishSlots(
            hospital: "ZRYY", specialty: "pain", from: "2026-11-30", capacity: 2, by: world.actor("ZRYY"))
        var request = world.request()
        request.summary = "近3月疼痛加重 \"/\\ 换行\n"
        request.attachments = [
            Attachment(
                kind: .imaging, title: "MRI", reference: "pacs://1/2", item: "MRI-L", performedAt: "2026-11-20", performedBy: "MYQYY")
        ]
        let id = try await world.file(request).id
        _ = try await world.act(id, .accept(note: nil), by: "ZRYY")
        _ = try await world.act(id, .schedule(date: "2026-11-30"), by: "ZRYY")
        _ = try await world.act(id, .arrive, by: "ZRYY")
        let outcome = TreatmentOutcome(
            summary: "诊断明确", diagnosis: [Diagnosis(code: "M79.2", name: "神经痛")], recommendation: .downRefer, followUpDays: 30)
        _ = try await world.act(id, .complete(outcome), by: "ZRYY")
        let text = String(decoding: try JSONCoding.data(try await world.services.referral(id, by: world.actor("ZRYY"))), as: UTF8.self)
        #expect(text == Self.expected)
    }

    static let expected = #"""
        {"alliance":"PAIN-BJ","attachments":[{"item":"MRI-L","kind":"imaging","performedAt":"2026-11-20","performedBy":"MYQYY","recognition":{"catalogueVersion":0,"on":"2026-11-30","reason":"not_in_catalogue","recognized":false},"reference":"pacs://1/2","title":"MRI"}],"consent":true,"consultation":null,"continuations":[],"createdAt":"2026-11-23T00:00:00Z","diagnosis":[{"code":"M79.2","name":"神经痛"}],"direction":"up","escalation":0,"fhirStatus":"completed","from":"MYQYY","history":[{"action":"file","actor":"coordinator@MYQYY","actorName":null,"at":"2026-11-23T00:00:00Z","details":{"direction":"up","to":"ZRYY"},"fromStatus":null,"reason":"疼痛控制不佳，需上级医院会诊","seq":1,"toStatus":"requested"},{"action":"accept","actor":"coordinator@ZRYY","actorName":null,"at":"2026-11-23T00:00:00Z","details":null,"fromStatus":"requested","reason":null,"seq":2,"toStatus":"accepted"},{"action":"schedule","actor":"coordinator@ZRYY","actorName":null,"at":"2026-11-23T00:00:00Z","details":{"date":"2026-11-30"},"fromStatus":"accepted","reason":null,"seq":3,"toStatus":"scheduled"},{"action":"arrive","actor":"coordinator@ZRYY","actorName":null,"at":"2026-11-23T00:00:00Z","details":null,"fromStatus":"scheduled","reason":null,"seq":4,"toStatus":"in_treatment"},{"action":"complete","actor":"coordinator@ZRYY","actorName":null,"at":"2026-11-23T00:00:00Z","details":null,"fromStatus":"in_treatment","reason":"诊断明确","seq":5,"toStatus":"completed"}],"id":"R-000001","outcome":{"diagnosis":[{"code":"M79.2","name":"神经痛"}],"followUpDays":30,"recommendation":"down_refer","summary":"诊断明确"},"overdue":false,"parent":null,"patient":{"birthDate":"1980-01-01","idNumber":"**************018X","name":"张三","phone":"13800138000","sex":"male"},"priority":"routine","reason":"疼痛控制不佳，需上级医院会诊","respondBy":"2026-11-26T00:00:00Z","setting":"outpatient","slot":"2026-11-30","specialty":"pain","status":"completed","summary":"近3月疼痛加重 \"/\\ 换行\n","to":"ZRYY","updatedAt":"2026-11-23T00:00:00Z","version":5}
        """#
}
