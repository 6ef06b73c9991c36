import Foundation
import Logging
import Testing
import YilianCore
import YilianJSON
import YilianServices
import YilianTestSupport

@testable import YilianRepository

/// The pain alliance with admitted members at every tier, and a clock the test moves.
/// ZRYY core (3), BYSY collaborating (3), JGYY and MYQYY cooperating (2), CHC-HPL primary (1);
/// WJ-1 is registered at level 2 but not a member.
struct ReferralWorld {
    let services: Services
    let clock: ManualClock
    let admin = Actor(user: "ops", hospital: "admin")
    /// ZRYY's administrator, who keeps the alliance's criteria and decides its members.
    let coreAdmin = Actor(user: "li", hospital: "ZRYY")

    static func make(capacity: Int = 4) async throws -> ReferralWorld {
        let logger = Logger(label: "test")
        let clock = ManualClock(Date(timeIntervalSince1970: 1_795_392_000))  // 2026-11-23T00:00:00Z
        let database = Database(conninfo: try await TestPostgres.freshDatabase(), capacity: capacity, logger: logger)
        let services = Services(database: database, logger: logger, clock: { clock.now })
        let world = ReferralWorld(services: services, clock: clock)
        for hospital in [
            Hospital(code: "ZRYY", name: "中日友好医院", level: 3, departments: ["pain"]),
            Hospital(code: "BYSY", name: "北医三院", level: 3, departments: ["pain"]),
            Hospital(code: "JGYY", name: "健宫医院", level: 2, departments: ["pain"]),
            Hospital(code: "MYQYY", name: "密云区医院", level: 2, departments: ["pain"]),
            Hospital(code: "CHC-HPL", name: "和平里社区卫生服务中心", level: 1, kind: .community),
            Hospital(code: "WJ-1", name: "外院", level: 2),
        ] {
            _ = try await services.registerHospital(hospital, by: world.admin)
        }
        _ = try await services.createAlliance(
            code: "PAIN-BJ", name: "北京地区疼痛专科医联体", specialty: "pain", core: "ZRYY", responseHours: nil, by: world.admin)
        _ = try await services.setCriteria(
            alliance: "PAIN-BJ",
            criteria: ["passScore": 0, "criteria": [["id": "any", "title": "登记在册", "rule": ["fact": "level", "op": "exists"]]]],
            by: world.coreAdmin)
        for (hospital, role) in [
            ("BYSY", MemberRole.collaborating), ("JGYY", .cooperating), ("MYQYY", .cooperating), ("CHC-HPL", .primary),
        ] {
            let application = try await services.apply(
                alliance: "PAIN-BJ", hospital: hospital, role: role, facts: [:], by: world.actor(hospital))
            _ = try await services.decide(application.id, decision: .approve, reason: "符合", override: nil, by: world.coreAdmin)
        }
        return world
    }

    func actor(_ hospital: String) -> Actor { Actor(user: "coordinator", hospital: hospital) }

    static let patient = Patient(name: "张三", sex: .male, birthDate: "1980-01-01", idNumber: "11010519800101018X", phone: "13800138000")

    /// One patient's referral; the same patient again is allowed (`allowDuplicate`) unless a
    /// test is about the duplicate rule.
    func request(
        from: String = "MYQYY", to: String = "ZRYY", direction: Direction? = nil, priority: Priority = .routine,
        consent: Bool = true, parent: String? = nil, allowDuplicate: Bool = true
    ) -> ReferralRequest {
        ReferralRequest(
            alliance: "PAIN-BJ", from: from, to: to, direction: direction, setting: .outpatient, priority: priority, patient: Self.patient,
            consent: consent, diagnosis: [Diagnosis(code: "M79.2", name: "神经痛")], reason: "疼痛控制不佳，需上级医院会诊", parent: parent,
            allowDuplicate: allowDuplicate)
    }

    func file(_ request: ReferralRequest) async throws -> ReferralView {
        try await services.fileReferral(request, by: actor(request.from))
    }

    func act(_ id: String, _ command: ReferralCommand, by hospital: String, version: Int? = nil) async throws -> ReferralView {
        try await services.act(id, command, expectedVersion: version, by: actor(hospital))
    }

    func status(_ view: ReferralView) -> ReferralMachine.Status { view.status }

    /// A second service on the same database, as another `serve` process would be: it has seen nothing.
    var elsewhere: Services { Services(database: services.database, logger: Logger(label: "test"), clock: { clock.now }) }

    /// Files `count` referrals from MYQYY to ZRYY and has ZRYY accept them; returns their ids.
    func acceptedReferrals(_ count: Int) async throws -> [String] {
        var ids: [String] = []
        for _ in 0..<count {
            let id = try await file(request()).id
            _ = try await act(id, .accept(note: nil), by: "ZRYY")
            ids.append(id)
        }
        return ids
    }

