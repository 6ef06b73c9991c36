import Foundation
import YilianCore
import YilianJSON
import YilianRepository

/// Expert outreach (专家下沉) and multi-site practice (多点执业), SPEC §14. Each change is one call
/// of the wall's function, which decides; its refusals are said here in the reader's words.
extension Services {
    /// `practice.register`: `expert` may work at `site` for `alliance` under `filingNumber`, from
    /// `validFrom` to `validUntil` (an administrator of the expert's hospital).
    public func registerPractice(
        alliance: String, expert: String, title: String, specialty: String, site: String, filingNumber: String, validFrom: String,
        validUntil: String, by claimed: Actor?
    ) async throws -> PracticeRecord {
        var problems = PracticeRecord.problems(title: title, filingNumber: filingNumber, validFrom: validFrom, validUntil: validUntil)
        if Actor(parsing: expert) == nil { problems.append(Problem("expert", Text("problem.expertLogin"))) }
        guard let title = ExpertTitle(rawValue: title), problems.isEmpty else { throw YilianError.invalidParams(problems) }
        let identity = try await identify(claimed)
        return try await outreach(
            .init(subject: expert, place: site, alliance: alliance, hospital: identity.actor.hospital, detail: specialty), as: identity
        ) { connection, now in
            try await OutreachRepository.register(
                alliance: alliance, expert: expert, title: title, specialty: specialty, site: site, filingNumber: filingNumber,
                validFrom: validFrom, validUntil: validUntil, at: now, actor: identity.actor.tag, on: connection)
        }
    }

    /// `practice.list`: practice records, published to every user.
    public func practices(alliance: String?, expert: String?, site: String?, by claimed: Actor?) async throws -> [PracticeRecord] {
        let identity = try await identify(claimed)
        return try await database.withConnection(as: identity.role) {
            try await OutreachRepository.practices(alliance: alliance, expert: expert, site: site, on: $0)
        }
    }

    /// `outreach.publish`: a session of `expert` at `site` on `date` (a coordinator of the
    /// expert's hospital), which a valid practice record must cover.
    public func publishOutreach(
        alliance: String, expert: String, site: String, date: String, kind: OutreachKind, capacity: Int, by claimed: Actor?
    ) async throws -> OutreachSession {
        var problems: [Problem] = []
        if CalendarDate(date) == nil { problems.append(Problem("date", Text("problem.date"))) }
        if !OutreachSession.capacities.contains(capacity) { problems.append(Problem("capacity", Text("problem.sessionCapacity"))) }
        if !problems.isEmpty { throw YilianError.invalidParams(problems) }
        let identity = try await identify(claimed)
        return try await outreach(
            .init(subject: expert, place: site, alliance: alliance, hospital: identity.actor.hospital, detail: date), as: identity
        ) { connection, now in
            try await OutreachRepository.publish(
                alliance: alliance, expert: expert, site: site, date: date, kind: kind, capacity: capacity, at: now,
                actor: identity.actor.tag, on: connection)
        }
    }

    /// `outreach.book`: `patient` booked into `session` by a coordinator of its site, never beyond
    /// its capacity.
    public func bookOutreach(session: String, patient: Patient, by claimed: Actor?) async throws -> OutreachBooking {
        // The wall judges the birth date by the alliance's day.
        let problems = OutreachBooking.problems(of: patient, today: Self.latestToday(clock()))
        if !problems.isEmpty { throw YilianError.invalidParams(problems) }
        let identity = try await identify(claimed)
        return try await outreach(.init(subject: session, hospital: identity.actor.hospital), as: identity) { connection, now in
            try await OutreachRepository.book(session: session, patient: patient, at: now, actor: identity.actor.tag, on: connection)
        }
    }

    /// `outreach.cancel`: booking `number` of `session` cancelled by its site; the unit is free again.
    public func cancelOutreach(session: String, booking number: Int, by claimed: Actor?) async throws -> OutreachBooking {
        let identity = try await identify(claimed)
        return try await outreach(.init(subject: session, place: String(number), hospital: identity.actor.hospital), as: identity) {
            connection, now in
            try await OutreachRepository.cancel(session: session, booking: number, at: now, actor: identity.actor.tag, on: connection)
        }
    }

    /// `outreach.list`: sessions (published to every user), with their bookings for the site's and
    /// the expert's hospital's users (the read logged).
    public func outreachSessions(
        alliance: String?, expert: String?, site: String?, from: String?, to: String?, by claimed: Actor?
    ) async throws -> [OutreachSession] {
        let (first, last) = try Self.range(from: from, to: to)
        let identity = try await identify(claimed)
        return try await database.withConnection(as: identity.role) {
            try await OutreachRepository.sessions(
                alliance: alliance, expert: expert, site: site, from: first, to: last,
                as: Reading("outreach.list", for: identity.actor), on: $0)
        }
    }

    /// One change through the wall in one transaction; its refusal said with what the call `named`.
    private func outreach<T: Sendable>(
        _ named: OutreachRefusal.Named, as identity: Identity, _ body: @Sendable @escaping (DatabaseSession, Date) async throws -> T
    ) async throws -> T {
        let now = clock()
        return try await database.transaction(as: identity.role) { connection in
            do {
                return try await body(connection, now)
            } catch {
                if let refusal = OutreachRepository.refusal(error) { throw refusal.error(named) }
                throw error
            }
        }
    }
}
