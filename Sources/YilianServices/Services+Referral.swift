import Foundation
import YilianCore
import YilianJSON
import YilianRepository

extension Services {
    /// The UTC date at `now`.
    public static func today(_ now: Date) -> CalendarDate {
        CalendarDate(daysSinceEpoch: Int((now.timeIntervalSince1970 / 86_400).rounded(.down)))
    }

    /// The latest date it is anywhere at `now` (UTC+14): a day after it has begun nowhere is in the
    /// future, which is what a birth or an examination given before the alliance is known may not be.
    public static func latestToday(_ now: Date) -> CalendarDate { today(now.addingTimeInterval(14 * 3600)) }

    /// The date it is at `now` in the time zone `zone` (UTC when unknown).
    public static func today(_ now: Date, in zone: String) -> CalendarDate {
        let offset = TimeZone(identifier: zone)?.secondsFromGMT(for: now) ?? 0
        return today(now.addingTimeInterval(TimeInterval(offset)))
    }

    /// The asking hospital is not the one asked (`same` says so otherwise), and the actor belongs
    /// to it (`refusal`).
    static func checkAsker(from: String, to: String, actor: Actor, same: String = "error.sameHospital", refusal: String) throws {
        guard from != to else { throw YilianError.ruleViolation("same_hospital", Text(same)) }
        guard actor.hospital == from else { throw YilianError(.forbidden, Text(refusal, from, actor.tag)) }
    }

    /// `body`, whose refusals (`forbidden`, a rule) become `not_found` when `codes` (typed by the
    /// user) names a hospital that does not exist, with the closest registered code: a mistyped
    /// code is never a rule about it (SPEC §3). The database is asked only after a refusal.
    func naming<T>(_ codes: [String], as role: SessionRole, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as YilianError where error.code == .forbidden || error.code == .ruleViolation {
            let unknown = try? await database.withConnection(as: role) { try await HospitalRepository.unknown(among: codes, on: $0) }
            throw (unknown ?? nil) ?? error
        }
    }

    /// The alliance, which must be active (`withCatalogue`: with its 互认 catalogue, for a filing).
    static func activeAlliance(_ code: String, withCatalogue: Bool = false, on connection: DatabaseSession) async throws -> AllianceRecord {
        let alliance = try await AllianceRepository.get(code, withCatalogue: withCatalogue, on: connection)
        guard alliance.status == "active" else {
            throw YilianError.ruleViolation("alliance_active", Text("error.allianceInactive", alliance.code, alliance.status))
        }
        return alliance
    }

    /// Both hospitals must be active members; returns their levels.
    static func checkMembers(from: String, to: String, in alliance: AllianceRecord) throws -> (fromLevel: Int, toLevel: Int) {
        let levels = try [from, to].map { hospital in
            guard let member = alliance.members.first(where: { $0.hospital == hospital }), member.status == .active else {
                throw YilianError.ruleViolation("membership", Text("error.membership", hospital, alliance.code))
            }
            return member.level
        }
        return (levels[0], levels[1])
    }

    static func checkDirection(
        _ wanted: Direction?, from: String, to: String, levels: (fromLevel: Int, toLevel: Int), in alliance: AllianceRecord
    ) throws -> Direction {
        let fits = Referrals.direction(
            fromLevel: levels.fromLevel, toLevel: levels.toLevel, toIsCore: to == alliance.core, fromIsCore: from == alliance.core)
        guard let fits else {
            throw YilianError.ruleViolation("direction", Text("error.direction", from, levels.fromLevel, to, levels.toLevel))
        }
        if let wanted, wanted != fits {
            throw YilianError.ruleViolation(
                "direction",
                Text(
                    "error.directionWrong", from, levels.fromLevel, to, levels.toLevel, Words("direction", fits.rawValue),
                    Words("direction", wanted.rawValue)))
        }
        return fits
    }

    // MARK: Filing

