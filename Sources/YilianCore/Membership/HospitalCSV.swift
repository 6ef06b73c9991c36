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
        var firstLine: [String: Int] = [:]
        let (rows, problems) = read(text, columns: columns, required: requiredColumns) { record, problems -> Hospital? in
            func field(_ column: Column) -> String? { record.field(column.rawValue) }
            let code = field(.code) ?? ""
            if !Codes.isValid(code) { record.problem("code", Text(code.isEmpty ? "import.missing" : "problem.code"), in: &problems) }
            // Repeated codes are looked for while the listing has room: past it, remembering
            // every code of a million bad rows would cost more than the rows themselves.
            if problems.unlisted > 0 {
                if !firstLine.isEmpty { firstLine = [:] }
            } else if let earlier = firstLine[code] {
                record.problem("code", Text("import.repeated", code, earlier), in: &problems)
            } else if !code.isEmpty {
                firstLine[code] = record.line
            }
            let name = field(.name) ?? ""
            if name.isEmpty { record.problem("name", Text("import.missing"), in: &problems) }
            let level = field(.level).flatMap { Int($0) }
            if level == nil || !(1...3).contains(level!) { record.problem("level", Text("problem.level"), in: &problems) }
            let grade = field(.grade).map { Hospital.Grade(rawValue: $0) } ?? .unrated
            if grade == nil { record.problem("grade", Text("import.grade"), in: &problems) }
            let kind = field(.kind).map { Hospital.Kind(rawValue: $0) } ?? .general
            if kind == nil {
                record.problem("kind", Text("problem.oneOf", Words("code", Hospital.Kind.allCases.map(\.rawValue))), in: &problems)
            }
            var beds: Int?
            if let text = field(.beds) {
                beds = Int(text)
                if beds == nil || !(0...100_000).contains(beds!) { record.problem("beds", Text("import.beds"), in: &problems) }
            }
            let departments =
                field(.departments).map {
                    $0.split(separator: ";").map { String($0.trimmed) }.filter { !$0.isEmpty }
                } ?? []
            guard let level, let grade, let kind else { return nil }
            return Hospital(
                code: code, name: name, level: level, grade: grade, kind: kind, district: field(.district), beds: beds,
                departments: departments)
        }
        return (rows.map { (line: $0.line, hospital: $0.row) }, problems)
    }

    /// One record of an import being read: its fields by the position of their column in the
    /// import's list, and whether it is still good.
    struct ImportRecord {
        let line: Int
        let fields: [String]
        let positions: [Int?]
        private(set) var good = true

        /// The value of the import's column `index`, nil when the row lacks it or it is empty.
        func field(_ index: Int) -> String? {
            guard let position = positions[index], position < fields.count, !fields[position].isEmpty else { return nil }
            return fields[position]
        }

        /// A problem of `column` on this record's line; the record is no longer good.
        mutating func problem(_ column: String, _ text: @autoclosure () -> Text, in problems: inout FileProblems) {
            good = false
            problems.add(line: line, column, text())
        }
    }

    /// Reads an import's CSV: its header (`columns`, `required` among them), then each record
    /// through `row`, which reads it into a row or says its problems. Blank lines are skipped and a
    /// record with another count of fields than the header is a problem. Nothing is returned
    /// unless all records are good; once one is bad the good ones are no longer kept.
    static func read<Row>(
        _ text: String, columns: [String], required: Set<String>, _ row: (inout ImportRecord, inout FileProblems) -> Row?
    ) -> (rows: [(line: Int, row: Row)], problems: FileProblems) {
        var problems = FileProblems()
        var header: Record?
        var positions: [Int?] = []
        var rows: [(line: Int, row: Row)] = []
        forEachRecord(of: text) { record in
            guard let header else {
                header = record
                var index: [String: Int] = [:]
                readHeader(record, columns: columns, required: required, into: &index, &problems)
                positions = columns.map { index[$0] }
                return problems.isEmpty
            }
            if record.fields.count == 1 && record.fields[0].isEmpty { return true }
            var current = ImportRecord(line: record.line, fields: record.fields, positions: positions)
            if record.fields.count != header.fields.count {
                current.problem("columns", Text("import.fields", record.fields.count, header.fields.count), in: &problems)
            }
            let read = row(&current, &problems)
            if current.good, problems.isEmpty, let read {
                rows.append((record.line, read))
            } else if !rows.isEmpty {
                rows = []
            }
            return true
        }
        if header == nil { problems.add(line: 1, nil, Text("import.empty")) }
        return problems.isEmpty ? (rows, problems) : ([], problems)
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
