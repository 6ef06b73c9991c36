import Foundation
import Testing
import YilianJSON

/// The parser every JSON-RPC line goes through: RFC 8259, nothing more, nothing less.
@Suite struct JSONParsingTests {
    func parse(_ text: String) throws(JSONValue.ParseError) -> JSONValue { try JSONValue(parsing: Array(text.utf8)) }

    @Test func validTextsGiveTheirValues() throws {
        #expect(
            try parse(#" {"a": [1, -2, 3.5, 1e3, true, false, null], "b": {}, "c": []} "#)
                == ["a": [1, -2, 3.5, 1000.0, true, false, nil], "b": [:], "c": []])
        #expect(try parse(#""\"\\\/\b\f\n\r\t\u00e9\u4e2d\ud83c\udfe5""#) == "\"\\/\u{08}\u{0C}\n\r\té中🏥")
        #expect(try parse(#""密云区医院""#) == "密云区医院")
        #expect(try parse("9223372036854775807") == .integer(Int.max))
        #expect(try parse("9223372036854775808") == .number(9_223_372_036_854_775_808))
        #expect(try parse(#"{"k": 1, "k": 2}"#) == ["k": 2])
        let nested = String(repeating: "[", count: JSONValue.maxDepth) + String(repeating: "]", count: JSONValue.maxDepth)
        #expect(throws: Never.self) { try parse(nested) }
    }

    @Test(arguments: [
        "", " ", "{", "[1,]", "{\"a\":1,}", "{\"a\" 1}", "{a:1}", "01", "-", "1.", ".5", "1e", "+1", "NaN", "Infinity", "1e999",
        "tru", "nul", "\"abc", "\"\u{01}\"", "\"\\x\"", "\"\\u12\"", "\"\\ud83c\"", "\"\\udfe5\"", "[1] 2", "'a'", "[1 2]",
    ])
    func invalidTextsAreRefused(_ text: String) {
        #expect(throws: JSONValue.ParseError.self) { try parse(text) }
    }

    @Test func nestingDeeperThanTheLimitIsRefusedWithoutRecursingFurther() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        let error = #expect(throws: JSONValue.ParseError.self) { try parse(deep) }
        #expect(error?.offset == JSONValue.maxDepth)
    }

    @Test func agreesWithFoundationOnAMixedDocument() throws {
        let text =
            #"{"jsonrpc":"2.0","id":7,"method":"referral.file","params":{"patient":{"name":"张三","birthDate":"1980-01-01"},"consent":true,"diagnosis":[{"code":"M79.2","name":"神经痛"}],"weights":[0.5,2]}}"#
        #expect(try parse(text) == JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)))
    }

    /// Found by fuzz/run.sh: -0.0 is written "-0" (as Foundation writes it), which read back as
    /// the integer 0 and was written "0": writing what was read was not stable.
    @Test func negativeZeroReadsBackAsItIsWritten() throws {
        let value = try parse("[-0.0,-0e5,-0,1]")
        let written = value.serialized
        #expect(String(decoding: written, as: UTF8.self) == "[-0,-0,-0,1]")
        #expect(try JSONValue(parsing: written).serialized == written)
    }
}
