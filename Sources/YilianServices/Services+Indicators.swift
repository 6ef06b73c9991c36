import Foundation
import YilianCore
import YilianJSON
import YilianRepository

/// Referral counts by setting (门诊 / 住院).
public struct SettingCounts: Encodable, Sendable, Equatable {
    public var outpatient: Int
    public var inpatient: Int
    public var total: Int { outpatient + inpatient }

    public init(outpatient: Int, inpatient: Int) {
        self.outpatient = outpatient
        self.inpatient = inpatient
    }

    enum CodingKeys: String, CodingKey { case outpatient, inpatient, total }
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(outpatient, forKey: .outpatient)
        try container.encode(inpatient, forKey: .inpatient)
        try container.encode(total, forKey: .total)
    }
}

/// Referrals of one direction: filed, and transferred (the patient arrived).
public struct DirectionCounts: Encodable, Sendable, Equatable {
    public var filed: SettingCounts
    public var transferred: SettingCounts
}

/// The alliance indicators of SPEC §2 for one group of referrals. Rates are fractions (0–1,
/// rounded to 4 places); a rate with nothing to divide by is `null`.
public struct Indicators: Encodable, Sendable, Equatable {
    public var referrals: Int
    public var up: DirectionCounts
    public var down: DirectionCounts
    /// 下转率: down-referrals transferred / up-referrals transferred.
    @Nullable public var downUpRatio: Double?
    /// Accepted / (accepted + rejected).
    @Nullable public var acceptanceRate: Double?
    public var rejectionReasons: [String: Int]
    @Nullable public var medianHoursToFirstResponse: Double?
    /// Referrals answered after their response window, or not at all and past it.
    @Nullable public var overdueShare: Double?
    /// No-shows / referrals ever scheduled.
    @Nullable public var noShowRate: Double?
    /// Up-referrals completed whose outcome was acknowledged or that got a down-referral.
    @Nullable public var closedLoopRate: Double?
    /// Booked / capacity of reserved slots (members' slots of the alliance's specialty, those days).
    @Nullable public var slotUtilisation: Double?
    /// The Beijing rule (goals ≥ 0.3, ≥ 0.5, 1), for an alliance whose `slotRule` is `beijing`
    /// (else null): reserved / all slots of the dates whose total was given; expert / reserved
    /// units; units published at least slotLeadDays ahead / reserved.
    @Nullable public var reservedShare: Double?
    @Nullable public var expertShare: Double?
    @Nullable public var earlyShare: Double?

    init(_ counts: IndicatorCounts, slotRule: SlotRule?) {
        func rate(_ part: Int, _ whole: Int) -> Double? { whole == 0 ? nil : Self.round(Double(part) / Double(whole)) }
        referrals = counts.referrals
        up = DirectionCounts(
            filed: SettingCounts(outpatient: counts.upOutpatient, inpatient: counts.upInpatient),
            transferred: SettingCounts(outpatient: counts.upOutpatientArrived, inpatient: counts.upInpatientArrived))
        down = DirectionCounts(
            filed: SettingCounts(outpatient: counts.downOutpatient, inpatient: counts.downInpatient),
            transferred: SettingCounts(outpatient: counts.downOutpatientArrived, inpatient: counts.downInpatientArrived))
        downUpRatio = rate(down.transferred.total, up.transferred.total)
        acceptanceRate = rate(counts.accepted, counts.accepted + counts.rejected)
        rejectionReasons = counts.rejectionReasons
        medianHoursToFirstResponse = counts.medianHoursToFirstResponse.map { Self.round($0, places: 2) }
        overdueShare = rate(counts.overdue, counts.referrals)
        noShowRate = rate(counts.noShow, counts.scheduled)
        closedLoopRate = rate(counts.closedLoop, counts.completedUp)
        slotUtilisation = rate(counts.slotsBooked, counts.slotsCapacity)
        switch slotRule {
        case .beijing?:
            reservedShare = rate(counts.slotsCapacityWithTotal, counts.slotsTotal)
            expertShare = rate(counts.slotsExpert, counts.slotsCapacity)
            earlyShare = rate(counts.slotsEarly, counts.slotsCapacity)
        case nil: (reservedShare, expertShare, earlyShare) = (nil, nil, nil)
        }
    }

    static func round(_ value: Double, places: Int = 4) -> Double {
        let scale = pow(10, Double(places))
        return (value * scale).rounded() / scale
    }
}

public struct MemberIndicators: Encodable, Sendable, Equatable {
    public var hospital: String
    public var name: String
    public var role: MemberRole
    /// Over the referrals this member sent.
    public var sent: Indicators
    /// Over the referrals this member received (and its own slots).
    public var received: Indicators
    /// The consultations it asked (`sent`) and was asked (`received`).
    public var consultations: MemberConsultations
    /// The results its referrals carried, and how many the alliance recognised (SPEC §13).
    public var recognition: RecognitionIndicators
    /// The experts' sessions held at its site, and the patients booked into them (SPEC §14).
    public var outreach: OutreachCount
}

