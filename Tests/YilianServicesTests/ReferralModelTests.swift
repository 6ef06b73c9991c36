import Foundation
import Testing
import YilianCore
import YilianRepository
import YilianTestSupport

@testable import YilianServices

/// Model-based verification of the write path (seeded, bounded): random actions (file, every
/// referral action, sweep) by right and wrong hospitals, against a reference model written from
/// SPEC §2 apart from the code. Sequentially through two services every response must be the
/// model's; concurrently through several connections what is stored must still add up: `booked`
/// equals the referrals holding a unit on each date and never exceeds the capacity, each
/// referral's events are gapless and replay through SPEC's table, and every response matches its
/// event. Longer run: `YILIAN_MODEL_OPS=5000 swift test --filter ReferralModelTests`.
@Suite struct ReferralModelTests {
    typealias Status = ReferralMachine.Status

    static let operations = ProcessInfo.processInfo.environment["YILIAN_MODEL_OPS"].flatMap(Int.init) ?? 300
    static let dates = ["2030-12-01", "2030-12-02", "2030-12-03"]
    /// Reserved capacity per "HOSPITAL DATE": ZRYY publishes three dates, BYSY one.
    static let capacity = ["ZRYY 2030-12-01": 2, "ZRYY 2030-12-02": 1, "ZRYY 2030-12-03": 3, "BYSY 2030-12-01": 1]
    static let levels = ["ZRYY": 3, "BYSY": 3, "JGYY": 2, "MYQYY": 2]
    static let hospitals = ["ZRYY", "BYSY", "JGYY", "MYQYY"]
    /// Statuses in which a referral still holds the unit its schedule booked (SPEC: cancel,
    /// no-show and reschedule release it; arriving does not).
    static let holding: Set<Status> = [.scheduled, .inTreatment, .completed, .closed]

    /// SplitMix64: the same seed gives the same run.
    struct Random: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// The reference model: what SPEC §2 says each action does.
    struct Model {
        struct Referral {
            var from: String, to: String, priority: Priority, status: Status = .requested, slot: String? = nil, version = 1
            /// Receivers it was redirected away from: they still see it (SPEC §6), others do not.
            var earlier: Set<String> = []
            var clockStart: Date, respondBy: Date, infoRequestedAt: Date? = nil
        }
        enum Outcome: Equatable {
            case done(Status, version: Int)
            case refused(YilianError.Code)
        }

        var referrals: [String: Referral] = [:]
        var booked: [String: Int] = [:]

        static func window(_ priority: Priority) -> TimeInterval {
            switch priority {
            case .emergency: return 2 * 3600
            case .urgent: return 24 * 3600
            case .routine: return 72 * 3600
            }
        }

        static func rightful(_ action: ReferralMachine.Action) -> ReferralMachine.Party {
            ReferralTable.parties[action]!
        }

        mutating func file(_ id: String, from: String, priority: Priority, at now: Date) {
            referrals[id] = Referral(from: from, to: "ZRYY", priority: priority, clockStart: now, respondBy: now + Self.window(priority))
        }

