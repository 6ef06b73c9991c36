import Foundation
import Testing
import YilianCore
import YilianJSON
import YilianTestSupport

/// SPEC §4: a full resident ID never leaves the database. A scenario files, reads, repeats,
/// fails and audits through `serve` and the CLI at the most verbose log level; then everything
/// it produced is searched: answers, errors, logs, PostgreSQL's log and every table but the
/// owner-only one that keeps whole IDs.
@Suite struct ResidentIDTests {
    static let idNumber = "110105194912311233"
    /// Well formed but for its check digit: refused, and never echoed either.
    static let mistyped = "440304198507173560"

    @Test func noFullResidentIDInAnyOutputLogOrRecord() async throws {
        let url = try await TestPostgres.freshDatabase()
        try ReliabilityFixture.seed(url, slots: [(date: "2030-12-01", capacity: 2)])
        let environment = ["YILIAN_DATABASE_URL": url, "YILIAN_LOG_LEVEL": "trace"]
        let myqyy = ReliabilityFixture.coordinator("MYQYY")
        let zryy = ReliabilityFixture.coordinator("ZRYY")
        func filing(_ idNumber: String, name: String = "张三", key: String? = nil) -> JSONValue {
            var params = ReliabilityFixture.filing(from: "MYQYY", patientName: name)
            guard case .object(var members) = params, case .object(var patient)? = members["patient"] else { return params }
            patient["idNumber"] = .string(idNumber)
            patient["birthDate"] = idNumber == Self.idNumber ? "1949-12-31" : "1985-07-17"
            members["patient"] = .object(patient)
            members["idempotencyKey"] = key.map(JSONValue.string)
            params = .object(members)
            return params
        }
        let calls: [(String, JSONValue)] = [
            ("referral.file", filing(Self.idNumber, key: "k1")),
            ("referral.file", filing(Self.idNumber, key: "k1")),  // a repeat: the stored result
            ("referral.file", filing(Self.idNumber, name: "李四", key: "k1")),  // idempotency_mismatch
            ("referral.file", filing(Self.idNumber, name: "张\u{0}三")),  // refused: U+0000
            ("referral.file", filing(Self.mistyped)),
            ("referral.get", ["id": "R-000001", "actor": zryy]),
            ("referral.list", ["actor": myqyy]),
            ("referral.history", ["id": "R-000001", "actor": zryy]),
            ("worklist.get", ["hospital": "ZRYY", "actor": zryy]),
            ("referral.accept", ["id": "R-000001", "actor": zryy, "idempotencyKey": "k2"]),
            ("referral.get", ["id": "R-000001", "actor": ReliabilityFixture.coordinator("JGYY")]),  // not_found
            ("audit.list", ["actor": ReliabilityFixture.admin]),
        ]
        var input = ""
        for (number, call) in calls.enumerated() {
            let request: JSONValue = ["jsonrpc": "2.0", "id": .integer(number + 1), "method": .string(call.0), "params": call.1]
            input += String(decoding: try JSONEncoder().encode(request), as: UTF8.self) + "\n"
        }
        let serve = try await YilianBinary.run(["serve"], environment: environment, input: Data(input.utf8))
        #expect(serve.exitCode == 0)
        #expect(serve.stdoutLines.count == calls.count)
        #expect(serve.stdout.contains("**************1233"))

        var produced = [serve.stdout, serve.stderr]
        for arguments in [
            [
                "referral", "file", "--alliance", "PAIN-BJ", "--from", "MYQYY", "--to", "ZRYY", "--setting", "outpatient", "--priority",
                "routine", "--patient-name", "王五", "--patient-sex", "female", "--patient-birth-date", "1949-12-31",
                "--patient-id-number", Self.idNumber, "--consent", "--diagnosis", "M79.2:神经痛", "--reason", "疼痛控制不佳", "--allow-duplicate",
            ],
            [
                "referral", "file", "--alliance", "PAIN-BJ", "--from", "MYQYY", "--to", "ZRYY", "--setting", "outpatient", "--priority",
                "routine", "--patient-name", "王五", "--patient-sex", "female", "--patient-birth-date", "1985-07-17",
                "--patient-id-number", Self.mistyped, "--consent", "--diagnosis", "M79.2:神经痛", "--reason", "疼痛控制不佳",
            ],
            ["referral", "show", "R-000001"], ["referral", "show", "R-000001", "--json"], ["referral", "list"],
            ["referral", "list", "--json"], ["referral", "history", "R-000001"], ["worklist", "--hospital", "MYQYY"],
        ] {
            let outcome = try await YilianBinary.run(arguments + ["--as", "wang@MYQYY"], environment: environment)
            produced += [outcome.stdout, outcome.stderr]
        }
        #expect(produced.joined().contains("R-000002"))  // the CLI's filing went through

        // A statement PostgreSQL itself refuses, whose failing row holds the ID (its DETAIL quotes
        // the row at the default error verbosity).
        let refused = try Psql.run(
            Psql.url(url, as: "wang@MYQYY"),
            WallTests.filing(
                from: "MYQYY", to: "ZRYY",
                patient: #"'{"name": "赵六", "sex": "male", "birthDate": "1949-12-31", "idNumber": "\#(Self.idNumber)"}'"#,
                consent: false))
        #expect(refused.error.contains("violates check constraint"))  // (its own session sees its own row)

        // Every table but the one place whole IDs are kept, as the owner sees it (past every policy).
        let tables = try Psql.run(
            url, "SELECT string_agg(tablename, ' ') FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'resident_ids'"
        ).output.split(separator: " ")
        #expect(tables.contains("referrals") && tables.contains("idempotency_keys") && tables.contains("access_log"))
        for table in tables {
            produced.append(try Psql.run(url, "SELECT coalesce(string_agg(t::text, E'\\n'), '') FROM \(table) t").output)
        }
        produced.append(try String(contentsOf: TestPostgres.cluster.logFile, encoding: .utf8))
        #expect(try Psql.run(url, "SELECT count(*) FROM referrals WHERE patient->>'idNumber' = '**************1233'").output == "2")
        #expect(
            try Psql.run(url, "SELECT count(DISTINCT patient_key) FROM resident_ids WHERE id_number = '\(Self.idNumber)'").output == "1")

        // The coordinator's own psql login gets no further than yilian: the ID masked, the kept ones refused.
        let wang = Psql.url(url, as: "wang@MYQYY")
        #expect(
            try Psql.run(wang, "SELECT DISTINCT patient->>'idNumber' FROM \(AccessTests.listed) WHERE patient ? 'idNumber'").output
                == "**************1233")
        #expect(try Psql.run(wang, "SELECT id_number FROM resident_ids").error.contains("permission denied"))
        // A masked ID is stored only with the key of its own patient, which the wall finds itself (a filing gives none).
        let forged = try Psql.run(
            wang,
            WallTests.filing(
                from: "MYQYY", to: "ZRYY",
                patient: #"'{"name": "赵六", "sex": "male", "birthDate": "1949-12-31", "idNumber": "**************1233"}'"#))
        #expect(forged.error.contains("a masked resident ID must come with the key of its patient"), "\(forged)")

        for (index, text) in produced.enumerated() {
            for number in [Self.idNumber, Self.mistyped] {
                #expect(!text.contains(number), "output \(index) holds \(number): \(text.prefix(2000))")
            }
        }
    }
}
