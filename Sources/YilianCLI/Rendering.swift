import Foundation
import YilianCore
import YilianJSON
import YilianServices

/// Reading JSON arguments and showing JSON results as text.
enum Input {
    /// What a file given as input may hold: as much as a request to `serve` (SPEC §10).
    static let fileAtMost = 1 << 20

    /// A whole UTF-8 text file (an import's CSV, which the services bound row by row).
    static func text(file: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: file) else {
            throw YilianError(.invalidParams, Text("error.unreadableFile", file))
        }
        guard let text = String(validating: data, as: UTF8.self) else { throw YilianError(.invalidParams, Text("file.notUTF8", file)) }
        return text
    }

    /// JSON given inline (`--facts '{…}'`) or in a file (`--facts-file F`, at most 1 MiB, read no
    /// further); nil when neither.
    static func json(inline: String?, file: String?, name: String) throws -> JSONValue? {
        let data: Data
        if let file {
            guard let handle = FileHandle(forReadingAtPath: file), let contents = try? handle.read(upToCount: fileAtMost + 1) ?? Data()
            else {
                throw YilianError.invalidParams([Problem(name, "cannot read the file \(file)")])
            }
            guard contents.count <= fileAtMost else {
                let size = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? nil
                throw YilianError.invalidParams([
                    Problem(name, Text("problem.fileTooLarge", file, size.map(String.init) ?? "> \(fileAtMost)"))
                ])
            }
            data = contents
        } else if let inline {
            data = Data(inline.utf8)
        } else {
            return nil
        }
        guard String(validating: data, as: UTF8.self) != nil, let value = try? JSONValue(parsing: Array(data)) else {
            throw YilianError.invalidParams([Problem(name, file.map { "the file \($0) is not valid JSON" } ?? "is not valid JSON")])
        }
        return value
    }

    /// `a,b,c` → ["a", "b", "c"].
    static func list(_ text: String?) -> JSONValue? {
        text.map { .array($0.split(separator: ",").map { .string($0.trimmingCharacters(in: .whitespaces)) }) }
    }
}

extension String {
    /// The text with every control character a terminal obeys (`Unicode.Scalar.isTerminalControl`:
    /// C0, DEL, C1 and the bidi controls that reorder what is shown; line feeds and tabs only
    /// unless `keepingLines`) shown as a visible escape (`\u001B`). Stored text never moves the
    /// cursor, clears the screen, hides words, links or retitles the window (SPEC §3).
    func visible(keepingLines: Bool) -> String {
        func obeyed(_ scalar: Unicode.Scalar) -> Bool {
            scalar.isTerminalControl && !(keepingLines && (scalar == "\n" || scalar == "\t"))
        }
        guard unicodeScalars.contains(where: obeyed) else { return self }
        var shown = ""
        for scalar in unicodeScalars {
            if obeyed(scalar) {
                let hex = String(scalar.value, radix: 16, uppercase: true)
                shown += "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
            } else {
                shown.unicodeScalars.append(scalar)
            }
        }
        return shown
    }
}

/// Where text for people goes: stdout, with `String.visible` applied.
enum Terminal {
    static func print(_ text: String) { Swift.print(text.visible(keepingLines: true)) }

    /// The width help is wrapped to, as argument-parser finds it: `COLUMNS`, else the terminal's,
    /// else 80.
    static var columns: Int {
        if let columns = ProcessInfo.processInfo.environment["COLUMNS"].flatMap(Int.init), columns > 0 { return columns }
        var size = winsize()
        guard ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return 80 }
        return Int(size.ws_col)
    }
}

extension JSONValue {
    /// A field as a table cell: text with its controls and line breaks made visible, null as "-".
    var cell: String {
        switch self {
        case .null: return "-"
        case .string(let text): return text.visible(keepingLines: false)
        case .integer(let number): return String(number)
        case .number(let number): return String(number)
        case .bool(let flag): return Language.current(flag ? "yes" : "no")
        case .array(let items): return items.map(\.cell).joined(separator: ", ")
        case .object: return compactJSON
        }
    }

