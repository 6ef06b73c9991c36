import YilianJSON

// `Date` only, a value with no I/O: the core stays free of Foundation proper.
#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// An expert's professional title (SPEC §14), as the practice record names it.
public enum ExpertTitle: String, Sendable, Codable, CaseIterable {
    case chief = "主任医师"
    case associateChief = "副主任医师"
    case attending = "主治医师"
}

/// What an expert does at a member's site: a clinic (坐诊), a ward round (查房) or teaching (带教).
public enum OutreachKind: String, Sendable, Codable, CaseIterable {
    case clinic
    case wardRound = "ward_round"
    case teaching
}

/// A multi-site practice record (多点执业备案): `expert` may work at `site`, for `alliance`, from
/// `validFrom` to `validUntil`, under `filingNumber` (备案号).
public struct PracticeRecord: Sendable, Equatable, Codable {
    public var alliance: String
    public var expert: String
    /// The expert's display name (樊教授), when one is set.
    @Nullable public var expertName: String?
    public var title: ExpertTitle
    public var specialty: String
    public var site: String
    public var filingNumber: String
    public var validFrom: String
    public var validUntil: String
    public var registeredBy: String
    public var registeredAt: Date

    package init(
        alliance: String, expert: String, expertName: String?, title: ExpertTitle, specialty: String, site: String, filingNumber: String,
        validFrom: String, validUntil: String, registeredBy: String, registeredAt: Date
    ) {
        (self.alliance, self.expert, self.expertName, self.title, self.specialty, self.site) =
            (alliance, expert, expertName, title, specialty, site)
        (self.filingNumber, self.validFrom, self.validUntil, self.registeredBy, self.registeredAt) =
            (filingNumber, validFrom, validUntil, registeredBy, registeredAt)
    }

    /// The problems of a record as given (the wall checks who, the expert and the site).
    public static func problems(title: String, filingNumber: String, validFrom: String, validUntil: String) -> [Problem] {
        var problems: [Problem] = []
        if ExpertTitle(rawValue: title) == nil {
            problems.append(Problem("title", Text("problem.oneOf", ExpertTitle.allCases.map(\.rawValue).joined(separator: ", "))))
        }
        if filingNumber.count < 4 || filingNumber.count > 32
            || !filingNumber.unicodeScalars.allSatisfy({
                ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "-"
            })
        {
            problems.append(Problem("filingNumber", Text("problem.filingNumber")))
        }
        let from = CalendarDate(validFrom)
        let until = CalendarDate(validUntil)
        if from == nil { problems.append(Problem("validFrom", Text("problem.date"))) }
        if until == nil { problems.append(Problem("validUntil", Text("problem.date"))) }
        if let from, let until, until < from || until.daysSinceEpoch - from.daysSinceEpoch > 3650 {
            problems.append(Problem("validUntil", Text("problem.validity")))
        }
        return problems
    }
}

/// One patient booked into an outreach session: who (no resident ID: an up-referral carries it),
/// by whom and when, and whether the booking was cancelled.
public struct OutreachBooking: Sendable, Equatable, Codable {
    public var session: String
    public var number: Int
    public var patient: Patient
    public var bookedBy: String
    public var bookedAt: Date
    @Nullable public var cancelledBy: String?
    @Nullable public var cancelledAt: Date?

    package init(
        session: String, number: Int, patient: Patient, bookedBy: String, bookedAt: Date, cancelledBy: String?, cancelledAt: Date?
    ) {
        (self.session, self.number, self.patient, self.bookedBy, self.bookedAt) = (session, number, patient, bookedBy, bookedAt)
        (self.cancelledBy, self.cancelledAt) = (cancelledBy, cancelledAt)
    }

    /// The problems of a patient to book, on `today`.
    public static func problems(of patient: Patient, today: CalendarDate) -> [Problem] {
        var problems = ReferralRequest.problems(of: patient, today: today)
        if patient.name.trimmingWhitespace().count > 50 { problems.append(Problem("patient.name", Text("problem.bookingName"))) }
        if patient.idNumber != nil { problems.append(Problem("patient.idNumber", Text("problem.bookingID"))) }
        return problems
    }
}