    /// `command` on every one of `ids` at once, by `hospital` through `services` (by default the
    /// world's): each one's error code, nil where it succeeded.
    func concurrently(_ ids: [String], _ command: ReferralCommand, by hospital: String, through services: Services? = nil) async
        -> [YilianError.Code?]
    {
        let services = services ?? self.services
        let actor = actor(hospital)
        return await withTaskGroup(of: YilianError.Code?.self) { group in
            for id in ids {
                group.addTask {
                    do {
                        _ = try await services.act(id, command, expectedVersion: nil, by: actor)
                        return nil
                    } catch let error as YilianError {
                        return error.code
                    } catch {
                        return .internal
                    }
                }
            }
            return await group.reduce(into: [YilianError.Code?]()) { $0.append($1) }
        }
    }
}

@Suite struct FilingGuardTests {
    func rule(_ world: ReferralWorld, _ request: ReferralRequest, by hospital: String? = nil) async -> (String?, String?) {
        do {
            _ = try await world.services.fileReferral(request, by: world.actor(hospital ?? request.from))
            return (nil, nil)
        } catch let error as YilianError {
            return (error.data["rule"]?.stringValue, error.message)
        } catch {
            return ("unexpected \(error)", nil)
        }
    }

    /// The duplicate rule's lookup on a table PostgreSQL has not analyzed yet (a new alliance's
    /// first minute, or a benchmark's): it used to walk the sender's open referrals one by one
    /// in id order, so each filing read every earlier one (filings fell from 570/s to 120/s over
    /// 10,000). It reads the patient's own referrals only: for a resident ID, one index probe
    /// to learn that the ID's key belongs to a referral the user's hospital filed with it (a
    /// whole ID is compared with no other, migration 0035), then the patient's open ones by key,
    /// and by name and masked ID.
    @Test func theDuplicateLookupReadsOnlyThePatientsReferralsBeforeAnyAnalyze() async throws {
        let world = try await ReferralWorld.make()
        func patient(_ n: Int) -> Patient {
            let body = "110105198001" + String(format: "%02d", n / 1000 + 1) + String(format: "%03d", n % 1000)
            let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
            let sum = zip(body.compactMap(\.wholeNumberValue), weights).reduce(0) { $0 + $1.0 * $1.1 }
            return Patient(
                name: "患者\(n)", sex: .male, birthDate: "1980-01-\(String(format: "%02d", n / 1000 + 1))",
                idNumber: body + String(Array("10X98765432")[sum % 11]), phone: nil)
        }
        // Before any analyze: autovacuum, which analyzes a table once 50 rows and a tenth of it
        // changed, must not run meanwhile (on a busy machine it did, and a seq scan counts no fetch).
        _ = try await world.services.database.withConnection(as: .login) {
            try await $0.query("ALTER TABLE referrals SET (autovacuum_enabled = false)")
        }
        for n in 0..<150 {
            var request = world.request(allowDuplicate: false)
            request.patient = patient(n)
            _ = try await world.file(request)
        }
        let (seventh, newcomer) = (patient(7), patient(500))
        // The rows this backend fetched through indexes, before and after each lookup, in one
        // transaction (counts not reported yet include earlier transactions'), read as the owner:
        // users may not read the statistics (EmbeddedCluster.closedToUsers).
        let fetched = try await world.services.database.transaction(as: .user("coordinator@MYQYY")) { session in
            func count() async throws -> Int {
                let rows = try await session.queries([
                    ("RESET ROLE", []), ("SELECT idx_tup_fetch FROM pg_stat_xact_user_tables WHERE relname = 'referrals'", []),
                    ("SET ROLE \"coordinator@MYQYY\"", []),
                ])
                return try rows[1][0].decode("idx_tup_fetch", as: Int.self)
            }
            let start = try await count()
            #expect(try await ReferralRepository.openReferral(of: seventh, from: "MYQYY", to: "ZRYY", on: session) == "R-000008")
            let between = try await count()
            #expect(try await ReferralRepository.openReferral(of: newcomer, from: "MYQYY", to: "ZRYY", on: session) == nil)
            return [between - start, try await count() - between]
        }
        // Since 0045 the name index holds the referrals with an ID too (a filing without one meets
        // them), so the name probe also fetches the patient's own referral and leaves it: still
        // only the patient's rows.
        #expect(fetched == [4, 0])
    }

    @Test func consentIsRequired() async throws {
        let world = try await ReferralWorld.make()
        #expect(await rule(world, world.request(consent: false)).0 == "consent")
    }

    @Test func senderAndReceiverDiffer() async throws {
        let world = try await ReferralWorld.make()
        #expect(await rule(world, world.request(from: "MYQYY", to: "MYQYY")).0 == "same_hospital")
    }

