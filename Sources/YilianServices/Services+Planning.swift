import Foundation
import YilianCore
import YilianJSON
import YilianRepository

/// `plan.specialties`: the year planned from and the specialties, most in need first.
public struct SpecialtiesPlan: Encodable, Sendable, Equatable {
    @Nullable public var year: Int?
    public var specialties: [SpecialtyNeedView]
    /// Every year the burden table holds.
    public var years: [Int]
    /// The table's districts where no hospital is registered: named otherwise than the registry
    /// names them (朝阳 for 朝阳区), they can have no member.
    public var unregisteredDistricts: [String]
}

public struct SpecialtyNeedView: Encodable, Sendable, Equatable {
    public var specialty: String
    /// Its name in the catalog (疼痛科).
    public var name: String
    public var need: SpecialtyNeed
}

/// `plan.alliance`: the plan of one specialty's alliance, every hospital as the criteria judge it.
public struct AlliancePlanView: Encodable, Sendable, Equatable {
    public struct Candidate: Codable, Sendable, Equatable {
        public var code: String
        public var name: String
        public var level: Int
        @Nullable public var beds: Int?
        @Nullable public var district: String?
        /// Its key specialty in the planned specialty: national, municipal, or null.
        @Nullable public var keySpecialty: String?
    }
    public struct Planned: Encodable, Sendable, Equatable {
        public var code: String
        public var name: String
        public var level: Int
        public var role: MemberRole
        public var member: Bool
        public var decision: Decision
        public var score: Int
        public var passScore: Int
        public var criteria: [CriterionResult]
    }
    public struct District: Encodable, Sendable, Equatable {
        /// Null: hospitals that registered no district.
        @Nullable public var district: String?
        public var hospitals: [Planned]
    }
    public var specialty: String
    /// Its name in the catalog (疼痛科).
    public var name: String
    @Nullable public var alliance: String?
    /// The criteria version the hospitals were evaluated against (null: criteria given with the call).
    @Nullable public var criteriaVersion: Int?
    @Nullable public var proposedCore: Candidate?
    public var districts: [District]
    public var expansion: [String]
    public var districtsWithoutMembers: [String]
    /// The specialty's burden by district (the burden table's latest year) against what its
    /// alliances offer; null without a burden table.
    @Nullable public var need: SpecialtyNeed?
    @Nullable public var year: Int?
    /// The districts as the plan sees them: cases against the planned alliance's members, and whom to invite.
    public var byDistrict: [DistrictPlan]
}

extension Services {
    /// `plan.burden`: the burden table's rows for the years the CSV gives, replaced whole (the
    /// platform's administrator only); every bad row refused as the hospital import refuses.
    public func importBurden(csv text: String, file: String, by claimed: Actor?) async throws -> ImportResult {
        let identity = try await identify(claimed)
        try requireAdministrator(identity.actor, to: "plan")
        let (rows, parseProblems) = BurdenCSV.parse(text)
        if !parseProblems.isEmpty { throw Self.refused(parseProblems, file: file) }
        let now = clock()
        return try await database.transaction(as: identity.role) { connection in
            let unknown = try await SpecialtyRepository.unknown(Array(Set(rows.map(\.row.specialty))), on: connection)
            var problems = FileProblems()
            for (line, row) in rows { if let why = unknown[row.specialty] { problems.add(line: line, "specialty", why) } }
            if !problems.isEmpty { throw Self.refused(problems, file: file) }
            return ImportResult(imported: try await PlanRepository.importBurden(rows.map(\.row), at: now, on: connection))
        }
    }

    /// `plan.specialties`: specialties ranked by burden against what the alliances offer, in the
    /// year given, else the latest of the table (the platform's administrator only).
    public func planSpecialties(year: Int?, by claimed: Actor?) async throws -> SpecialtiesPlan {
        let identity = try await identify(claimed)
        try requireAdministrator(identity.actor, to: "plan")
        if let year, !BurdenCSV.years.contains(year) { throw YilianError.invalidParams([Problem("year", Text("problem.burdenYear"))]) }
        return try await reads.transaction(as: identity.role, .repeatableRead) { connection in
            let (table, needs) = try await Self.needs(year: year, on: connection)
            let names = Dictionary(try await SpecialtyRepository.list(on: connection).map { ($0.code, $0.name) }) { first, _ in first }
            return SpecialtiesPlan(
                year: table.rows.isEmpty ? year : table.year,
                specialties: needs.map { SpecialtyNeedView(specialty: $0.specialty, name: names[$0.specialty] ?? $0.specialty, need: $0) },
                years: table.years, unregisteredDistricts: table.unregistered)
        }
    }

