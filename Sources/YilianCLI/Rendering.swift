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

extension JSONValue {
    /// A field as a table cell: text as is, null as "-".
    var cell: String {
        switch self {
        case .null: return "-"
        case .string(let text): return text
        case .integer(let number): return String(number)
        case .number(let number): return String(number)
        case .bool(let flag): return flag ? "yes" : "no"
        case .array(let items): return items.map(\.cell).joined(separator: ", ")
        case .object: return compactJSON
        }
    }

    func cell(_ key: String) -> String { self[key]?.cell ?? "-" }

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
