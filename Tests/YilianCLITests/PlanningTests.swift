import Foundation
import Testing
import YilianCore
import YilianJSON
import YilianTestSupport

/// SPEC §15 through `serve` and `yilian`: the commission's operator imports the burden table,
/// ranks the specialties and plans an alliance, every hospital judged as an application would be.
@Suite struct PlanningTests {
    static let admin = ReliabilityFixture.admin
    static let criteria: JSONValue = [
        "passScore": 40,
        "criteria": [
            ["id": "dept", "title": "设有疼痛科", "required": true, "rule": ["fact": "departments", "op": "contains", "value": "pain"]],
            [
                "id": "key", "title": "疼痛科为重点专科", "weight": 40,
                "rule": ["fact": "keySpecialties.pain", "op": "in", "value": ["national", "municipal"]],
            ],
            [
                "id": "beds", "title": "床位不少于 400 张", "roles": ["collaborating"], "weight": 20,
                "rule": ["fact": "beds", "op": "gte", "value": 400],
            ],
        ],
    ]

    /// The registry (district, level, beds, departments, key specialty) and PAIN-BJ (core ZRYY,
    /// MYQYY a member) with `criteria`.
    static func world() async throws -> (url: String, serve: ServeSession) {
        let url = try await TestPostgres.freshDatabase()
        let serve = try ServeSession(environment: ["YILIAN_DATABASE_URL": url])
        let hospitals: [(String, String, Int, Int, String, [String], String?)] = [
            ("ZRYY", "中日友好医院", 3, 1500, "朝阳区", ["pain"], "municipal"),
            ("BYSY", "北医三院", 3, 1800, "海淀区", ["pain"], "national"),
            ("PLAGH", "301医院", 3, 300, "海淀区", ["pain"], nil),
            ("MYQYY", "密云区医院", 2, 500, "密云区", ["pain"], nil),
            ("JGYY", "健宫医院", 2, 200, "西城区", ["pain"], "municipal"),
            ("CHC-HPL", "和平里社区", 1, 20, "东城区", ["general"], nil),
            ("NODIST", "无区县医院", 2, 100, "", ["pain"], nil),
        ]
        var calls: [(String, JSONValue)] = hospitals.map { code, name, level, beds, district, departments, key in
            var params: JSONObject = [
                "code": .string(code), "name": .string(name), "level": .integer(level), "beds": .integer(beds),
                "departments": .array(departments.map(JSONValue.string)), "actor": admin,
                "facts": key.map { ["keySpecialties": ["pain": .string($0)]] } ?? [:],
            ]
            if !district.isEmpty { params["district"] = .string(district) }
            return ("hospital.register", .object(params))
        }
        calls += [
            ("alliance.create", ["code": "PAIN-BJ", "name": "北京地区疼痛专科医联体", "specialty": "pain", "core": "ZRYY", "actor": admin]),
            ("criteria.set", ["alliance": "PAIN-BJ", "criteria": criteria, "actor": ReliabilityFixture.core]),
            (
                "membership.apply",
                [
                    "alliance": "PAIN-BJ", "hospital": "MYQYY", "role": "cooperating", "facts": [:],
                    "actor": ReliabilityFixture.coordinator("MYQYY"),
                ]
            ),
            (
                "membership.decide",
                ["id": "A-000001", "decision": "approve", "reason": "ok", "override": "test", "actor": ReliabilityFixture.core]
            ),
        ]
        for (method, params) in calls {
            let response = try serve.call(method, params)
            #expect(response?["result"] != nil, "\(method): \(String(describing: response))")
        }
        return (url, serve)
    }

