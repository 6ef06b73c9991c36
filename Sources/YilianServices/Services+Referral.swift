import Foundation
import YilianCore
import YilianPostgres
import YilianRepository

/// One referral action with what it carries.
public enum ReferralCommand: Sendable {
    case accept(note: String?)
    case reject(code: RejectReason, reason: String?)
    case requestInfo(question: String)
    case provideInfo(answer: String)
    case redirect(to: String)
    case schedule(date: String)
    case reschedule(date: String)
    case arrive
    case noShow
    case complete(TreatmentOutcome)
    case acknowledge
    case cancel(reason: String)

    /// Whether the action reads the alliance (its response-time policy, its members): such an
    /// action is always carried out on a referral read under a lock (see `Services.act`).
    var readsTheAlliance: Bool {
        switch self {
        case .provideInfo, .redirect: return true
        case .accept, .reject, .requestInfo, .schedule, .reschedule, .arrive, .noShow, .complete, .acknowledge, .cancel: return false
        }
    }

    public var action: ReferralMachine.Action {
        switch self {
        case .accept: return .accept
        case .reject: return .reject
        case .requestInfo: return .requestInfo
        case .provideInfo: return .provideInfo
        case .redirect: return .redirect
        case .schedule: return .schedule
        case .reschedule: return .reschedule
        case .arrive: return .arrive
        case .noShow: return .noShow
        case .complete: return .complete
        case .acknowledge: return .acknowledge
        case .cancel: return .cancel
        }
    }

    /// Problems with what the action carries, before anything is read.
    var problems: [Problem] {
        func text(_ value: String?, _ path: String) -> [Problem] {
            (value ?? "").allSatisfy(\.isWhitespace) ? [Problem(path, "must not be empty")] : []
        }
        switch self {
        case .reject(let code, let reason): return code == .other ? text(reason, "reason").map { Problem($0.path, "must say why when reasonCode is other") } : []
        case .requestInfo(let question): return text(question, "question")
        case .provideInfo(let answer): return text(answer, "answer")
        case .cancel(let reason): return text(reason, "reason")
        case .schedule(let date), .reschedule(let date): return CalendarDate(date) == nil ? [Problem("date", "must be a date YYYY-MM-DD")] : []
        case .complete(let outcome): return outcome.problems
        case .accept, .redirect, .arrive, .noShow, .acknowledge: return []
        }
    }
}

extension Services {
    static func window(_ priority: Priority, of alliance: AllianceRecord) -> TimeInterval {
        let hours: Int
        switch priority {
        case .emergency: hours = alliance.responseHours.emergency
        case .urgent: hours = alliance.responseHours.urgent
        case .routine: hours = alliance.responseHours.routine
        }
        return TimeInterval(hours * 3600)
    }

    static func today(_ now: Date) -> CalendarDate {
        CalendarDate(daysSinceEpoch: Int((now.timeIntervalSince1970 / 86_400).rounded(.down)))
    }

    /// Both hospitals must be active members; returns their levels and whether each is the core.
    static func checkMembers(
        from: String, to: String, in alliance: AllianceRecord, on connection: PGConnection
    ) async throws -> (fromLevel: Int, toLevel: Int) {
        for hospital in [from, to] {
            guard let member = alliance.members.first(where: { $0.hospital == hospital }), member.status == .active else {
                throw YilianError.ruleViolation(
                    "membership", "\(hospital) is not an active member of alliance \(alliance.code); only active members send or receive referrals.")
            }
        }
        let levels = try await HospitalRepository.levels([from, to], on: connection)
        guard let fromLevel = levels[from] else { throw HospitalRepository.notFound(from) }
        guard let toLevel = levels[to] else { throw HospitalRepository.notFound(to) }
        return (fromLevel, toLevel)
    }