    /// `plan.alliance`: the core to propose for `specialty` and every registered hospital judged
    /// by `criteria` (else the current criteria of the specialty's alliance: of those with
    /// criteria, the one with the most members), grouped by district and role; for that alliance,
    /// its expansion (the platform's administrator only).
    public func planAlliance(specialty: String, criteria document: JSONValue?, by claimed: Actor?) async throws -> AlliancePlanView {
        let identity = try await identify(claimed)
        try requireAdministrator(identity.actor, to: "plan")
        let given = try document.map(CriteriaSet.parse)
        return try await reads.transaction(as: identity.role, .repeatableRead) { connection in
            if let why = try await SpecialtyRepository.unknown([specialty], on: connection)[specialty] {
                throw YilianError.invalidParams([Problem("specialty", why)])
            }
            let name = try await SpecialtyRepository.list(on: connection).first { $0.code == specialty }?.name ?? specialty
            // The specialty's alliance: of those that published criteria, the one with the most members.
            var alliance: AllianceRecord?
            for code in try await PlanRepository.alliances(on: connection)[specialty] ?? [] {
                let candidate = try await AllianceRepository.get(code, on: connection)
                if candidate.criteriaVersion > 0 {
                    alliance = candidate
                    break
                }
            }
            let code = alliance?.code
            var version: Int?
            var criteria = given
            if criteria == nil {
                guard let alliance else { throw YilianError.invalidParams([Problem("criteria", Text("problem.planCriteria", name))]) }
                let (current, published) = try await Self.criteria(of: alliance.code, version: nil, on: connection)
                (version, criteria) = (current, try CriteriaSet.parse(published))
            }
            let members = Set(alliance?.members.filter { $0.status == .active }.map(\.hospital) ?? [])
            let plan = Planner.alliance(
                specialty: specialty, hospitals: try await PlanRepository.hospitals(on: connection), criteria: criteria!, alliance: code,
                members: members)
            let (year, need) = try await Self.need(of: specialty, on: connection)
            return AlliancePlanView(plan, name: name, criteriaVersion: version, need: need, year: year)
        }
    }
}

extension Services {
    /// Every specialty's need in `year` (else the burden table's latest), ranked.
    static func needs(year: Int?, on connection: DatabaseSession) async throws -> (PlanRepository.BurdenTable, [SpecialtyNeed]) {
        let table = try await PlanRepository.burden(year: year, on: connection)
        guard let year = table.year, !table.rows.isEmpty else { return (table, []) }
        let capacity = try await PlanRepository.capacity(year: year, on: connection)
        return (
            table,
            Planner.specialties(burden: table.rows, capacity: capacity, alliances: try await PlanRepository.alliances(on: connection))
        )
    }

    /// One specialty's need in the burden table's latest year.
    static func need(of specialty: String, on connection: DatabaseSession) async throws -> (Int?, SpecialtyNeed?) {
        let (table, needs) = try await needs(year: nil, on: connection)
        return (table.year, needs.first { $0.specialty == specialty })
    }
}

extension AlliancePlanView {
    init(_ plan: AlliancePlan, name: String, criteriaVersion: Int?, need: SpecialtyNeed?, year: Int?) {
        var districts: [District] = []
        for planned in plan.hospitals {
            let hospital = planned.hospital
            let row = Planned(
                code: hospital.code, name: hospital.name, level: hospital.level, role: planned.role, member: planned.member,
                decision: planned.evaluation.decision, score: planned.evaluation.score, passScore: planned.evaluation.passScore,
                criteria: planned.evaluation.criteria)
            if let last = districts.last, last.district == hospital.district {
                districts[districts.count - 1].hospitals.append(row)
            } else {
                districts.append(District(district: hospital.district, hospitals: [row]))
            }
        }
        self.init(
            specialty: plan.specialty, name: name, alliance: plan.alliance, criteriaVersion: criteriaVersion,
            proposedCore: plan.proposedCore.map {
                Candidate(
                    code: $0.code, name: $0.name, level: $0.level, beds: $0.beds, district: $0.district,
                    keySpecialty: $0.facts["keySpecialties"]?[plan.specialty]?.stringValue)
            }, districts: districts, expansion: plan.expansion, districtsWithoutMembers: plan.districtsWithoutMembers, need: need,
            year: year, byDistrict: Planner.districts(of: plan, need: need))
    }
}