    @Test func theActorBelongsToTheSender() async throws {
        let world = try await ReferralWorld.make()
        let error = await #expect(throws: YilianError.self) {
            try await world.services.fileReferral(world.request(), by: world.actor("JGYY"))
        }
        #expect(error?.code == .forbidden)
        #expect(error?.message == "Only a coordinator of MYQYY may file its referrals; coordinator@JGYY is not.")
    }

    @Test func bothHospitalsAreActiveMembers() async throws {
        let world = try await ReferralWorld.make()
        #expect(await rule(world, world.request(from: "WJ-1")).0 == "membership")
        _ = try await world.services.changeMembership(
            .suspend, alliance: "PAIN-BJ", hospital: "BYSY", reason: "整改", by: Actor(user: "li", hospital: "ZRYY"))
        let (name, message) = await rule(world, world.request(to: "BYSY"))
        #expect(name == "membership")
        #expect(message == "BYSY is not an active member of alliance PAIN-BJ; only active members send or receive referrals.")
    }

    @Test func theAllianceIsActive() async throws {
        let world = try await ReferralWorld.make()
        _ = try await world.services.database.withConnection(as: .login) { try await $0.query("UPDATE alliances SET status = 'dissolved'") }
        #expect(await rule(world, world.request()).0 == "alliance_active")
    }

    @Test func directionFollowsTiersAndTheCore() async throws {
        let world = try await ReferralWorld.make()
        // Two secondary hospitals: neither up nor down.
        #expect(await rule(world, world.request(from: "MYQYY", to: "JGYY")).0 == "direction")
        // A stated direction must fit.
        #expect(await rule(world, world.request(from: "MYQYY", to: "ZRYY", direction: .down)).0 == "direction")
        // Collaborating (3) to core (3) is up; core to collaborating is neither.
        #expect(try await world.file(world.request(from: "BYSY", to: "ZRYY")).direction == .up)
        #expect(await rule(world, world.request(from: "ZRYY", to: "BYSY")).0 == "direction")
        // Derived when left out.
        #expect(try await world.file(world.request(from: "ZRYY", to: "CHC-HPL")).direction == .down)
        #expect(try await world.file(world.request(from: "CHC-HPL", to: "MYQYY")).direction == .up)
    }

    @Test func aDownReferralContinuesAFittingParent() async throws {
        let world = try await ReferralWorld.make()
        let up = try await world.file(world.request(from: "MYQYY", to: "ZRYY", priority: .emergency))
        // Not yet in treatment.
        #expect(await rule(world, world.request(from: "ZRYY", to: "MYQYY", parent: up.id)).0 == "parent")
        _ = try await world.act(up.id, .accept(note: nil), by: "ZRYY")
        _ = try await world.act(up.id, .arrive, by: "ZRYY")
        // In treatment: a down-referral from its receiver may continue it.
        let down = try await world.file(world.request(from: "ZRYY", to: "MYQYY", parent: up.id))
        #expect(down.parent == up.id)
        // Not from another hospital than the parent's receiver; not on an up-referral; not unknown.
        #expect(await rule(world, world.request(from: "BYSY", to: "JGYY", parent: up.id)).0 == "parent")
        #expect(await rule(world, world.request(from: "JGYY", to: "ZRYY", parent: up.id)).0 == "parent")
        #expect(await rule(world, world.request(from: "ZRYY", to: "JGYY", parent: "R-999999")).0 == "parent")
        // The parent lists its continuation.
        #expect(
            try await world.services.referral(up.id, by: Actor(user: "coordinator", hospital: "ZRYY")).continuations == [
                down.id
            ])
    }

    /// SPEC §4, §6: the database stores the resident ID masked, with the patient's key; a patient
    /// copied from a stored referral is still the same patient by that key.
    @Test func aPatientWhoseIDIsStoredMaskedIsStillRecognisedByItsKey() async throws {
        let world = try await ReferralWorld.make()
        let zryy = world.actor("ZRYY")
        let up = try await world.file(world.request(from: "MYQYY", to: "ZRYY", priority: .emergency))
        _ = try await world.act(up.id, .accept(note: nil), by: "ZRYY")
        _ = try await world.act(up.id, .arrive, by: "ZRYY")
        let stored = try await world.services.referral(up.id, by: zryy).patient
        #expect(stored.idNumber == "**************018X" && stored.key == nil)  // no key leaves the database
        // Another person's resident ID given with the continuation: rule `patient`.
        var other = world.request(from: "ZRYY", to: "MYQYY", parent: up.id)
        other.patient?.idNumber = "110105198001010024"
        #expect(await rule(world, other).0 == "patient")
        // The parent's patient taken as stored, masked ID and key, and found again by both.
        var continuing = world.request(from: "ZRYY", to: "MYQYY", parent: up.id, allowDuplicate: false)
        continuing.patient = nil
        let down = try await world.file(continuing)
        #expect(try await world.services.referral(down.id, by: zryy).patient == stored)
        #expect(await rule(world, continuing).0 == "duplicate")
        // By the whole ID only the referrals filed with it, by the hospital that entered it
        // (MYQYY); ZRYY, which never typed it, finds them by name and birth date (a whole ID would
        // otherwise tell a guess of the masked one right from wrong).
        var byID = ReferralFilter()
        byID.patient = .init(idNumber: ReferralWorld.patient.idNumber)
        #expect(
            try await world.services.referrals(byID, limit: nil, cursor: nil, by: world.actor("MYQYY")).items.map(\.id) == [
                up.id
            ])
        #expect(try await world.services.referrals(byID, limit: nil, cursor: nil, by: zryy).items.isEmpty)
        var byName = ReferralFilter()
        byName.patient = .init(name: stored.name, birthDate: stored.birthDate)
        #expect(
            Set(try await world.services.referrals(byName, limit: nil, cursor: nil, by: zryy).items.map(\.id)) == [
                up.id, down.id,
            ])
    }

    @Test func fieldProblemsAreAllListed() async throws {
        let world = try await ReferralWorld.make()
        var request = world.request()
        request.patient?.idNumber = "110105198001010051"
        request.diagnosis = []
        request.reason = " "
        let error = await #expect(throws: YilianError.self) { try await world.file(request) }
        #expect(error?.code == .invalidParams)
        #expect(
            error?.data["problems"] == [
                ["path": "patient.idNumber", "message": "has a wrong check digit (GB 11643)"],
                ["path": "diagnosis", "message": "needs at least one diagnosis"],
                ["path": "reason", "message": "must not be empty"],
            ])
        #expect(error?.message.contains("110105198001010051") == false)
    }
}