/// Outreach sessions held and the patients booked into them (live bookings).
public struct OutreachCount: Encodable, Sendable, Equatable {
    public var sessions: Int
    public var patients: Int
}

extension OutreachCount {
    init(_ count: OutreachCounts.Count?) { self.init(sessions: count?.sessions ?? 0, patients: count?.patients ?? 0) }
}

/// One expert's sessions of the period.
public struct ExpertOutreach: Encodable, Sendable, Equatable {
    public var expert: String
    /// The expert's display name (樊教授), when one is set.
    @Nullable public var name: String?
    public var outreach: OutreachCount
}

/// The alliance's outreach of the period (SPEC §14): sessions and patients in all and per expert,
/// and the share of its members (other than the core) that an expert visited.
public struct OutreachIndicators: Encodable, Sendable, Equatable {
    public var sessions: Int
    public var patients: Int
    /// Active members other than the core, and of them those with a session in the period.
    public var members: Int
    public var visited: Int
    /// visited / members; null without members.
    @Nullable public var visitedShare: Double?
    public var experts: [ExpertOutreach]
}

extension OutreachIndicators {
    init(_ counts: OutreachCounts, members sites: Set<String>) {
        let visited = sites.filter { counts.bySite[$0] != nil }.count
        self.init(
            sessions: counts.all.sessions, patients: counts.all.patients, members: sites.count, visited: visited,
            visitedShare: sites.isEmpty ? nil : Indicators.round(Double(visited) / Double(sites.count)),
            experts: counts.byExpert.sorted { $0.key < $1.key }.map {
                ExpertOutreach(expert: $0.key, name: counts.names[$0.key], outreach: OutreachCount($0.value))
            })
    }
}

/// Results (lab and imaging attachments) of the period's referrals and how many the alliance
/// recognised as last decided: each one a repeat examination avoided (SPEC §13).
public struct RecognitionIndicators: Encodable, Sendable, Equatable {
    public var results: Int
    public var recognized: Int
    /// recognized / results; null without results.
    @Nullable public var recognizedShare: Double?

    public init(results: Int, recognized: Int) {
        (self.results, self.recognized) = (results, recognized)
        recognizedShare = results == 0 ? nil : Indicators.round(Double(recognized) / Double(results))
    }

    init(_ counts: (results: Int, recognized: Int)?) { self.init(results: counts?.results ?? 0, recognized: counts?.recognized ?? 0) }
}

/// One catalogue item's results of the period (`item` null: results naming no item).
public struct ItemRecognition: Encodable, Sendable, Equatable {
    @Nullable public var item: String?
    /// Its name in the current catalogue (null: not in it).
    @Nullable public var name: String?
    public var recognition: RecognitionIndicators

    public init(item: String?, name: String?, recognition: RecognitionIndicators) {
        (self.item, self.name, self.recognition) = (item, name, recognition)
    }
}

public struct MemberConsultations: Encodable, Sendable, Equatable {
    public var sent: ConsultationIndicators
    public var received: ConsultationIndicators
}

public struct MonthIndicators: Encodable, Sendable, Equatable {
    public var month: String
    public var indicators: Indicators
}

/// The alliance's consultations of the period (SPEC §7): how many, their median hours to the
/// first response, the share answered in time and the share converted to a referral.
public struct ConsultationIndicators: Encodable, Sendable, Equatable {
    public var asked: Int
    public var answered: Int
    @Nullable public var medianHoursToFirstResponse: Double?
    /// Answered before it would have expired (twice the response window) / asked.
    @Nullable public var answeredInTimeShare: Double?
    /// Converted to a referral / answered.
    @Nullable public var convertedShare: Double?

    public init(asked: Int, answered: Int, medianHoursToFirstResponse: Double?, answeredInTimeShare: Double?, convertedShare: Double?) {
        self.asked = asked
        self.answered = answered
        self.medianHoursToFirstResponse = medianHoursToFirstResponse
        self.answeredInTimeShare = answeredInTimeShare
        self.convertedShare = convertedShare
    }

    init(_ counts: ConsultationCounts) {
        asked = counts.asked
        answered = counts.answered
        medianHoursToFirstResponse = counts.medianHoursToFirstResponse.map { Indicators.round($0, places: 2) }
        answeredInTimeShare = counts.asked == 0 ? nil : Indicators.round(Double(counts.answeredInTime) / Double(counts.asked))
        convertedShare = counts.answered == 0 ? nil : Indicators.round(Double(counts.converted) / Double(counts.answered))
    }
}

public struct IndicatorReport: Encodable, Sendable, Equatable {
    public var alliance: String
    /// The alliance's slot rule, whose shares the indicators hold (null: none).
    @Nullable public var slotRule: SlotRule?
    public var from: String
    public var to: String
    public var overall: Indicators
    public var consultations: ConsultationIndicators
    public var members: [MemberIndicators]
    /// The results of the period's referrals the alliance recognised, in all and by item (SPEC §13).
    public var recognition: RecognitionIndicators
    public var recognitionItems: [ItemRecognition]
    /// The experts' sessions at members' sites (SPEC §14).
    public var outreach: OutreachIndicators
    /// With `by: month`: the same, month by month.
    public var months: [MonthIndicators]?
    /// Read from a standby (SPEC §12): the time of the last transaction it had replayed, which its
    /// data is as of; none when read from the primary (its data is current).
    public var asOf: Date?
}

