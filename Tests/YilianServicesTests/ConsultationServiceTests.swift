import Foundation
import Logging
import Testing
import YilianCore
import YilianJSON
import YilianServices
import YilianTestSupport

@testable import YilianRepository

/// Consultations (SPEC §7) through the services, on real PostgreSQL: the request's guards, the
/// actions as each side and duty may take them (the database refusing the rest), conversion to a
/// referral linked both ways, the sweep, and what a third hospital sees (nothing).
@Suite struct ConsultationServiceTests {
    static func request(from: String = "MYQYY", to: String = "ZRYY", mode: ConsultationMachine.Mode = .advice) -> ConsultationRequest {
        ConsultationRequest(
            alliance: "PAIN-BJ", from: from, to: to, mode: mode, priority: .urgent, patient: ReferralWorld.patient, consent: true,
            diagnosis: [Diagnosis(code: "M54.5", name: "腰痛")], question: "保守治疗 3 个月无效，是否需要介入治疗？",
            attachments: [Attachment(kind: .imaging, title: "腰椎 MRI", reference: "PACS-1")])
    }

    /// The worklist's consultations section holds its first `limit` and counts them all.
    @Test func theWorklistCountsConsultationsPastItsLimit() async throws {
        let world = try await ReferralWorld.make()
        for _ in 0..<3 { _ = try await world.services.requestConsultation(Self.request(), by: world.actor("MYQYY")) }
        let worklist = try await world.services.worklist(hospital: "ZRYY", limit: 2, by: world.actor("ZRYY"))
        #expect(worklist.consultations.map(\.id) == ["C-000001", "C-000002"] && worklist.counts["consultations"] == 3)
        let none = try await world.services.worklist(hospital: "JGYY", limit: 2, by: world.actor("JGYY"))
        #expect(none.consultations.isEmpty && none.counts["consultations"] == 0)
    }