        mutating func act(_ id: String, _ command: ReferralCommand, by hospital: String, at now: Date) -> Outcome {
            guard var referral = referrals[id] else { return .refused(.notFound) }
            let party: ReferralMachine.Party
            switch hospital {
            case referral.from: party = .sender
            case referral.to: party = .receiver
            default: return .refused(referral.earlier.contains(hospital) ? .forbidden : .notFound)
            }
            guard Self.rightful(command.action) == party else { return .refused(.forbidden) }
            guard let next = ReferralTable.expected(referral.status, command.action, referral.priority) else {
                return .refused(.invalidTransition)
            }
            func key(_ date: String) -> String { "\(referral.to) \(date)" }
            func release() { if let slot = referral.slot { booked[key(slot), default: 0] -= 1 } }
            switch command {
            case .redirect(let to):
                guard to != referral.from, to != referral.to else { return .refused(.ruleViolation) }
                guard to == "ZRYY" || ReferralModelTests.levels[to]! > ReferralModelTests.levels[referral.from]! else {
                    return .refused(.ruleViolation)
                }
                referral.earlier.insert(referral.to)
                (referral.to, referral.clockStart, referral.respondBy) = (to, now, now + Self.window(referral.priority))
            case .provideInfo:
                (referral.clockStart, referral.respondBy) = (now, now + Self.window(referral.priority))
            case .requestInfo:
                referral.infoRequestedAt = now
            case .schedule(let date, _), .reschedule(let date, _):
                if case .reschedule = command, referral.slot == date { return .refused(.invalidParams) }
                guard booked[key(date), default: 0] < ReferralModelTests.capacity[key(date)] ?? 0 else {
                    return .refused(.capacityExhausted)
                }
                booked[key(date), default: 0] += 1
                if case .reschedule = command { release() }
                referral.slot = date
            case .noShow:
                release()
            case .cancel:
                if referral.status == .scheduled { release() }
            case .accept, .reject, .arrive, .complete, .acknowledge, .escalate, .expire:
                break
            }
            referral.status = next
            referral.version += 1
            referrals[id] = referral
            return .done(next, version: referral.version)
        }

        /// SPEC's sweep: expire what is unanswered for twice the window (or left with a question
        /// for 7 days), else escalate what is past its respond-by time, once per window.
        mutating func sweep(at now: Date) -> SweepResult {
            var result = SweepResult(escalated: [], expired: [])
            for id in referrals.keys.sorted() {
                var referral = referrals[id]!
                let window = Self.window(referral.priority)
                if (referral.status == .requested && referral.clockStart + 2 * window <= now)
                    || (referral.status == .infoRequested && referral.infoRequestedAt! + 7 * 86_400 <= now)
                {
                    referral.status = .expired
                    result.expired.append(id)
                } else if referral.status == .requested && referral.respondBy <= now {
                    referral.respondBy += window
                    result.escalated.append(id)
                } else {
                    continue
                }
                referral.version += 1
                referrals[id] = referral
            }
            return result
        }
    }

    static let outcome = TreatmentOutcome(summary: "诊断明确", diagnosis: [], recommendation: .downRefer)

    /// A random action on `id` in `status` (when known): most often one SPEC allows from there, by
    /// the rightful hospital, otherwise any action by any hospital.
    static func randomAction(
        on referral: (from: String, to: String, status: Status, priority: Priority)?, _ random: inout Random
    ) -> (ReferralCommand, String) {
        let date = dates.randomElement(using: &random)!
        let commands: [ReferralCommand] = [
            .accept(note: nil), .reject(code: .capacityFull, reason: nil), .requestInfo(question: "请补充影像"), .provideInfo(answer: "已补充"),
            .redirect(to: hospitals.randomElement(using: &random)!), .schedule(date: date), .reschedule(date: date), .arrive, .noShow,
            .complete(outcome), .acknowledge, .cancel(reason: "患者改变主意"),
        ]
        guard let referral, Int.random(in: 0..<10, using: &random) < 8 else {
            return (commands.randomElement(using: &random)!, hospitals.randomElement(using: &random)!)
        }
        // What SPEC allows from here; endings (reject, cancel, no-show) one time in three, so
        // that referrals live long enough to be scheduled and rescheduled.
        var allowed = commands.filter { ReferralTable.expected(referral.status, $0.action, referral.priority) != nil }
        let endings: Set<ReferralMachine.Action> = [.reject, .cancel, .noShow]
        if Int.random(in: 0..<3, using: &random) > 0, allowed.contains(where: { !endings.contains($0.action) }) {
            allowed.removeAll { endings.contains($0.action) }
        }
        let command = allowed.randomElement(using: &random) ?? commands.randomElement(using: &random)!
        return (command, Model.rightful(command.action) == .sender ? referral.from : referral.to)
    }

