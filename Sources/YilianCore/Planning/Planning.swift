import YilianJSON

/// One row of the commission's disease-burden table (SPEC §15): the cases of a specialty's
/// diseases in a district in a year, and the incidence per 100,000 when the source gives it.
public struct BurdenRow: Sendable, Equatable, Codable {
    public var district: String
    public var specialty: String
    public var year: Int
    public var cases: Int
    @Nullable public var incidence: Double?

    public init(district: String, specialty: String, year: Int, cases: Int, incidence: Double? = nil) {
        (self.district, self.specialty, self.year, self.cases, self.incidence) = (district, specialty, year, cases, incidence)
    }
}

/// Reads a burden CSV (UTF-8, header row; columns district, specialty, year, cases, incidence,
/// the last optional; RFC 4180 quoting) as the hospital import reads its file: every bad row a
/// problem at `line N: column` (the first 100 listed), nothing returned unless all are good.
/// Specialty codes are checked against the catalog by the caller.
public enum BurdenCSV {
    enum Column: Int, CaseIterable { case district, specialty, year, cases, incidence }
    public static let columns = Column.allCases.map { "\($0)" }
    static let required: Set<String> = ["district", "specialty", "year", "cases"]
    /// Characters a district name may not hold: controls and the blanks and marks a reader cannot
    /// see (no-break, zero-width and ideographic spaces, direction marks, separators), which would
    /// make two names that look the same.
    static func isHidden(_ scalar: Unicode.Scalar) -> Bool {
        scalar.isTerminalControl || (0x80...0xA0).contains(scalar.value) || (0x2000...0x200F).contains(scalar.value)
            || (0x2028...0x202F).contains(scalar.value) || (0x205F...0x2064).contains(scalar.value) || scalar.value == 0x3000
            || scalar.value == 0xFEFF
    }

    /// The years a burden row may be of, and the most cases it may count.
    public static let years = 1900...2200
    public static let mostCases = 100_000_000

    public static func parse(_ text: String) -> (rows: [(line: Int, row: BurdenRow)], problems: FileProblems) {
        var firstLine: [String: Int] = [:]
        return HospitalCSV.read(text, columns: columns, required: required) { record, problems -> BurdenRow? in
            func field(_ column: Column) -> String? { record.field(column.rawValue) }
            let district = field(.district) ?? ""
            if district.isEmpty || district.count > 32 || district.unicodeScalars.contains(where: isHidden) {
                record.problem("district", Text(district.isEmpty ? "import.missing" : "problem.district"), in: &problems)
            }
            let specialty = field(.specialty) ?? ""
            if specialty.isEmpty { record.problem("specialty", Text("import.missing"), in: &problems) }
            let year = field(.year).flatMap { Int($0) }
            if year == nil || !years.contains(year!) { record.problem("year", Text("problem.burdenYear"), in: &problems) }
            let cases = field(.cases).flatMap { Int($0) }
            if cases == nil || !(0...mostCases).contains(cases!) { record.problem("cases", Text("problem.cases"), in: &problems) }
            var incidence: Double?
            if let text = field(.incidence) {
                incidence = Double(text)
                if incidence == nil || !(0...100_000).contains(incidence!) {
                    record.problem("incidence", Text("problem.incidence"), in: &problems)
                }
            }
            let key = "\(district)\u{0}\(specialty)\u{0}\(year ?? 0)"
            if problems.unlisted > 0 {
                if !firstLine.isEmpty { firstLine = [:] }
            } else if let earlier = firstLine[key] {
                record.problem("district", Text("import.burdenRepeated", earlier), in: &problems)
            } else {
                firstLine[key] = record.line
            }
            guard let year, let cases else { return nil }
            return BurdenRow(district: district, specialty: specialty, year: year, cases: cases, incidence: incidence)
        }
    }
}

/// What the alliances of a specialty offer in a district (`""`: members registered without one):
/// the active members there and the reserved slots they published in the year.
public struct Capacity: Sendable, Equatable {
    public var specialty: String
    public var district: String
    public var members: Int
    public var slots: Int

    public init(specialty: String, district: String, members: Int, slots: Int) {
        (self.specialty, self.district, self.members, self.slots) = (specialty, district, members, slots)
    }
}

/// A district's burden of a specialty against what alliances offer there.
public struct DistrictNeed: Sendable, Equatable, Codable {
    public var district: String
    public var cases: Int
    public var members: Int
    public var slots: Int
    /// Members and reserved slots per 10,000 cases; null without cases.
    @Nullable public var membersPer10k: Double?
    @Nullable public var slotsPer10k: Double?

