/// A strict RFC 8259 parser straight into `JSONValue`, used for every incoming JSON-RPC line.
///
/// Foundation's `JSONDecoder` through `Decodable` costs a coding path per value (quadratic in the
/// nesting depth) and a third of `serve`'s CPU; this parser is one pass, refuses nesting deeper
/// than `maxDepth`, non-finite numbers and unescaped control characters.
extension JSONValue {
    /// Arrays and objects nested deeper than this are refused (criteria nest a few levels).
    public static let maxDepth = 64

    /// Why a text is not JSON.
    public struct ParseError: Error, Equatable, Sendable {
        public let offset: Int
        public let reason: String
    }

    /// Parses one JSON text (surrounding whitespace allowed). `bytes` must be valid UTF-8.
    public init(parsing bytes: [UInt8]) throws(ParseError) {
        var parser = Parser(bytes: bytes)
        parser.skipWhitespace()
        let value = try parser.value(depth: 0)
        parser.skipWhitespace()
        guard parser.index == bytes.count else { throw parser.error("unexpected text after the value") }
        self = value
    }

    /// The text of each number that is member `name` of the request objects in `bytes` (one
    /// JSON text: an object, or an array of them as a JSON-RPC batch), by position in the batch
    /// (0 for a single object): a JSON-RPC id is echoed as sent, digit for digit, even where a
    /// `Double` would round it. Empty when `bytes` is not such a text.
    public static func numberTexts(of name: String, in bytes: [UInt8]) -> [Int: String] {
        var parser = Parser(bytes: bytes)
        var texts: [Int: String] = [:]
        func members(_ position: Int) throws(ParseError) {
            parser.index += 1
            parser.skipWhitespace()
            if parser.current == UInt8(ascii: "}") {
                parser.index += 1
                return
            }
            while true {
                parser.skipWhitespace()
                let key = try parser.string()
                parser.skipWhitespace()
                try parser.expect(":")
                parser.skipWhitespace()
                let start = parser.index
                let value = try parser.value(depth: 1)
                if key == name, case .number = value {
                    texts[position] = String(decoding: bytes[start..<parser.index], as: UTF8.self)
                }
                parser.skipWhitespace()
                guard parser.current == UInt8(ascii: ",") else {
                    parser.index += 1  // the closing brace
                    return
                }
                parser.index += 1
            }
        }
        do {
            parser.skipWhitespace()
            if parser.current == UInt8(ascii: "{") { try members(0) }
            guard parser.current == UInt8(ascii: "[") else { return texts }
            parser.index += 1
            var position = 0
            while true {
                parser.skipWhitespace()
                if parser.current == UInt8(ascii: "{") { try members(position) } else { _ = try parser.value(depth: 1) }
                parser.skipWhitespace()
                guard parser.current == UInt8(ascii: ",") else { return texts }
                parser.index += 1
                position += 1
            }
        } catch {
            return texts
        }
    }

    private struct Parser {
        let bytes: [UInt8]
        var index = 0

        init(bytes: [UInt8]) { self.bytes = bytes }

        func error(_ reason: String) -> ParseError { ParseError(offset: index, reason: reason) }

        var current: UInt8? { index < bytes.count ? bytes[index] : nil }

        mutating func skipWhitespace() {
            while let byte = current, byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D { index += 1 }
        }

        mutating func expect(_ literal: StaticString) throws(ParseError) {
            let count = literal.utf8CodeUnitCount
            guard index + count <= bytes.count else { throw error("unexpected end of text") }
            let matches = literal.withUTF8Buffer { expected in (0..<count).allSatisfy { bytes[index + $0] == expected[$0] } }
            guard matches else { throw error("unexpected character") }
            index += count
        }

        mutating func value(depth: Int) throws(ParseError) -> JSONValue {
            guard let byte = current else { throw error("unexpected end of text") }
            switch byte {
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                guard depth < JSONValue.maxDepth else { throw error("nested deeper than \(JSONValue.maxDepth) levels") }
                return byte == UInt8(ascii: "{") ? try object(depth: depth + 1) : try array(depth: depth + 1)
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "t"):
                try expect("true")
                return .bool(true)
            case UInt8(ascii: "f"):
                try expect("false")
                return .bool(false)
            case UInt8(ascii: "n"):
                try expect("null")
                return .null
            default: return try number()
            }
        }