    static func world() async throws -> ReferralWorld {
        let world = try await ReferralWorld.make(capacity: 8)
        for (key, capacity) in capacity {
            let parts = key.split(separator: " ").map(String.init)
            _ = try await world.services.publishSlots(
                hospital: parts[0], specialty: "pain", from: parts[1], capacity: capacity, by: world.actor(parts[0]))
        }
        return world
    }

    static func file(_ world: ReferralWorld, from: String, priority: Priority, through services: Services) async throws -> String {
        try await services.fileReferral(world.request(from: from, priority: priority), by: world.actor(from)).id
    }

    /// What an action answered: its status and version, or its error code.
    static func answer(
        _ services: Services, _ id: String, _ command: ReferralCommand, by hospital: String
    ) async -> Model.Outcome {
        do {
            let view = try await services.act(id, command, expectedVersion: nil, by: Actor(user: "coordinator", hospital: hospital))
            return .done(view.status, version: view.version)
        } catch let error as YilianError {
            return .refused(error.code)
        } catch {
            return .refused(.internal)
        }
    }

    @Test func sequentialActionsFromTwoProcessesAnswerAsTheModelSays() async throws {
        let world = try await Self.world()
        let processes = [world.services, world.elsewhere]
        var model = Model()
        var random = Random(state: 20_261_130)
        var ids: [String] = []
        for step in 0..<Self.operations {
            let services = processes[step % 2]
            world.clock.advance(hours: Double(Int.random(in: 0...6, using: &random)))
            let now = world.clock.now
            let roll = Int.random(in: 0..<20, using: &random)
            let open = ids.filter { !model.referrals[$0]!.status.isTerminal }
            if open.count < 4 || roll == 0 {
                let from = Bool.random(using: &random) ? "MYQYY" : "JGYY"
                let priority = Priority.allCases.randomElement(using: &random)!
                let id = try await Self.file(world, from: from, priority: priority, through: services)
                model.file(id, from: from, priority: priority, at: now)
                ids.append(id)
            } else if roll == 1 {
                let swept = try await services.sweep()
                #expect(swept == model.sweep(at: now), "step \(step): sweep")
            } else {
                let id = (Int.random(in: 0..<10, using: &random) < 9 ? open : ids).randomElement(using: &random)!
                let referral = model.referrals[id]!
                let (command, hospital) = Self.randomAction(on: (referral.from, referral.to, referral.status, referral.priority), &random)
                let answered = await Self.answer(services, id, command, by: hospital)
                let expected = model.act(id, command, by: hospital, at: now)
                #expect(answered == expected, "step \(step): \(command.action) of \(id) by \(hospital)")
                if answered != expected { return }
            }
        }
        for (id, expected) in model.referrals {
            let stored = try await world.elsewhere.referral(id, by: Actor(user: "coordinator", hospital: "ZRYY"))
            #expect(stored.status == expected.status && stored.version == expected.version && stored.to == expected.to, "\(id)")
            #expect(stored.slot?.description == expected.slot || !Self.holding.contains(stored.status), "\(id)")
        }
        let slots = try await world.elsewhere.slots(hospital: nil, specialty: "pain", from: nil, to: nil, by: nil)
        #expect(slots.count == Self.capacity.count)
        for slot in slots {
            #expect(slot.booked == model.booked["\(slot.hospital) \(slot.date)", default: 0], "\(slot.hospital) \(slot.date)")
        }
        try await Self.checkStored(world, ids)
    }