    @Test func adviceOpinionConclusionAndConversionToALinkedReferral() async throws {
        let world = try await ReferralWorld.make()
        let services = world.services
        let myqyy = world.actor("MYQYY")
        let zryy = world.actor("ZRYY")
        let asked = try await services.requestConsultation(Self.request(), by: myqyy)
        #expect(asked.id == "C-000001" && asked.status == .requested && asked.specialty == "pain")
        #expect(asked.json["patient"]?["idNumber"] == "**************018X")
        #expect(asked.respondBy == world.clock.now.addingTimeInterval(24 * 3600))
        // Both hospitals have it in their worklist; the consulting one first sees what waits for it.
        for (hospital, actor) in [("ZRYY", zryy), ("MYQYY", myqyy)] {
            let worklist = try await services.worklist(hospital: hospital, limit: nil, by: actor)
            #expect(worklist.consultations.map(\.id) == ["C-000001"] && worklist.counts["consultations"] == 1)
        }

        // A physician of the consulting hospital gives an opinion; it may not accept (the database refuses).
        _ = try await services.addUser("doc", hospital: "ZRYY", duty: .physician, password: nil, by: world.coreAdmin)
        let doc = Actor(user: "doc", hospital: "ZRYY")
        let physicianAccept = await #expect(throws: YilianError.self) {
            try await services.consult("C-000001", .accept(note: nil), expectedVersion: nil, by: doc)
        }
        #expect(physicianAccept?.code == .forbidden)
        _ = try await services.consult("C-000001", .accept(note: nil), expectedVersion: 1, by: zryy)
        let stale = await #expect(throws: YilianError.self) {
            try await services.consult("C-000001", .opine(summary: "x", recommendation: .referUp), expectedVersion: 1, by: doc)
        }
        #expect(stale?.code == .conflict)
        _ = try await services.consult("C-000001", .opine(summary: "建议射频治疗", recommendation: .referUp), expectedVersion: 2, by: doc)
        let concluded = try await services.consult("C-000001", .conclude(conclusion: "建议上转行射频治疗"), expectedVersion: nil, by: zryy)
        #expect(concluded.status == .answered && concluded.opinions.map(\.expert) == ["doc@ZRYY"])

        // Converting files an up-referral through the filing guards; both name each other.
        let converted = try await services.convertConsultation(
            "C-000001", setting: .outpatient, reason: nil, allowDuplicate: false, expectedVersion: nil, by: myqyy)
        #expect(converted.convertedTo == "R-000001" && converted.status == .answered)
        let referral = try await services.referral("R-000001", by: zryy)
        #expect(referral.consultation == "C-000001" && referral.direction == .up)
        #expect(referral.reason == "建议上转行射频治疗" && referral.patient.masked == converted.patient.masked)
        // The same patient key, which no read gives out: the database copied it from the consultation.
        #expect(referral.patient.key == nil)
        #expect(
            try await services.database.withConnection(as: .login) { session in
                try await session.query(
                    "SELECT r.patient_key = c.patient_key AS same FROM referrals r, consultations c WHERE r.id = 'R-000001' AND c.id = 'C-000001'"
                )[0].decode("same", as: Bool.self)
            })
        #expect(referral.attachments.map(\.reference) == ["PACS-1"])
        let again = await #expect(throws: YilianError.self) {
            try await services.convertConsultation(
                "C-000001", setting: .outpatient, reason: nil, allowDuplicate: true, expectedVersion: nil, by: myqyy)
        }
        #expect(again?.data["rule"] == "converted")
        #expect(try await services.referrals(ReferralFilter(), limit: nil, cursor: nil, by: myqyy).items.count == 1)  // nothing half-done
        _ = try await services.consult("C-000001", .acknowledge, expectedVersion: nil, by: myqyy)

        let history = try await services.consultation("C-000001", by: myqyy).history ?? []
        #expect(
            history.map { "\($0.seq) \($0.action) \($0.toStatus) \($0.actor)" } == [
                "1 request requested coordinator@MYQYY", "2 accept accepted coordinator@ZRYY", "3 opine accepted doc@ZRYY",
                "4 conclude answered coordinator@ZRYY", "5 convert answered coordinator@MYQYY", "6 acknowledge closed coordinator@MYQYY",
            ])

        // The alliance's indicators count it (no patient data), for any member.
        let report = try await services.indicators(
            alliance: "PAIN-BJ", from: "2026-11-01", to: "2026-11-30", byMonth: false, by: world.actor("JGYY"))
        #expect(
            report.consultations
                == ConsultationIndicators(asked: 1, answered: 1, medianHoursToFirstResponse: 0, answeredInTimeShare: 1, convertedShare: 1))
        let byMember = Dictionary(uniqueKeysWithValues: report.members.map { ($0.hospital, $0.consultations) })
        #expect(byMember["MYQYY"]?.sent.asked == 1 && byMember["MYQYY"]?.received.asked == 0)
        #expect(
            byMember["ZRYY"]?.received.asked == 1 && byMember["ZRYY"]?.received.convertedShare == 1 && byMember["ZRYY"]?.sent.asked == 0)
        #expect(byMember["JGYY"]?.sent.asked == 0 && byMember["JGYY"]?.sent.convertedShare == nil)
        // A third hospital sees nothing of it.
        let jgyy = world.actor("JGYY")
        let hidden = await #expect(throws: YilianError.self) { try await services.consultation("C-000001", by: jgyy) }
        #expect(hidden?.code == .notFound)
        #expect(try await services.consultations(hospital: nil, statuses: nil, limit: nil, cursor: nil, by: jgyy).items.isEmpty)
        #expect(try await services.consultations(hospital: nil, statuses: nil, limit: nil, cursor: nil, by: world.admin).items.isEmpty)
        let meddling = await #expect(throws: YilianError.self) {
            try await services.consult("C-000001", .acknowledge, expectedVersion: nil, by: jgyy)
        }
        #expect(meddling?.code == .notFound)
    }

    @Test func theRequestsGuards() async throws {
        let world = try await ReferralWorld.make()
        let services = world.services
        func refused(_ request: ConsultationRequest, by actor: Actor) async -> YilianError? {
            await #expect(throws: YilianError.self) { try await services.requestConsultation(request, by: actor) }
        }
        // Down the tiers, not a member, for another hospital, no consent.
        let down = await refused(Self.request(from: "ZRYY", to: "MYQYY"), by: world.actor("ZRYY"))
        #expect(down?.data["rule"] == "direction")
        #expect(
            down?.message == "A consultation is asked of a higher tier or the core hospital; MYQYY (level 2) is not, for ZRYY (level 3).")
        #expect(await refused(Self.request(to: "WJ-1"), by: world.actor("MYQYY"))?.data["rule"] == "membership")
        #expect(await refused(Self.request(), by: world.actor("JGYY"))?.code == .forbidden)
        var unconsented = Self.request()
        unconsented.consent = false
        #expect(await refused(unconsented, by: world.actor("MYQYY"))?.data["rule"] == "consent")
        var empty = Self.request()
        empty.question = " "
        empty.patient.name = ""
        #expect(await refused(empty, by: world.actor("MYQYY"))?.data["problems"]?.arrayCount == 2)
    }

    @Test func aRemoteConsultationIsScheduledAndAnUnansweredOneExpires() async throws {
        let world = try await ReferralWorld.make()
        let services = world.services
        let myqyy = world.actor("MYQYY")
        let zryy = world.actor("ZRYY")
        _ = try await services.requestConsultation(Self.request(mode: .remote), by: myqyy)
        _ = try await services.requestConsultation(Self.request(mode: .advice), by: myqyy)
        _ = try await services.consult("C-000001", .accept(note: nil), expectedVersion: nil, by: zryy)
        let at = world.clock.now.addingTimeInterval(26 * 3600)
        let scheduled = try await services.consult("C-000001", .schedule(at: at), expectedVersion: nil, by: zryy)
        #expect(scheduled.status == .scheduled && scheduled.scheduledAt == at)
        // Urgent: 24 h to answer; past 48 h the unanswered advice expires, the scheduled one stays.
        world.clock.advance(hours: 47)
        #expect(try await services.sweep().expired == [])
        world.clock.advance(hours: 1)
        #expect(try await services.sweep().expired == ["C-000002"])
        #expect(try await services.sweep().expired == [])
        #expect(try await services.consultation("C-000002", by: myqyy).status == .expired)
        #expect(try await services.consultation("C-000001", by: myqyy).status == .scheduled)
    }
}