    public func fileReferral(_ request: ReferralRequest, by claimed: Actor?) async throws -> ReferralView {
        let identity = try await identify(claimed)
        let actor = identity.actor
        let now = clock()
        let problems = request.problems(today: Self.latestToday(now))
        if !problems.isEmpty { throw YilianError.invalidParams(problems) }
        guard request.consent else {
            throw YilianError.ruleViolation("consent", Text("error.consent"))
        }
        return try await naming([request.from, request.to], as: identity.role) {
            try Self.checkAsker(from: request.from, to: request.to, actor: actor, refusal: "error.fileForbidden")
            // No transaction of its own (inside another one, as `consultation.convert`'s, it joins
            // it): the filing writes in one statement, and the reads before it are guards that a
            // READ COMMITTED transaction would not hold still either. Its COMMIT was a fourth round trip.
            let record = try await database.withConnection(as: identity.role) { connection in
                let alliance = try await Self.activeAlliance(request.alliance, withCatalogue: true, on: connection)
                let levels = try Self.checkMembers(from: request.from, to: request.to, in: alliance)
                let direction = try Self.checkDirection(request.direction, from: request.from, to: request.to, levels: levels, in: alliance)
                var parent: ReferralRecord?
                var request = request
                if let parentID = request.parent {
                    parent = try await Self.checkParent(
                        parentID, of: request, direction: direction, as: Reading("referral.file", for: actor), on: connection)
                    // The parent's ID is stored masked: a whole one given now is compared by its key.
                    if let idNumber = request.patient?.idNumber, request.patient?.key == nil {
                        request.patient?.key = try await ReferralRepository.patientKey(of: idNumber, on: connection)
                    }
                }
                let (patient, diagnosis) = try request.recorded(continuing: parent)
                var details: JSONObject = ["direction": .string(direction.rawValue), "to": .string(request.to)]
                if let duplicate = try await ReferralRepository.openReferral(
                    of: patient, from: request.from, to: request.to, on: connection)
                {
                    guard request.allowDuplicate else {
                        throw YilianError.ruleViolation("duplicate", Text("error.duplicate", request.from, request.to, duplicate))
                    }
                    details["allowDuplicate"] = .string(duplicate)
                }
                var record = ReferralRecord(
                    request: request, patient: patient, diagnosis: diagnosis, specialty: alliance.specialty, direction: direction,
                    respondBy: now.addingTimeInterval(alliance.responseHours.window(request.priority)), now: now)
                // What the database decides of its results too, on the day it is filed (SPEC §13).
                record.attachments = alliance.recognition.decided(
                    record.attachments, on: Self.today(now, in: alliance.timeZone), version: alliance.recognitionVersion,
                    active: Set(alliance.members.filter { $0.status == .active }.map(\.hospital)))
                do {
                    record.id = try await ReferralRepository.insert(
                        record,
                        filing: MachineEvent(
                            seq: 1, action: "file", fromStatus: nil, toStatus: "requested", actor: actor.tag, at: now,
                            reason: request.reason, details: .object(details)),
                        on: connection)
                } catch {
                    // An outreach session it does not continue (SPEC §14).
                    if let refusal = OutreachRepository.refusal(error) {
                        throw refusal.error(.init(subject: request.outreach ?? "", place: request.from, alliance: request.to))
                    }
                    throw error
                }
                return record
            }
            return ReferralView(record, now: now)
        }
    }

    /// A down-referral may continue an up-referral of the same alliance that is in treatment,
    /// completed or closed, and whose receiver is this referral's sender. Returns the parent (its
    /// patient and outcome go on the new referral: the read is logged).
    static func checkParent(
        _ parentID: String, of request: ReferralRequest, direction: Direction, as reading: Reading, on connection: DatabaseSession
    ) async throws -> ReferralRecord {
        guard direction == .down else {
            throw YilianError.ruleViolation("parent", Text("error.parentNotDown"))
        }
        guard let parent = try await ReferralRepository.find(parentID, as: reading, on: connection) else {
            throw YilianError.ruleViolation("parent", Text("error.parentMissing", parentID))
        }
        guard parent.direction == .up, parent.alliance == request.alliance,
            [.inTreatment, .completed, .closed].contains(parent.status), parent.to == request.from
        else {
            throw YilianError.ruleViolation(
                "parent",
                Text(
                    "error.parentWrong", request.from, parentID, Words("direction", parent.direction.rawValue), parent.to,
                    Words("status", parent.status.rawValue)))
        }
        return parent
    }

    // MARK: Actions

