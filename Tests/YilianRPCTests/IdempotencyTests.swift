import Foundation
import Logging
import Testing
import YilianCore
import YilianJSON
import YilianRPC
import YilianServices
import YilianTestSupport

@testable import YilianRepository

/// `idempotencyKey` on mutating methods, through the dispatcher and a real database.
@Suite struct IdempotencyTests {
    func dispatcher() async throws -> (Dispatcher, Database) {
        let logger = Logger(label: "test")
        let database = Database(conninfo: try await TestPostgres.freshDatabase(), capacity: 8, logger: logger)
        return (Dispatcher(services: Services(database: database, logger: logger), logger: logger), database)
    }

    func call(_ dispatcher: Dispatcher, _ method: String, _ params: JSONValue, id: Int = 1) async throws -> JSONValue {
        let request: JSONValue = ["jsonrpc": "2.0", "id": .integer(id), "method": .string(method), "params": params]
        let line = try JSONEncoder().encode(request)
        let data = await dispatcher.respond(to: .line(Array(line)))
        return try JSONDecoder().decode(JSONValue.self, from: data ?? Data())
    }

    static let admin: JSONValue = ["user": "ops", "hospital": "admin"]

    static func register(_ code: String, key: String?, name: String = "北医三院") -> JSONValue {
        var params: JSONObject = ["code": .string(code), "name": .string(name), "level": 3, "actor": admin]
        if let key { params["idempotencyKey"] = .string(key) }
        return .object(params)
    }

    func count(_ database: Database, _ code: String) async throws -> Int {
        try await database.withConnection(as: .login) {
            try await $0.query("SELECT count(*) AS n FROM hospitals WHERE code = $1", [code])[0].decode("n", as: Int.self)
        }
    }

    @Test func theSameKeyAndParamsReturnTheFirstResultWithoutASecondEffect() async throws {
        let (dispatcher, database) = try await dispatcher()
        let first = try await call(dispatcher, "hospital.register", Self.register("BYSY", key: "k-1"))
        let second = try await call(dispatcher, "hospital.register", Self.register("BYSY", key: "k-1"), id: 2)
        #expect(first["result"]?["code"] == "BYSY")
        #expect(second["result"] == first["result"])
        #expect(second["id"] == 2)
        #expect(try await count(database, "BYSY") == 1)
        // Without a key the repeat is a second attempt, and refused.
        let third = try await call(dispatcher, "hospital.register", Self.register("BYSY", key: nil))
        #expect(third["error"]?["data"]?["code"] == "already_exists")
    }

    /// The CLI's way in: a repeat of the key gives the first call's typed result back, read from
    /// the first call's JSON, and that JSON byte for byte.
    @Test func aRepeatedKeyGivesTheTypedCallerTheFirstResult() async throws {
        let (dispatcher, database) = try await dispatcher()
        let first = try await dispatcher.call(HospitalRegister.self, params: Self.register("BYSY", key: "k-4"))
        let second = try await dispatcher.call(HospitalRegister.self, params: Self.register("BYSY", key: "k-4"))
        #expect(first.result.code == "BYSY" && first.result.name == "北医三院")
        #expect(second.result == first.result)
        #expect(second.json == first.json)
        #expect(try await count(database, "BYSY") == 1)
    }

    @Test func theSameKeyWithOtherParamsIsAMismatch() async throws {
        let (dispatcher, database) = try await dispatcher()
        _ = try await call(dispatcher, "hospital.register", Self.register("BYSY", key: "k-2"))
        let other = try await call(dispatcher, "hospital.register", Self.register("BYSY", key: "k-2", name: "北京大学第三医院"))
        #expect(other["error"]?["code"] == -32013)
        #expect(other["error"]?["data"]?["code"] == "idempotency_mismatch")
        let otherMethod = try await call(
            dispatcher, "alliance.create",
            ["code": "PAIN-BJ", "name": "x", "specialty": "pain", "core": "BYSY", "actor": Self.admin, "idempotencyKey": "k-2"])
        #expect(otherMethod["error"]?["data"]?["code"] == "idempotency_mismatch")
        #expect(try await count(database, "BYSY") == 1)
    }

    @Test func aFailedCallLeavesTheKeyFree() async throws {
        let (dispatcher, _) = try await dispatcher()
        let refused = try await call(dispatcher, "hospital.register", Self.register("bad code", key: "k-3"))
        #expect(refused["error"]?["data"]?["code"] == "invalid_params")
        let fixed = try await call(dispatcher, "hospital.register", Self.register("GOOD", key: "k-4"))
        #expect(fixed["result"]?["code"] == "GOOD")
        let retried = try await call(dispatcher, "hospital.register", Self.register("bad code", key: "k-3"))
        #expect(retried["error"]?["data"]?["code"] == "invalid_params")
    }

    @Test func concurrentRepeatsHaveOneEffectAndOneResult() async throws {
        let (dispatcher, database) = try await dispatcher()
        let results = try await withThrowingTaskGroup(of: JSONValue.self) { group in
            for index in 0..<10 {
                group.addTask {
                    try await call(dispatcher, "hospital.register", Self.register("ZRYY", key: "same", name: "中日友好医院"), id: index)
                }
            }
            return try await group.reduce(into: [JSONValue]()) { $0.append($1) }
        }
        #expect(results.allSatisfy { $0["result"]?["code"] == "ZRYY" })
        #expect(try await count(database, "ZRYY") == 1)
    }

    @Test func keysAreScopedToTheCallingHospital() async throws {
        let (dispatcher, _) = try await dispatcher()
        _ = try await call(dispatcher, "hospital.register", Self.register("ZRYY", key: "k", name: "中日友好医院"))
        _ = try await call(dispatcher, "hospital.register", Self.register("JGYY", key: "k2", name: "健宫医院"))
        _ = try await call(
            dispatcher, "alliance.create",
            ["code": "PAIN-BJ", "name": "疼痛", "specialty": "pain", "core": "ZRYY", "actor": Self.admin])
        // ZRYY uses the key "k" for its own call: not a mismatch with the administrator's "k".
        let criteria = try await call(
            dispatcher, "criteria.set",
            [
                "alliance": "PAIN-BJ", "actor": ["user": "li", "hospital": "ZRYY"], "idempotencyKey": "k",
                "criteria": ["passScore": 0, "criteria": [["id": "a", "title": "A", "rule": ["fact": "level", "op": "exists"]]]],
            ])
        #expect(criteria["result"]?["version"] == 1)
    }
}
