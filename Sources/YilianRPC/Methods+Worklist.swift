import Foundation
import YilianCore
import YilianJSON
import YilianServices

// Reserved slots, the worklist and the alliance's indicators: what a hospital reads to plan.
public struct SlotsPublish: RPCMethod {
    public struct Params: RPCParams {
        let hospital: String, specialty: String, from: String, to: String?
        let weekdays: [Int]?
        let capacity: Int, expert: Int?, total: Int?
        public init(reading reader: ParamReader) {
            hospital = reader.required("hospital")
            specialty = reader.required("specialty")
            from = reader.required("from", "The first date, YYYY-MM-DD; today or later in the alliance's time zone.")
            to = reader.optional("to", "The last date (default: from), at most 366 days on.")
            weekdays = reader.optional("weekdays", "Only these ISO weekdays, 1 (Monday) to 7 (Sunday).")
            capacity = reader.required("capacity", "Reserved units for alliance up-referrals on each date.")
            expert = reader.optional("expert", "Of the capacity, expert units (专家号); default 0.")
            total = reader.optional("total", "All slots of that clinic on each date (for the Beijing rule's reserved share).")
        }
    }
    public static let name = "slots.publish"
    public static let whoMay: WhoMay? = .ownSlots
    public static let summary =
        "A receiving hospital publishes reserved capacity for a specialty on a range of dates (号源下沉); says per date what changed."
    public static var resultSchema: JSONValue {
        let before = Schema.object(["capacity": Schema.integer, "expert": Schema.integer, "total": ["type": ["integer", "null"]]])
        return [
            "type": "array",
            "items": Schema.object([
                "change": ["type": "string", "enum": ["created", "changed", "unchanged"]], "before": ["anyOf": [before, ["type": "null"]]],
                "slot": Schema.slot,
            ]),
        ]
    }
    public static var mutates: Bool { true }
    public static func run(_ params: Params, in context: RPCContext) async throws -> [PublishedSlot] {
        try await context.services.publishSlots(
            hospital: params.hospital, specialty: params.specialty, from: params.from, to: params.to, weekdays: params.weekdays,
            capacity: params.capacity, expert: params.expert, total: params.total, by: context.actor)
    }
}

public struct SlotsList: RPCMethod {
    public struct Params: RPCParams {
        let hospital: String?, specialty: String?, from: String?, to: String?
        public init(reading reader: ParamReader) {
            hospital = reader.optional("hospital")
            specialty = reader.optional("specialty")
            from = reader.optional("from", "First date, YYYY-MM-DD.")
            to = reader.optional("to", "Last date, YYYY-MM-DD.")
        }
    }
    public static let name = "slots.list"
    public static let summary = "Reserved slots with capacity, booked and available."
    public static var resultSchema: JSONValue { ["type": "array", "items": Schema.slot] }
    public static func run(_ params: Params, in context: RPCContext) async throws -> [Slot] {
        try await context.services.slots(
            hospital: params.hospital, specialty: params.specialty, from: params.from, to: params.to, by: context.actor)
    }
}

public struct WorklistGet: RPCMethod {
    public struct Params: RPCParams {
        let hospital: String
        let limit: Int?
        public init(reading reader: ParamReader) {
            hospital = reader.required("hospital")
            limit = reader.optional("limit", "At most this many referrals per section (default 50, at most 500).")
        }
    }
    public static let name = "worklist.get"
    public static let summary =
        "A hospital's worklist: incoming, overdue, toSchedule, expected (scheduled to arrive, by appointment date), inTreatment, toAcknowledge, outgoing (the first of each) and counts (how many each holds)."
    public static var resultSchema: JSONValue {
        let list: JSONValue = ["type": "array", "items": Schema.referral]
        let sections = Worklist.sectionNames
        var properties = JSONObject(sections.map { ($0, list) })
        properties["hospital"] = Schema.string
        properties["consultations"] = ["type": "array", "items": Schema.consultation]
        properties["counts"] = Schema.object(JSONObject((sections + ["consultations"]).map { ($0, Schema.integer) }))
        return Schema.object(properties)
    }
    public static func run(_ params: Params, in context: RPCContext) async throws -> Worklist {
        try await context.services.worklist(hospital: params.hospital, limit: params.limit, by: context.actor)
    }
}

