/// The problems of an imported file (SPEC §10): the first 100 listed, the rest counted, and how
/// many rows they are on, so a million bad rows cost no more than a hundred.
public struct FileProblems: Sendable, Equatable {
    public static let listedAtMost = 100
    /// One listed problem: where in the file, and what.
    public struct Located: Sendable, Equatable, TextArgument {
        public let line: Int
        public let column: String?
        public let text: Text

        /// `line 102: level: must be 1, 2 or 3` / `第 102 行 level：须为 1、2 或 3`.
        public func text(in language: Language) -> String {
            language(column == nil ? "import.atLine" : "import.atColumn", line, column ?? "", text(language))
        }
    }
    public private(set) var located: [Located] = []
    public private(set) var unlisted = 0
    public private(set) var rows = 0
    private var lastLine = 0

    public init() {}

    public var isEmpty: Bool { located.isEmpty }

    /// The listed problems with their places as paths (`line 102: level`), for JSON.
    public var listed: [Problem] {
        located.map { place in Problem(place.column.map { "line \(place.line): \($0)" } ?? "line \(place.line)", place.text) }
    }

    /// A problem of `column` on `line` (lines come in order); `column` nil for the whole line.
    /// The text is made only for a problem that is listed.
    public mutating func add(line: Int, _ column: String?, _ text: @autoclosure () -> Text) {
        if line != lastLine {
            rows += 1
            lastLine = line
        }
        guard located.count < Self.listedAtMost else {
            unlisted += 1
            return
        }
        located.append(Located(line: line, column: column, text: text()))
    }
}

/// Reads a hospital registry CSV (UTF-8, header row; columns code, name, level, grade, kind,
/// district, beds, departments with departments `;`-separated; RFC 4180 quoting). Every bad row is
/// reported as a problem at `line N: column` (the first 100 listed), and nothing is returned
/// unless all rows are good. Records are checked as they are read, so bad rows are never held.
public enum HospitalCSV {
    enum Column: Int, CaseIterable { case code, name, level, grade, kind, district, beds, departments }
    public static let columns = Column.allCases.map { "\($0)" }
    static let requiredColumns: Set<String> = ["code", "name", "level"]

    /// The hospitals, each with the line it came from.
    public static func parse(_ text: String) -> (hospitals: [(line: Int, hospital: Hospital)], problems: FileProblems) {
        var problems = FileProblems()
        var header: Record?
        var index: [String: Int] = [:]
        var positions: [Int?] = []
        var hospitals: [(Int, Hospital)] = []
        var firstLine: [String: Int] = [:]
        forEachRecord(of: text) { record in
            guard let header else {
                header = record
                readHeader(record, columns: columns, required: requiredColumns, into: &index, &problems)
                positions = columns.map { index[$0] }
                return problems.isEmpty
            }
            check(record, header: header, positions: positions, firstLine: &firstLine, into: &hospitals, &problems)
            return true
        }
        if header == nil { problems.add(line: 1, nil, Text("import.empty")) }
        return problems.isEmpty ? (hospitals, problems) : ([], problems)
    }

    /// Where each of `columns` is in `header` (case ignored); an unknown, repeated or missing
    /// required column is a problem of line 1.
    static func readHeader(
        _ header: Record, columns: [String], required requiredColumns: Set<String>, into index: inout [String: Int],
        _ problems: inout FileProblems
    ) {
        for (position, name) in header.fields.enumerated() {
            let column = name.lowercased()
            if !columns.contains(column) {
                problems.add(line: 1, name, Text("import.unknownColumn", Words("code", columns)))
            } else if index[column] != nil {
                problems.add(line: 1, column, Text("import.twice"))
            } else {
                index[column] = position
            }
        }
        for column in columns where requiredColumns.contains(column) && index[column] == nil {
            problems.add(line: 1, column, Text("import.missing"))
        }
    }