    init(district: String, cases: Int, members: Int, slots: Int) {
        (self.district, self.cases, self.members, self.slots) = (district, cases, members, slots)
        membersPer10k = Planner.per10k(members, cases)
        slotsPer10k = Planner.per10k(slots, cases)
    }
}

/// A specialty's burden in the city against its alliances, with its worst-served districts.
public struct SpecialtyNeed: Sendable, Equatable, Codable {
    public var specialty: String
    public var cases: Int
    public var members: Int
    public var slots: Int
    @Nullable public var membersPer10k: Double?
    @Nullable public var slotsPer10k: Double?
    /// The alliances of the specialty (codes).
    public var alliances: [String]
    /// Districts with cases, least served first (at most 3), and every district of the table.
    public var worstDistricts: [String]
    public var districts: [DistrictNeed]
}

/// The commission's planning (SPEC §15), pure: it decides from what it is given.
public enum Planner {
    /// `count` per 10,000 `cases`, to two places; nil without cases.
    static func per10k(_ count: Int, _ cases: Int) -> Double? {
        cases == 0 ? nil : (Double(count) * 10_000 / Double(cases) * 100).rounded() / 100
    }

    /// Specialties ranked by need: fewest alliance members per 10,000 cases first (none at all
    /// first of all), then more cases, then the code; each with its districts, least served first
    /// (fewest members per 10,000 cases, then more cases, then the name).
    public static func specialties(burden: [BurdenRow], capacity: [Capacity], alliances: [String: [String]]) -> [SpecialtyNeed] {
        var cases: [String: [String: Int]] = [:]
        for row in burden { cases[row.specialty, default: [:]][row.district, default: 0] += row.cases }
        var offered: [String: [String: (members: Int, slots: Int)]] = [:]
        for c in capacity { offered[c.specialty, default: [:]][c.district] = (c.members, c.slots) }
        let needs = cases.map { specialty, byDistrict -> SpecialtyNeed in
            let districts = Set(byDistrict.keys).union(offered[specialty]?.keys ?? [:].keys).map { district in
                DistrictNeed(
                    district: district, cases: byDistrict[district] ?? 0, members: offered[specialty]?[district]?.members ?? 0,
                    slots: offered[specialty]?[district]?.slots ?? 0)
            }.sorted(by: leastServed)
            let total = districts.reduce(0) { $0 + $1.cases }
            let members = districts.reduce(0) { $0 + $1.members }
            let slots = districts.reduce(0) { $0 + $1.slots }
            return SpecialtyNeed(
                specialty: specialty, cases: total, members: members, slots: slots, membersPer10k: per10k(members, total),
                slotsPer10k: per10k(slots, total), alliances: (alliances[specialty] ?? []).sorted(),
                worstDistricts: districts.filter { $0.cases > 0 }.prefix(3).map(\.district), districts: districts)
        }
        return needs.sorted { a, b in
            let (x, y) = (ratio(a.members, a.cases), ratio(b.members, b.cases))
            if x != y { return x < y }
            if a.cases != b.cases { return a.cases > b.cases }
            return a.specialty < b.specialty
        }
    }

    /// Members per case, unrounded (the ranking's key; without cases, last).
    static func ratio(_ members: Int, _ cases: Int) -> Double { cases == 0 ? .infinity : Double(members) / Double(cases) }

    static func leastServed(_ a: DistrictNeed, _ b: DistrictNeed) -> Bool {
        let (x, y) = (ratio(a.members, a.cases), ratio(b.members, b.cases))
        if x != y { return x < y }
        if a.cases != b.cases { return a.cases > b.cases }
        return a.district < b.district
    }

    /// How a hospital's key specialty ranks: national, municipal, none.
    static func keyRank(_ hospital: Hospital, _ specialty: String) -> Int {
        switch hospital.facts["keySpecialties"]?[specialty]?.stringValue {
        case "national": return 2
        case "municipal": return 1
        default: return 0
        }
    }

    /// The core to propose: of the tertiary hospitals (a core's level) with the specialty's
    /// department, the one with a national key specialty before a municipal one before none, then
    /// more beds, then the code.
    public static func core(for specialty: String, among hospitals: [Hospital]) -> Hospital? {
        hospitals.filter { $0.level == MemberRole.core.requiredLevel && $0.departments.contains(specialty) }.min { a, b in
            let (x, y) = (keyRank(a, specialty), keyRank(b, specialty))
            if x != y { return x > y }
            if (a.beds ?? 0) != (b.beds ?? 0) { return (a.beds ?? 0) > (b.beds ?? 0) }
            return a.code < b.code
        }
    }

