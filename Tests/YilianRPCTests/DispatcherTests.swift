import Foundation
import Logging
import Testing
import YilianCore
import YilianJSON
import YilianRepository
import YilianServices
import YilianTestSupport

@testable import YilianRPC

/// The dispatcher's answers, line by line, against a real database.
@Suite struct DispatcherTests {
    func dispatcher() async throws -> Dispatcher {
        let logger = Logger(label: "test")
        let database = Database(conninfo: try await TestPostgres.freshDatabase(), logger: logger)
        return Dispatcher(services: Services(database: database, logger: logger), logger: logger)
    }

    func respond(_ dispatcher: Dispatcher, _ line: String) async throws -> JSONValue? {
        guard let data = await dispatcher.respond(to: .line(Array(line.utf8))) else { return nil }
        return try JSONDecoder().decode(JSONValue.self, from: data)
    }

    /// A typed CLI command shows a repeated idempotency key's first result read back from its
    /// JSON: every mutating method's result can be.
    @Test func theMutatingMethodsWhoseResultsCannotBeReadBackAreKnown() {
        #expect(MethodTable.yilian.unreplayable == [])
    }

    @Test func pingAndVersion() async throws {
        let dispatcher = try await dispatcher()
        #expect(
            try await respond(dispatcher, #"{"jsonrpc":"2.0","id":1,"method":"system.ping"}"#)
                == ["jsonrpc": "2.0", "id": 1, "result": ["pong": true]])
        #expect(
            try await respond(dispatcher, #"{"jsonrpc":"2.0","id":"v","method":"system.version","params":{}}"#)
                == [
                    "jsonrpc": "2.0", "id": "v",
                    "result": ["version": .string(Services.version), "schemaVersion": .integer(Migration.latestVersion)],
                ])
    }