@Suite struct ReadPlanTests {
    /// A busy section is read by walking its index to the limit, not read whole and sorted (a
    /// core hospital's worklist took 4 ms for its incoming section instead of 0.8 when
    /// PostgreSQL sorted). The sections are statements inside `yilian_api.worklist`: their plans
    /// are shown by auto_explain, which only the cluster's superuser may load.
    @Test func busySectionsAreReadInTheirOrderNotSorted() async throws {
        let world = try await ReferralWorld.make()
        for _ in 0..<300 { _ = try await world.file(world.request()) }
        try await world.services.database.transaction(as: .login) { try await $0.query("ANALYZE referrals") }
        let superuser = await world.services.database.pool.conninfo.replacingOccurrences(of: "user=yilian", with: "user=postgres")
        let explained = try Psql.run(
            superuser,
            """
            LOAD 'auto_explain'; SET auto_explain.log_min_duration = 0; SET auto_explain.log_nested_statements = on;
            SET client_min_messages = log; SET ROLE "coordinator@ZRYY";
            SELECT count(*) FROM yilian_api.worklist(NULL, 'ZRYY', '\(JSONCoding.iso8601(world.clock.now))', 20);
            """)
        #expect(explained.succeeded, "\(explained.error)")
        let plan = try #require(explained.error.components(separatedBy: "LOG:").first { $0.contains("'incoming'") })
        // Seven sections, each a limit; the busy one (300 incoming) walks its index, unsorted;
        // nothing is compiled. (A section PostgreSQL expects to hold a row or two may be sorted.)
        #expect(plan.components(separatedBy: "->  Limit").count - 1 == 7, "\(plan)")
        let incoming = try #require(plan.components(separatedBy: "->  Subquery Scan on").first { $0.contains("*SELECT* 1") })
        #expect(incoming.contains("Index Scan using referrals_incoming_open") && !incoming.contains("Sort  ("), "\(plan)")
        #expect(!plan.contains("JIT"), "\(plan)")
    }

    /// The feed is read after a number along its index of numbers, not walked whole: a watcher
    /// reads it every few seconds, and it holds every event of every hospital (migration 0044).
    @Test func theFeedIsReadAfterANumberAlongItsIndex() async throws {
        let world = try await ReferralWorld.make()
        for _ in 0..<300 { _ = try await world.file(world.request()) }
        let last = try await world.services.database.transaction(as: .login) { connection in
            try await connection.query("ANALYZE feed")
            return try await FeedRepository.advance(on: connection)
        }
        let superuser = await world.services.database.pool.conninfo.replacingOccurrences(of: "user=yilian", with: "user=postgres")
        let explained = try Psql.run(
            superuser,
            """
            LOAD 'auto_explain'; SET auto_explain.log_min_duration = 0; SET auto_explain.log_nested_statements = on;
            SET client_min_messages = log; SET ROLE "coordinator@ZRYY";
            SELECT count(*) FROM yilian_api.feed(NULL, \(last - 3), 10);
            """)
        #expect(explained.succeeded, "\(explained.error)")
        let plan = try #require(explained.error.components(separatedBy: "LOG:").first { $0.contains("FROM feed f") })
        #expect(plan.contains("Index Scan using feed_numbered") && !plan.contains("Seq Scan on feed"), "\(plan)")
    }

