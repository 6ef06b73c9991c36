/// A plain-text table whose columns line up in a terminal, counting CJK characters (and other
/// East Asian wide characters) as two columns and combining marks as none.
public struct TextTable {
    public var headers: [String]
    public var rows: [[String]]

    public init(headers: [String], rows: [[String]]) {
        self.headers = headers
        self.rows = rows
    }

    /// The table in at most `width` terminal columns where the columns before the last leave it
    /// room: the last column's text wrapped, its further lines under it.
    public func render(width: Int) -> String {
        let count = headers.count
        let room = lastColumnRoom(in: width)
        guard count > 1, room >= 12 else { return render() }
        var wrapped = TextTable(headers: headers, rows: [])
        for row in rows {
            let lines = Self.wrap(row[count - 1], to: room)
            wrapped.rows.append(row.dropLast() + [lines[0]])
            wrapped.rows += lines.dropFirst().map { Array(repeating: "", count: count - 1) + [$0] }
        }
        return wrapped.render()
    }

    /// The columns the last column has in a table `width` wide: what the others leave, each with
    /// the two spaces after it.
    func lastColumnRoom(in width: Int) -> Int {
        width
            - (0..<(headers.count - 1)).map { column in ([headers] + rows).map { Self.displayWidth($0[column]) }.max() ?? 0 }
            .reduce(0) { $0 + $1 + 2 }
    }

    /// `text` in lines of at most `width` terminal columns, each after the first starting with
    /// `indent` spaces: broken between Chinese characters or at spaces, never before a closing
    /// mark (，。）), which takes the character before it along, nor after an opening one.
    static func wrap(_ text: String, to width: Int, indent: Int = 0) -> [String] {
        guard displayWidth(text) > width else { return [text] }
        let indent = String(repeating: " ", count: indent)
        var lines: [String] = []
        var current = ""
        var used = 0
        // Where `current` may be broken (the next line starts there).
        var breaks: [String.Index] = []
        for character in text {
            let size = displayWidth(String(character))
            let closing = "，。、；：）》”".contains(character)
            if used + size > width, let at = breaks.last(where: { !closing || $0 < current.endIndex }) {
                var line = String(current[..<at])
                while line.hasSuffix(" ") { line.removeLast() }
                lines.append(line)
                current = indent + current[at...].drop { $0 == " " }
                used = displayWidth(current)
                breaks = []
            }
            // No line after the first starts with a space.
            if character == " ", !lines.isEmpty, current.count == indent.count { continue }
            let breakable = size == 2 || character == " "
            if closing { breaks.removeAll { $0 == current.endIndex } }
            if breakable, !closing, current.count > indent.count { breaks.append(current.endIndex) }
            current.append(character)
            used += size
            // Never after an opening mark (（《“), which goes with what follows.
            if breakable, !"（《“".contains(character) { breaks.append(current.endIndex) }
        }
        return lines + [current]
    }

    /// `label  value` lines, aligned, with no header.
    public static func keyValue(_ rows: [(String, String)]) -> String {
        let table = TextTable(headers: ["", ""], rows: rows.map { [$0.0, $0.1] })
        return table.render().split(separator: "\n", omittingEmptySubsequences: false).dropFirst(2).joined(separator: "\n")
    }

    public func render() -> String {
        let all = [headers] + rows
        let count = headers.count
        var widths = [Int](repeating: 0, count: count)
        for row in all {
            for (index, cell) in row.prefix(count).enumerated() {
                widths[index] = max(widths[index], Self.displayWidth(cell))
            }
        }
        func line(_ cells: [String]) -> String {
            var text = ""
            for index in 0..<count {
                let cell = index < cells.count ? cells[index] : ""
                text += cell
                if index < count - 1 {
                    text += String(repeating: " ", count: widths[index] - Self.displayWidth(cell) + 2)
                }
            }
            return text
        }
        let rule = widths.map { String(repeating: "─", count: $0) }.joined(separator: "  ")
        return ([line(headers), rule] + rows.map(line)).joined(separator: "\n")
    }

    /// Terminal columns `text` takes.
    /// `text` cut to at most `width` display columns, ending in `…` when cut (the whole text is
    /// in `--json`).
    public static func clipped(_ text: String, to width: Int) -> String {
        guard displayWidth(text) > width else { return text }
        var shown = ""
        var used = 0
        for character in text {
            let next = displayWidth(String(character))
            if used + next > width - 1 { break }
            shown.append(character)
            used += next
        }
        return shown + "…"
    }

    public static func displayWidth(_ text: String) -> Int {
        text.unicodeScalars.reduce(0) { $0 + width(of: $1) }
    }

    static func width(of scalar: Unicode.Scalar) -> Int {
        let value = scalar.value
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format, .control: return 0
        default: break
        }
        if (0xFE00...0xFE0F).contains(value) { return 0 }  // variation selectors
        if scalar.properties.isEmojiPresentation { return 2 }
        let wide: [ClosedRange<UInt32>] = [
            0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
            0xA000...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60,
            0xFFE0...0xFFE6, 0x20000...0x2FFFD, 0x30000...0x3FFFD,
        ]
        return wide.contains { $0.contains(value) } ? 2 : 1
    }
}