    @Test func specialtyListReadsTheCatalog() async throws {
        let response = try await respond(try await dispatcher(), #"{"jsonrpc":"2.0","id":7,"method":"specialty.list"}"#)
        guard case .array(let items)? = response?["result"]?["items"] else {
            Issue.record("no items in \(String(describing: response))")
            return
        }
        #expect(items.count == 14)
        #expect(items.first == ["code": "general", "name": "全科"])
        #expect(response?["result"]?["nextCursor"] == .null)
    }

    @Test(
        arguments: [
            ("not json", -32700, JSONValue.null),
            (#"{"jsonrpc":"2.0","id":1,"method":"system.ping""#, -32700, .null),
            ("42", -32600, .null),
            (#""text""#, -32600, .null),
            ("[]", -32600, .null),
            (#"{"id":3,"method":"system.ping"}"#, -32600, 3),
            (#"{"jsonrpc":"1.0","id":3,"method":"system.ping"}"#, -32600, 3),
            (#"{"jsonrpc":"2.0","id":4,"method":5}"#, -32600, 4),
            (#"{"jsonrpc":"2.0","id":{"a":1},"method":"system.ping"}"#, -32600, .null),
            (#"{"jsonrpc":"2.0","id":5,"method":"no.such"}"#, -32601, 5),
            (#"{"jsonrpc":"2.0","id":6,"method":"system.ping","params":[1]}"#, -32602, 6),
        ] as [(String, Int, JSONValue)])
    func badMessagesGetTheRightError(line: String, code: Int, id: JSONValue) async throws {
        let response = try await respond(try await dispatcher(), line)
        #expect(response?["error"]?["code"] == .integer(code))
        #expect(response?["id"] == id)
        #expect(response?["jsonrpc"] == "2.0")
    }

    @Test func invalidUTF8IsAParseError() async throws {
        let bytes: [UInt8] = Array(#"{"jsonrpc":"2.0","id":1,"method":""#.utf8) + [0xC3, 0x28] + Array(#""}"#.utf8)
        let data = await (try await dispatcher()).respond(to: .line(bytes))
        let response = try JSONDecoder().decode(JSONValue.self, from: data ?? Data())
        #expect(response["error"]?["code"] == -32700)
        #expect(response["id"] == .null)
    }

    @Test func anOverlongLineIsAnInvalidRequest() async throws {
        let data = await (try await dispatcher()).respond(to: .tooLong)
        let response = try JSONDecoder().decode(JSONValue.self, from: data ?? Data())
        #expect(response["error"]?["code"] == -32600)
        #expect(response["error"]?["message"] == "The request is larger than 1 MiB.")
    }

    @Test func unknownParametersAreEachListed() async throws {
        let response = try await respond(
            try await dispatcher(), #"{"jsonrpc":"2.0","id":9,"method":"system.ping","params":{"expectedVersoin":1,"zzz":null}}"#)
        #expect(
            response?["error"]
                == [
                    "code": -32602,
                    "message": "The request has 2 problems: expectedVersoin: is not a known parameter; zzz: is not a known parameter.",
                    "data": [
                        "code": "invalid_params",
                        "problems": [
                            ["path": "expectedVersoin", "message": "is not a known parameter"],
                            ["path": "zzz", "message": "is not a known parameter"],
                        ],
                    ],
                ])
    }

    /// SPEC §10: U+0000 anywhere (PostgreSQL cut a reason at it, stored an empty one, made two
    /// idempotency keys one, and answered `internal` for a patient's name).
    @Test func aNulCharacterIsRefusedWherever() async throws {
        let line =
            #"{"jsonrpc":"2.0","id":3,"method":"referral.cancel","params":{"id":"R-000001","reason":"联系家属\u0000后再转院","#
            + #""idempotencyKey":"k\u0000a","actor":{"user":"wang","hospital":"MYQYY","x\u0000":1}}}"#
        let response = try await respond(try await dispatcher(), line)
        #expect(
            response?["error"]?["data"]?["problems"] == [
                ["path": "actor", "message": "must not have a member name containing the character U+0000"],
                ["path": "idempotencyKey", "message": "must not contain the character U+0000"],
                ["path": "reason", "message": "must not contain the character U+0000"],
            ])
        let facts =
            #"{"jsonrpc":"2.0","id":4,"method":"criteria.evaluate","params":{"alliance":"X","role":"core","#
            + #""facts":{"beds":1,"notes":["ok","\u0000"]}}}"#
        #expect(
            try await respond(try await dispatcher(), facts)?["error"]?["data"]?["problems"] == [
                ["path": "facts.notes[1]", "message": "must not contain the character U+0000"]
            ])
    }

    /// SPEC §10: facts hold at most 64 KiB (a 4 KB application once stored a 61 MB evaluation).
    @Test func factsOver64KiBAreRefused() async throws {
        let big = String(repeating: "a", count: 70_000)
        let line =
            #"{"jsonrpc":"2.0","id":5,"method":"criteria.evaluate","params":{"alliance":"X","role":"core","facts":{"x":""#
            + big + #""}}}"#
        #expect(
            try await respond(try await dispatcher(), line)?["error"]?["data"]?["problems"] == [
                ["path": "facts", "message": "is 70008 bytes of JSON; facts hold at most 64 KiB"]
            ])
    }

    /// JSON-RPC requires the id echoed as sent: 18446744073709551617 came back as
    /// 1.8446744073709552e+19.
    @Test func numericIdsAreEchoedDigitForDigit() async throws {
        let dispatcher = try await dispatcher()
        for id in ["18446744073709551617", "1.0", "1e2", "-0.50", "12345678901234567890123"] {
            let data = await dispatcher.respond(to: .line(Array(#"{"jsonrpc":"2.0","id":\#(id),"method":"system.ping"}"#.utf8)))
            #expect(String(decoding: data ?? Data(), as: UTF8.self) == #"{"jsonrpc":"2.0","id":\#(id),"result":{"pong":true}}"#)
        }
        let batch =
            #"[{"jsonrpc":"2.0","id":7,"method":"system.ping"},{"jsonrpc":"2.0","method":"system.ping"},"#
            + #"{"id":{"x":1.5},"jsonrpc":"2.0","method":"system.ping","params":{}},{"jsonrpc":"2.0","id":2.50,"method":"system.ping"}]"#
        let data = await dispatcher.respond(to: .line(Array(batch.utf8)))
        #expect(String(decoding: data ?? Data(), as: UTF8.self).hasSuffix(#"{"jsonrpc":"2.0","id":2.50,"result":{"pong":true}}]"#))
    }

    @Test func notificationsGetNoAnswerEvenWhenTheyFail() async throws {
        let dispatcher = try await dispatcher()
        #expect(try await respond(dispatcher, #"{"jsonrpc":"2.0","method":"system.ping"}"#) == nil)
        #expect(try await respond(dispatcher, #"{"jsonrpc":"2.0","method":"no.such"}"#) == nil)
        #expect(try await respond(dispatcher, #"{"jsonrpc":"2.0","method":"system.ping","params":{"x":1}}"#) == nil)
    }

    @Test func blankLinesAreIgnored() async throws {
        let dispatcher = try await dispatcher()
        #expect(try await respond(dispatcher, "") == nil)
        #expect(try await respond(dispatcher, " \t\r") == nil)
    }

    @Test func batchesAnswerEveryRequestInOrderAndSkipNotifications() async throws {
        let response = try await respond(
            try await dispatcher(),
            #"[{"jsonrpc":"2.0","id":1,"method":"system.ping"},{"jsonrpc":"2.0","method":"system.ping"},7,{"jsonrpc":"2.0","id":2,"method":"no.such"}]"#
        )
        guard case .array(let items)? = response else {
            Issue.record("not an array: \(String(describing: response))")
            return
        }
        #expect(items.count == 3)
        #expect(items[0] == ["jsonrpc": "2.0", "id": 1, "result": ["pong": true]])
        #expect(items[1]["error"]?["code"] == -32600)
        #expect(items[2]["error"]?["code"] == -32601)
        #expect(items[2]["id"] == 2)
    }

    @Test func aBatchOfNotificationsGetsNothing() async throws {
        #expect(
            try await respond(
                try await dispatcher(), #"[{"jsonrpc":"2.0","method":"system.ping"},{"jsonrpc":"2.0","method":"system.ping"}]"#) == nil)
    }

    @Test func aDatabaseFailureIsDatabaseUnavailable() async throws {
        let logger = Logger(label: "test")
        let database = Database(conninfo: "postgresql:///x?host=/tmp/yilian-no-such-socket-dir", logger: logger)
        let dispatcher = Dispatcher(services: Services(database: database, logger: logger), logger: logger)
        let response = try await respond(dispatcher, #"{"jsonrpc":"2.0","id":1,"method":"specialty.list"}"#)
        #expect(response?["error"]?["code"] == -32050)
        #expect(response?["error"]?["data"]?["code"] == "database_unavailable")
        // ping needs no database.
        #expect(try await respond(dispatcher, #"{"jsonrpc":"2.0","id":2,"method":"system.ping"}"#)?["result"] == ["pong": true])
    }
}

/// `rpc.discover` is an OpenRPC document made from the same table the dispatcher uses.
@Suite struct DiscoveryTests {
    @Test func theDocumentHasTheRequiredOpenRPCFieldsForEveryMethod() async throws {
        let logger = Logger(label: "test")
        let database = Database(conninfo: "postgresql:///x?host=/tmp/yilian-no-such-socket-dir", logger: logger)
        let dispatcher = Dispatcher(services: Services(database: database, logger: logger), logger: logger)
        let data = await dispatcher.respond(to: .line(Array(#"{"jsonrpc":"2.0","id":1,"method":"rpc.discover"}"#.utf8)))
        let document = try JSONDecoder().decode(JSONValue.self, from: data ?? Data())["result"]

        guard case .string(let version)? = document?["openrpc"] else {
            Issue.record("no openrpc version")
            return
        }
        #expect(version.range(of: #"^1\.\d+\.\d+$"#, options: .regularExpression) != nil)
        #expect(document?["info"]?["title"]?.stringValue?.isEmpty == false)
        #expect(document?["info"]?["version"] == .string(Services.version))
        guard case .array(let methods)? = document?["methods"] else {
            Issue.record("no methods")
            return
        }
        let names = methods.compactMap { $0["name"]?.stringValue }
        #expect(names == MethodTable.yilian.names)
        #expect(Set(names).isSuperset(of: ["rpc.discover", "system.ping", "system.version", "specialty.list"]))
        for method in methods {
            guard case .array(let params)? = method["params"] else {
                Issue.record("no params for \(String(describing: method["name"]))")
                continue
            }
            for param in params {
                #expect(param["name"]?.stringValue?.isEmpty == false)
                #expect(param["schema"] != nil)
            }
            // OpenRPC 1.2.6: no optional param before a required one (16 methods had one).
            let required = params.map { $0["required"] == true }
            #expect(required == required.sorted { $0 && !$1 }, "\(method["name"]?.stringValue ?? ""): \(required)")
            #expect(method["result"]?["name"]?.stringValue?.isEmpty == false)
            #expect(method["result"]?["schema"] != nil)
        }
    }

    /// A params type describes itself through the same code that reads it.
    struct Sample: RPCParams {
        enum Direction: String, ParamEnum { case up, down }
        let code: String
        let level: Int?
        let direction: Direction
        let tags: [String]?
        init(reading reader: ParamReader) {
            code = reader.required("code", "The hospital code.")
            level = reader.optional("level")
            direction = reader.required("direction")
            tags = reader.optional("tags")
        }
    }

    @Test func paramsDescribeThemselves() {
        #expect(Sample.fields.map(\.name) == ["code", "level", "direction", "tags"])
        #expect(Sample.fields.map(\.required) == [true, false, true, false])
        #expect(Sample.jsonSchema["required"] == ["code", "direction"])
        #expect(Sample.jsonSchema["properties"]?["direction"] == ["type": "string", "enum": ["up", "down"]])
        #expect(Sample.jsonSchema["properties"]?["code"]?["description"] == "The hospital code.")
        #expect(Sample.jsonSchema["additionalProperties"] == false)
    }

    @Test func paramsReportEveryProblemAtOnce() {
        let error = #expect(throws: YilianError.self) {
            try Sample.decode(["level": "three", "direction": "sideways", "tags": ["a", 2], "extra": true])
        }
        #expect(
            error?.data["problems"]
                == [
                    ["path": "code", "message": "is required"],
                    ["path": "level", "message": "must be a whole number"],
                    ["path": "direction", "message": "must be one of up, down"],
                    ["path": "tags[1]", "message": "must be a string"],
                    ["path": "extra", "message": "is not a known parameter"],
                ])
    }
}

/// SPEC §10: numbers and keys out of range are `invalid_params`, never `internal`.
@Suite struct RangeTests {
    @Test(arguments: [
        (
            #"{"method":"hospital.register","params":{"code":"BIG","name":"大","level":2,"beds":1099511627776}}"#,
            "beds: must be between 0 and 100000."
        ),
        (
            #"{"method":"alliance.create","params":{"code":"A-1","name":"a","specialty":"pain","core":"ZRYY","responseHours":{"emergency":4611686018427387904,"urgent":24,"routine":72}}}"#,
            "responseHours.emergency: must be from 1 to 8760 hours (a year)."
        ),
        (#"{"method":"slots.list","params":{"from":"0000-01-01"}}"#, "from: must be a date YYYY-MM-DD from 1900-01-01 to 2200-12-31."),
        (
            #"{"method":"report.indicators","params":{"alliance":"PAIN-BJ","from":"2026-01-01","to":"9999-12-31"}}"#,
            "to: must be a date YYYY-MM-DD from 1900-01-01 to 2200-12-31."
        ),
        (
            #"{"method":"hospital.register","params":{"code":"K","name":"k","level":2,"idempotencyKey":""}}"#,
            "idempotencyKey: must be 1 to 200 characters."
        ),
        (
            #"{"method":"criteria.set","params":{"alliance":"PAIN-BJ","criteria":{"passScore":0,"criteria":[{"id":"a","title":"a","weight":9223372036854775807,"rule":{"fact":"x","op":"exists"}},{"id":"b","title":"b","weight":9223372036854775807,"rule":{"fact":"x","op":"exists"}}]}}}"#,
            "The request has 2 problems: criteria.criteria[0].weight: must be a whole number from 0 to 1000000; "
                + "criteria.criteria[1].weight: must be a whole number from 0 to 1000000."
        ),
    ])
    func outOfRangeIsInvalidParams(request: String, message: String) async throws {
        let logger = Logger(label: "test")
        let database = Database(conninfo: try await TestPostgres.freshDatabase(), logger: logger)
        let dispatcher = Dispatcher(services: Services(database: database, logger: logger), logger: logger)
        let line = request.replacingOccurrences(of: #"{"method""#, with: #"{"jsonrpc":"2.0","id":1,"method""#)
        let data = await dispatcher.respond(to: .line(Array(line.utf8)))
        let response = try JSONDecoder().decode(JSONValue.self, from: data ?? Data())
        #expect(response["error"]?["data"]?["code"] == "invalid_params", "\(response)")
        #expect(response["error"]?["message"] == .string(message), "\(response)")
    }
}
