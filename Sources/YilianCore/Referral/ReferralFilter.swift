/// Filters of `referral.list`.
public struct ReferralFilter: Sendable {
    public enum Side: String, CaseIterable, Sendable { case sender, receiver, any }
    public var alliance: String?
    public var hospital: String?
    public var side: Side
    public var statuses: [ReferralMachine.Status]?
    public var direction: Direction?
    public var priority: Priority?
    /// Only overdue (true) or only not overdue (false) referrals, judged at `now`.
    public var overdue: Bool?
    /// One patient's referrals: by resident ID, or by name and birth date.
    public var patient: PatientQuery?

    /// `patient` {idNumber} or {name, birthDate} of `referral.list`.
    public struct PatientQuery: Sendable, Equatable {
        public var idNumber: String?
        public var name: String?
        public var birthDate: String?
        public init(idNumber: String? = nil, name: String? = nil, birthDate: String? = nil) {
            self.idNumber = idNumber
            self.name = name
            self.birthDate = birthDate
        }
    }

    public init(
        alliance: String? = nil, hospital: String? = nil, side: Side = .any, statuses: [ReferralMachine.Status]? = nil,
        direction: Direction? = nil, priority: Priority? = nil, overdue: Bool? = nil, patient: PatientQuery? = nil
    ) {
        self.patient = patient
        self.alliance = alliance
        self.hospital = hospital
        self.side = side
        self.statuses = statuses
        self.direction = direction
        self.priority = priority
        self.overdue = overdue
    }
}