public struct ReportIndicators: RPCMethod {
    enum By: String, ParamEnum { case month }
    public struct Params: RPCParams {
        let alliance: String, from: String, to: String
        let by: By?
        public init(reading reader: ParamReader) {
            alliance = reader.required("alliance")
            from = reader.required("from", "First filing date, YYYY-MM-DD (UTC).")
            to = reader.required("to", "Last filing date, YYYY-MM-DD, inclusive.")
            by = reader.optional("by", "month: the indicators month by month as well.")
        }
    }
    public static let name = "report.indicators"
    public static let summary =
        "Alliance indicators for referrals filed in a period (days of the alliance's time zone), overall and per member (sent and received), optionally every month; up and down counts filed and transferred (arrived)."
    public static var resultSchema: JSONValue {
        let consultations = Schema.object([
            "asked": Schema.integer, "answered": Schema.integer, "medianHoursToFirstResponse": ["type": ["number", "null"]],
            "answeredInTimeShare": ["type": ["number", "null"]], "convertedShare": ["type": ["number", "null"]],
        ])
        let rate: JSONValue = ["type": ["number", "null"]]
        let settings = Schema.object(["outpatient": Schema.integer, "inpatient": Schema.integer, "total": Schema.integer])
        let counts = Schema.object(["filed": settings, "transferred": settings])
        let recognition = Schema.object(["results": Schema.integer, "recognized": Schema.integer, "recognizedShare": rate])
        let outreach = Schema.object(["sessions": Schema.integer, "patients": Schema.integer])
        let indicators = Schema.object([
            "referrals": Schema.integer, "up": counts, "down": counts, "downUpRatio": rate, "acceptanceRate": rate,
            "rejectionReasons": ["type": "object", "additionalProperties": Schema.integer], "medianHoursToFirstResponse": rate,
            "overdueShare": rate, "noShowRate": rate, "closedLoopRate": rate, "slotUtilisation": rate, "reservedShare": rate,
            "expertShare": rate, "earlyShare": rate,
        ])
        return Schema.object(
            [
                "alliance": Schema.string, "slotRule": ["type": ["string", "null"], "enum": ["beijing", .null]], "from": Schema.string,
                "to": Schema.string, "overall": indicators,
                "consultations": consultations,
                "members": [
                    "type": "array",
                    "items": Schema.object([
                        "hospital": Schema.string, "name": Schema.string, "role": Schema.string, "sent": indicators, "received": indicators,
                        "consultations": Schema.object(["sent": consultations, "received": consultations]),
                        "recognition": recognition, "outreach": outreach,
                    ]),
                ],
                "recognition": recognition,
                "recognitionItems": [
                    "type": "array",
                    "items": Schema.object([
                        "item": ["type": ["string", "null"]], "name": ["type": ["string", "null"]], "recognition": recognition,
                    ]),
                ],
                "outreach": Schema.object([
                    "sessions": Schema.integer, "patients": Schema.integer, "members": Schema.integer, "visited": Schema.integer,
                    "visitedShare": rate,
                    "experts": [
                        "type": "array",
                        "items": Schema.object(["expert": Schema.string, "name": ["type": ["string", "null"]], "outreach": outreach]),
                    ],
                ]),
                "months": ["type": "array", "items": Schema.object(["month": Schema.string, "indicators": indicators])],
                "asOf": ["type": "string", "format": "date-time", "description": "Read from a standby: the time its data is as of."],
            ], required: ["alliance", "from", "to", "overall", "consultations", "members", "recognition", "recognitionItems", "outreach"])
    }
    public static func run(_ params: Params, in context: RPCContext) async throws -> IndicatorReport {
        try await context.services.indicators(
            alliance: params.alliance, from: params.from, to: params.to, byMonth: params.by == .month, by: context.actor)
    }
}
