import Foundation
import Testing
import YilianCore
import YilianJSON
import YilianPostgres
import YilianRepository
import YilianTestSupport

/// Yilian's JSON coding must write exactly what Foundation's `JSONEncoder` wrote before it
/// (`.sortedKeys`, `.withoutEscapingSlashes`, `.iso8601`), so results and stored JSON keep
/// their bytes, but for the terminal controls it escapes too; Foundation is the oracle here.
@Suite struct JSONCodingTests {
    static func foundation(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        // Foundation escapes C0 itself and leaves DEL, C1 and the bidi controls as they are.
        return String(decoding: try encoder.encode(value), as: UTF8.self).unicodeScalars
            .map { $0.isTerminalControl ? String(format: "\\u%04x", $0.value) : String($0) }.joined()
    }

    static func yilian(_ value: some Encodable) throws -> String {
        String(decoding: try JSONCoding.data(value), as: UTF8.self)
    }

    static let texts = [
        "", "a/b", "\"quoted\"", "back\\slash", "\u{0}\u{1}\u{8}\u{9}\u{A}\u{B}\u{C}\u{D}\u{1F}", "\u{7F}\u{2028}\u{2029}",
        "密云区医院", "é", "e\u{301}", "🏥", "'; DROP TABLE referrals; --", "%s%n{}[]", "a10", "a9", "B", "Z", "中",
        "\u{9B}31m“\u{202E}”\u{2066}", "\u{A0}\u{2010}\u{2029}",
    ]

    /// Dates are written digit by digit (a referral has several): as Foundation writes them over
    /// the years 1583–9999, and a calendar date reads back as the day it was written from.
    /// (Before October 1582 Foundation switches to the Julian calendar; Yilian stays proleptic
    /// Gregorian, as PostgreSQL does.)
    @Test func datesAreWrittenAsFoundationWritesThem() throws {
        var random = SeededRandom(seed: 11)
        for _ in 0..<5_000 {
            // 1583-01-01 up to 9999-12-31, whole and fractional seconds.
            let seconds =
                Double(Int.random(in: -12_212_553_600..<253_402_300_800, using: &random))
                + [0, 0.5, 0.999][Int.random(in: 0..<3, using: &random)]
            let date = Date(timeIntervalSince1970: seconds)
            #expect(JSONCoding.iso8601(date) == ISO8601DateFormatter().string(from: date))
            let day = CalendarDate(daysSinceEpoch: Int((seconds / 86_400).rounded(.down)))
            // Text is read back only in the years SPEC §10 allows.
            #expect(CalendarDate(day.description) == (CalendarDate.years.contains(day.year) ? day : nil))
        }
    }