        mutating func array(depth: Int) throws(ParseError) -> JSONValue {
            index += 1
            var items: [JSONValue] = []
            skipWhitespace()
            if current == UInt8(ascii: "]") {
                index += 1
                return .array(items)
            }
            while true {
                skipWhitespace()
                items.append(try value(depth: depth))
                skipWhitespace()
                switch current {
                case UInt8(ascii: ",")?: index += 1
                case UInt8(ascii: "]")?:
                    index += 1
                    return .array(items)
                default: throw error("expected , or ] in an array")
                }
            }
        }

        mutating func object(depth: Int) throws(ParseError) -> JSONValue {
            index += 1
            var members: [(String, JSONValue)] = []
            skipWhitespace()
            if current == UInt8(ascii: "}") {
                index += 1
                return .object(JSONObject())
            }
            while true {
                skipWhitespace()
                guard current == UInt8(ascii: "\"") else { throw error("expected a member name") }
                let key = try string()
                skipWhitespace()
                guard current == UInt8(ascii: ":") else { throw error("expected : after a member name") }
                index += 1
                skipWhitespace()
                members.append((key, try value(depth: depth)))
                skipWhitespace()
                switch current {
                case UInt8(ascii: ",")?: index += 1
                case UInt8(ascii: "}")?:
                    index += 1
                    return .object(JSONObject(members))
                default: throw error("expected , or } in an object")
                }
            }
        }

        mutating func string() throws(ParseError) -> String {
            index += 1
            var text = ""
            var start = index
            while true {
                guard let byte = current else { throw error("unterminated string") }
                switch byte {
                case UInt8(ascii: "\""):
                    text += String(decoding: bytes[start..<index], as: UTF8.self)
                    index += 1
                    return text
                case UInt8(ascii: "\\"):
                    text += String(decoding: bytes[start..<index], as: UTF8.self)
                    index += 1
                    text.unicodeScalars.append(try escape())
                    start = index
                case 0..<0x20:
                    throw error("unescaped control character in a string")
                default:
                    index += 1
                }
            }
        }

        mutating func escape() throws(ParseError) -> Unicode.Scalar {
            guard let byte = current else { throw error("unterminated escape") }
            index += 1
            switch byte {
            case UInt8(ascii: "\""): return "\""
            case UInt8(ascii: "\\"): return "\\"
            case UInt8(ascii: "/"): return "/"
            case UInt8(ascii: "b"): return "\u{08}"
            case UInt8(ascii: "f"): return "\u{0C}"
            case UInt8(ascii: "n"): return "\n"
            case UInt8(ascii: "r"): return "\r"
            case UInt8(ascii: "t"): return "\t"
            case UInt8(ascii: "u"):
                let unit = try hex4()
                if (0xD800..<0xDC00).contains(unit) {
                    try expect("\\u")
                    let low = try hex4()
                    guard (0xDC00..<0xE000).contains(low) else { throw error("unpaired surrogate") }
                    return Unicode.Scalar(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00))!
                }
                guard let scalar = Unicode.Scalar(unit) else { throw error("unpaired surrogate") }
                return scalar
            default:
                throw error("unknown escape")
            }
        }

        mutating func hex4() throws(ParseError) -> UInt32 {
            guard index + 4 <= bytes.count else { throw error("unterminated escape") }
            var value: UInt32 = 0
            for _ in 0..<4 {
                let byte = bytes[index]
                let digit: UInt8
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
                default: throw error("bad \\u escape")
                }
                value = value << 4 | UInt32(digit)
                index += 1
            }
            return value
        }

        mutating func number() throws(ParseError) -> JSONValue {
            let start = index
            func digits() -> Int {
                let first = index
                while let byte = current, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) { index += 1 }
                return index - first
            }
            if current == UInt8(ascii: "-") { index += 1 }
            let leadingZero = current == UInt8(ascii: "0")
            let integerDigits = digits()
            guard integerDigits > 0, !(leadingZero && integerDigits > 1) else { throw error("invalid number") }
            var integral = true
            if current == UInt8(ascii: ".") {
                index += 1
                integral = false
                guard digits() > 0 else { throw error("invalid number") }
            }
            if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
                index += 1
                integral = false
                if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { index += 1 }
                guard digits() > 0 else { throw error("invalid number") }
            }
            let text = String(decoding: bytes[start..<index], as: UTF8.self)
            // "-0" stays the number -0.0, as it is written back (found by fuzzing: read as the
            // integer 0, it was written "0" the next time).
            if integral, text != "-0", let integer = Int(text) { return .integer(integer) }
            guard let number = Double(text), number.isFinite else { throw error("number out of range") }
            return .number(number)
        }
    }
}
