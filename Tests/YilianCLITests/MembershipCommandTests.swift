import Foundation
import Testing
import YilianCore
import YilianJSON
import YilianTestSupport

/// The membership groups through the built binary: the CLI's `--json` and `yilian serve` give the
/// same JSON for the same call, and import is all or nothing.
@Suite(.serialized) struct MembershipCommandTests {
    static let criteria = """
        {"passScore": 60, "criteria": [
          {"id": "dept", "title": "设有疼痛科", "required": true, "rule": {"fact": "departments", "op": "contains", "value": "pain"}},
          {"id": "key", "title": "疼痛科为重点专科", "weight": 40, "rule": {"fact": "keySpecialties.pain", "op": "in", "value": ["national", "municipal"]}},
          {"id": "lab", "title": "参加检查检验结果互认", "weight": 20, "rule": {"fact": "labMutualRecognition", "op": "eq", "value": true}}]}
        """

    struct World {
        let url: String
        var environment: [String: String] { ["YILIAN_DATABASE_URL": url] }

        func cli(_ arguments: [String], as actor: String? = nil) async throws -> YilianBinary.Outcome {
            var environment = environment
            if let actor { environment["YILIAN_ACTOR"] = actor }
            return try await YilianBinary.run(arguments, environment: environment)
        }

        /// One request through `yilian serve`; its result (or error).
        func rpc(_ method: String, _ params: JSONValue) async throws -> JSONValue {
            let request: JSONValue = ["jsonrpc": "2.0", "id": 1, "method": .string(method), "params": params]
            let line = String(decoding: try JSONEncoder().encode(request), as: UTF8.self) + "\n"
            let outcome = try await YilianBinary.run(["serve"], environment: environment, input: Data(line.utf8))
            let response = try JSONDecoder().decode(JSONValue.self, from: Data(outcome.stdout.utf8))
            return response["result"] ?? response["error"] ?? nil
        }
    }