extension Patient {
    /// As a booking stores it: the name trimmed, no resident ID.
    package var booked: JSONValue {
        [
            "name": .string(String(name.trimmingWhitespace())), "sex": .string(sex.rawValue), "birthDate": .string(birthDate),
            "phone": JSONValue(phone),
        ]
    }
}

/// An expert's session at a member's site on a day, with its capacity and live bookings; with
/// `bookings` only for the site's and the expert's hospital's users.
public struct OutreachSession: Sendable, Equatable, Codable {
    public var id: String
    public var alliance: String
    public var expert: String
    /// The expert's display name (樊教授), when one is set.
    @Nullable public var expertName: String?
    public var site: String
    public var specialty: String
    public var date: String
    public var kind: OutreachKind
    public var capacity: Int
    public var booked: Int
    public var available: Int
    public var publishedBy: String
    public var publishedAt: Date
    @Nullable public var bookings: [OutreachBooking]?

    package init(
        id: String, alliance: String, expert: String, expertName: String?, site: String, specialty: String, date: String,
        kind: OutreachKind,
        capacity: Int, booked: Int, publishedBy: String, publishedAt: Date
    ) {
        (self.id, self.alliance, self.expert, self.expertName, self.site, self.specialty, self.date) =
            (id, alliance, expert, expertName, site, specialty, date)
        (self.kind, self.capacity, self.booked, self.available) = (kind, capacity, booked, capacity - booked)
        (self.publishedBy, self.publishedAt) = (publishedBy, publishedAt)
    }

    /// The capacity a session may have.
    public static let capacities = 1...200
}

/// Why the wall refused an outreach change (its word, YL005's detail), as the reader is told.
public enum OutreachRefusal: String, Sendable, CaseIterable {
    case noAlliance = "no_alliance"
    case notExpertAdmin = "not_expert_admin"
    case notPhysician = "not_physician"
    case notExpertHospital = "not_expert_hospital"
    case notMemberSite = "not_member_site"
    case siteLeft = "site_left"
    case specialty
    case duplicate
    case notExpertCoordinator = "not_expert_coordinator"
    case date
    case noPractice = "no_practice"
    case noSession = "no_session"
    case notSiteCoordinator = "not_site_coordinator"
    case past
    case full
    case patient
    case noBooking = "no_booking"
    case sessionAhead = "session_ahead"
    case notBooked = "not_booked"

    /// What an outreach call named, as its refusals' texts take them ({1} to {5}).
    public struct Named: Sendable {
        /// The expert (register, publish) or the session (book, cancel, a filing).
        public var subject: String
        /// The site (register, publish), the booking's number (cancel) or the filing's sender.
        public var place: String
        /// The alliance (register, publish) or the filing's receiver.
        public var alliance: String
        /// The acting user's hospital.
        public var hospital: String
        /// The session's day (publish) or the registration's specialty.
        public var detail: String

        public init(subject: String, place: String = "", alliance: String = "", hospital: String = "", detail: String = "") {
            (self.subject, self.place, self.alliance, self.hospital, self.detail) = (subject, place, alliance, hospital, detail)
        }
    }

    /// What the reader is told of the call that named `named`.
    public func error(_ named: Named) -> YilianError {
        let text = Text(
            key: "error.outreach.\(rawValue)", arguments: [named.subject, named.place, named.alliance, named.hospital, named.detail])
        switch self {
        case .notExpertAdmin, .notExpertCoordinator, .notSiteCoordinator: return YilianError(.forbidden, text)
        case .noAlliance, .noSession, .noBooking: return YilianError(.notFound, text)
        case .duplicate: return YilianError(.alreadyExists, text)
        case .full: return YilianError(.capacityExhausted, text)
        case .specialty: return .invalidParams([Problem("specialty", Text("problem.specialtyUnknown", named.detail))])
        case .notPhysician, .notExpertHospital, .notMemberSite, .siteLeft, .date, .noPractice, .past, .patient, .sessionAhead, .notBooked:
            return YilianError(.ruleViolation, text)
        }
    }
}
