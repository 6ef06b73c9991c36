import YilianJSON

// `Date` only, a value with no I/O: the core stays free of Foundation proper.
#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// What one referral action does, decided by `ReferralMachine.transition` and carried out by
/// the services exactly as it is: the referral as it becomes, the event appended, and the slot
/// changes, all written together or not at all.
public struct ReferralTransition: Equatable, Sendable {
    public var referral: ReferralRecord
    public var event: MachineEvent
    public var slots: [SlotChange]
}

extension ReferralMachine {
    /// The one place a referral action is decided, for every front end and for `sweep`: who
    /// may act (`actor` is the sender's or the receiver's user, or `Actor.system`), whether the
    /// status allows it, and everything it changes. `hours` is the alliance's response-time
    /// policy. Pure: nothing is read or written here. Redirect's membership and direction guards
    /// need the alliance's members and their levels, and are the filing guards: the services
    /// check them on the new pair.
    public static func transition(
        _ current: ReferralRecord, _ command: ReferralCommand, by actor: Actor, at now: Date, hours: ResponseHours
    ) throws(YilianError) -> ReferralTransition {
        guard let party: Party = actor.party(from: current.from, to: current.to) else {
            throw YilianError(.forbidden, Text("error.notParty", current.id, current.from, current.to, actor.hospital))
        }
        var machine = ReferralMachine(status: current.status, priority: current.priority)
        try machine.apply(command.action, by: party)
        var referral = current
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
            referral.clockStart = now
            referral.respondBy = now.addingTimeInterval(hours.window(referral.priority))
        case .redirect(let to):
            guard to != referral.from else {
                throw YilianError.ruleViolation("same_hospital", Text("error.sameHospital"))
            }
            guard to != referral.to else {
                throw YilianError.ruleViolation("redirect", Text("error.redirectSame", referral.id, to))
            }
            details = ["to": .string(to), "previousTo": .string(referral.to)]
            referral.to = to
            referral.firstResponseAt = nil
            referral.clockStart = now
            referral.respondBy = now.addingTimeInterval(hours.window(referral.priority))
        case .schedule(let text, let expert):
            guard let date = CalendarDate(text) else { throw YilianError.invalidParams(command.problems) }
            // Reserved slots serve up-referrals; a down-referral is scheduled without one.
            if referral.direction == .up { slots = [.book(date, expert: expert)] }
            referral.slot = date
            referral.slotExpert = referral.direction == .up && expert
            referral.scheduledAt = now
            details["date"] = .string(text)
            if referral.slotExpert { details["expert"] = true }
        case .reschedule(let text, let expert):
            guard let date = CalendarDate(text) else { throw YilianError.invalidParams(command.problems) }
            guard let previous = referral.slot, previous != date else {
                throw YilianError.invalidParams([Problem("date", Text("problem.sameDate"))])
            }
            if referral.direction == .up { slots = [.book(date, expert: expert), .release(previous, expert: referral.slotExpert)] }
            referral.slot = date
            referral.slotExpert = referral.direction == .up && expert
            details = ["date": .string(text), "previousDate": .string(previous.description)]
            if referral.slotExpert { details["expert"] = true }
        case .noShow:
            if referral.direction == .up, let slot = referral.slot { slots = [.release(slot, expert: referral.slotExpert)] }
        case .cancel(let text):
            reason = text
            if current.status == .scheduled, referral.direction == .up, let slot = referral.slot {
                slots = [.release(slot, expert: referral.slotExpert)]
            }
        case .complete(let outcome):
            referral.outcome = outcome
            reason = outcome.summary
        case .escalate:
            referral.escalation += 1
            referral.respondBy = referral.respondBy.addingTimeInterval(hours.window(referral.priority))
            details["escalation"] = .integer(referral.escalation)
        case .arrive, .acknowledge, .expire:
            break
        }
        referral.status = machine.status
        referral.version += 1
        referral.updatedAt = now
        let event = MachineEvent(
            seq: referral.version, action: command.action.rawValue, fromStatus: current.status.rawValue, toStatus: machine.status.rawValue,
            actor: party == .system ? "system" : actor.tag, at: now, reason: reason, details: details.isEmpty ? nil : .object(details))
        return ReferralTransition(referral: referral, event: event, slots: slots)
    }

    /// What `sweep` does to `referral` at `now`: expire it when unanswered for twice the window
    /// (or left with a question for 7 days), escalate it once per window past its respond-by
    /// time, or nothing.
    public static func due(_ referral: ReferralRecord, at now: Date, hours: ResponseHours) -> ReferralCommand? {
        switch referral.status {
        case .requested:
            if referral.clockStart.addingTimeInterval(2 * hours.window(referral.priority)) <= now { return .expire }
            return referral.respondBy <= now ? .escalate : nil
        case .infoRequested:
            return (referral.infoRequestedAt ?? now).addingTimeInterval(7 * 86_400) <= now ? .expire : nil
        case .accepted, .rejected, .scheduled, .inTreatment, .noShow, .completed, .closed, .cancelled, .expired:
            return nil
        }
    }
}

