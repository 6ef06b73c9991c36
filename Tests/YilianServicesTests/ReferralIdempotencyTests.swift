import Foundation
import Logging
import Testing
import YilianCore
import YilianJSON
import YilianRPC
import YilianServices
import YilianTestSupport

@testable import YilianRepository

/// `idempotencyKey` on referral.file and actions, through the JSON-RPC dispatcher.
@Suite struct ReferralIdempotencyTests {
    func call(_ dispatcher: Dispatcher, _ method: String, _ params: JSONValue) async throws -> JSONValue {
        let request: JSONValue = ["jsonrpc": "2.0", "id": 1, "method": .string(method), "params": params]
        let data = await dispatcher.respond(to: .line(Array(try JSONEncoder().encode(request))))
        return try JSONDecoder().decode(JSONValue.self, from: data ?? Data())
    }

    static func file(key: String, reason: String = "疼痛控制不佳") -> JSONValue {
        [
            "alliance": "PAIN-BJ", "from": "MYQYY", "to": "ZRYY", "setting": "outpatient", "priority": "routine",
            "patient": ["name": "张三", "sex": "male", "birthDate": "1980-01-01", "idNumber": "11010519800101018X"], "consent": true,
            "diagnosis": [["code": "M79.2", "name": "神经痛"]], "reason": .string(reason),
            "actor": ["user": "wang", "hospital": "MYQYY"], "idempotencyKey": .string(key),
        ]
    }

    @Test func aRepeatedFilingReturnsTheSameReferralWithoutASecondEvent() async throws {
        let world = try await ReferralWorld.make()
        let dispatcher = Dispatcher(services: world.services, logger: Logger(label: "test"))
        let first = try await call(dispatcher, "referral.file", Self.file(key: "file-1"))
        let second = try await call(dispatcher, "referral.file", Self.file(key: "file-1"))
        #expect(first["result"]?["id"] == "R-000001")
        #expect(second["result"] == first["result"])
        let count = try await world.services.database.withConnection(as: .login) {
            try await $0.query("SELECT (SELECT count(*) FROM referrals) AS referrals, (SELECT count(*) FROM referral_events) AS events")[0]
        }
        #expect(try count.decode("referrals", as: Int.self) == 1)
        #expect(try count.decode("events", as: Int.self) == 1)
        // The record keeps a digest of the parameters, never the resident ID in them (SPEC §4).
        let kept = try await world.services.database.withConnection(as: .login) {
            try await $0.query("SELECT count(*) AS n FROM idempotency_keys k WHERE row_to_json(k)::text LIKE '%11010519800101018X%'")[0]
        }
        #expect(try kept.decode("n", as: Int.self) == 0)

        let other = try await call(dispatcher, "referral.file", Self.file(key: "file-1", reason: "另一位患者"))
        #expect(other["error"]?["data"]?["code"] == "idempotency_mismatch")
        #expect(other["error"]?["code"] == -32013)

        // An action repeated with its key: one event, the same result.
        let accept: JSONValue = [
            "id": "R-000001", "expectedVersion": 1, "actor": ["user": "li", "hospital": "ZRYY"], "idempotencyKey": "acc-1",
        ]
        let accepted = try await call(dispatcher, "referral.accept", accept)
        let again = try await call(dispatcher, "referral.accept", accept)
        #expect(accepted["result"]?["version"] == 2)
        #expect(again["result"] == accepted["result"])
        #expect(try await world.services.referral("R-000001", by: Actor(user: "coordinator", hospital: "ZRYY")).history?.count == 2)
    }
}
