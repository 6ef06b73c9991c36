import Foundation
import Logging
import Testing
import YilianCore
import YilianJSON
import YilianServices
import YilianTestSupport

@testable import YilianRepository

/// A small pain-medicine alliance on a fresh database, with a clock the test moves.
struct Fixture {
    let services: Services
    let admin = Actor(user: "ops", hospital: "admin")
    let core = Actor(user: "li", hospital: "ZRYY")

    static let criteria: JSONValue = [
        "passScore": 60,
        "criteria": [
            [
                "id": "level3", "title": "三级医院", "roles": ["collaborating"], "required": true,
                "rule": ["fact": "level", "op": "gte", "value": 3],
            ],
            ["id": "dept", "title": "设有疼痛科", "required": true, "rule": ["fact": "departments", "op": "contains", "value": "pain"]],
            [
                "id": "key", "title": "疼痛科为重点专科", "weight": 40,
                "rule": ["fact": "keySpecialties.pain", "op": "in", "value": ["national", "municipal"]],
            ],
            ["id": "lab", "title": "参加检查检验结果互认", "weight": 20, "rule": ["fact": "labMutualRecognition", "op": "eq", "value": true]],
            ["id": "seniors", "title": "高级职称医师", "weight": 20, "rule": ["fact": "seniorPhysicians.pain", "op": "gte", "value": 3]],
        ],
    ]

    static func make() async throws -> Fixture {
        let logger = Logger(label: "test")
        let services = Services(database: Database(conninfo: try await TestPostgres.freshDatabase(), logger: logger), logger: logger)
        let fixture = Fixture(services: services)
        for hospital in [
            Hospital(code: "ZRYY", name: "中日友好医院", level: 3, grade: .A, district: "朝阳区", departments: ["pain"]),
            Hospital(code: "BYSY", name: "北医三院", level: 3, grade: .A, district: "海淀区", departments: ["pain", "orthopedics"]),
            Hospital(code: "JGYY", name: "健宫医院", level: 2, district: "西城区", departments: ["pain"]),
            Hospital(code: "MYQYY", name: "密云区医院", level: 2, district: "密云区", departments: ["pain"]),
            Hospital(code: "CHC-HPL", name: "和平里社区卫生服务中心", level: 1, kind: .community, district: "东城区"),
        ] {
            _ = try await services.registerHospital(hospital, by: fixture.admin)
        }
        _ = try await services.createAlliance(
            code: "PAIN-BJ", name: "北京地区疼痛专科医联体", specialty: "pain", core: "ZRYY", responseHours: nil, by: fixture.admin)
        _ = try await services.setCriteria(alliance: "PAIN-BJ", criteria: criteria, by: fixture.core)
        return fixture
    }

    func actor(_ hospital: String) -> Actor { Actor(user: "coordinator", hospital: hospital) }
}

@Suite struct MembershipServiceTests {
    @Test func theWholeLifecycleOfAnEligibleApplication() async throws {
        let f = try await Fixture.make()
        let application = try await f.services.apply(
            alliance: "PAIN-BJ", hospital: "BYSY", role: .collaborating,
            facts: ["keySpecialties": ["pain": "national"], "labMutualRecognition": true, "seniorPhysicians": ["pain": 5]],
            by: f.actor("BYSY"))
        #expect(application.id == "A-000001")
        #expect(application.status == .submitted)
        #expect(application.evaluation.decision == .eligible)
        #expect(application.evaluation.score == 80)
        #expect(application.evaluation.criteriaVersion == 1)
        #expect(application.evaluation.criteria.map(\.result) == [.pass, .pass, .pass, .pass, .pass])

        let approved = try await f.services.decide(application.id, decision: .approve, reason: "符合准入标准", override: nil, by: f.core)
        #expect(approved.status == .approved)
        #expect(approved.decisionReason == "符合准入标准")
        #expect(approved.override == nil)

        let alliance = try await f.services.alliance("PAIN-BJ", by: nil)
        #expect(alliance.members.map(\.hospital) == ["ZRYY", "BYSY"])
        #expect(alliance.members.map(\.role) == [.core, .collaborating])
        #expect(alliance.members.map(\.status) == [.active, .active])
        #expect(alliance.responseHours == .defaults)

        let shown = try await f.services.application(application.id, by: f.core)
        #expect(shown.history?.map(\.action) == ["apply", "approve", "admit"])
        #expect(shown.history?.map(\.actor) == ["coordinator@BYSY", "li@ZRYY", "li@ZRYY"])
        #expect(shown.history?[1].fromStatus == "submitted")
        #expect(shown.history?[1].toStatus == "approved")
    }