extension Actor {
    /// The deadline sweep, which any user may run: its events are recorded as `system`.
    public static let system = Actor(user: "sweep", hospital: "system")
}

/// What an action does to the receiver's reserved slots (in the referral's specialty): only
/// up-referrals book them (号源下沉).
public enum SlotChange: Sendable, Equatable {
    /// Takes one unit of that date, an expert one when `expert`; the action fails when none is left.
    case book(CalendarDate, expert: Bool)
    /// Gives one unit of that date back, of the kind it took.
    case release(CalendarDate, expert: Bool)
}

/// An alliance's time zone and slot lead days when it names none (SPEC §2).
/// A slot rule an alliance's report follows (SPEC §2): reported, not enforced.
public enum SlotRule: String, CaseIterable, Sendable, Codable {
    /// Beijing's: core and tertiary members reserve ≥ 30% of their slots, ≥ 50% of them expert
    /// slots, published at least `slotLeadDays` ahead.
    case beijing
}

public enum AllianceDefaults {
    /// China's time zone: reports, slot dates and "today" are cut in it, and so are the days
    /// of the access log, which belongs to no alliance.
    public static let timeZone = "Asia/Shanghai"
    public static let slotLeadDays = 14
}

/// `{emergency, urgent, routine}` response windows in hours.
public struct ResponseHours: Codable, Sendable, Equatable {
    public var emergency: Int
    public var urgent: Int
    public var routine: Int
    public static let defaults = ResponseHours(emergency: 2, urgent: 24, routine: 72)
    public init(emergency: Int, urgent: Int, routine: Int) {
        self.emergency = emergency
        self.urgent = urgent
        self.routine = routine
    }

    /// How long a referral of `priority` may wait for an answer.
    public func window(_ priority: Priority) -> TimeInterval {
        switch priority {
        case .emergency: return TimeInterval(emergency * 3600)
        case .urgent: return TimeInterval(urgent * 3600)
        case .routine: return TimeInterval(routine * 3600)
        }
    }
}

/// One referral action with what it carries.
public enum ReferralCommand: Sendable, Equatable {
    case accept(note: String?)
    case reject(code: RejectReason, reason: String?)
    case requestInfo(question: String)
    case provideInfo(answer: String)
    case redirect(to: String)
    /// `expert`: book an expert unit (专家号) of the date.
    case schedule(date: String, expert: Bool = false)
    case reschedule(date: String, expert: Bool = false)
    case arrive
    case noShow
    case complete(TreatmentOutcome)
    case acknowledge
    case cancel(reason: String)
    /// By `sweep` only: past the respond-by time, or past the expiry.
    case escalate
    case expire

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
        case .escalate: return .escalate
        case .expire: return .expire
        }
    }

    /// Problems with what the action carries, before anything is read.
    public var problems: [Problem] {
        switch self {
        case .reject(let code, let reason): return Problem.ifNoReason(reason, other: code == .other)
        case .requestInfo(let question): return Problem.ifEmpty(question, at: "question")
        case .provideInfo(let answer): return Problem.ifEmpty(answer, at: "answer")
        case .cancel(let reason): return Problem.ifEmpty(reason, at: "reason")
        case .schedule(let date, _), .reschedule(let date, _):
            return CalendarDate(date) == nil ? [Problem("date", Text("problem.date"))] : []
        case .complete(let outcome): return outcome.problems
        case .accept, .redirect, .arrive, .noShow, .acknowledge, .escalate, .expire: return []
        }
    }
}