    /// The role a hospital of `level` would join as: 协作 (3), 合作 (2), 基层 (1).
    public static func role(level: Int) -> MemberRole {
        level >= 3 ? .collaborating : level == 2 ? .cooperating : .primary
    }
}

/// A registered hospital as the plan evaluates it: the role its level would join as, and what
/// the criteria say of it, exactly as an application would be judged.
public struct PlannedHospital: Sendable, Equatable {
    public var hospital: Hospital
    public var role: MemberRole
    public var evaluation: Evaluation
    /// Already an active member of the specialty's alliance.
    public var member: Bool
}

/// The plan of one specialty's alliance (SPEC §15): the core to propose, every registered
/// hospital evaluated and grouped by district, and for an alliance that exists, its expansion.
public struct AlliancePlan: Sendable, Equatable {
    public var specialty: String
    /// The existing alliance of the specialty planned, if any.
    public var alliance: String?
    public var proposedCore: Hospital?
    /// Every registered hospital, by district (no district last), then role, then code.
    public var hospitals: [PlannedHospital]
    /// Eligible hospitals not yet members (an existing alliance only).
    public var expansion: [String]
    /// Districts of registered hospitals where the alliance has no member (an existing alliance only).
    public var districtsWithoutMembers: [String]
}

extension Planner {
    /// Evaluates every hospital against `criteria` for the role its level would join as, with
    /// its registered facts (`Hospital.evaluationFacts`), as `membership.apply` judges.
    public static func alliance(
        specialty: String, hospitals: [Hospital], criteria: CriteriaSet, alliance: String?, members: Set<String>
    ) -> AlliancePlan {
        let core = core(for: specialty, among: hospitals)
        let planned = hospitals.map { hospital in
            let role = role(level: hospital.level)
            return PlannedHospital(
                hospital: hospital, role: role, evaluation: criteria.evaluate(facts: hospital.evaluationFacts(submitted: [:]), role: role),
                member: members.contains(hospital.code))
        }.sorted { a, b in
            let (x, y) = (a.hospital.district ?? "\u{10FFFF}", b.hospital.district ?? "\u{10FFFF}")
            if x != y { return x < y }
            if a.role != b.role { return MemberRole.allCases.firstIndex(of: a.role)! < MemberRole.allCases.firstIndex(of: b.role)! }
            return a.hospital.code < b.hospital.code
        }
        guard let alliance else {
            return AlliancePlan(
                specialty: specialty, alliance: nil, proposedCore: core, hospitals: planned, expansion: [], districtsWithoutMembers: [])
        }
        let districts = Set(hospitals.compactMap(\.district))
        let served = Set(hospitals.filter { members.contains($0.code) }.compactMap(\.district))
        return AlliancePlan(
            specialty: specialty, alliance: alliance, proposedCore: core, hospitals: planned,
            expansion: planned.filter { !$0.member && $0.evaluation.decision == .eligible }.map(\.hospital.code),
            districtsWithoutMembers: districts.subtracting(served).sorted())
    }
}

/// A district in a specialty's plan: its cases (from the burden table; nil where it has none), the
/// planned alliance's members and the hospitals registered there, and those of them to invite.
public struct DistrictPlan: Sendable, Equatable, Codable {
    /// Nil: hospitals registered without a district.
    @Nullable public var district: String?
    @Nullable public var cases: Int?
    public var members: Int
    @Nullable public var membersPer10k: Double?
    public var hospitals: Int
    /// Codes of the eligible hospitals not yet members.
    public var invite: [String]
}

extension Planner {
    /// The plan's districts: those of the burden table with cases (least served first), then
    /// those only the registry names; members are the planned alliance's, as its expansion counts.
    public static func districts(of plan: AlliancePlan, need: SpecialtyNeed?) -> [DistrictPlan] {
        var rows = (need?.districts ?? []).filter { $0.cases > 0 }.map {
            DistrictPlan(district: $0.district, cases: $0.cases, members: 0, membersPer10k: nil, hospitals: 0, invite: [])
        }
        let invited = Set(plan.expansion)
        for planned in plan.hospitals {
            let district = planned.hospital.district
            let index =
                rows.firstIndex { $0.district == district }
                ?? {
                    rows.append(DistrictPlan(district: district, cases: nil, members: 0, membersPer10k: nil, hospitals: 0, invite: []))
                    return rows.count - 1
                }()
            rows[index].members += planned.member ? 1 : 0
            rows[index].hospitals += 1
            if invited.contains(planned.hospital.code) { rows[index].invite.append(planned.hospital.code) }
        }
        for index in rows.indices { rows[index].membersPer10k = rows[index].cases.flatMap { per10k(rows[index].members, $0) } }
        return rows
    }
}