    /// `yilian_worklist_counts` (counting) and `yilian_api.worklist` (listing) say the same,
    /// section by section.
    @Test func theCountsAreTheSectionsCounted() async throws {
        let world = try await ReferralWorld.make()
        var ids: [String] = []
        for _ in 0..<5 { ids.append(try await world.file(world.request()).id) }
        _ = try await world.act(ids[0], .accept(note: nil), by: "ZRYY")
        _ = try await world.act(ids[1], .accept(note: nil), by: "ZRYY")
        world.clock.advance(hours: 80)
        _ = try await world.file(world.request(from: "ZRYY", to: "CHC-HPL", direction: .down))
        let now = world.clock.now
        for hospital in ["ZRYY", "MYQYY", "CHC-HPL"] {
            let (counted, sections) = try await world.services.database.transaction(as: .user("coordinator@\(hospital)")) { session in
                let row = try await session.query("SELECT * FROM yilian_worklist_counts($1, $2)", [hospital, now])[0]
                let listed = try await session.query(
                    "SELECT section, count(*) AS n FROM yilian_api.worklist(NULL, $1, $2, 1000) GROUP BY section", [hospital, now])
                let counts = try Dictionary(
                    uniqueKeysWithValues: listed.rows.map { (try $0.decode("section") as String, try $0.decode("n") as Int) })
                return (try (0..<7).map { try row.decode(at: $0, as: Int.self) }, ReferralRepository.sections.map { counts[$0] ?? 0 })
            }
            #expect(counted == sections, "\(hospital)")
            #expect(sections.reduce(0, +) > 0, "\(hospital)")
        }
        // Only one's own hospital's: another's worklist is neither counted nor listed for it.
        for statement in [
            "SELECT * FROM yilian_worklist_counts('ZRYY', now())", "SELECT * FROM yilian_api.worklist(NULL, 'ZRYY', now(), 10)",
        ] {
            await #expect(throws: YilianError.self) {
                try await world.services.database.transaction(as: .user("coordinator@MYQYY")) { session in
                    try await session.query(statement)
                }
            }
        }
    }
}

@Suite struct ReferralLifecycleTests {
    @Test func upThroughClosedThenDownForRehabilitation() async throws {
        let world = try await ReferralWorld.make()
        _ = try await world.services.publishSlots(
            hospital: "ZRYY", specialty: "pain", from: "2026-11-30", capacity: 2, by: world.actor("ZRYY"))
        let filed = try await world.file(world.request())
        let id = filed.id
        #expect(id == "R-000001")
        #expect(filed.status == .requested)
        #expect(filed.respondBy == world.clock.now.addingTimeInterval(72 * 3600))
        #expect(filed.patient.idNumber == "**************018X")  // a view holds it masked only…
        let shown = String(decoding: try JSONEncoder().encode(filed), as: UTF8.self)
        #expect(shown.contains("**************018X"))  // …and shows it so
        #expect(!shown.contains("11010519800101018X"))

        var view = try await world.act(id, .accept(note: "同意接收"), by: "ZRYY", version: 1)
        view = try await world.act(id, .schedule(date: "2026-11-30"), by: "ZRYY", version: 2)
        #expect(view.slot?.description == "2026-11-30")
        #expect(try await world.services.slots(hospital: "ZRYY", specialty: nil, from: nil, to: nil, by: nil).first?.booked == 1)
        view = try await world.act(id, .arrive, by: "ZRYY")
        let outcome = TreatmentOutcome(
            summary: "诊断明确，病情稳定", diagnosis: [Diagnosis(code: "M79.2", name: "神经痛")], recommendation: .downRefer, followUpDays: 30)
        view = try await world.act(id, .complete(outcome), by: "ZRYY")
        #expect(view.outcome == outcome)
        view = try await world.act(id, .acknowledge, by: "MYQYY")
        #expect(view.status == .closed)
        #expect(view.status.fhirStatus == "completed")
        #expect(view.version == 6)

        let down = try await world.file(world.request(from: "ZRYY", to: "MYQYY", parent: id))
        #expect(down.direction == .down)
        let history = try await world.services.referral(id, by: world.actor("ZRYY")).history ?? []
        #expect(history.map(\.action) == ["file", "accept", "schedule", "arrive", "complete", "acknowledge"])
        #expect(history.map(\.seq) == [1, 2, 3, 4, 5, 6])
        #expect(history[1].reason == "同意接收")
        #expect(history[2].details == ["date": "2026-11-30"])
    }

