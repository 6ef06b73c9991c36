import Foundation

/// A Swift value sent to PostgreSQL as a text-format query parameter (`nil` is SQL NULL).
public protocol PGEncodable: Sendable {
    func pgText() throws -> String?
}

/// A Swift value read from a non-NULL text-format column.
public protocol PGDecodable {
    init(pgText text: String) throws
}

public typealias PGCodable = PGEncodable & PGDecodable

extension PGError {
    static func decoding(_ text: String, as type: Any.Type) -> PGError {
        PGError(.decoding, message: "cannot read \(String(reflecting: type)) from \(text.prefix(40).debugDescription)")
    }
}

extension Optional: PGEncodable where Wrapped: PGEncodable {
    public func pgText() throws -> String? { try self?.pgText() }
}

extension String: PGCodable {
    public func pgText() -> String? { self }
    public init(pgText text: String) { self = text }
}

extension Substring: PGEncodable {
    public func pgText() -> String? { String(self) }
}

extension Bool: PGCodable {
    public func pgText() -> String? { self ? "t" : "f" }
    public init(pgText text: String) throws {
        switch text {
        case "t", "true": self = true
        case "f", "false": self = false
        default: throw PGError.decoding(text, as: Bool.self)
        }
    }
}

extension PGEncodable where Self: FixedWidthInteger {
    public func pgText() -> String? { String(self) }
}

extension PGDecodable where Self: FixedWidthInteger {
    public init(pgText text: String) throws {
        guard let value = Self(text) else { throw PGError.decoding(text, as: Self.self) }
        self = value
    }
}
extension Int: PGCodable {}
extension Int16: PGCodable {}
extension Int32: PGCodable {}
extension Int64: PGCodable {}

extension Double: PGCodable {
    public func pgText() -> String? { String(self) }
    public init(pgText text: String) throws {
        switch text {
        case "NaN": self = .nan
        case "Infinity": self = .infinity
        case "-Infinity": self = -.infinity
        default:
            guard let value = Double(text) else { throw PGError.decoding(text, as: Double.self) }
            self = value
        }
    }
}

/// `numeric` values keep their exact decimal digits.
extension Decimal: PGCodable {
    public func pgText() -> String? { description }
    public init(pgText text: String) throws {
        guard let value = Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")) else {
            throw PGError.decoding(text, as: Decimal.self)
        }
        self = value
    }
}

/// `timestamptz`: sent in UTC with microseconds; read from the ISO output style whatever the
/// session time zone (offsets like `+08`, `-03:30`, `+05:53:28`).
extension Date: PGCodable {
    public func pgText() -> String? { PGTimestamp.format(self) }
    public init(pgText text: String) throws {
        guard let date = PGTimestamp.parse(text) else { throw PGError.decoding(text, as: Date.self) }
        self = date
    }
}

/// One-dimensional arrays (`text[]`, `int[]`, …) in PostgreSQL's array literal syntax.
extension Array: PGEncodable where Element: PGEncodable {
    public func pgText() throws -> String? {
        var literal = "{"
        for (index, element) in enumerated() {
            if index > 0 { literal += "," }
            guard let text = try element.pgText() else {
                literal += "NULL"
                continue
            }
            literal += "\""
            for character in text {
                if character == "\"" || character == "\\" { literal += "\\" }
                literal.append(character)
            }
            literal += "\""
        }
        return literal + "}"
    }
}

extension Array: PGDecodable where Element: PGDecodable {
    public init(pgText text: String) throws {
        guard let items = PGArrayLiteral.parse(text) else { throw PGError.decoding(text, as: [Element].self) }
        self = try items.map { item in
            guard let item else { throw PGError.decoding(text, as: [Element].self) }
            return try Element(pgText: item)
        }
    }
}

