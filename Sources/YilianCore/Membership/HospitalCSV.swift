/// Reads a hospital registry CSV (UTF-8, header row; columns code, name, level, grade, kind,
/// district, beds, departments with departments `;`-separated; RFC 4180 quoting). Every bad row is
/// reported as a problem at `line N: column`, and nothing is returned unless all rows are good.
public enum HospitalCSV {
    public static let columns = ["code", "name", "level", "grade", "kind", "district", "beds", "departments"]
    static let requiredColumns: Set<String> = ["code", "name", "level"]

    /// The hospitals, each with the line it came from.
    public static func parse(_ text: String) -> (hospitals: [(line: Int, hospital: Hospital)], problems: [Problem]) {
        var records = records(of: text)
        guard !records.isEmpty else { return ([], [Problem("line 1", "the file is empty; it needs a header row")]) }
        let header = records.removeFirst()
        var problems: [Problem] = []
        var index: [String: Int] = [:]
        for (position, name) in header.fields.enumerated() {
            let column = name.trimmed.lowercased()
            if !columns.contains(column) {
                problems.append(Problem("line 1: \(name)", "is not a known column; use " + columns.joined(separator: ", ")))
            } else if index[column] != nil {
                problems.append(Problem("line 1: \(column)", "appears twice"))
            } else {
                index[column] = position
            }
        }
        for column in columns where requiredColumns.contains(column) && index[column] == nil {
            problems.append(Problem("line 1: \(column)", "is missing"))
        }
        guard problems.isEmpty else { return ([], problems) }

        var hospitals: [(Int, Hospital)] = []
        var firstLine: [String: Int] = [:]
        for record in records where !(record.fields.count == 1 && record.fields[0].trimmed.isEmpty) {
            let line = record.line
            func field(_ column: String) -> String? {
                guard let position = index[column], position < record.fields.count else { return nil }
                let value = String(record.fields[position].trimmed)
                return value.isEmpty ? nil : value
            }
            var rowProblems: [Problem] = []
            func problem(_ column: String, _ message: String) { rowProblems.append(Problem("line \(line): \(column)", message)) }
            if record.fields.count != header.fields.count {
                problem("columns", "has \(record.fields.count) fields, the header has \(header.fields.count)")
            }
            let code = field("code") ?? ""
            if !Codes.isValid(code) { problem("code", code.isEmpty ? "is missing" : Codes.rule) }
            if let earlier = firstLine[code] {
                problem("code", "\(code) appears again (first on line \(earlier))")
            } else if !code.isEmpty {
                firstLine[code] = line
            }
            let name = field("name") ?? ""
            if name.isEmpty { problem("name", "is missing") }
            let level = field("level").flatMap { Int($0) }
            if level == nil || !(1...3).contains(level!) { problem("level", "must be 1, 2 or 3") }
            let grade = field("grade").map { Hospital.Grade(rawValue: $0) } ?? .unrated
            if grade == nil { problem("grade", "must be A, B, C or unrated") }
            let kind = field("kind").map { Hospital.Kind(rawValue: $0) } ?? .general
            if kind == nil { problem("kind", "must be one of " + Hospital.Kind.allCases.map(\.rawValue).joined(separator: ", ")) }
            var beds: Int?
            if let text = field("beds") {
                beds = Int(text)
                if beds == nil || !(0...100_000).contains(beds!) { problem("beds", "must be a whole number between 0 and 100000") }
            }
            let departments = field("departments").map {
                $0.split(separator: ";").map { String($0.trimmed) }.filter { !$0.isEmpty }
            } ?? []
            if rowProblems.isEmpty, let level, let grade, let kind {
                hospitals.append(
                    (line, Hospital(code: code, name: name, level: level, grade: grade, kind: kind, district: field("district"), beds: beds, departments: departments)))
            }
            problems += rowProblems
        }
        return problems.isEmpty ? (hospitals, []) : ([], problems)
    }

    struct Record {
        var line: Int
        var fields: [Substring]
    }

    /// Splits CSV text into records, honouring quotes (which may hold commas and newlines).
    static func records(of text: String) -> [Record] {
        var records: [Record] = []
        var fields: [Substring] = []
        var field = ""
        var quoted = false, wasQuoted = false
        var line = 1, recordLine = 1
        var iterator = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = nil
        func endField() {
            fields.append(Substring(field))
            field = ""
            wasQuoted = false
        }
        func endRecord() {
            endField()
            records.append(Record(line: recordLine, fields: fields))
            fields = []
        }
        while let scalar = pending ?? iterator.next() {
            pending = nil
            if quoted {
                if scalar == "\"" {
                    let next = iterator.next()
                    if next == "\"" { field.unicodeScalars.append("\"") } else { quoted = false; pending = next }
                } else {
                    if scalar == "\n" { line += 1 }
                    field.unicodeScalars.append(scalar)
                }
                continue
            }
            switch scalar {
            case "\"" where field.isEmpty && !wasQuoted:
                quoted = true
                wasQuoted = true
            case ",":
                endField()
            case "\r":
                continue
            case "\n":
                endRecord()
                line += 1
                recordLine = line
            case "\u{FEFF}" where records.isEmpty && fields.isEmpty && field.isEmpty:
                continue  // byte order mark
            default:
                field.unicodeScalars.append(scalar)
            }
        }
        if !field.isEmpty || !fields.isEmpty || wasQuoted { endRecord() }
        return records
    }
}

extension StringProtocol {
    var trimmed: SubSequence {
        let start = firstIndex { !$0.isWhitespace } ?? endIndex
        let end = lastIndex { !$0.isWhitespace }.map(index(after:)) ?? start
        return self[start..<Swift.max(start, end)]
    }
}