    /// A CLI `--json` output as a value, to compare with `rpc`.
    static func canonical(_ text: String) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
    }

    static func world() async throws -> World {
        let world = World(url: try await TestPostgres.freshDatabase())
        for arguments in [
            ["hospital", "register", "--code", "ZRYY", "--name", "中日友好医院", "--level", "3", "--departments", "pain"],
            ["hospital", "register", "--code", "MYQYY", "--name", "密云区医院", "--level", "2", "--departments", "pain"],
            ["alliance", "create", "--code", "PAIN-BJ", "--name", "北京地区疼痛专科医联体", "--specialty", "pain", "--core", "ZRYY"],
        ] {
            let outcome = try await world.cli(arguments, as: "ops@admin")
            #expect(outcome.exitCode == 0, "\(arguments): \(outcome.stderr)")
        }
        let file = FileManager.default.temporaryDirectory.appending(path: "criteria-\(UUID().uuidString).json")
        try criteria.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let set = try await world.cli(["criteria", "set", file.path, "--alliance", "PAIN-BJ"], as: "li@ZRYY")
        #expect(set.exitCode == 0, "\(set.stderr)")
        return world
    }

    @Test func cliJSONEqualsTheRPCResultForEveryGroup() async throws {
        let world = try await Self.world()
        let apply = try await world.cli(
            [
                "membership", "apply", "--alliance", "PAIN-BJ", "--hospital", "MYQYY", "--role", "cooperating", "--facts",
                #"{"labMutualRecognition": true, "keySpecialties": {"pain": "municipal"}}"#, "--json",
            ], as: "wang@MYQYY")
        #expect(apply.exitCode == 0, "\(apply.stderr)")
        let cases: [([String], String, JSONValue)] = [
            (["hospital", "show", "ZRYY", "--json"], "hospital.get", ["code": "ZRYY"]),
            (["hospital", "list", "--level", "2", "--json"], "hospital.list", ["level": 2]),
            // --limit and --cursor were taken and left out of the call.
            (["hospital", "list", "--limit", "1", "--json"], "hospital.list", ["limit": 1]),
            (["alliance", "show", "PAIN-BJ", "--json"], "alliance.get", ["code": "PAIN-BJ"]),
            (["criteria", "show", "--alliance", "PAIN-BJ", "--json"], "criteria.get", ["alliance": "PAIN-BJ"]),
            (["membership", "show", "A-000001", "--json"], "membership.get", ["id": "A-000001"]),
            (["membership", "list", "--alliance", "PAIN-BJ", "--json"], "membership.list", ["alliance": "PAIN-BJ"]),
        ]
        // As the applicant, who sees its own application (SPEC §6).
        for (arguments, method, params) in cases {
            let cli = try await world.cli(arguments, as: "wang@MYQYY")
            #expect(cli.exitCode == 0, "\(arguments): \(cli.stderr)")
            guard case .object(var members) = params else { continue }
            members["actor"] = ["user": "wang", "hospital": "MYQYY"]
            #expect(try Self.canonical(cli.stdout) == (try await world.rpc(method, .object(members))), "\(method)")
        }
        let review = try await world.cli(["membership", "review", "--alliance", "PAIN-BJ", "--json"], as: "li@ZRYY")
        #expect(
            try Self.canonical(review.stdout)
                == (try await world.rpc("membership.review", ["alliance": "PAIN-BJ", "actor": ["user": "li", "hospital": "ZRYY"]])))
        #expect(try Self.canonical(apply.stdout)["evaluation"]?["decision"] == "eligible")
    }

    /// An application keeps its explanations as texts: a Chinese reader and an English one each
    /// read them in their language; `serve` answers programs in English on any locale.
    @Test func explanationsInTheReadersLanguage() async throws {
        let world = try await Self.world()
        let apply = try await world.cli(
            [
                "membership", "apply", "--alliance", "PAIN-BJ", "--hospital", "MYQYY", "--role", "cooperating", "--facts",
                #"{"labMutualRecognition": "yes"}"#,
            ], as: "wang@MYQYY")
        #expect(apply.exitCode == 0, "\(apply.stderr)")
        var chinese = world.environment
        chinese["LANG"] = "zh_CN.UTF-8"
        chinese["YILIAN_ACTOR"] = "li@ZRYY"
        // An explanation wraps under its column to fit 100 columns (Chinese between characters,
        // English at spaces): read without the spaces and line breaks it was wrapped at.
        func unwrapped(_ text: String, _ joiner: String) -> String { text.replacing(/\n +/, with: joiner) }
        func squeezed(_ text: String) -> String { text.filter { !$0.isWhitespace } }
        let shown = try await YilianBinary.run(["membership", "show", "A-000001"], environment: chinese)
        #expect(squeezed(shown.stdout).contains(squeezed("缺少 重点专科（pain），要求为 national, municipal 之一")), "\(shown.stdout)")
        #expect(squeezed(shown.stdout).contains(squeezed("参加检查检验结果互认 = yes（文字），要求 = true（是或否）")), "\(shown.stdout)")
        let english = try await world.cli(["membership", "show", "A-000001"], as: "li@ZRYY")
        #expect(
            unwrapped(english.stdout, " ").contains("labMutualRecognition = yes (text), needs = true (true or false)"), "\(english.stdout)")
        let request =
            #"{"jsonrpc":"2.0","id":1,"method":"membership.get","params":{"id":"A-000001","actor":{"user":"li","hospital":"ZRYY"}}}"#
        let served = try await YilianBinary.run(["serve"], environment: chinese, input: Data((request + "\n").utf8))
        #expect(
            served.stdout.contains(#""explanation":"keySpecialties.pain is missing, needs one of national, municipal""#), "\(served.stdout)"
        )
    }

    @Test func refusalsExitWithTheirCodes() async throws {
        let world = try await Self.world()
        let forbidden = try await world.cli(["hospital", "register", "--code", "X1", "--name", "x", "--level", "1"], as: "li@ZRYY")
        #expect(forbidden.exitCode == 77)
        #expect(forbidden.stderr == "Only the platform administrator may register hospitals; ZRYY may not.\n")
        let rule = try await world.cli(
            ["membership", "apply", "--alliance", "PAIN-BJ", "--hospital", "MYQYY", "--role", "collaborating"], as: "wang@MYQYY")
        #expect(rule.exitCode == 1)
        #expect(rule.stderr == "The collaborating role is for level 3 hospitals; MYQYY is level 2.\n")
        let missing = try await world.cli(["alliance", "show", "NOPE"])
        #expect(missing.exitCode == 66)
        // Naming nobody, the database's owner acts as the platform, which sees no application.
        let noActor = try await world.cli(["membership", "withdraw", "A-000001"])
        #expect(noActor.exitCode == 66)
        let stranger = try await world.cli(["hospital", "show", "ZRYY"], as: "nobody@ZRYY")
        #expect(stranger.exitCode == 77)
        #expect(stranger.stderr == "nobody@ZRYY is not a registered, enabled Yilian user; only registered users act.\n")
        let duplicate = try await world.cli(["hospital", "register", "--code", "ZRYY", "--name", "x", "--level", "3"], as: "ops@admin")
        #expect(duplicate.exitCode == 1)
        #expect(duplicate.stderr == "Hospital ZRYY is already registered.\n")
    }

    @Test func aFileWithThreeBadRowsAmongAThousandImportsNothingAndNamesThem() async throws {
        let world = try await Self.world()
        var lines = ["code,name,level,grade,kind,district,beds,departments"]
        for index in 1...1000 {
            lines.append("H\(index),\"医院 \(index), 北京\",\(index % 3 + 1),A,general,朝阳区,\(index),pain;orthopedics")
        }
        lines[101] = "H101,第101医院,4,A,general,朝阳区,10,pain"  // line 102: level
        lines[501] = "h-501,第501医院,2,A,general,朝阳区,10,pain"  // line 502: code
        lines[901] = "H901,第901医院,2,A,hospice,朝阳区,10,dentistry"  // line 902: kind (departments are checked after the file parses)
        let file = FileManager.default.temporaryDirectory.appending(path: "hospitals-\(UUID().uuidString).csv")
        try lines.joined(separator: "\n").write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }

        let outcome = try await world.cli(["hospital", "import", file.path, "--json"], as: "ops@admin")
        #expect(outcome.exitCode == 65)
        let error = try JSONDecoder().decode(JSONValue.self, from: Data((outcome.stderr.split(separator: "\n").last ?? "").utf8))
        #expect(
            error["data"]?["problems"]
                == [
                    ["path": "line 102: level", "message": "must be 1, 2 or 3"],
                    ["path": "line 502: code", "message": Codes.rule.jsonValue],
                    ["path": "line 902: kind", "message": "must be one of general, specialty, tcm, community, township, other"],
                ])
        #expect(outcome.stderr.hasPrefix("\(file.path) has 3 bad row(s), so nothing was imported: line 102: level: must be 1, 2 or 3; "))
        let list = try await world.cli(["hospital", "list", "--json"])
        #expect(try JSONDecoder().decode(JSONValue.self, from: Data(list.stdout.utf8))["items"]?.arrayCount == 2)

        // Fixed, the same file imports whole; the quoted names keep their commas.
        lines[101] = "H101,第101医院,3,A,general,朝阳区,10,pain"
        lines[501] = "H501,第501医院,2,A,general,朝阳区,10,pain"
        lines[901] = "H901,第901医院,2,A,general,朝阳区,10,"
        try lines.joined(separator: "\r\n").write(to: file, atomically: true, encoding: .utf8)
        let fixed = try await world.cli(["hospital", "import", file.path], as: "ops@admin")
        #expect(fixed.exitCode == 0, "\(fixed.stderr)")
        #expect(fixed.stdout == "Imported 1000 hospitals from \(file.path).\n")
        #expect(fixed.stderr == "")  // no progress bar when not on a terminal
        let h7 = try JSONDecoder().decode(
            JSONValue.self, from: Data(try await world.cli(["hospital", "show", "H7", "--json"]).stdout.utf8))
        #expect(
            h7 == [
                "code": "H7", "name": "医院 7, 北京", "level": 2, "grade": "A", "kind": "general", "district": "朝阳区", "beds": 7,
                "departments": ["pain", "orthopedics"], "facts": [:],
            ])

        // Again: every row is now a duplicate of a registered one.
        let again = try await world.cli(["hospital", "import", file.path], as: "ops@admin")
        #expect(again.exitCode == 65)
        #expect(again.stderr.contains("line 2: code: H1 is already registered"))
    }
}

extension String {
    var jsonValue: JSONValue { .string(self) }
}