    /// Carries out one action, from any process, in one way: one call of the wall
    /// (`ReferralRepository.act`), which decides it as `ReferralMachine.transition` does and
    /// writes it. A refused action is explained by the core, on the referral as the wall answered
    /// it: a stale `expectedVersion` is a `conflict`, a move its status or side does not allow the
    /// machine's error, a redirect outside the rules the filing guards', a full date
    /// `capacity_exhausted`.
    public func act(_ id: String, _ command: ReferralCommand, expectedVersion: Int?, by claimed: Actor?) async throws -> ReferralView {
        let identity = try await identify(claimed)
        let problems = command.problems
        if !problems.isEmpty { throw YilianError.invalidParams(problems) }
        let now = clock()
        let referral = try await database.withConnection(as: identity.role) { connection in
            let acted = try await ReferralRepository.act(
                id, command, expectedVersion: expectedVersion, by: identity.actor, at: now, on: connection)
            switch acted {
            case nil:
                throw YilianError(.notFound, Text("error.referralNotFound", id))
            case .written(let referral)?:
                return referral
            case .refused(let referral, let refusal)?:
                if let expectedVersion, expectedVersion != referral.version {
                    throw YilianError(.conflict, Text("error.conflict", referral.id, referral.version, expectedVersion))
                }
                // The machine's refusals do not depend on the response hours.
                _ = try ReferralMachine.transition(referral, command, by: identity.actor, at: now, hours: .defaults)
                if case .redirect(let to) = command {
                    let alliance = try await AllianceRepository.get(referral.alliance, on: connection)
                    let levels = try Self.checkMembers(from: referral.from, to: to, in: alliance)
                    _ = try Self.checkDirection(referral.direction, from: referral.from, to: to, levels: levels, in: alliance)
                }
                switch (refusal.kind, command) {
                case (.noUnit, .schedule(let date, let expert)), (.noUnit, .reschedule(let date, let expert)):
                    throw try await Self.noUnit(of: referral, on: date, expert: expert, on: connection)
                case (.pastAppointment, .schedule(let date, _)), (.pastAppointment, .reschedule(let date, _)):
                    throw YilianError.ruleViolation("past_appointment", Text("error.pastAppointment", date, referral.id))
                default:
                    throw refusal.error
                }
            }
        }
        return ReferralView(referral, now: now)
    }

    /// No unit left for `referral` on `date` (SPEC §2): not published that day, or full; and the
    /// next date within 30 days with a free unit of the kind asked for, or what to do without one.
    static func noUnit(of referral: ReferralRecord, on date: String, expert: Bool, on connection: DatabaseSession) async throws
        -> YilianError
    {
        guard let day = CalendarDate(date) else {
            return YilianError(.capacityExhausted, Text("error.noUnit", referral.to, referral.specialty, date))
        }
        let slots = try await SlotRepository.list(
            hospital: referral.to, specialty: referral.specialty, from: day, to: CalendarDate(daysSinceEpoch: day.daysSinceEpoch + 30),
            on: connection)
        func free(_ slot: Slot) -> Bool {
            expert ? slot.expertBooked < slot.expert : slot.booked - slot.expertBooked < slot.capacity - slot.expert
        }
        let published = slots.contains { $0.date == day.description }
        let next = slots.first { $0.date != day.description && free($0) }
        let then = next.map { Text("error.slotNext", $0.date) } ?? Text("error.slotNone", referral.to)
        let specialty = Words("specialty", referral.specialty)
        let text =
            !published
            ? Text("error.slotNotPublished", referral.to, specialty, day.description, then)
            : Text(expert ? "error.expertSlotsFull" : "error.slotsFull", referral.to, specialty, day.description, then)
        var error = YilianError(.capacityExhausted, text)
        error.data["reason"] = .string(published ? "full" : "not_published")
        return error
    }

    // MARK: Reading

    public func referral(_ id: String, by claimed: Actor?) async throws -> ReferralView {
        let identity = try await identify(claimed)
        let now = clock()
        return try await database.transaction(as: identity.role) { connection in
            let (record, history, continuations) = try await ReferralRepository.withHistory(
                id, as: Reading("referral.get", for: identity.actor), on: connection)
            return ReferralView(record, now: now, history: history, continuations: continuations)
        }
    }

    /// `yilian referral print` (SPEC §9): the referral with its timeline, both hospitals, and the
    /// referral a down-referral continues when this user may see it (its outcome goes on the
    /// form). Printing is logged as a read of both.
    public func referralForm(_ id: String, reading method: String = "referral.print", by claimed: Actor?) async throws -> ReferralForm {
        let identity = try await identify(claimed)
        let now = clock()
        return try await database.transaction(as: identity.role) { connection in
            let reading = Reading(method, for: identity.actor)
            let record = try await ReferralRepository.get(id, as: reading, on: connection)
            var parent: ReferralRecord?
            if let parentID = record.parent { parent = try await ReferralRepository.find(parentID, as: reading, on: connection) }
            return ReferralForm(
                referral: ReferralView(record, now: now, history: try await ReferralRepository.events(of: id, as: reading, on: connection)),
                from: try await HospitalRepository.get(record.from, on: connection),
                to: try await HospitalRepository.get(record.to, on: connection),
                parent: parent.map { ReferralView($0, now: now) })
        }
    }