    @Test func aNonCoreHospitalCannotDecide() async throws {
        let f = try await Fixture.make()
        let application = try await f.services.apply(
            alliance: "PAIN-BJ", hospital: "JGYY", role: .cooperating, facts: [:], by: f.actor("JGYY"))
        let error = await #expect(throws: YilianError.self) {
            try await f.services.decide(application.id, decision: .approve, reason: "ok", override: "x", by: f.actor("BYSY"))
        }
        // Not the applicant nor the core: the application does not exist for BYSY (SPEC §6).
        #expect(error?.code == .notFound)
        let own = await #expect(throws: YilianError.self) {
            try await f.services.decide(application.id, decision: .approve, reason: "ok", override: "x", by: f.actor("JGYY"))
        }
        #expect(own?.code == .forbidden)
        #expect(try await f.services.application(application.id, by: f.core).status == .submitted)
    }

    @Test func aLevel2HospitalCannotApplyAsCollaborating() async throws {
        let f = try await Fixture.make()
        let error = await #expect(throws: YilianError.self) {
            try await f.services.apply(alliance: "PAIN-BJ", hospital: "JGYY", role: .collaborating, facts: [:], by: f.actor("JGYY"))
        }
        #expect(error?.code == .ruleViolation)
        #expect(error?.data["rule"] == "role_level")
        #expect(error?.message == "The collaborating role is for level 3 hospitals; JGYY is level 2.")
    }

    @Test func approvingAnIncompleteApplicationNeedsAnOverrideWhichIsStored() async throws {
        let f = try await Fixture.make()
        // Lab recognition known, key specialty unknown: 20 passed, 60 only through unknowns.
        let application = try await f.services.apply(
            alliance: "PAIN-BJ", hospital: "MYQYY", role: .cooperating, facts: ["labMutualRecognition": true], by: f.actor("MYQYY"))
        #expect(application.evaluation.decision == .incomplete)
        #expect(application.evaluation.score == 20)

        let refused = await #expect(throws: YilianError.self) {
            try await f.services.decide(application.id, decision: .approve, reason: "同意", override: nil, by: f.core)
        }
        #expect(refused?.code == .ruleViolation)
        #expect(refused?.data["rule"] == "eligibility")

        let approved = try await f.services.decide(
            application.id, decision: .approve, reason: "同意", override: "市卫健委对口支援项目", by: f.core)
        #expect(approved.status == .approved)
        #expect(approved.override == "市卫健委对口支援项目")
        let history = try await f.services.application(application.id, by: f.core).history ?? []
        #expect(history.first { $0.action == "approve" }?.reason == "同意 (override: 市卫健委对口支援项目)")
        #expect(try await f.services.alliance("PAIN-BJ", by: nil).members.contains { $0.hospital == "MYQYY" && $0.status == .active })
    }

    /// The stored evaluation is the applicant's (a psql login can store any): a forged `eligible`
    /// stored with an application that does not meet the criteria does not let the core approve
    /// it without an override, nor is it shown (both judge the facts again). Before, both did;
    /// and an evaluation Yilian could not read broke the core's list.
    @Test func theDecisionJudgesTheFactsAgainNotTheStoredEvaluation() async throws {
        let f = try await Fixture.make()
        let application = try await f.services.apply(
            alliance: "PAIN-BJ", hospital: "MYQYY", role: .cooperating, facts: ["labMutualRecognition": true], by: f.actor("MYQYY"))
        #expect(application.evaluation.decision == .incomplete)
        // As a writer who could forge it would (the owner here: users can no longer write it).
        _ = try await f.services.database.withConnection(as: .login) {
            try await $0.query(
                "UPDATE applications SET evaluation = jsonb_set(evaluation, '{decision}', '\"eligible\"') WHERE id = $1", [application.id])
        }
        let refused = await #expect(throws: YilianError.self) {
            try await f.services.decide(application.id, decision: .approve, reason: "同意", override: nil, by: f.core)
        }
        #expect(refused?.data["rule"] == "eligibility")
        // Nor is it what the core is shown; and one Yilian could not read breaks no list.
        #expect(try await f.services.application(application.id, by: f.core).evaluation.decision == .incomplete)
        _ = try await f.services.database.withConnection(as: .login) {
            try await $0.query(#"UPDATE applications SET evaluation = '{"x": 1}' WHERE id = $1"#, [application.id])
        }
        let listed = try await f.services.applications(alliance: "PAIN-BJ", status: nil, limit: nil, cursor: nil, by: f.core)
        #expect(listed.items.map(\.evaluation.decision) == [.incomplete])
    }

    /// The core's decisions are its hospital administrators' (SPEC §6): its coordinator is told so.
    @Test func onlyTheCoresHospitalAdministratorDecides() async throws {
        let f = try await Fixture.make()
        let application = try await f.services.apply(
            alliance: "PAIN-BJ", hospital: "MYQYY", role: .cooperating, facts: ["labMutualRecognition": true], by: f.actor("MYQYY"))
        let coordinator = f.actor("ZRYY")
        let decision = await #expect(throws: YilianError.self) {
            try await f.services.decide(application.id, decision: .reject, reason: "不符合", override: nil, by: coordinator)
        }
        #expect(decision?.code == .forbidden)
        #expect(
            decision?.message
                == "Only a hospital administrator of ZRYY, the core hospital of alliance PAIN-BJ, may decide its membership applications; coordinator@ZRYY is not one, so ask one of them."
        )
        let criteria = await #expect(throws: YilianError.self) {
            try await f.services.setCriteria(alliance: "PAIN-BJ", criteria: Fixture.criteria, by: coordinator)
        }
        #expect(criteria?.code == .forbidden)
        _ = try await f.services.decide(application.id, decision: .approve, reason: "同意", override: "对口支援", by: f.core)
        let suspension = await #expect(throws: YilianError.self) {
            try await f.services.changeMembership(.suspend, alliance: "PAIN-BJ", hospital: "MYQYY", reason: "整改", by: coordinator)
        }
        #expect(suspension?.code == .forbidden)
    }

    @Test func theInformationLoopReevaluates() async throws {
        let f = try await Fixture.make()
        let application = try await f.services.apply(
            alliance: "PAIN-BJ", hospital: "MYQYY", role: .cooperating, facts: [:], by: f.actor("MYQYY"))
        #expect(application.evaluation.decision == .incomplete)
        let asked = try await f.services.decide(application.id, decision: .requestInfo, reason: "请补充重点专科与互认情况", override: nil, by: f.core)
        #expect(asked.status == .infoRequested)
        let updated = try await f.services.updateApplication(
            application.id, facts: ["keySpecialties": ["pain": "municipal"], "labMutualRecognition": true], by: f.actor("MYQYY"))
        #expect(updated.status == .submitted)
        #expect(updated.evaluation.decision == .eligible)
        #expect(updated.evaluation.score == 60)
        let again = await #expect(throws: YilianError.self) {
            try await f.services.updateApplication(application.id, facts: [:], by: f.actor("MYQYY"))
        }
        #expect(again?.code == .invalidTransition)
        #expect(again?.data["allowed"] == ["approve", "reject", "request_info", "withdraw"])
    }

    @Test func applyingTwiceOrAsAMemberIsRefused() async throws {
        let f = try await Fixture.make()
        _ = try await f.services.apply(alliance: "PAIN-BJ", hospital: "JGYY", role: .cooperating, facts: [:], by: f.actor("JGYY"))
        let open = await #expect(throws: YilianError.self) {
            try await f.services.apply(alliance: "PAIN-BJ", hospital: "JGYY", role: .cooperating, facts: [:], by: f.actor("JGYY"))
        }
        #expect(open?.data["rule"] == "open_application")
        let member = await #expect(throws: YilianError.self) {
            try await f.services.apply(alliance: "PAIN-BJ", hospital: "ZRYY", role: .collaborating, facts: [:], by: f.core)
        }
        #expect(member?.data["rule"] == "already_member")
        let other = await #expect(throws: YilianError.self) {
            try await f.services.apply(alliance: "PAIN-BJ", hospital: "MYQYY", role: .cooperating, facts: [:], by: f.actor("JGYY"))
        }
        #expect(other?.code == .forbidden)
    }

    @Test func withdrawnApplicationsAndTheExitMechanism() async throws {
        let f = try await Fixture.make()
        let first = try await f.services.apply(alliance: "PAIN-BJ", hospital: "JGYY", role: .cooperating, facts: [:], by: f.actor("JGYY"))
        #expect(try await f.services.withdrawApplication(first.id, by: f.actor("JGYY")).status == .withdrawn)
        let second = try await f.services.apply(
            alliance: "PAIN-BJ", hospital: "JGYY", role: .cooperating,
            facts: ["keySpecialties": ["pain": "national"], "labMutualRecognition": true], by: f.actor("JGYY"))
        _ = try await f.services.decide(second.id, decision: .approve, reason: "符合", override: nil, by: f.core)

        var alliance = try await f.services.changeMembership(
            .suspend, alliance: "PAIN-BJ", hospital: "JGYY", reason: "转诊数据未按时上报", by: f.core)
        #expect(alliance.members.first { $0.hospital == "JGYY" }?.status == .suspended)
        alliance = try await f.services.changeMembership(.reinstate, alliance: "PAIN-BJ", hospital: "JGYY", reason: "已整改", by: f.core)
        #expect(alliance.members.first { $0.hospital == "JGYY" }?.status == .active)
        alliance = try await f.services.changeMembership(.revoke, alliance: "PAIN-BJ", hospital: "JGYY", reason: "不再符合准入标准", by: f.core)
        #expect(alliance.members.first { $0.hospital == "JGYY" }?.status == .revoked)

        let coreRevoke = await #expect(throws: YilianError.self) {
            try await f.services.changeMembership(.revoke, alliance: "PAIN-BJ", hospital: "ZRYY", reason: "x", by: f.core)
        }
        #expect(coreRevoke?.data["rule"] == "core_member")
        let notCore = await #expect(throws: YilianError.self) {
            try await f.services.changeMembership(.suspend, alliance: "PAIN-BJ", hospital: "BYSY", reason: "x", by: f.actor("BYSY"))
        }
        #expect(notCore?.code == .forbidden)

        let history = try await f.services.application(second.id, by: f.core).history ?? []
        #expect(history.map(\.action) == ["apply", "withdraw", "apply", "approve", "admit", "suspend", "reinstate", "revoke"])
        #expect(history.last?.reason == "不再符合准入标准")

        // A revoked member may apply again; approval reactivates it.
        let third = try await f.services.apply(
            alliance: "PAIN-BJ", hospital: "JGYY", role: .cooperating,
            facts: ["keySpecialties": ["pain": "national"], "labMutualRecognition": true], by: f.actor("JGYY"))
        _ = try await f.services.decide(third.id, decision: .approve, reason: "重新准入", override: nil, by: f.core)
        #expect(try await f.services.alliance("PAIN-BJ", by: nil).members.first { $0.hospital == "JGYY" }?.status == .active)
    }

    @Test func reviewAfterStricterCriteriaListsExactlyTheMembersThatNowFail() async throws {
        let f = try await Fixture.make()
        for (hospital, role, facts) in [
            (
                "BYSY", MemberRole.collaborating,
                ["keySpecialties": ["pain": "national"], "labMutualRecognition": true, "seniorPhysicians": ["pain": 5]] as JSONValue
            ),
            (
                "JGYY", .cooperating,
                ["keySpecialties": ["pain": "municipal"], "labMutualRecognition": true, "seniorPhysicians": ["pain": 2]]
            ),
            (
                "MYQYY", .cooperating,
                ["keySpecialties": ["pain": "national"], "labMutualRecognition": true, "seniorPhysicians": ["pain": 4]]
            ),
        ] {
            let application = try await f.services.apply(
                alliance: "PAIN-BJ", hospital: hospital, role: role, facts: facts, by: f.actor(hospital))
            _ = try await f.services.decide(application.id, decision: .approve, reason: "符合", override: nil, by: f.core)
        }
        #expect(try await f.services.review(alliance: "PAIN-BJ", by: f.core).failing.isEmpty)

        // Stricter: at least 3 senior physicians is now required, and only national key specialties count.
        var stricter = Fixture.criteria
        if case .object(var members) = stricter, case .array(var criteria)? = members["criteria"] {
            criteria[2] = [
                "id": "key", "title": "疼痛科为国家级重点专科", "weight": 40,
                "rule": ["fact": "keySpecialties.pain", "op": "eq", "value": "national"],
            ]
            criteria[4] = [
                "id": "seniors", "title": "高级职称医师不少于3名", "required": true,
                "rule": ["fact": "seniorPhysicians.pain", "op": "gte", "value": 3],
            ]
            members["criteria"] = .array(criteria)
            members["passScore"] = 60
            stricter = .object(members)
        }
        #expect(try await f.services.setCriteria(alliance: "PAIN-BJ", criteria: stricter, by: f.core).version == 2)

        let review = try await f.services.review(alliance: "PAIN-BJ", by: f.core)
        #expect(review.criteriaVersion == 2)
        #expect(review.reviewed == 3)
        #expect(review.failing.map(\.hospital) == ["JGYY"])
        let jgyy = review.failing.first { $0.hospital == "JGYY" }
        #expect(jgyy?.decision == .ineligible)
        #expect(jgyy?.criteria.map(\.id) == ["key", "seniors"])
        #expect(jgyy?.criteria.last?.explanation.description == "seniorPhysicians.pain = 2, needs ≥ 3")
        // Review changes nothing; the old version stays readable.
        #expect(try await f.services.alliance("PAIN-BJ", by: nil).members.allSatisfy { $0.status == .active })
        #expect(try await f.services.criteria(alliance: "PAIN-BJ", version: 1, by: nil).criteria == Fixture.criteria)
    }

    @Test func onlyTheAdministratorRegistersAndCreates() async throws {
        let f = try await Fixture.make()
        let register = await #expect(throws: YilianError.self) {
            try await f.services.registerHospital(Hospital(code: "NEW", name: "新医院", level: 2), by: f.core)
        }
        #expect(register?.code == .forbidden)
        let create = await #expect(throws: YilianError.self) {
            try await f.services.createAlliance(code: "X-1", name: "x", specialty: "pain", core: "ZRYY", responseHours: nil, by: f.core)
        }
        #expect(create?.code == .forbidden)
        let criteria = await #expect(throws: YilianError.self) {
            try await f.services.setCriteria(alliance: "PAIN-BJ", criteria: Fixture.criteria, by: f.admin)
        }
        #expect(criteria?.code == .forbidden)
    }

    @Test func registrationAndCreationRules() async throws {
        let f = try await Fixture.make()
        let duplicate = await #expect(throws: YilianError.self) {
            try await f.services.registerHospital(Hospital(code: "ZRYY", name: "again", level: 3), by: f.admin)
        }
        #expect(duplicate?.code == .alreadyExists)
        #expect(duplicate?.message == "Hospital ZRYY is already registered.")
        let bad = await #expect(throws: YilianError.self) {
            try await f.services.registerHospital(Hospital(code: "x", name: "", level: 5, departments: ["pain", "dentistry"]), by: f.admin)
        }
        #expect(bad?.data["problems"]?.arrayCount == 4)
        let lowCore = await #expect(throws: YilianError.self) {
            try await f.services.createAlliance(
                code: "PED-BJ", name: "儿科", specialty: "pediatrics", core: "JGYY", responseHours: nil, by: f.admin)
        }
        #expect(lowCore?.data["rule"] == "core_level")
        let missing = await #expect(throws: YilianError.self) {
            try await f.services.createAlliance(
                code: "PED-BJ", name: "儿科", specialty: "pediatrics", core: "NOPE", responseHours: nil, by: f.admin)
        }
        #expect(missing?.code == .notFound)
        let custom = try await f.services.createAlliance(
            code: "ORTHO-BJ", name: "骨科专科医联体", specialty: "orthopedics", core: "BYSY",
            responseHours: ResponseHours(emergency: 1, urgent: 12, routine: 48), by: f.admin)
        #expect(custom.responseHours == ResponseHours(emergency: 1, urgent: 12, routine: 48))
        #expect(custom.criteriaVersion == 0)
        let noCriteria = await #expect(throws: YilianError.self) {
            try await f.services.apply(alliance: "ORTHO-BJ", hospital: "JGYY", role: .cooperating, facts: [:], by: f.actor("JGYY"))
        }
        #expect(noCriteria?.data["rule"] == "criteria_published")
    }

    @Test func hospitalListsFilterAndPage() async throws {
        let f = try await Fixture.make()
        let level2 = try await f.services.hospitals(level: 2, district: nil, specialty: nil, limit: nil, cursor: nil, by: nil)
        #expect(level2.items.map(\.code) == ["JGYY", "MYQYY"])
        #expect(level2.nextCursor == nil)
        let pain = try await f.services.hospitals(level: nil, district: nil, specialty: "pain", limit: 2, cursor: nil, by: nil)
        #expect(pain.items.map(\.code) == ["BYSY", "JGYY"])
        #expect(pain.nextCursor == "JGYY")
        let next = try await f.services.hospitals(level: nil, district: nil, specialty: "pain", limit: 2, cursor: pain.nextCursor, by: nil)
        #expect(next.items.map(\.code) == ["MYQYY", "ZRYY"])
        let district = try await f.services.hospitals(level: nil, district: "东城区", specialty: nil, limit: nil, cursor: nil, by: nil)
        #expect(district.items.map(\.name) == ["和平里社区卫生服务中心"])
    }

    @Test func evaluateIsADryRun() async throws {
        let f = try await Fixture.make()
        let evaluation = try await f.services.evaluate(
            alliance: "PAIN-BJ", role: .cooperating, facts: ["departments": ["pain"], "keySpecialties": ["pain": "provincial"]],
            version: nil, by: nil)
        // key fails (40 lost); lab and seniors unknown (40): 0 + 40 < 60.
        #expect(evaluation.decision == .ineligible)
        #expect(evaluation.score == 0)
        #expect(
            evaluation.criteria.first { $0.id == "key" }?.explanation.description
                == "keySpecialties.pain = provincial, needs one of national, municipal")
        #expect(try await f.services.applications(alliance: "PAIN-BJ", status: nil, limit: nil, cursor: nil, by: f.core).items.isEmpty)
    }

    @Test func eventsRefuseUpdateAndDelete() async throws {
        let f = try await Fixture.make()
        let error = await #expect(throws: YilianError.self) {
            try await f.services.database.withConnection(as: .login) {
                try await $0.query("UPDATE membership_events SET reason = 'changed'")
            }
        }
        #expect(error?.code == .internal)
        let delete = await #expect(throws: YilianError.self) {
            try await f.services.database.withConnection(as: .login) { try await $0.query("DELETE FROM membership_events") }
        }
        #expect(delete?.code == .internal)
        let count = try await f.services.database.withConnection(as: .login) {
            try await $0.query("SELECT count(*) AS n FROM membership_events")[0].decode("n", as: Int.self)
        }
        #expect(count == 1)
    }
}

extension JSONValue {
    var arrayCount: Int? {
        if case .array(let items) = self { return items.count }
        return nil
    }
}