    static func checkDirection(
        _ wanted: Direction?, from: String, to: String, levels: (fromLevel: Int, toLevel: Int), in alliance: AllianceRecord
    ) throws -> Direction {
        let fits = Referrals.direction(
            fromLevel: levels.fromLevel, toLevel: levels.toLevel, toIsCore: to == alliance.core, fromIsCore: from == alliance.core)
        guard let fits else {
            throw YilianError.ruleViolation(
                "direction",
                "A referral from \(from) (level \(levels.fromLevel)) to \(to) (level \(levels.toLevel)) is neither up (to a higher tier or the core hospital) nor down (to a lower tier).")
        }
        if let wanted, wanted != fits {
            throw YilianError.ruleViolation(
                "direction", "A referral from \(from) (level \(levels.fromLevel)) to \(to) (level \(levels.toLevel)) goes \(fits.rawValue), not \(wanted.rawValue).")
        }
        return fits
    }

    // MARK: Filing

    public func fileReferral(_ request: ReferralRequest, by actor: Actor) async throws -> ReferralView {
        let now = clock()
        let problems = request.problems(today: Self.today(now))
        if !problems.isEmpty { throw YilianError.invalidParams(problems) }
        guard request.consent else {
            throw YilianError.ruleViolation("consent", "The patient's consent is required to file a referral.")
        }
        guard request.from != request.to else {
            throw YilianError.ruleViolation("same_hospital", "A referral must go to another hospital than the one sending it.")
        }
        guard actor.hospital == request.from else {
            throw YilianError.ruleViolation("sender", "Only a coordinator of \(request.from) may file its referrals; \(actor.tag) is not.")
        }
        let record = try await database.transaction { connection in
            let alliance = try await AllianceRepository.get(request.alliance, on: connection)
            guard alliance.status == "active" else {
                throw YilianError.ruleViolation("alliance_active", "Alliance \(alliance.code) is \(alliance.status); it takes no referrals.")
            }
            let levels = try await Self.checkMembers(from: request.from, to: request.to, in: alliance, on: connection)
            let direction = try Self.checkDirection(request.direction, from: request.from, to: request.to, levels: levels, in: alliance)
            if let parentID = request.parent {
                try await Self.checkParent(parentID, of: request, direction: direction, on: connection)
            }
            var record = ReferralRecord(
                request: request, specialty: alliance.specialty, direction: direction,
                respondBy: now.addingTimeInterval(Self.window(request.priority, of: alliance)), now: now)
            record.id = try await ReferralRepository.insert(
                record,
                filing: ReferralEvent(
                    seq: 1, action: "file", fromStatus: nil, toStatus: "requested", actor: actor.tag, at: now, reason: request.reason,
                    details: ["direction": .string(direction.rawValue), "to": .string(request.to)]),
                on: connection)
            return record
        }
        if !Database.isInTransaction { recent.remember(record) }
        return ReferralView(record, now: now)
    }

    /// A down-referral may continue an up-referral of the same alliance that is in treatment,
    /// completed or closed, and whose receiver is this referral's sender.
    static func checkParent(_ parentID: String, of request: ReferralRequest, direction: Direction, on connection: PGConnection) async throws {
        guard direction == .down else {
            throw YilianError.ruleViolation("parent", "Only a down-referral continues a parent referral.")
        }
        let parent: ReferralRecord
        do {
            parent = try await ReferralRepository.get(parentID, on: connection)
        } catch let error as YilianError where error.code == .notFound {
            throw YilianError.ruleViolation("parent", "The parent referral \(parentID) does not exist.")
        }
        guard parent.direction == .up, parent.alliance == request.alliance,
            [.inTreatment, .completed, .closed].contains(parent.status), parent.to == request.from
        else {
            throw YilianError.ruleViolation(
                "parent",
                "A down-referral continues an up-referral of the same alliance, received by \(request.from), that is in treatment, completed or closed; \(parentID) is a \(parent.direction.rawValue) referral to \(parent.to), \(parent.status.words).")
        }
    }

    // MARK: Actions

