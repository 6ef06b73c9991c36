/// Compact JSON text of a `JSONValue`, byte for byte what Foundation's `JSONEncoder` writes with
/// `.sortedKeys` and `.withoutEscapingSlashes`: object keys in UTF-8 byte order, `"`, `\` and
/// control characters escaped (`\n`, `\u001f`, …), numbers as Swift prints them without a
/// trailing `.0`; but for the controls a terminal obeys that `JSONEncoder` leaves as they are
/// (DEL, C1, the bidi controls), which are escaped too (`\u009b`), so JSON read on a terminal
/// is as safe as text (SPEC §3). Every result and response line is written by this.
extension JSONValue {
    /// The value as compact JSON text.
    public var serialized: [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(256)
        write(into: &output)
        return output
    }

    /// Appends the value's JSON text to `output`.
    public func write(into output: inout [UInt8]) {
        switch self {
        case .null: output.append(contentsOf: "null".utf8)
        case .bool(let value): output.append(contentsOf: (value ? "true" : "false").utf8)
        case .integer(let value): output.append(contentsOf: String(value).utf8)
        case .number(let value): Self.write(number: value, into: &output)
        case .string(let value): Self.write(string: value, into: &output)
        case .array(let items):
            output.append(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                item.write(into: &output)
            }
            output.append(UInt8(ascii: "]"))
        case .object(let members):
            output.append(UInt8(ascii: "{"))
            for (index, member) in members.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                Self.write(string: member.key, into: &output)
                output.append(UInt8(ascii: ":"))
                member.value.write(into: &output)
            }
            output.append(UInt8(ascii: "}"))
        }
    }

    /// Finite numbers only (the parser and the encoder refuse the others): `1.0` → `1`,
    /// `1e-07` and `1e+16` as Swift's shortest round-trip form.
    static func write(number: Double, into output: inout [UInt8]) {
        let text = number.description
        output.append(contentsOf: text.hasSuffix(".0") ? text.utf8.dropLast(2) : text.utf8[...])
    }

    /// A string with `"`, `\` and every terminal control (`Unicode.Scalar.isTerminalControl`)
    /// escaped. The fast path: one table lookup per byte finds where an escape may start, and
    /// the bytes between escapes are copied in runs; ASCII text and Chinese (lead bytes from
    /// 0xE3 on) are one scan and one copy.
    static func write(string: String, into output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        var string = string
        mayStartEscape.withUnsafeBufferPointer { mayStart in
            string.withUTF8 { bytes in
                var copied = 0  // the bytes before are written
                var index = 0
                while let next = bytes[index...].firstIndex(where: { mayStart[Int($0)] }) {
                    let (value, length) = scalar(bytes, at: next)
                    index = next + length
                    guard value == 0x22 || value == 0x5C || Unicode.Scalar(value)?.isTerminalControl == true else { continue }
                    output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[copied..<next]))
                    write(escaped: value, into: &output)
                    copied = index
                }
                output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[copied...]))
            }
        }
        output.append(UInt8(ascii: "\""))
    }

    /// By byte: whether a scalar to escape may start there. ASCII `"`, `\`, C0 and DEL, and the
    /// lead bytes of the scalars U+0080–U+2FFF (C1 and the bidi controls are below U+2070);
    /// never a continuation byte.
    private static let mayStartEscape: [Bool] = (0...255).map { (byte: Int) -> Bool in
        byte < 0x20 || byte == 0x22 || byte == 0x5C || byte == 0x7F || (0xC2...0xE2).contains(byte)
    }

    /// The scalar value and UTF-8 length at a byte `mayStartEscape` holds, in valid UTF-8.
    @inline(__always)
    private static func scalar(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> (value: UInt32, length: Int) {
        let lead = UInt32(bytes[index])
        switch lead {
        case ..<0x80: return (lead, 1)
        case ..<0xE0: return ((lead & 0x1F) << 6 | UInt32(bytes[index + 1] & 0x3F), 2)
        default: return ((lead & 0x0F) << 12 | UInt32(bytes[index + 1] & 0x3F) << 6 | UInt32(bytes[index + 2] & 0x3F), 3)
        }
    }

    /// `\"`, `\\`, `\n`, `\r`, `\t`, `\b`, `\f`, else `\u` and four lowercase hex digits.
    private static func write(escaped value: UInt32, into output: inout [UInt8]) {
        switch value {
        case 0x22: output.append(contentsOf: #"\""#.utf8)
        case 0x5C: output.append(contentsOf: #"\\"#.utf8)
        case 0x0A: output.append(contentsOf: #"\n"#.utf8)
        case 0x0D: output.append(contentsOf: #"\r"#.utf8)
        case 0x09: output.append(contentsOf: #"\t"#.utf8)
        case 0x08: output.append(contentsOf: #"\b"#.utf8)
        case 0x0C: output.append(contentsOf: #"\f"#.utf8)
        default:
            output.append(contentsOf: #"\u"#.utf8)
            for shift in stride(from: 12, through: 0, by: -4) {
                let digit = UInt8(truncatingIfNeeded: value >> UInt32(shift)) & 0x0F
                output.append(digit < 10 ? UInt8(ascii: "0") + digit : UInt8(ascii: "a") + digit - 10)
            }
        }
    }
}