    func cell(_ key: String) -> String { self[key]?.cell ?? "-" }

    /// A member's text as stored (not made visible: for files, which neutralise it their way).
    func text(_ key: String) -> String {
        if case .string(let text)? = self[key] { return text }
        return self[key].map { $0.cell } ?? ""
    }

    var items: [JSONValue] {
        if case .array(let items) = self { return items }
        return []
    }

    var compactJSON: String { String(decoding: serialized, as: UTF8.self) }

    /// "2026-11-23T19:01:55Z" → "2026-11-24 03:01 北京时间" (or "UTC+8" in English): the time in
    /// the local time zone (`TZ`, else the system's), to the minute, with its name or offset.
    var shortTime: String { localTime(labelled: true) }

    /// The same without the zone, for a table column whose heading names it (`LocalTime.heading`).
    var tableTime: String { localTime(labelled: false) }

    private func localTime(labelled: Bool) -> String {
        guard case .string(let text) = self, text.count == 20, let day = CalendarDate(String(text.prefix(10))),
            let hours = Int(text.dropFirst(11).prefix(2)), let minutes = Int(text.dropFirst(14).prefix(2))
        else { return cell }
        let date = Date(timeIntervalSince1970: TimeInterval(day.daysSinceEpoch * 86_400 + hours * 3600 + minutes * 60))
        return LocalTime.text(date, labelled: labelled)
    }
}

/// Times as a person in this time zone reads them (SPEC §3).
enum LocalTime {
    /// The zones of China Standard Time, which Chinese readers call 北京时间.
    static let beijing: Set<String> = ["Asia/Shanghai", "Asia/Chongqing", "Asia/Harbin", "PRC"]

    static func text(_ date: Date, in zone: TimeZone = .current, labelled: Bool = true) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        func two(_ value: Int?) -> String { (value ?? 0) < 10 ? "0\(value ?? 0)" : String(value ?? 0) }
        let time = "\(parts.year ?? 0)-\(two(parts.month))-\(two(parts.day)) \(two(parts.hour)):\(two(parts.minute))"
        return labelled ? time + " " + label(zone, at: date) : time
    }

    /// A time column's heading: `时间（北京时间）`, `When (UTC+8)`.
    static func heading(_ key: String) -> String { Language.current(key, label(.current, at: Date())) }

    /// 北京时间 in Chinese for China's zone, else the offset: `UTC`, `UTC+8`, `UTC+5:30`.
    static func label(_ zone: TimeZone, at date: Date) -> String {
        let offset = zone.secondsFromGMT(for: date)
        if Language.current == .zh && beijing.contains(zone.identifier) && offset == 8 * 3600 { return "北京时间" }
        guard offset != 0 else { return "UTC" }
        let minutes = abs(offset) / 60
        return "UTC" + (offset < 0 ? "-" : "+") + "\(minutes / 60)"
            + (minutes % 60 == 0 ? "" : ":" + (minutes % 60 < 10 ? "0" : "") + "\(minutes % 60)")
    }
}

extension JSONValue {
    /// A code as the reader's word (`status`, `in_treatment` → 已到诊 / in treatment).
    func word(_ kind: String, _ key: String) -> String {
        guard case .string(let code)? = self[key] else { return cell(key) }
        return Language.current.word(kind, code).visible(keepingLines: false)
    }
}

/// Column headings from the catalogue (`col.name` → 名称 / Name).
func headings(_ keys: String...) -> [String] { keys.map { Language.current("col.\($0)") } }

/// A list result: its table, and where the next page starts.
func pageText<Item>(_ page: Page<Item>, headers: [String], row: (Item) -> [String]) -> String {
    if page.items.isEmpty { return Language.current("list.nothing") }
    var text = TextTable(headers: headers, rows: page.items.map(row)).render()
    if let nextCursor = page.nextCursor { text += "\n" + Language.current("list.more", nextCursor) }
    return text
}

