import Foundation
import YilianCore
import YilianJSON

/// Reading JSON arguments and showing JSON results as text.
enum Input {
    /// JSON given inline (`--facts '{…}'`) or in a file (`--facts-file F`); nil when neither.
    static func json(inline: String?, file: String?, name: String) throws -> JSONValue? {
        let data: Data
        if let file {
            guard let contents = FileManager.default.contents(atPath: file) else {
                throw YilianError.invalidParams([Problem(name, "cannot read the file \(file)")])
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
    /// The text with every control character a terminal obeys shown as a visible escape
    /// (`\u001B`): C0 (line feeds and tabs too unless `keepingLines`), DEL, C1 and the bidi
    /// controls that reorder what is shown. Stored text never moves the cursor, clears the
    /// screen, hides words, links or retitles the window (SPEC §3).
    func visible(keepingLines: Bool) -> String {
        func obeyed(_ scalar: Unicode.Scalar) -> Bool {
            switch scalar.value {
            case 0x0A, 0x09: return !keepingLines
            case 0x00...0x1F, 0x7F...0x9F, 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: return true
            default: return false
            }
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
}

extension JSONValue {
    /// A field as a table cell: text with its controls and line breaks made visible, null as "-".
    var cell: String {
        switch self {
        case .null: return "-"
        case .string(let text): return text.visible(keepingLines: false)
        case .integer(let number): return String(number)
        case .number(let number): return String(number)
        case .bool(let flag): return flag ? "yes" : "no"
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

    /// "2026-11-23T19:01:55Z" → "2026-11-23 19:01".
    var shortTime: String {
        guard case .string(let text) = self, text.count >= 16 else { return cell }
        return text.prefix(10) + " " + text.dropFirst(11).prefix(5)
    }
}

/// A list result: its table, and where the next page starts.
func pageText(_ page: JSONValue, headers: [String], row: (JSONValue) -> [String]) -> String {
    let items = page["items"]?.items ?? []
    if items.isEmpty { return "Nothing found." }
    var text = TextTable(headers: headers, rows: items.map(row)).render()
    if case .string(let cursor)? = page["nextCursor"] { text += "\nMore: --cursor \(cursor)" }
    return text
}