    public func referralHistory(_ id: String, by claimed: Actor?) async throws -> MachineHistory {
        let identity = try await identify(claimed)
        return try await database.transaction(as: identity.role) { connection in
            let reading = Reading("referral.history", for: identity.actor)
            _ = try await ReferralRepository.get(id, as: reading, on: connection)
            return MachineHistory(id: id, history: try await ReferralRepository.events(of: id, as: reading, on: connection))
        }
    }

    public func referrals(_ filter: ReferralFilter, limit: Int?, cursor: String?, by claimed: Actor?) async throws -> Page<ReferralView> {
        let identity = try await identify(claimed)
        let limit = try Self.pageLimit(limit)
        if let patient = filter.patient,
            patient.idNumber != nil ? patient.name != nil || patient.birthDate != nil : patient.name == nil || patient.birthDate == nil
        {
            throw YilianError.invalidParams([Problem("patient", Text("problem.patientQuery"))])
        }
        let now = clock()
        let records = try await database.withConnection(as: identity.role) { connection in
            try await ReferralRepository.list(filter, now: now, limit: limit, after: cursor, for: identity.actor, on: connection)
        }
        return Self.page(records.map { ReferralView($0, now: now) }, limit: limit) { $0.id }
    }

    /// Each section's first `limit` referrals (default 50, at most 500, as for lists) and how
    /// many it holds: a core hospital's sections can hold thousands.
    public func worklist(hospital: String, limit: Int?, by claimed: Actor?) async throws -> Worklist {
        let identity = try await identify(claimed)
        guard identity.actor.hospital == hospital else {
            throw YilianError(.forbidden, Text("error.worklistForbidden", identity.actor.tag, hospital))
        }
        let limit = try Self.pageLimit(limit)
        let now = clock()
        let stored = try await database.transaction(as: identity.role) { connection in
            try await ReferralRepository.worklist(hospital: hospital, now: now, limit: limit, for: identity.actor, on: connection)
        }
        var counts = stored.sections.mapValues(\.total)
        counts["consultations"] = stored.consultations.total
        return Worklist(
            hospital: hospital, sections: stored.sections.mapValues { $0.records.map { ReferralView($0, now: now) } },
            consultations: stored.consultations.records.map { ConsultationView($0, now: now) }, counts: counts)
    }

    // MARK: Deadlines

    /// Escalates referrals past their respond-by time (once per response window) and expires
    /// those unanswered for twice the window, or left with a question for 7 days
    /// (`ReferralMachine.due`; a referral changed since it was read is left to the next sweep).
    /// Idempotent.
    public func sweep() async throws -> SweepResult {
        let now = clock()
        let due = try await database.withConnection(as: .login) { try await ReferralRepository.due(at: now, on: $0) }
        var result = SweepResult(escalated: [], expired: [])
        for id in due {
            // Read, decided by the core, and acted on only if still as read; logged once, as the sweep's.
            let swept = try await database.transaction(as: .login) { connection -> ReferralRecord? in
                let (referral, hours) = try await ReferralRepository.withResponseHours(
                    id, as: Reading("referral.sweep", for: .system), on: connection)
                guard let command = ReferralMachine.due(referral, at: now, hours: hours) else { return nil }
                let acted = try await ReferralRepository.act(
                    id, command, expectedVersion: referral.version, by: .system, at: now, on: connection)
                guard case .written(let written)? = acted else { return nil }
                return written
            }
            guard let swept else { continue }
            if swept.status == .expired { result.expired.append(id) } else { result.escalated.append(id) }
        }
        result.expired += try await sweepConsultations(at: now)
        try await endLongTransactions()
        return result
    }

    /// How long a user's transaction may stay open before the owner's sweep ends its session.
    static let longestTransaction = "1 minute"

    /// Ends the sessions of users whose transaction has been open longer than
    /// `longestTransaction` (`yilian_end_long_transactions`): a user's own login can keep one open
    /// indefinitely, holding rows other hospitals need. Only the owner may; another login's sweep
    /// leaves them.
    func endLongTransactions() async throws {
        guard try await database.login() == .owner else { return }
        let ended = try await database.withConnection(as: .login) { session in
            try await UserRepository.endLongTransactions(longerThan: Self.longestTransaction, on: session)
        }
        if ended > 0 { logger.warning("ended sessions of users whose transaction stayed open", metadata: ["sessions": "\(ended)"]) }
    }