    /// Carries out one action. A referral this process has seen committed is changed from what
    /// it saw, with its slot changes, in one round trip that writes only if the stored referral is
    /// still at that version and a booked slot has a unit left; otherwise (and for actions that
    /// read the alliance) it is read under a lock first. Either way, the stored state has the last word.
    public func act(_ id: String, _ command: ReferralCommand, expectedVersion: Int?, by actor: Actor) async throws -> ReferralView {
        let problems = command.problems
        if !problems.isEmpty { throw YilianError.invalidParams(problems) }
        let now = clock()
        // Inside a caller's transaction (a call with an idempotency key) nothing done here is
        // committed yet, so nothing is remembered.
        let remembering = !Database.isInTransaction
        if remembering, !command.readsTheAlliance, let seen = recent[id],
            let view = try await act(on: seen, command, expectedVersion: expectedVersion, by: actor, now: now)
        {
            return view
        }
        recent.forget(id)
        let referral = try await database.transaction { connection in
            var referral = try await ReferralRepository.get(id, lock: true, on: connection)
            let (event, slots) = try await self.transition(
                &referral, command, expectedVersion: expectedVersion, by: actor, now: now, on: connection)
            try await SlotRepository.apply(slots, hospital: referral.to, specialty: referral.specialty, on: connection)
            try await ReferralRepository.save(referral, event: event, on: connection)
            return referral
        }
        if remembering { recent.remember(referral) }
        return ReferralView(referral, now: now)
    }

    /// The action applied to `seen` and saved if the referral is still at `seen`'s version (and a
    /// booked slot has a unit left); nil when it is not, or when `seen` refuses the action (it may
    /// be out of date: the locked path decides).
    private func act(
        on seen: ReferralRecord, _ command: ReferralCommand, expectedVersion: Int?, by actor: Actor, now: Date
    ) async throws -> ReferralView? {
        let written = try await database.withConnection { connection -> ReferralRecord? in
            var referral = seen
            let change: (event: ReferralEvent, slots: [SlotChange])
            do {
                change = try await self.transition(&referral, command, expectedVersion: expectedVersion, by: actor, now: now, on: connection)
            } catch is YilianError {
                return nil
            }
            let written = try await ReferralRepository.saveIfUnchanged(referral, event: change.event, slots: change.slots, on: connection)
            return written ? referral : nil
        }
        guard let written else { return nil }
        recent.remember(written)
        return ReferralView(written, now: now)
    }

    /// Checks who acts, the expected version and the transition, carries out the action's effects
    /// on `referral` and returns its event and what it does to slots (not done here). Only the
    /// commands that `readsTheAlliance` may use `connection` here.
    private func transition(
        _ referral: inout ReferralRecord, _ command: ReferralCommand, expectedVersion: Int?, by actor: Actor, now: Date,
        on connection: PGConnection
    ) async throws -> (event: ReferralEvent, slots: [SlotChange]) {
        let party: ReferralMachine.Party
        if actor.hospital == referral.from {
            party = .sender
        } else if actor.hospital == referral.to {
            party = .receiver
        } else {
            throw YilianError(.forbidden, "Referral \(referral.id) can be handled only by \(referral.from) or \(referral.to); \(actor.hospital) is neither.")
        }
        if let expectedVersion, expectedVersion != referral.version {
            throw YilianError(
                .conflict,
                "Referral \(referral.id) has changed since you read it (now version \(referral.version), you had \(expectedVersion)); reload it and try again.")
        }
        let from = referral.status
        var machine = ReferralMachine(status: referral.status, priority: referral.priority)
        try machine.apply(command.action, by: party)
        var reason: String?
        var details = JSONObject()
        var slots: [SlotChange] = []
        if party == .receiver && referral.firstResponseAt == nil { referral.firstResponseAt = now }
        switch command {
        case .accept(let note):
            reason = note
            referral.acceptedAt = now
        case .reject(let code, let text):
            reason = text
            referral.rejectCode = code
            details["reasonCode"] = .string(code.rawValue)
        case .requestInfo(let question):
            reason = question
            referral.infoRequestedAt = now
        case .provideInfo(let answer):
            reason = answer
            try await restartClock(&referral, now: now, on: connection)
        case .redirect(let to):
            let alliance = try await AllianceRepository.get(referral.alliance, on: connection)
            guard to != referral.from else {
                throw YilianError.ruleViolation("same_hospital", "A referral must go to another hospital than the one sending it.")
            }
            guard to != referral.to else {
                throw YilianError.ruleViolation("redirect", "Referral \(referral.id) already goes to \(to).")
            }
            let levels = try await Self.checkMembers(from: referral.from, to: to, in: alliance, on: connection)
            _ = try Self.checkDirection(referral.direction, from: referral.from, to: to, levels: levels, in: alliance)
            details = ["to": .string(to), "previousTo": .string(referral.to)]
            referral.to = to
            referral.firstResponseAt = nil
            try await restartClock(&referral, now: now, on: connection)
        case .schedule(let text):
            let date = CalendarDate(text)!
            slots = [.book(date)]
            referral.slot = date
            referral.scheduledAt = now
            details["date"] = .string(text)
        case .reschedule(let text):
            let date = CalendarDate(text)!
            guard let previous = referral.slot, previous != date else {
                throw YilianError.invalidParams([Problem("date", "is already the booked date")])
            }
            slots = [.book(date), .release(previous)]
            referral.slot = date
            details = ["date": .string(text), "previousDate": .string(previous.description)]
        case .noShow:
            if let slot = referral.slot { slots = [.release(slot)] }
        case .cancel(let text):
            reason = text
            if from == .scheduled, let slot = referral.slot { slots = [.release(slot)] }
        case .complete(let outcome):
            referral.outcome = outcome
            reason = outcome.summary
        case .arrive, .acknowledge:
            break
        }
        referral.status = machine.status
        referral.version += 1
        referral.updatedAt = now
        let event = ReferralEvent(
            seq: referral.version, action: command.action.rawValue, fromStatus: from.rawValue, toStatus: machine.status.rawValue,
            actor: actor.tag, at: now, reason: reason, details: details.isEmpty ? nil : .object(details))
        return (event, slots)
    }