    static func randomValue(_ random: inout SeededRandom, depth: Int) -> JSONValue {
        switch Int.random(in: 0..<(depth < 4 ? 8 : 5), using: &random) {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &random))
        case 2:
            return .integer(
                [0, -1, Int.max, Int.min, Int.random(in: -1_000_000...1_000_000, using: &random)].randomElement(using: &random)!)
        case 3:
            let magnitude = Double.random(in: -330...308, using: &random)
            return .number(
                [
                    0.1, 1.0, -0.0, 0.30000000000000004, Double.leastNonzeroMagnitude, 1e16, 1e21, 123_456_789_012.5,
                    Double.random(in: -1...1, using: &random) * pow(10, magnitude),
                ].randomElement(using: &random)!)
        case 4: return .string(texts.randomElement(using: &random)! + texts.randomElement(using: &random)!)
        case 5, 6:
            // Built as a Swift dictionary, which Foundation encodes: it takes canonically
            // equivalent keys ("é", "e\u{301}") for one, where a JSONObject keeps both.
            var members: [String: JSONValue] = [:]
            for _ in 0..<Int.random(in: 0...6, using: &random) {
                members[texts.randomElement(using: &random)! + texts.randomElement(using: &random)!] = randomValue(
                    &random, depth: depth + 1)
            }
            return .object(JSONObject(members))
        default: return .array((0..<Int.random(in: 0...5, using: &random)).map { _ in randomValue(&random, depth: depth + 1) })
        }
    }

    @Test func twoThousandRandomValuesAreWrittenByteForByteAsFoundationWrites() throws {
        var random = SeededRandom(seed: 6)
        for _ in 0..<2000 {
            let value = Self.randomValue(&random, depth: 0)
            #expect(try Self.yilian(value) == Self.foundation(value))
        }
    }

    /// SPEC §3: JSON passes no control a terminal obeys, so `--json` and `serve` on a terminal
    /// are as safe as the text: C1 and the bidi controls are written as `\u` escapes too (the
    /// characters next to them are not), and read back as they were.
    @Test func terminalControlsAreEscapedAndReadBack() throws {
        let text =
            "a\u{7F}\u{80}\u{9B}31m\u{9F}\u{A0}é\u{61B}\u{61C}\u{200D}\u{200E}\u{200F}\u{2010}\u{2029}\u{202A}\u{202E}\u{202F}"
            + "\u{2064}\u{2066}\u{2069}\u{206A}“中”\u{1B}[2J\"\n"
        let written =
            #"a\u007f\u0080\u009b31m\u009f"# + "\u{A0}é\u{61B}" + #"\u061c"# + "\u{200D}" + #"\u200e\u200f"# + "\u{2010}\u{2029}"
            + #"\u202a\u202e"# + "\u{202F}\u{2064}" + #"\u2066\u2069"# + "\u{206A}“中”" + #"\u001b[2J\"\n"#
        let value: JSONValue = [text: .string(text)]
        let json = value.serialized
        #expect(json == Array("{\"\(written)\":\"\(written)\"}".utf8), "\(String(decoding: json, as: UTF8.self))")
        #expect(try JSONValue(parsing: json) == value)
        #expect(try JSONValue(parsing: json).serialized == json)
    }

    struct Sample: Codable, Equatable {
        enum Colour: String, Codable { case red, green }
        var text = "a/b\n"
        var when = Date(timeIntervalSince1970: 1_763_900_000.999)
        var before1970 = Date(timeIntervalSince1970: -1.5)
        var optional: String? = nil
        var nullable: Nullable<Int> = Nullable(wrappedValue: nil)
        var colour = Colour.green
        var colours: [Colour] = [.red, .green]
        var nested: [String: [Int]] = ["x": [1, 2], "a": []]
        var small: UInt8 = 255
        var wide: Int64 = -9_000_000_000
        var float: Float = 0.1
        var double = 2.5e-5
        var flag = true
        var json: JSONValue = ["k": [1, "v", nil]]
    }

    @Test func typedValuesAreWrittenAsFoundationWritesThem() throws {
        #expect(try Self.yilian(Sample()) == Self.foundation(Sample()))
        #expect(try Self.yilian(Sample()).contains(#""before1970":"1969-12-31T23:59:58Z""#))
        #expect(try Self.yilian(Sample()).contains(#""when":"2025-11-23T12:13:20Z""#))
        #expect(try Self.yilian([Sample(), Sample()]) == Self.foundation([Sample(), Sample()]))
    }

    @Test func nonFiniteNumbersAreRefused() {
        #expect(throws: EncodingError.self) { try JSONCoding.data(["x": Double.nan]) }
        #expect(throws: EncodingError.self) { try JSONCoding.data([Double.infinity]) }
    }

    @Test func decodingReadsWhatEncodingWrote() throws {
        var sample = Sample()
        sample.when = Date(timeIntervalSince1970: 0)
        sample.before1970 = Date(timeIntervalSince1970: 0)
        let json = try JSONCoding.value(sample)
        #expect(json["colour"] == "green")
        #expect(json["nullable"] == .null)
        #expect(json["optional"] == nil)
        struct Back: Codable, Equatable {
            var text: String
            var optional: String?
            var nullable: Nullable<Int>
            var colours: [Sample.Colour]
            var nested: [String: [Int]]
            var small: UInt8
            var wide: Int64
            var float: Float
            var double: Double
            var flag: Bool
            var json: JSONValue
        }
        let back = try JSONCoding.decode(Back.self, from: json)
        #expect(
            back
                == Back(
                    text: "a/b\n", optional: nil, nullable: Nullable(wrappedValue: nil), colours: [.red, .green],
                    nested: ["x": [1, 2], "a": []],
                    small: 255, wide: -9_000_000_000, float: 0.1, double: 2.5e-5, flag: true, json: ["k": [1, "v", nil]]))
    }

    @Test func decodingRefusesWhatDoesNotFit() throws {
        struct Counts: Codable {
            var small: UInt8
            var count: Int
        }
        #expect(try JSONCoding.decode(Counts.self, fromText: #"{"small": 7, "count": 3.0}"#).count == 3)
        #expect(throws: DecodingError.self) { try JSONCoding.decode(Counts.self, fromText: #"{"small": 256, "count": 1}"#) }
        #expect(throws: DecodingError.self) { try JSONCoding.decode(Counts.self, fromText: #"{"small": 1, "count": 1.5}"#) }
        #expect(throws: DecodingError.self) { try JSONCoding.decode(Counts.self, fromText: #"{"small": 1}"#) }
        #expect(throws: DecodingError.self) { try JSONCoding.decode(Counts.self, fromText: #"{"small": "1", "count": 1}"#) }
        #expect(throws: DecodingError.self) { try JSONCoding.decode([Int].self, fromText: #"{"small": 1}"#) }
        #expect(throws: JSONValue.ParseError.self) { try JSONCoding.decode(Counts.self, fromText: #"{"small": 1"#) }
    }

    @Test func storedPatientsDecodeFromJsonbText() throws {
        let text = #"{"sex": "male", "name": "张三", "idNumber": "11010519800101018X", "birthDate": "1980-01-01"}"#
        let patient = try PGJSON<Patient>(pgText: text).value
        #expect(patient.name == "张三")
        #expect(patient.idNumber == "11010519800101018X")
        let error = #expect(throws: PGError.self) { try PGJSON<[Diagnosis]>(pgText: text) }
        #expect(error?.message.contains("11010519800101018X") == false)
    }

    @Test func storedValuesOfTheWrongShapeAreRefused() throws {
        let outcome =
            #"{"summary": "好转", "diagnosis": [{"code": "M79.2", "name": "神经痛"}], "recommendation": "discharge", "followUpDays": 30}"#
        #expect(
            try PGJSON<TreatmentOutcome>(pgText: outcome).value
                == TreatmentOutcome(
                    summary: "好转", diagnosis: [Diagnosis(code: "M79.2", name: "神经痛")], recommendation: .discharge, followUpDays: 30))
        for text in [
            #"{"sex": "male", "birthDate": "1980-01-01"}"#, #"{"name": 1, "sex": "male", "birthDate": "1980-01-01"}"#,
            #"{"name": "张三", "sex": "other", "birthDate": "1980-01-01"}"#, #"["张三"]"#,
        ] {
            #expect(throws: PGError.self) { try PGJSON<Patient>(pgText: text) }
        }
        #expect(throws: PGError.self) { try PGJSON<TreatmentOutcome>(pgText: outcome.replacingOccurrences(of: "30", with: #""30""#)) }
        #expect(throws: PGError.self) {
            try PGJSON<TreatmentOutcome>(pgText: outcome.replacingOccurrences(of: #""code": "M79.2", "#, with: ""))
        }
        #expect(throws: PGError.self) {
            try PGJSON<[YilianCore.Attachment]>(pgText: #"[{"kind": "video", "title": "t", "reference": "r", "recognized": false}]"#)
        }
    }
}