    @Test func staleVersionsConflictAndOtherHospitalsFindNothing() async throws {
        let world = try await ReferralWorld.make()
        let id = try await world.file(world.request()).id
        let stale = await #expect(throws: YilianError.self) { try await world.act(id, .accept(note: nil), by: "ZRYY", version: 7) }
        #expect(stale?.code == .conflict)
        // A hospital that is no party does not see the referral at all (SPEC §6).
        let stranger = await #expect(throws: YilianError.self) { try await world.act(id, .accept(note: nil), by: "BYSY") }
        #expect(stranger?.code == .notFound)
        let sender = await #expect(throws: YilianError.self) { try await world.act(id, .accept(note: nil), by: "MYQYY") }
        #expect(sender?.code == .forbidden)
        let wrongState = await #expect(throws: YilianError.self) { try await world.act(id, .arrive, by: "ZRYY") }
        #expect(wrongState?.code == .invalidTransition)
        #expect(wrongState?.data["allowed"] == ["accept", "reject", "requestInfo"])  // the receiver's own actions only
    }

    @Test func theEmergencyGreenChannelArrivesStraightFromAccepted() async throws {
        let world = try await ReferralWorld.make()
        let id = try await world.file(world.request(priority: .emergency)).id
        #expect(
            try await world.services.referral(id, by: Actor(user: "coordinator", hospital: "ZRYY")).respondBy
                == world.clock.now.addingTimeInterval(2 * 3600))
        _ = try await world.act(id, .accept(note: nil), by: "ZRYY")
        #expect(try await world.act(id, .arrive, by: "ZRYY").status == .inTreatment)
        let routine = try await world.file(world.request()).id
        _ = try await world.act(routine, .accept(note: nil), by: "ZRYY")
        await #expect(throws: YilianError.self) { try await world.act(routine, .arrive, by: "ZRYY") }
    }

    @Test func informationLoopRedirectAndRejection() async throws {
        let world = try await ReferralWorld.make()
        let id = try await world.file(world.request()).id
        _ = try await world.act(id, .requestInfo(question: "请补充影像资料"), by: "ZRYY")
        world.clock.advance(hours: 10)
        var view = try await world.act(id, .provideInfo(answer: "已上传MRI"), by: "MYQYY")
        #expect(view.status == .requested)
        #expect(view.respondBy == world.clock.now.addingTimeInterval(72 * 3600))
        view = try await world.act(id, .redirect(to: "BYSY"), by: "MYQYY")
        #expect(view.to == "BYSY")
        let redirectBack = await #expect(throws: YilianError.self) { try await world.act(id, .redirect(to: "JGYY"), by: "MYQYY") }
        #expect(redirectBack?.data["rule"] == "direction")
        let other = await #expect(throws: YilianError.self) { try await world.act(id, .reject(code: .other, reason: nil), by: "BYSY") }
        #expect(other?.code == .invalidParams)
        view = try await world.act(id, .reject(code: .capacityFull, reason: nil), by: "BYSY")
        #expect(view.status == .rejected)
        #expect(
            try await world.services.referral(id, by: Actor(user: "coordinator", hospital: "ZRYY")).history?.last?.details == [
                "reasonCode": "capacity_full"
            ])
    }

    @Test func cancellingAScheduledReferralReleasesItsSlotAndRescheduleSwaps() async throws {
        let world = try await ReferralWorld.make()
        for date in ["2026-12-01", "2026-12-02"] {
            _ = try await world.services.publishSlots(hospital: "ZRYY", specialty: "pain", from: date, capacity: 1, by: world.actor("ZRYY"))
        }
        let id = try await world.file(world.request()).id
        _ = try await world.act(id, .accept(note: nil), by: "ZRYY")
        _ = try await world.act(id, .schedule(date: "2026-12-01"), by: "ZRYY")
        _ = try await world.act(id, .reschedule(date: "2026-12-02"), by: "ZRYY")
        var slots = try await world.services.slots(hospital: "ZRYY", specialty: "pain", from: nil, to: nil, by: nil)
        #expect(slots.map(\.booked) == [0, 1])
        let full = await #expect(throws: YilianError.self) {
            try await world.services.publishSlots(
                hospital: "ZRYY", specialty: "pain", from: "2026-12-02", capacity: 0, by: world.actor("ZRYY"))
        }
        #expect(full?.code == .capacityExhausted)
        _ = try await world.act(id, .cancel(reason: "患者改期"), by: "MYQYY")
        slots = try await world.services.slots(hospital: "ZRYY", specialty: "pain", from: nil, to: nil, by: nil)
        #expect(slots.map(\.booked) == [0, 0])
        #expect(slots.map(\.available) == [1, 1])
    }

    @Test func fiftyConcurrentSchedulesOnCapacityTenBookExactlyTen() async throws {
        let world = try await ReferralWorld.make(capacity: 50)
        _ = try await world.services.publishSlots(
            hospital: "ZRYY", specialty: "pain", from: "2026-12-10", capacity: 10, by: world.actor("ZRYY"))
        let ids = try await world.acceptedReferrals(50)
        let outcomes = await world.concurrently(ids, .schedule(date: "2026-12-10"), by: "ZRYY")
        #expect(outcomes.filter { $0 == nil }.count == 10)
        #expect(outcomes.filter { $0 == .capacityExhausted }.count == 40)
        #expect(try await world.services.slots(hospital: "ZRYY", specialty: "pain", from: nil, to: nil, by: nil).first?.booked == 10)
        let scheduled = try await world.services.referrals(
            ReferralFilter(statuses: [.scheduled]), limit: 500, cursor: nil, by: world.actor("ZRYY"))
        #expect(scheduled.items.count == 10)
    }

    /// At 01:00 in Beijing (17:00 UTC the day before) a baby born that day is born today, not in
    /// the future: the date was the UTC one.
    @Test func aNewbornOfTheDayInBeijingIsNotBornInTheFuture() async throws {
        let world = try await ReferralWorld.make()
        world.clock.advance(hours: 17)  // 2026-11-23T17:00Z, 2026-11-24 01:00 in Beijing
        var request = world.request()
        request.patient = Patient(name: "新生儿", sex: .female, birthDate: "2026-11-24")
        #expect(try await world.file(request).patient.birthDate == "2026-11-24")
    }

    @Test func twentyConcurrentAcceptsAndRejectsOnOneReferralLetExactlyOneSucceed() async throws {
        let world = try await ReferralWorld.make(capacity: 20)
        let id = try await world.file(world.request()).id
        let successes = await withTaskGroup(of: Bool.self) { group in
            for index in 0..<20 {
                group.addTask {
                    let command: ReferralCommand = index.isMultiple(of: 2) ? .accept(note: nil) : .reject(code: .capacityFull, reason: nil)
                    return (try? await world.act(id, command, by: "ZRYY")) != nil
                }
            }
            return await group.reduce(into: 0) { $0 += $1 ? 1 : 0 }
        }
        #expect(successes == 1)
        let referral = try await world.services.referral(id, by: Actor(user: "coordinator", hospital: "ZRYY"))
        #expect(referral.version == 2)
        #expect(referral.history?.count == 2)
    }

    @Test func sweepEscalatesOncePerWindowExpiresAtTwiceTheWindowAndIsIdempotent() async throws {
        let world = try await ReferralWorld.make()
        let id = try await world.file(world.request(priority: .urgent)).id  // 24 h window
        let asked = try await world.file(world.request(from: "JGYY")).id
        _ = try await world.act(asked, .requestInfo(question: "请补充病历"), by: "ZRYY")

        world.clock.advance(hours: 23)
        #expect(try await world.services.sweep() == SweepResult(escalated: [], expired: []))
        world.clock.advance(hours: 2)  // 25 h: past respond-by
        #expect(try await world.services.sweep() == SweepResult(escalated: [id], expired: []))
        #expect(try await world.services.sweep() == SweepResult(escalated: [], expired: []))
        var referral = try await world.services.referral(id, by: Actor(user: "coordinator", hospital: "ZRYY"))
        #expect(referral.escalation == 1)
        #expect(referral.overdue == false)  // the new respond-by is a window later
        world.clock.advance(hours: 22)  // 47 h
        #expect(try await world.services.sweep() == SweepResult(escalated: [], expired: []))
        world.clock.advance(hours: 1)  // 48 h: twice the window
        #expect(try await world.services.sweep() == SweepResult(escalated: [], expired: [id]))
        #expect(try await world.services.sweep() == SweepResult(escalated: [], expired: []))
        referral = try await world.services.referral(id, by: Actor(user: "coordinator", hospital: "ZRYY"))
        #expect(referral.status == .expired)
        #expect(referral.status.fhirStatus == "failed")
        #expect(referral.history?.map(\.action) == ["file", "escalate", "expire"])
        #expect(referral.history?.map(\.actor) == ["coordinator@MYQYY", "system", "system"])

        world.clock.advance(hours: 7 * 24 - 48)  // the question is 7 days old
        #expect(try await world.services.sweep() == SweepResult(escalated: [], expired: [asked]))
    }

    @Test func overdueReferralsAndTheWorklist() async throws {
        let world = try await ReferralWorld.make()
        let routine = try await world.file(world.request()).id
        let emergency = try await world.file(world.request(from: "JGYY", priority: .emergency)).id
        let accepted = try await world.file(world.request(from: "CHC-HPL")).id
        _ = try await world.act(accepted, .accept(note: nil), by: "ZRYY")
        world.clock.advance(hours: 3)
        let worklist = try await world.services.worklist(hospital: "ZRYY", limit: nil, by: world.actor("ZRYY"))
        #expect(worklist["incoming"].map(\.id) == [emergency, routine])
        #expect(worklist["overdue"].map(\.id) == [emergency])
        #expect(worklist["toSchedule"].map(\.id) == [accepted])
        #expect(worklist["outgoing"].isEmpty)
        #expect(
            worklist.counts == [
                "incoming": 2, "outgoing": 0, "overdue": 1, "toSchedule": 1, "expected": 0, "inTreatment": 0, "toAcknowledge": 0,
                "consultations": 0,
            ])
        // The emergency is in two sections: the same JSON in both (built once).
        let json = worklist.json
        #expect(json["overdue"] == .array([worklist["overdue"][0].json]))
        #expect(json["incoming"] == .array([worklist["overdue"][0].json, worklist["incoming"][1].json]))
        #expect(
            json["counts"] == [
                "incoming": 2, "outgoing": 0, "overdue": 1, "toSchedule": 1, "expected": 0, "inTreatment": 0, "toAcknowledge": 0,
                "consultations": 0,
            ])
        #expect(json["hospital"] == "ZRYY")
        #expect(
            try await world.services.worklist(hospital: "MYQYY", limit: nil, by: world.actor("MYQYY"))["outgoing"].map(\.id) == [
                routine
            ])

        // Each section holds its first `limit` referrals in its order; counts tell how many in all.
        let first = try await world.services.worklist(hospital: "ZRYY", limit: 1, by: world.actor("ZRYY"))
        #expect(first["incoming"].map(\.id) == [emergency])
        #expect(first["toSchedule"].map(\.id) == [accepted])
        #expect(first.counts == worklist.counts)
        for limit in [0, 501] {
            let error = await #expect(throws: YilianError.self) {
                try await world.services.worklist(hospital: "ZRYY", limit: limit, by: world.actor("ZRYY"))
            }
            #expect(error?.code == .invalidParams)
        }
        let unknown = await #expect(throws: YilianError.self) {
            try await world.services.worklist(hospital: "NOPE", limit: nil, by: world.actor("ZRYY"))
        }
        #expect(unknown?.code == .forbidden)
        #expect(unknown?.message == "A worklist is its own hospital's: coordinator@ZRYY may not read NOPE's.")
        let overdue = try await world.services.referrals(
            ReferralFilter(hospital: "ZRYY", side: .receiver, overdue: true), limit: nil, cursor: nil, by: world.actor("ZRYY"))
        #expect(overdue.items.map(\.id) == [emergency])
        #expect(overdue.items.first?.overdue == true)
    }

    @Test func eventsRefuseUpdateAndDelete() async throws {
        let world = try await ReferralWorld.make()
        _ = try await world.file(world.request())
        for sql in ["UPDATE referral_events SET reason = 'x'", "DELETE FROM referral_events", "TRUNCATE referral_events"] {
            let error = await #expect(throws: YilianError.self) {
                try await world.services.database.withConnection(as: .login) { try await $0.query(sql) }
            }
            #expect(error?.code == .internal)
        }
    }

    /// The access log, even to the owner: a record only grows by more ids, and only in the
    /// transaction that wrote it; once committed it is as it was.
    @Test func theAccessLogOnlyGrowsInTheTransactionThatWroteIt() async throws {
        let world = try await ReferralWorld.make()
        let id = try await world.file(world.request()).id
        let database = world.services.database
        try await database.transaction(as: .user("coordinator@ZRYY")) { session in
            _ = try await session.query("SELECT id FROM yilian_api.referral(NULL, 'referral.get', $1)", [id])
            _ = try await session.query("SELECT seq FROM yilian_api.referral_events(NULL, 'referral.get', $1)", [id])
        }
        let grown = try await database.withConnection(as: .login) { session in
            try await session.query("SELECT count(*) || ' ' || string_agg(array_to_string(referrals, ','), ' ') AS rows FROM access_log")[0]
                .decode("rows", as: String.self)
        }
        #expect(grown == "1 \(id)")
        for sql in [
            "UPDATE access_log SET referrals = referrals || 'R-999999'::text", "UPDATE access_log SET method = 'x'",
            "DELETE FROM access_log", "TRUNCATE access_log",
        ] {
            await #expect(throws: YilianError.self, "\(sql)") {
                try await database.withConnection(as: .login) { try await $0.query(sql) }
            }
        }
        // In the transaction that wrote it: more ids, never fewer.
        await #expect(throws: YilianError.self) {
            try await database.transaction(as: .login) { session in
                try await session.query("SELECT set_config('role', 'coordinator@ZRYY', true)")
                _ = try await session.query("SELECT id FROM yilian_api.referral(NULL, 'referral.get', $1)", [id])
                try await session.query("SELECT set_config('role', 'none', true)")
                try await session.query("UPDATE access_log SET referrals = '{}' WHERE xact = pg_current_xact_id()")
            }
        }
    }
}