// Typed values as cells, as `JSONValue.cell` shows their JSON: text with its controls and line
// breaks made visible, nothing as "-", yes and no in words, times in the reader's zone.
extension String {
    var cell: String { visible(keepingLines: false) }
}

extension Optional where Wrapped == String {
    var cell: String { map(\.cell) ?? "-" }
}

extension Optional where Wrapped == Int {
    var cell: String { map(String.init) ?? "-" }
}

extension Bool {
    var cell: String { Language.current(self ? "yes" : "no") }
}

extension Date {
    var shortTime: String { LocalTime.text(self) }
    var tableTime: String { LocalTime.text(self, labelled: false) }
}

extension RawRepresentable<String> {
    /// A code as the reader's word of its `kind` (`duty`, `hospital_admin` → 医院管理员).
    func word(_ kind: String) -> String { Language.current.word(kind, rawValue).visible(keepingLines: false) }
}

/// An error as the coordinator reads it (SPEC §3): in their language, naming the flags they
/// typed rather than JSON paths, every problem of the request at once.
enum ErrorText {
    static func sentence(_ error: YilianError) -> String {
        let language = Language.current
        // An error that says its problems its own way (an import's, with the file's lines) keeps it.
        if let text = error.text { return text(language) }
        guard !error.problems.isEmpty else { return error.message }
        let parts = error.problems.map { problem in
            let text = problem.text.map { $0(language) } ?? problem.message
            let flag = flag(problem.path)
            return flag.isEmpty ? text : language("error.problem", flag, text)
        }
        guard parts.count > 1 else { return language("error.sentence", parts[0]) }
        // Places in a FHIR resource are long: one problem per line.
        if error.problems.contains(where: { $0.path.hasPrefix("Bundle.") || $0.path.hasPrefix("Task.") }) {
            return language("error.problemsListed", parts.count, parts.map { "  " + $0 }.joined(separator: "\n"))
        }
        return language("error.problems", parts.count, parts.joined(separator: language("error.problemSeparator")))
    }

    /// The flag a parameter path was typed as: `patient.birthDate` → `--patient-birth-date`,
    /// `diagnosis[1].code` → `--diagnosis`; a path inside a JSON file (criteria, a 互认 catalogue,
    /// facts, a FHIR Bundle) stays a path.
    static func flag(_ path: String) -> String {
        // Not a parameter: a place in a file (`line 102: level`).
        guard !path.contains(" ") else { return path }
        let plain = path.replacing(/\[[0-9]+\]/, with: "")
        let segments = plain.split(separator: ".").map(String.init)
        guard let first = segments.first else { return "" }
        switch first {
        case "params": return ""
        case "criteria" where segments.count > 1: return String(path.dropFirst("criteria.".count))
        case "catalogue" where segments.count > 1: return String(path.dropFirst("catalogue.".count))
        case "facts" where segments.count > 1: return path
        // A place in a FHIR Bundle or Task (`Bundle.entry[2].resource.priority`); the file itself.
        case "Bundle", "Task": return path
        case "bundle", "task": return segments.count > 1 ? first.capitalized + path.dropFirst(first.count) : ""
        case "patient" where segments.count == 1: return "--patient-name"
        case "attachments": return "--attachment"
        case "diagnosis": return "--diagnosis"
        case "actor": return "--as"
        case "displayName": return "--name"
        case "as": return "--as-side"
        case "responseHours": return "--response-hours"
        case "outcome" where segments.count > 1: return "--" + kebab(segments[1])
        default: return "--" + segments.map(kebab).joined(separator: "-")
        }
    }

    /// `birthDate` → `birth-date`.
    static func kebab(_ name: String) -> String {
        String(name.flatMap { $0.isUppercase ? ["-", Character($0.lowercased())] : [$0] })
    }
}
