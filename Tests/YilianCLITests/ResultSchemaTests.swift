import Foundation
import Testing
import YilianJSON
import YilianTestSupport

/// Real results of a scenario, each checked against the result schema `rpc.discover` declares
/// for its method (SPEC §3: every result schema describes its objects fully).
@Suite struct ResultSchemaTests {
    /// The JSON Schema subset `rpc.discover` uses; returns where `value` breaks `schema`.
    static func violations(_ value: JSONValue, _ schema: JSONValue, components: JSONValue?, at path: String = "result") -> [String] {
        guard case .object(let rules) = schema else { return [] }
        if case .string(let reference)? = rules["$ref"] {
            let name = reference.replacingOccurrences(of: "#/components/schemas/", with: "")
            guard let target = components?[name] else { return ["\(path): \(reference) is not in components"] }
            return violations(value, target, components: components, at: path)
        }
        if case .array(let options)? = rules["anyOf"] {
            return options.contains { violations(value, $0, components: components, at: path).isEmpty } ? [] : ["\(path): matches no anyOf"]
        }
        if let constant = rules["const"], constant != value { return ["\(path): is not \(constant)"] }
        if case .array(let allowed)? = rules["enum"], !allowed.contains(value) { return ["\(path): \(value) is not one of the enum"] }
        var types: [String] = []
        switch rules["type"] {
        case .string(let type)?: types = [type]
        case .array(let list)?: types = list.compactMap(\.stringValue)
        default: break
        }
        let kind: String
        switch value {
        case .null: kind = "null"
        case .bool: kind = "boolean"
        case .integer: kind = "integer"
        case .number: kind = "number"
        case .string: kind = "string"
        case .array: kind = "array"
        case .object: kind = "object"
        }
        if !types.isEmpty && !types.contains(kind) && !(kind == "integer" && types.contains("number")) {
            return ["\(path): is \(kind), the schema says \(types)"]
        }
        var found: [String] = []
        if case .array(let items) = value, let itemSchema = rules["items"] {
            for (index, item) in items.enumerated() {
                found += violations(item, itemSchema, components: components, at: "\(path)[\(index)]")
            }
        }
        if case .object(let members) = value {
            let properties = rules["properties"]
            if types.contains("object") && properties == nil && rules["additionalProperties"] == nil && rules["description"] == nil {
                found.append("\(path): an object the schema does not describe")
            }
            if case .array(let required)? = rules["required"] {
                for name in required.compactMap(\.stringValue) where members[name] == nil { found.append("\(path).\(name): is required") }
            }
            for (name, member) in members {
                if let property = properties?[name] {
                    found += violations(member, property, components: components, at: "\(path).\(name)")
                } else if rules["additionalProperties"] == false {
                    found.append("\(path).\(name): is not in the schema")
                } else if let extra = rules["additionalProperties"], case .object = extra {
                    found += violations(member, extra, components: components, at: "\(path).\(name)")
                } else if properties != nil {
                    found.append("\(path).\(name): is not in the schema")
                }
            }
        }
        return found
    }

    @Test func aScenariosResultsMatchTheirDeclaredSchemas() async throws {
        let url = try await TestPostgres.freshDatabase()
        try ReliabilityFixture.seed(url, slots: [(date: "2030-12-01", capacity: 2)])
        let session = try ServeSession(environment: ["YILIAN_DATABASE_URL": url])
        let core = ReliabilityFixture.core
        let sender = ReliabilityFixture.coordinator("MYQYY")
        let calls: [(String, JSONValue)] = [
            ("referral.file", ReliabilityFixture.filing(from: "MYQYY")),
            ("referral.requestInfo", ["id": "R-000001", "question": "影像?", "actor": core]),
            ("referral.provideInfo", ["id": "R-000001", "answer": "见附件", "actor": sender]),
            ("referral.accept", ["id": "R-000001", "note": "同意", "actor": core]),
            ("referral.schedule", ["id": "R-000001", "date": "2030-12-01", "actor": core]),
            ("referral.arrive", ["id": "R-000001", "actor": core]),
            (
                "referral.complete",
                [
                    "id": "R-000001", "actor": core,
                    "outcome": [
                        "summary": "好转", "diagnosis": [["code": "M79.2", "name": "神经痛"]], "recommendation": "follow_up", "followUpDays": 30,
                    ],
                ]
            ),
            ("referral.get", ["id": "R-000001", "actor": sender]),
            ("referral.history", ["id": "R-000001", "actor": sender]),
            ("referral.list", ["actor": sender]),
            ("worklist.get", ["hospital": "ZRYY", "actor": core]),
            ("criteria.get", ["alliance": "PAIN-BJ", "actor": core]),
            ("criteria.evaluate", ["alliance": "PAIN-BJ", "role": "cooperating", "facts": ["level": 2], "actor": core]),
            ("membership.get", ["id": "A-000001", "actor": core]),
            ("membership.list", ["alliance": "PAIN-BJ", "actor": core]),
            ("alliance.get", ["code": "PAIN-BJ"]), ("hospital.get", ["code": "ZRYY"]), ("slots.list", [:]),
            ("report.indicators", ["alliance": "PAIN-BJ", "from": "2026-01-01", "to": "2030-12-31", "by": "month", "actor": core]),
            ("system.whoami", ["actor": core]), ("user.list", ["actor": ReliabilityFixture.admin]),
            ("audit.list", ["actor": ReliabilityFixture.admin]), ("referral.sweep", [:]), ("specialty.list", [:]),
        ]
        guard case .object(let document)? = try session.call("rpc.discover", [:])?["result"],
            case .array(let methods)? = document["methods"]
        else {
            Issue.record("no rpc.discover document")
            return
        }
        let components = document["components"]?["schemas"]
        var schemas: [String: JSONValue] = [:]
        for method in methods { if let name = method["name"]?.stringValue { schemas[name] = method["result"]?["schema"] } }
        for (method, params) in calls {
            let response = try session.call(method, params)
            guard let result = response?["result"] else {
                Issue.record("\(method) failed: \(String(describing: response))")
                continue
            }
            #expect(Self.violations(result, schemas[method] ?? [:], components: components) == [], "\(method)")
        }
        _ = try session.finish()
    }
}
