import Testing
import YilianCore
import YilianJSON

/// SPEC §15's rules on small tables whose answers were worked out by hand.
@Suite struct PlannerTests {
    @Test func specialtiesRankByMembersPer10kCasesThenCases() {
        let burden = [
            BurdenRow(district: "东城区", specialty: "pain", year: 2026, cases: 1000),
            BurdenRow(district: "西城区", specialty: "pain", year: 2026, cases: 3000),
            BurdenRow(district: "东城区", specialty: "orthopedics", year: 2026, cases: 500),
            BurdenRow(district: "西城区", specialty: "orthopedics", year: 2026, cases: 500),
            BurdenRow(district: "东城区", specialty: "rehabilitation", year: 2026, cases: 2000),
        ]
        let capacity = [
            Capacity(specialty: "pain", district: "东城区", members: 2, slots: 10),
            Capacity(specialty: "orthopedics", district: "东城区", members: 1, slots: 0),
            Capacity(specialty: "orthopedics", district: "西城区", members: 1, slots: 0),
        ]
        let needs = Planner.specialties(burden: burden, capacity: capacity, alliances: ["pain": ["PAIN-BJ"]])
        // rehabilitation: no member for 2000 cases (0); pain: 2 for 4000 (5 per 10k); orthopedics: 2 for 1000 (20).
        #expect(needs.map(\.specialty) == ["rehabilitation", "pain", "orthopedics"])
        #expect(needs.map(\.membersPer10k) == [0, 5, 20])
        #expect(needs[1].slotsPer10k == 25 && needs[1].alliances == ["PAIN-BJ"] && needs[0].alliances == [])
        // 西城区 has pain's cases and no member; 东城区 2 for 1000.
        #expect(needs[1].worstDistricts == ["西城区", "东城区"])
        #expect(needs[1].districts.map(\.membersPer10k) == [0, 20])
        // Equal need: more cases first.
        let tie = Planner.specialties(
            burden: [
                BurdenRow(district: "A", specialty: "x", year: 2026, cases: 10),
                BurdenRow(district: "A", specialty: "y", year: 2026, cases: 20),
            ], capacity: [], alliances: [:])
        #expect(tie.map(\.specialty) == ["y", "x"])
    }

    /// Members registered without a district count in their specialty's totals; ratios too small to
    /// show still rank (0.0000003 members a case is served better than none).
    @Test func membersWithoutADistrictCountAndTinyRatiosStillRank() {
        let needs = Planner.specialties(
            burden: [
                BurdenRow(district: "东城区", specialty: "pain", year: 2026, cases: 1000),
                BurdenRow(district: "东城区", specialty: "orthopedics", year: 2026, cases: 3_000_001),
                BurdenRow(district: "东城区", specialty: "neurology", year: 2026, cases: 10),
            ],
            capacity: [
                Capacity(specialty: "pain", district: "", members: 3, slots: 0),
                Capacity(specialty: "orthopedics", district: "东城区", members: 1, slots: 0),
            ], alliances: [:])
        #expect(needs.map(\.specialty) == ["neurology", "orthopedics", "pain"])
        #expect(needs[1].membersPer10k == 0 && needs[0].membersPer10k == 0)  // equal when shown, not when ranked
        #expect(needs[2].members == 3 && needs[2].membersPer10k == 30 && needs[2].worstDistricts == ["东城区"])
    }

    @Test func theCoreIsATertiaryHospitalByKeySpecialtyThenBeds() {
        func hospital(_ code: String, level: Int, key: String?, beds: Int, departments: [String] = ["pain"]) -> Hospital {
            Hospital(
                code: code, name: code, level: level, beds: beds, departments: departments,
                facts: key.map { ["keySpecialties": ["pain": .string($0)]] } ?? [:])
        }
        let a = hospital("A", level: 3, key: "municipal", beds: 500)
        let b = hospital("B", level: 3, key: "national", beds: 300)
        let c = hospital("C", level: 3, key: nil, beds: 2000)
        let d = hospital("D", level: 2, key: "national", beds: 100)
        let e = hospital("E", level: 3, key: "national", beds: 3000, departments: ["orthopedics"])
        #expect(Planner.core(for: "pain", among: [a, b, c, d, e])?.code == "B")
        // A core is tertiary: D's national key specialty does not make it one.
        #expect(Planner.core(for: "pain", among: [a, c, d])?.code == "A")
        #expect(Planner.core(for: "pain", among: [d]) == nil)
        #expect(Planner.core(for: "pain", among: [c, hospital("G", level: 3, key: nil, beds: 2500)])?.code == "G")  // more beds
        #expect(Planner.core(for: "pain", among: [c, hospital("F", level: 3, key: nil, beds: 2000)])?.code == "C")  // then the code
        #expect(Planner.core(for: "pain", among: [e]) == nil)  // no pain department
    }

    @Test func theBurdenFileIsReadWithEveryProblemAtItsPlace() {
        let good = BurdenCSV.parse("district,specialty,year,cases,incidence\n东城区,pain,2026,1200,98.5\n西城区,pain,2026,800,\n")
        #expect(good.problems.isEmpty && good.rows.map(\.row.cases) == [1200, 800] && good.rows[0].row.incidence == 98.5)
        let bad = BurdenCSV.parse(
            "district,specialty,year,cases\n东城区,pain,1850,-3\n东城区,pain,2026,1\n东城区,pain,2026,2\n,pain,2026,x\n朝阳区\u{200B},pain,2026,1\n")
        #expect(bad.rows.isEmpty)
        #expect(
            bad.problems.listed.map(\.path) == [
                "line 2: year", "line 2: cases", "line 4: district", "line 5: district", "line 5: cases", "line 6: district",
            ])
    }
}