enum PGArrayLiteral {
    /// Parses `{a,"b c",NULL}` into its elements (`nil` for NULL). Only one dimension.
    static func parse(_ text: String) -> [String?]? {
        var characters = Substring(text)
        // An explicit lower bound such as `[0:2]={…}` may precede the braces.
        if characters.first == "[", let equals = characters.firstIndex(of: "=") {
            characters = characters[characters.index(after: equals)...]
        }
        guard characters.first == "{", characters.last == "}" else { return nil }
        characters = characters.dropFirst().dropLast()
        if characters.isEmpty { return [] }
        var items: [String?] = []
        var current = ""
        var quoted = false
        var wasQuoted = false
        var escaped = false
        for character in characters {
            if escaped {
                current.append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == "\"" {
                quoted.toggle()
                wasQuoted = true
            } else if character == "," && !quoted {
                items.append(!wasQuoted && current == "NULL" ? nil : current)
                current = ""
                wasQuoted = false
            } else if character == "{" && !quoted {
                return nil  // more than one dimension
            } else {
                current.append(character)
            }
        }
        guard !quoted, !escaped else { return nil }
        items.append(!wasQuoted && current == "NULL" ? nil : current)
        return items
    }
}

enum PGTimestamp {
    static func format(_ date: Date) -> String {
        let micros = (date.timeIntervalSince1970 * 1_000_000).rounded()
        let totalSeconds = Int64((micros / 1_000_000).rounded(.down))
        let fraction = Int64(micros) - totalSeconds * 1_000_000
        let days = Int(totalSeconds.floorDivided(by: 86_400))
        let secondOfDay = Int(totalSeconds - Int64(days) * 86_400)
        let (year, month, day) = civil(fromDays: days)
        guard (0...9999).contains(year) else {
            func pad(_ value: Int, _ width: Int) -> String {
                let digits = String(value)
                return String(repeating: "0", count: max(0, width - digits.count)) + digits
            }
            return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2)) \(pad(secondOfDay / 3600, 2)):"
                + "\(pad(secondOfDay / 60 % 60, 2)):\(pad(secondOfDay % 60, 2)).\(pad(Int(fraction), 6))+00"
        }
        // `YYYY-MM-DD HH:MM:SS.ffffff+00`, digit by digit: an action sends several timestamps.
        return String(unsafeUninitializedCapacity: 29) { text in
            func put(_ value: Int, _ width: Int, at offset: Int, then mark: Unicode.Scalar) {
                var rest = value
                for index in stride(from: offset + width - 1, through: offset, by: -1) {
                    text[index] = UInt8(ascii: "0") + UInt8(rest % 10)
                    rest /= 10
                }
                text[offset + width] = UInt8(ascii: mark)
            }
            put(year, 4, at: 0, then: "-")
            put(month, 2, at: 5, then: "-")
            put(day, 2, at: 8, then: " ")
            put(secondOfDay / 3600, 2, at: 11, then: ":")
            put(secondOfDay / 60 % 60, 2, at: 14, then: ":")
            put(secondOfDay % 60, 2, at: 17, then: ".")
            put(Int(fraction), 6, at: 20, then: "+")
            text[27] = UInt8(ascii: "0")
            text[28] = UInt8(ascii: "0")
            return 29
        }
    }

    /// Parses `YYYY-MM-DD HH:MM:SS[.ffffff]±HH[:MM[:SS]]` (PostgreSQL's ISO style, also with `T`).
    static func parse(_ text: String) -> Date? {
        var text = text
        return text.withUTF8(parse(bytes:))
    }

    private static func parse(bytes: UnsafeBufferPointer<UInt8>) -> Date? {
        var index = 0
        func number(_ width: Int) -> Int? {
            guard index + width <= bytes.count else { return nil }
            var value = 0
            for byte in bytes[index..<index + width] {
                guard byte >= 48, byte <= 57 else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            index += width
            return value
        }
        func expect(_ byte: UInt8) -> Bool {
            guard index < bytes.count, bytes[index] == byte else { return false }
            index += 1
            return true
        }
        guard let year = number(4), expect(45), let month = number(2), expect(45), let day = number(2),
            expect(32) || expect(84), let hour = number(2), expect(58), let minute = number(2), expect(58),
            let second = number(2)
        else { return nil }
        var micros = 0
        if expect(46) {
            var digits = 0
            while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 {
                if digits < 6 { micros = micros * 10 + Int(bytes[index] - 48) }
                digits += 1
                index += 1
            }
            for _ in digits..<max(digits, 6) { micros *= 10 }
        }
        var offset = 0
        if index < bytes.count {
            let sign: Int
            if expect(43) { sign = 1 } else if expect(45) { sign = -1 } else if expect(90) { sign = 0 } else { return nil }
            if sign != 0 {
                guard let hours = number(2) else { return nil }
                var seconds = hours * 3600
                if expect(58), let minutes = number(2) { seconds += minutes * 60 }
                if expect(58), let secs = number(2) { seconds += secs }
                offset = sign * seconds
            }
        }
        guard index == bytes.count, (1...12).contains(month), (1...31).contains(day), hour < 24,
            minute < 60, second < 61
        else { return nil }
        let days = Self.days(fromCivil: year, month, day)
        let seconds = Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + second) - Int64(offset)
        return Date(timeIntervalSince1970: Double(seconds) + Double(micros) / 1_000_000)
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    static func days(fromCivil year: Int, _ month: Int, _ day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    static func civil(fromDays days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}

extension Int64 {
    fileprivate func floorDivided(by divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }
}