    @Test func concurrentActionsThroughManyConnectionsKeepEverythingAddingUp() async throws {
        let world = try await Self.world()
        var filed: [String] = []
        for index in 0..<30 {
            filed.append(
                try await Self.file(world, from: index.isMultiple(of: 2) ? "MYQYY" : "JGYY", priority: .urgent, through: world.services))
        }
        let ids = filed
        // Past the urgent window: the sweeps escalate while coordinators act.
        world.clock.advance(hours: 30)
        let workers = 6
        let each = max(1, Self.operations / workers)
        let failures = await withTaskGroup(of: [String].self) { group in
            for worker in 0..<workers {
                group.addTask {
                    var random = Random(state: UInt64(worker) * 7_919 + 11)
                    let services = world.elsewhere
                    var failures: [String] = []
                    for _ in 0..<each {
                        if Int.random(in: 0..<25, using: &random) == 0 {
                            do { _ = try await services.sweep() } catch { failures.append("sweep: \(error)") }
                            continue
                        }
                        // No model is shared across workers: the action is chosen from the state
                        // read a moment before, which others may change meanwhile.
                        let id = ids.randomElement(using: &random)!
                        let stored = try? await services.referral(id, by: Actor(user: "coordinator", hospital: "ZRYY"))
                        let (command, hospital) = Self.randomAction(on: stored.map { ($0.from, $0.to, $0.status, $0.priority) }, &random)
                        switch await Self.answer(services, id, command, by: hospital) {
                        case .done(let status, let version):
                            // The response is what its event says.
                            let history =
                                (try? await services.referralHistory(id, by: Actor(user: "coordinator", hospital: "ZRYY")).history) ?? []
                            let event = history.first { $0.seq == version }
                            if event?.action != command.action.rawValue || event?.toStatus != status.rawValue {
                                failures.append(
                                    "\(id) v\(version): answered \(command.action) → \(status), stored \(String(describing: event))")
                            }
                        case .refused(let code):
                            // A hospital that is no party finds no such referral (SPEC §6).
                            let party = stored.map { [$0.from, $0.to].contains(hospital) } ?? false
                            if [.internal, .conflict, .databaseUnavailable, .idempotencyMismatch, .alreadyExists].contains(code)
                                || (code == .notFound && party)
                            {
                                failures.append("\(id): \(command.action) by \(hospital) answered \(code)")
                            }
                        }
                    }
                    return failures
                }
            }
            return await group.reduce(into: [String]()) { $0 += $1 }
        }
        #expect(failures.isEmpty, "\(failures.prefix(5))")
        try await Self.checkStored(world, ids)
    }

    /// What is stored adds up: gapless events replaying through SPEC's table, and every slot's
    /// `booked` equal to the referrals holding a unit on it, never over the capacity.
    static func checkStored(_ world: ReferralWorld, _ ids: [String]) async throws {
        var holders: [String: Int] = [:]
        for id in ids {
            let referral = try await world.elsewhere.referral(id, by: Actor(user: "coordinator", hospital: "ZRYY"))
            let history = referral.history ?? []
            #expect(referral.version == history.count, "\(id)")
            #expect(history.map(\.seq) == Array(1...history.count), "\(id)")
            var status = Status.requested
            for event in history.dropFirst() {
                let action = ReferralMachine.Action(rawValue: event.action)!
                #expect(event.fromStatus == status.rawValue, "\(id) seq \(event.seq)")
                let next = ReferralTable.expected(status, action, referral.priority)
                #expect(next?.rawValue == event.toStatus, "\(id) seq \(event.seq): \(status) \(action)")
                status = next ?? status
            }
            #expect(status == referral.status, "\(id)")
            if holding.contains(status), let slot = referral.slot { holders["\(referral.to) \(slot)", default: 0] += 1 }
        }
        let slots = try await world.elsewhere.slots(hospital: nil, specialty: "pain", from: nil, to: nil, by: nil)
        for slot in slots {
            let key = "\(slot.hospital) \(slot.date)"
            #expect(slot.booked == holders[key, default: 0], "\(key): booked \(slot.booked), held by \(holders[key, default: 0])")
            #expect(slot.booked <= slot.capacity, "\(key)")
        }
    }
}
