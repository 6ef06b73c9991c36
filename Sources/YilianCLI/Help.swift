import ArgumentParser
import YilianCore

/// `--help` in the reader's language. Every help text is written in English where its command
/// declares it and is looked up by that text in the reader's table (`Help.zh`, made from the
/// English); a discussion line by line, its example commands as they are. A text the table
/// lacks stays English: a test reads every command's help in Chinese and finds none.
enum Help {
    static func text(_ english: String) -> String {
        guard Language.current == .zh else { return english }
        if let text = zh[english] { return text }
        return english.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            let indent = line.prefix { $0 == " " }
            let text = String(line.dropFirst(indent.count))
            return indent + (zh[text] ?? text)
        }.joined(separator: "\n")
    }

    /// What argument-parser itself writes in a help page (its headings and its own flags), in
    /// the reader's language: it has no hook for them, so they are replaced in its output.
    static func page(_ page: String, width: Int) -> String {
        guard Language.current == .zh else { return page }
        return page.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            if let match = line.wholeMatch(of: /\ \ See '(.*) <subcommand>' for detailed help\./) {
                return "  详细帮助：\(match.1) <子命令>"
            }
            for (english, chinese) in headings where line.hasPrefix(english) {
                return chinese + line.dropFirst(english.count)
            }
            for (english, chinese) in flags where line.hasSuffix(english) { return line.dropLast(english.count) + chinese }
            if let match = line.firstMatch(of: /\ \(default: (.*)\)$/) { return line[..<match.range.lowerBound] + "（默认：\(match.1)）" }
            // A heading of the command's own (`全局选项:`).
            if !line.hasPrefix(" "), line.hasSuffix(":"), !line.contains(" ") { return line.dropLast() + "：" }
            return String(line)
        }.flatMap { wrapped($0, to: width) }.joined(separator: "\n")
    }

    /// `line` in lines of at most `width` terminal columns (a Chinese character takes two, which
    /// argument-parser does not count, so it is asked not to wrap), a flag's lines under its
    /// help (column 26, as argument-parser indents them).
    static func wrapped(_ line: String, to width: Int) -> [String] {
        TextTable.wrap(line, to: width, indent: line.hasPrefix("  ") ? 26 : 0)
    }

    private static let headings: KeyValuePairs<String, String> = [
        "OVERVIEW: ": "概述：", "USAGE: ": "用法：", "ARGUMENTS:": "参数：", "OPTIONS:": "选项：", "SUBCOMMANDS:": "子命令：",
    ]
    private static let flags: KeyValuePairs<String, String> = ["Show help information.": "显示帮助信息。", "Show the version.": "显示版本号。"]
}

extension ArgumentHelp {
    /// `english`, in the reader's language (`Help.text`).
    static func text(_ english: String, valueName: String? = nil) -> ArgumentHelp {
        ArgumentHelp(Help.text(english), valueName: valueName)
    }
}