extension Services {
    /// Indicators of referrals filed from `from` to `to` (dates, inclusive, in the alliance's time
    /// zone); with `byMonth`, every month of the period, also months without referrals.
    public func indicators(alliance code: String, from: String, to: String, byMonth: Bool, by claimed: Actor?) async throws
        -> IndicatorReport
    {
        let identity = try await identify(claimed)
        var problems: [Problem] = []
        let first = CalendarDate(from)
        let last = CalendarDate(to)
        if first == nil { problems.append(Problem("from", Text("problem.date"))) }
        if last == nil { problems.append(Problem("to", Text("problem.date"))) }
        if let first, let last, last < first { problems.append(Problem("to", Text("problem.beforeFrom"))) }
        guard let first, let last, problems.isEmpty else { throw YilianError.invalidParams(problems) }
        let now = clock()
        // One snapshot for all the report's queries, on a standby when one is named.
        return try await reads.transaction(as: identity.role, .repeatableRead) { connection in
            // With the 互认 catalogue: its items' names.
            let alliance = try await AllianceRepository.get(code, withCatalogue: true, on: connection)
            // The database counts nothing for others (sql/0023); this says so instead of a report of zeros.
            guard identity.actor.isAdministrator || alliance.members.contains(where: { $0.hospital == identity.actor.hospital }) else {
                throw YilianError(.forbidden, Text("error.indicatorsMembersOnly", identity.actor.hospital, code))
            }
            let groups = try await IndicatorRepository.counts(
                alliance: code, first: first, last: last, now: now, months: byMonth, on: connection)
            let overall = groups[.all]?[""] ?? IndicatorCounts()
            let rule = alliance.slotRule
            let sent = groups[.sender] ?? [:]
            let received = groups[.receiver] ?? [:]
            let consultations = try await IndicatorRepository.consultations(alliance: code, first: first, last: last, on: connection)
            let recognition = try await IndicatorRepository.recognition(alliance: code, first: first, last: last, on: connection)
            let outreach = try await IndicatorRepository.outreach(alliance: code, first: first, last: last, on: connection)
            var members: [MemberIndicators] = []
            for member in alliance.members {
                let hospital = try await HospitalRepository.get(member.hospital, on: connection)
                members.append(
                    MemberIndicators(
                        hospital: member.hospital, name: hospital.name, role: member.role,
                        sent: Indicators(sent[member.hospital] ?? IndicatorCounts(), slotRule: rule),
                        received: Indicators(received[member.hospital] ?? IndicatorCounts(), slotRule: rule),
                        consultations: MemberConsultations(
                            sent: ConsultationIndicators(consultations[.sender]?[member.hospital] ?? .none),
                            received: ConsultationIndicators(consultations[.receiver]?[member.hospital] ?? .none)),
                        recognition: RecognitionIndicators(recognition[.sender]?[member.hospital]),
                        outreach: OutreachCount(outreach.bySite[member.hospital])))
            }
            var months: [MonthIndicators]?
            if byMonth {
                let byMonth = groups[.month] ?? [:]
                months = Self.months(from: first, to: last).map {
                    MonthIndicators(month: $0, indicators: Indicators(byMonth[$0] ?? IndicatorCounts(), slotRule: rule))
                }
            }

            return IndicatorReport(
                alliance: code, slotRule: rule, from: from, to: to, overall: Indicators(overall, slotRule: rule),
                consultations: ConsultationIndicators(consultations[.all]?[""] ?? .none),
                members: members, recognition: RecognitionIndicators(recognition[.all]?[""]),
                recognitionItems: (recognition[.item] ?? [:]).sorted { ($0.key.isEmpty ? "~" : $0.key) < ($1.key.isEmpty ? "~" : $1.key) }
                    .map {
                        item, counts in
                        ItemRecognition(
                            item: item.isEmpty ? nil : item, name: alliance.recognition.items.first { $0.code == item }?.name,
                            recognition: RecognitionIndicators(counts))
                    },
                outreach: OutreachIndicators(
                    outreach,
                    members: Set(alliance.members.filter { $0.status == .active && $0.hospital != alliance.core }.map(\.hospital))),
                months: months, asOf: try await IndicatorRepository.replayedAt(on: connection))
        }
    }
}

extension Services {
    /// `YYYY-MM` of every month from the one of `first` to the one of `last`.
    static func months(from first: CalendarDate, to last: CalendarDate) -> [String] {
        var months: [String] = []
        var year = first.year
        var month = first.month
        while (year, month) <= (last.year, last.month) {
            months.append("\(year)-" + (month < 10 ? "0" : "") + "\(month)")
            (year, month) = month == 12 ? (year + 1, 1) : (year, month + 1)
        }
        return months
    }
}