    // MARK: Slots

    /// Publishes reserved capacity on every date from `from` to `to` (or `from` alone), only the
    /// given ISO weekdays (1 Monday … 7 Sunday) when named; says per date what it created or
    /// changed. A date before today in the alliance's time zone is rule `slot_date`.
    public func publishSlots(
        hospital: String, specialty: String, from: String, to: String? = nil, weekdays: [Int]? = nil, capacity: Int, expert: Int? = nil,
        total: Int? = nil, by claimed: Actor?
    ) async throws -> [PublishedSlot] {
        let identity = try await identify(claimed)
        let actor = identity.actor
        try await naming([hospital], as: identity.role) {
            guard actor.hospital == hospital else { throw YilianError(.forbidden, Text("error.slotsForbidden", hospital, actor.hospital)) }
        }
        var problems: [Problem] = []
        let first = CalendarDate(from)
        let last = to.map(CalendarDate.init) ?? first
        if first == nil { problems.append(Problem("from", Text("problem.date"))) }
        // A bad --from alone is not also a bad --to (issue 28): --to is blamed only when given.
        if let to, CalendarDate(to) == nil { problems.append(Problem("to", Text("problem.date"))) }
        if let first, let last {
            if last < first { problems.append(Problem("to", Text("problem.beforeFrom"))) }
            if last.daysSinceEpoch - first.daysSinceEpoch > 366 { problems.append(Problem("to", Text("problem.range"))) }
        }
        if let weekdays, weekdays.isEmpty || weekdays.contains(where: { !(1...7).contains($0) }) {
            problems.append(Problem("weekdays", Text("problem.weekdays")))
        }
        if !(0...100_000).contains(capacity) { problems.append(Problem("capacity", Text("problem.capacity"))) }
        if let expert, !(0...max(0, capacity)).contains(expert) { problems.append(Problem("expert", Text("problem.expert"))) }
        if let total, total < capacity || total > 100_000 { problems.append(Problem("total", Text("problem.total"))) }
        var dates: [CalendarDate] = []
        if let first, let last, problems.isEmpty {
            // 1970-01-01 was a Thursday (ISO weekday 4).
            dates = (first.daysSinceEpoch...last.daysSinceEpoch).filter { weekdays?.contains(($0 % 7 + 7 + 3) % 7 + 1) ?? true }
                .map(CalendarDate.init(daysSinceEpoch:))
            if dates.isEmpty { problems.append(Problem("weekdays", Text("problem.noDates"))) }
        }
        let fieldProblems = problems
        let now = clock()
        return try await database.transaction(as: identity.role) { [dates] connection in
            var problems = fieldProblems
            _ = try await HospitalRepository.get(hospital, on: connection)
            if let why = try await SpecialtyRepository.unknown([specialty], on: connection)[specialty] {
                problems.append(Problem("specialty", why))
            }
            if !problems.isEmpty { throw YilianError.invalidParams(problems) }
            let policy = try await SlotRepository.policy(hospital: hospital, specialty: specialty, on: connection)
            let today = Self.today(now, in: policy.timeZone)
            if let past = dates.first, past < today {
                throw YilianError.ruleViolation("slot_date", Text("error.slotPast", past.description, policy.timeZone))
            }
            return try await SlotRepository.publish(
                hospital: hospital, specialty: specialty, dates: dates, capacity: capacity, expert: expert, total: total, at: now,
                on: connection)
        }
    }

    public func slots(hospital: String?, specialty: String?, from: String?, to: String?, by claimed: Actor?) async throws -> [Slot] {
        let identity = try await identify(claimed)
        let (start, end) = try Self.range(from: from, to: to)
        return try await database.withConnection(as: identity.role) {
            try await SlotRepository.list(hospital: hospital, specialty: specialty, from: start, to: end, on: $0)
        }
    }
}

extension Services {
    /// A list's optional first and last dates, as given (YYYY-MM-DD); both problems at once.
    static func range(from: String?, to: String?) throws(YilianError) -> (CalendarDate?, CalendarDate?) {
        var problems: [Problem] = []
        let first = from.flatMap(CalendarDate.init)
        let last = to.flatMap(CalendarDate.init)
        if from != nil && first == nil { problems.append(Problem("from", Text("problem.date"))) }
        if to != nil && last == nil { problems.append(Problem("to", Text("problem.date"))) }
        if !problems.isEmpty { throw YilianError.invalidParams(problems) }
        return (first, last)
    }
}