    @Test func theAllianceIsPlannedWithEveryHospitalJudgedAsAnApplicationWouldBe() async throws {
        let (_, serve) = try await Self.world()
        defer { _ = try? serve.finish() }
        let plan = try #require(try serve.call("plan.alliance", ["specialty": "pain", "actor": Self.admin])?["result"])
        // National before municipal: BYSY leads, though ZRYY is the alliance's core.
        #expect(plan["proposedCore"]?["code"] == "BYSY" && plan["proposedCore"]?["keySpecialty"] == "national")
        #expect(plan["alliance"] == "PAIN-BJ" && plan["criteriaVersion"] == 1)
        let districts = plan["districts"]?.arrayValue ?? []
        // Districts in the order of their names' characters, hospitals without one last.
        #expect(districts.map { $0["district"] } == ["东城区", "密云区", "朝阳区", "海淀区", "西城区", .null])
        let planned = districts.flatMap { $0["hospitals"]?.arrayValue ?? [] }
        #expect(planned.compactMap { $0["code"]?.stringValue } == ["CHC-HPL", "MYQYY", "ZRYY", "BYSY", "PLAGH", "JGYY", "NODIST"])
        // Each as criteria.evaluate judges the registry's facts in the role its level joins as.
        for hospital in planned {
            let code = try #require(hospital["code"]?.stringValue)
            let registered = try #require(try serve.call("hospital.get", ["code": .string(code), "actor": Self.admin])?["result"])
            guard case .object(var facts)? = registered["facts"] else { throw PlanFailure.noFacts(code) }
            for key in ["level", "grade", "kind", "beds", "district", "departments"]
            where registered[key] != nil && registered[key] != .null {
                facts[key] = registered[key]
            }
            let evaluated = try serve.call(
                "criteria.evaluate",
                ["alliance": "PAIN-BJ", "role": hospital["role"] ?? .null, "facts": .object(facts), "actor": Self.admin])?[
                    "result"]
            for key in ["decision", "score", "passScore", "criteria"] { #expect(hospital[key] == evaluated?[key], "\(code) \(key)") }
        }
        // The expansion: eligible hospitals not yet members; the districts with no member.
        // (ZRYY is the core, MYQYY a member; PLAGH scores 0 of 40; BYSY and JGYY pass.)
        #expect(plan["expansion"] == ["BYSY", "JGYY"], "\(String(describing: plan["expansion"]))")
        #expect(plan["districtsWithoutMembers"] == ["东城区", "海淀区", "西城区"])
        // Criteria given with the call judge instead.
        let strict = try serve.call(
            "plan.alliance",
            [
                "specialty": "pain",
                "criteria": [
                    "passScore": 0,
                    "criteria": [["id": "l", "title": "l", "required": true, "rule": ["fact": "level", "op": "gte", "value": 3]]],
                ], "actor": Self.admin,
            ])?["result"]
        #expect(strict?["criteriaVersion"] == .null && strict?["expansion"] == ["BYSY", "PLAGH"])
        // Only the platform plans.
        let refused = try serve.call("plan.alliance", ["specialty": "pain", "actor": ReliabilityFixture.core])
        #expect(refused?["error"]?["data"]?["code"] == "forbidden")
    }

    @Test func theBurdenIsImportedAndTheSpecialtiesRanked() async throws {
        let (url, serve) = try await Self.world()
        _ = try serve.finish()
        let directory = FileManager.default.temporaryDirectory.appending(path: "plan-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let file = directory.appending(path: "burden.csv").path
        try "district,specialty,year,cases\n密云区,pain,2026,1000\n海淀区,pain,2026,3000\n东城区,rehabilitation,2026,2000\n朝阳,pain,2026,0\n"
            .write(toFile: file, atomically: true, encoding: .utf8)
        let environment = ["YILIAN_DATABASE_URL": url]
        let imported = try await YilianBinary.run(
            ["plan", "burden", "import", file, "--as", "ops@admin", "--lang", "zh"], environment: environment)
        #expect(imported.exitCode == 0 && imported.stdout == "已从 \(file) 导入疾病负担数据 4 行。\n", "\(imported.stderr)")
        let ranked = try await YilianBinary.run(["plan", "specialties", "--as", "ops@admin", "--json"], environment: environment)
        let specialties = try JSONValue(parsing: Array(ranked.stdout.utf8))["specialties"]?.arrayValue ?? []
        // rehabilitation: no alliance at all; pain: ZRYY and MYQYY for 4000 cases, 5 per 10k, none in 海淀区.
        #expect(specialties.map { $0["specialty"] } == ["rehabilitation", "pain"])
        #expect(specialties[1]["need"]?["membersPer10k"] == 5 && specialties[1]["need"]?["worstDistricts"] == ["海淀区", "密云区"])
        // A bad file: every problem at its place, nothing imported.
        try "district,specialty,year,cases\n密云区,nope,2026,1\n密云区,pain,20x6,1\n".write(toFile: file, atomically: true, encoding: .utf8)
        let bad = try await YilianBinary.run(
            ["plan", "burden", "import", file, "--as", "ops@admin", "--lang", "en"], environment: environment)
        #expect(bad.exitCode != 0 && bad.stderr.contains("line 3: year"), "\(bad.stderr)")
        // A district named otherwise than the registry names it is pointed out; a year the table lacks is said.
        let text = try await YilianBinary.run(["plan", "specialties", "--as", "ops@admin", "--lang", "zh"], environment: environment)
        #expect(text.stdout.hasSuffix("注意：负担表中的区县 朝阳 没有登记医院；区县名须与医院登记的一致（如“朝阳区”而非“朝阳”）。\n"), "\(text.stdout)")
        let other = try await YilianBinary.run(
            ["plan", "specialties", "--year", "2025", "--as", "ops@admin", "--lang", "zh"], environment: environment)
        #expect(other.stdout == "疾病负担表中没有 2025 年的数据；表中有：2026。\n", "\(other.stdout)")
        let refused = try await YilianBinary.run(["plan", "specialties", "--as", "li@ZRYY"], environment: environment)
        #expect(refused.exitCode != 0)
        // The HTML page: self-contained, every district with its cases and members, stored names escaped.
        let page = directory.appending(path: "plan.html").path
        let planned = try await YilianBinary.run(
            ["plan", "alliance", "--specialty", "pain", "--html", page, "--as", "ops@admin", "--lang", "zh"], environment: environment)
        #expect(planned.exitCode == 0 && planned.stdout.hasPrefix("疼痛科建议核心医院：北医三院（BYSY，3 级，重点专科：国家级）。"), "\(planned.stdout)")
        let html = try String(contentsOfFile: page, encoding: .utf8)
        // Nothing fetched: the one address is the SVG namespace.
        #expect(html.contains("<svg") && !html.contains("<script") && html.components(separatedBy: "http://").count == 2)
        #expect(html.contains("<td>海淀区</td><td>3000</td><td>0</td><td>0</td><td>2</td><td>北医三院（BYSY）</td>"), "\(html)")
        #expect(html.contains("<td>密云区</td><td>1000</td><td>1</td><td>10</td>"))
        try? FileManager.default.removeItem(at: directory)
    }
}

enum PlanFailure: Error { case noFacts(String) }