    private static func check(
        _ record: Record, header: Record, positions: [Int?], firstLine: inout [String: Int],
        into hospitals: inout [(Int, Hospital)], _ problems: inout FileProblems
    ) {
        if record.fields.count == 1 && record.fields[0].isEmpty { return }
        let line = record.line
        /// The value of `column`, nil when the row lacks it or it is empty.
        func field(_ column: Column) -> String? {
            guard let position = positions[column.rawValue], position < record.fields.count, !record.fields[position].isEmpty else {
                return nil
            }
            return record.fields[position]
        }
        var good = true
        func problem(_ column: String, _ text: @autoclosure () -> Text) {
            good = false
            problems.add(line: line, column, text())
        }
        if record.fields.count != header.fields.count {
            problem("columns", Text("import.fields", record.fields.count, header.fields.count))
        }
        let code = field(.code) ?? ""
        if !Codes.isValid(code) { problem("code", Text(code.isEmpty ? "import.missing" : "problem.code")) }
        // Repeated codes are looked for while the listing has room: past it, remembering
        // every code of a million bad rows would cost more than the rows themselves.
        if problems.unlisted > 0 {
            if !firstLine.isEmpty { firstLine = [:] }
        } else if let earlier = firstLine[code] {
            problem("code", Text("import.repeated", code, earlier))
        } else if !code.isEmpty {
            firstLine[code] = line
        }
        let name = field(.name) ?? ""
        if name.isEmpty { problem("name", Text("import.missing")) }
        let level = field(.level).flatMap { Int($0) }
        if level == nil || !(1...3).contains(level!) { problem("level", Text("problem.level")) }
        let grade = field(.grade).map { Hospital.Grade(rawValue: $0) } ?? .unrated
        if grade == nil { problem("grade", Text("import.grade")) }
        let kind = field(.kind).map { Hospital.Kind(rawValue: $0) } ?? .general
        if kind == nil { problem("kind", Text("problem.oneOf", Words("code", Hospital.Kind.allCases.map(\.rawValue)))) }
        var beds: Int?
        if let text = field(.beds) {
            beds = Int(text)
            if beds == nil || !(0...100_000).contains(beds!) { problem("beds", Text("import.beds")) }
        }
        let departments =
            field(.departments).map {
                $0.split(separator: ";").map { String($0.trimmed) }.filter { !$0.isEmpty }
            } ?? []
        // Once a row is bad none will be imported: the good ones are no longer kept.
        if good, problems.isEmpty, let level, let grade, let kind {
            hospitals.append(
                (
                    line,
                    Hospital(
                        code: code, name: name, level: level, grade: grade, kind: kind, district: field(.district), beds: beds,
                        departments: departments)
                ))
        } else if !hospitals.isEmpty {
            hospitals = []
        }
    }

    /// A record's fields, each without leading and trailing white space.
    struct Record {
        var line: Int
        var fields: [String]
    }

    /// Hands each record of CSV text to `body` as it is read, honouring quotes (which may hold
    /// commas and newlines); stops when `body` returns false. Works on the UTF-8 bytes: the
    /// bytes it looks for (`"`, `,`, CR, LF) never occur inside a multi-byte character.
    static func forEachRecord(of text: String, _ body: (Record) -> Bool) {
        let bytes = Array(text.utf8)
        var index = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0  // byte order mark
        var fields: [String] = []
        var field: [UInt8] = []
        var quoted = false
        var wasQuoted = false
        var stopped = false
        var line = 1
        var recordLine = 1
        func endField() {
            // ASCII white space is cut from the bytes; a non-ASCII end may be Unicode white space.
            let blank: (UInt8) -> Bool = { $0 == 0x20 || (9...13).contains($0) }
            let start = field.firstIndex { !blank($0) } ?? field.endIndex
            let end = field.lastIndex { !blank($0) }.map { $0 + 1 } ?? start
            let text = String(decoding: field[start..<end], as: UTF8.self)
            fields.append(start < end && (field[start] >= 0x80 || field[end - 1] >= 0x80) ? String(text.trimmed) : text)
            field.removeAll(keepingCapacity: true)
            wasQuoted = false
        }
        func endRecord() {
            endField()
            stopped = !body(Record(line: recordLine, fields: fields))
            fields.removeAll(keepingCapacity: true)
        }
        while !stopped && index < bytes.count {
            let byte = bytes[index]
            index += 1
            if quoted {
                if byte == UInt8(ascii: "\"") {
                    if index < bytes.count && bytes[index] == UInt8(ascii: "\"") {
                        field.append(byte)
                        index += 1
                    } else {
                        quoted = false
                    }
                } else {
                    if byte == UInt8(ascii: "\n") { line += 1 }
                    field.append(byte)
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "\"") where field.isEmpty && !wasQuoted:
                quoted = true
                wasQuoted = true
            case UInt8(ascii: ","):
                endField()
            case UInt8(ascii: "\r"):
                continue
            case UInt8(ascii: "\n"):
                endRecord()
                line += 1
                recordLine = line
            default:
                field.append(byte)
            }
        }
        if !stopped && (!field.isEmpty || !fields.isEmpty || wasQuoted) { endRecord() }
    }
}

extension StringProtocol {
    /// Without leading and trailing white space. By scalars, ASCII first: looking up the Unicode
    /// properties of every character was a fifth of an import's time.
    var trimmed: SubSequence {
        func blank(_ scalar: Unicode.Scalar) -> Bool {
            scalar.isASCII ? scalar == " " || (9...13).contains(scalar.value) : scalar.properties.isWhitespace
        }
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !blank($0) }), let last = scalars.lastIndex(where: { !blank($0) }) else {
            return self[endIndex..<endIndex]
        }
        return self[first..<scalars.index(after: last)]
    }
}