    /// The response clock starts again (provideInfo, redirect): a new respond-by time.
    private func restartClock(_ referral: inout ReferralRecord, now: Date, on connection: PGConnection) async throws {
        let alliance = try await AllianceRepository.get(referral.alliance, on: connection)
        referral.clockStart = now
        referral.respondBy = now.addingTimeInterval(Self.window(referral.priority, of: alliance))
    }

    // MARK: Reading

    public func referral(_ id: String) async throws -> ReferralView {
        let now = clock()
        return try await database.withConnection { connection in
            let record = try await ReferralRepository.get(id, on: connection)
            if !Database.isInTransaction { self.recent.remember(record) }
            return ReferralView(
                record, now: now, history: try await ReferralRepository.events(of: id, on: connection),
                continuations: try await ReferralRepository.continuations(of: id, on: connection))
        }
    }

    public func referralHistory(_ id: String) async throws -> ReferralHistory {
        try await database.withConnection { connection in
            _ = try await ReferralRepository.get(id, on: connection)
            return ReferralHistory(id: id, history: try await ReferralRepository.events(of: id, on: connection))
        }
    }

    public func referrals(_ filter: ReferralFilter, limit: Int?, cursor: String?) async throws -> Page<ReferralView> {
        let limit = try Self.pageLimit(limit)
        let now = clock()
        let records = try await database.withConnection {
            try await ReferralRepository.list(filter, now: now, limit: limit, after: cursor, on: $0)
        }
        return Self.page(records.map { ReferralView($0, now: now) }, limit: limit) { $0.record.id }
    }

    /// Each section's first `limit` referrals (default 50, at most 500, as for lists) and how
    /// many it holds: a core hospital's sections can hold thousands.
    public func worklist(hospital: String, limit: Int?) async throws -> Worklist {
        let limit = try Self.pageLimit(limit)
        let now = clock()
        let sections = try await database.withConnection {
            try await ReferralRepository.worklist(hospital: hospital, now: now, limit: limit, on: $0)
        }
        func views(_ name: String) -> [ReferralView] { (sections[name]?.records ?? []).map { ReferralView($0, now: now) } }
        return Worklist(
            hospital: hospital, incoming: views("incoming"), outgoing: views("outgoing"), overdue: views("overdue"),
            toSchedule: views("toSchedule"), inTreatment: views("inTreatment"), toAcknowledge: views("toAcknowledge"),
            counts: sections.mapValues(\.total))
    }

    // MARK: Deadlines

    /// Escalates referrals past their respond-by time (once per response window) and expires
    /// those unanswered for twice the window, or left with a question for 7 days. Idempotent.
    public func sweep() async throws -> SweepResult {
        let now = clock()
        let due = try await database.withConnection { try await ReferralRepository.due(at: now, on: $0) }
        var result = SweepResult(escalated: [], expired: [])
        for (id, expire) in due {
            let changed = try await database.transaction { connection -> Bool in
                var referral = try await ReferralRepository.get(id, lock: true, on: connection)
                // Re-checked under the lock: a coordinator may have answered meanwhile.
                let alliance = try await AllianceRepository.get(referral.alliance, on: connection)
                let window = Self.window(referral.priority, of: alliance)
                let expiresAt = referral.status == .infoRequested
                    ? (referral.infoRequestedAt ?? now).addingTimeInterval(7 * 86_400) : referral.clockStart.addingTimeInterval(2 * window)
                let action: ReferralMachine.Action
                if [.requested, .infoRequested].contains(referral.status) && expiresAt <= now {
                    action = .expire
                } else if referral.status == .requested && referral.respondBy <= now {
                    action = .escalate
                } else {
                    return false
                }
                let from = referral.status
                var machine = ReferralMachine(status: referral.status, priority: referral.priority)
                try machine.apply(action, by: .system)
                referral.status = machine.status
                if action == .escalate {
                    referral.escalation += 1
                    referral.respondBy = referral.respondBy.addingTimeInterval(window)
                }
                referral.version += 1
                referral.updatedAt = now
                try await ReferralRepository.save(
                    referral,
                    event: ReferralEvent(
                        seq: referral.version, action: action.rawValue, fromStatus: from.rawValue, toStatus: machine.status.rawValue,
                        actor: "system", at: now, reason: nil,
                        details: action == .escalate ? ["escalation": .integer(referral.escalation)] : nil),
                    on: connection)
                return true
            }
            if changed {
                if expire { result.expired.append(id) } else { result.escalated.append(id) }
            }
        }
        return result
    }

    // MARK: Slots

    public func publishSlots(hospital: String, specialty: String, date: String, capacity: Int, by actor: Actor) async throws -> Slot {
        guard actor.hospital == hospital else {
            throw YilianError(.forbidden, "Only \(hospital) may publish its reserved slots; \(actor.hospital) may not.")
        }
        var problems: [Problem] = []
        let day = CalendarDate(date)
        if day == nil { problems.append(Problem("date", "must be a date YYYY-MM-DD")) }
        if capacity < 0 || capacity > 100_000 { problems.append(Problem("capacity", "must be between 0 and 100000")) }
        let fieldProblems = problems
        return try await database.transaction { connection in
            var problems = fieldProblems
            _ = try await HospitalRepository.get(hospital, on: connection)
            if try await !SpecialtyRepository.unknown([specialty], on: connection).isEmpty {
                problems.append(Problem("specialty", "\(specialty) is not a specialty code of the catalog"))
            }
            guard let day, problems.isEmpty else { throw YilianError.invalidParams(problems) }
            return try await SlotRepository.publish(hospital: hospital, specialty: specialty, date: day, capacity: capacity, on: connection)
        }
    }

    public func slots(hospital: String?, specialty: String?, from: String?, to: String?) async throws -> [Slot] {
        var problems: [Problem] = []
        let start = from.flatMap(CalendarDate.init), end = to.flatMap(CalendarDate.init)
        if from != nil && start == nil { problems.append(Problem("from", "must be a date YYYY-MM-DD")) }
        if to != nil && end == nil { problems.append(Problem("to", "must be a date YYYY-MM-DD")) }
        if !problems.isEmpty { throw YilianError.invalidParams(problems) }
        return try await database.withConnection {
            try await SlotRepository.list(hospital: hospital, specialty: specialty, from: start, to: end, on: $0)
        }
    }
}
