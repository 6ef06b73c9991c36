import ArgumentParser
import Foundation
import YilianCore

/// Argument-parser's usage errors (exit 64) in the reader's language: its messages are English,
/// so the few it gives are put in the catalogue's words, line by line; a line it does not know
/// stays as it is.
enum UsageText {
    /// The language before the options are parsed: `--lang` among the arguments, else the locale.
    static func language(_ arguments: [String], environment: [String: String]) -> Language {
        var flag: String?
        for (index, argument) in arguments.enumerated() {
            if argument == "--lang", index + 1 < arguments.count { flag = arguments[index + 1] }
            if argument.hasPrefix("--lang=") { flag = String(argument.dropFirst("--lang=".count)) }
        }
        return Language.resolve(flag, environment: environment) ?? Language.resolve(nil, environment: environment) ?? .en
    }

    /// `message` (argument-parser's full message for an error) in `language`.
    static func translate(_ message: String, _ language: Language) -> String {
        guard language != .en else { return message }
        // The flag's help (`Help:  --date <date>  YYYY-MM-DD.`) is English: left to --help, but
        // the values it lists (`…: routine, urgent or emergency.`) are codes, said in any language.
        return message.split(separator: "\n", omittingEmptySubsequences: false).compactMap { line -> String? in
            guard line.hasPrefix("Help: ") else { return String(line) }
            guard let match = line.firstMatch(of: /: ([a-z0-9_]+(?:, [a-z0-9_]+)*(?: or [a-z0-9_]+)?)\.$/) else { return nil }
            let codes = match.1.split(separator: ", ").flatMap { $0.split(separator: " or ") }.map(String.init)
            return language("usage.allowed", codes.joined(separator: language("list.separator")))
        }.map { line in
            if let match = line.wholeMatch(of: /Error: (.*)/) { return language("usage.error", error(String(match.1), language)) }
            if let match = line.wholeMatch(of: /Usage: (.*)/) { return language("usage.usage", String(match.1)) }
            if let match = line.wholeMatch(of: /\ \ See '(.*)' for more information\./) {
                return "  " + language("usage.see", String(match.1))
            }
            return String(line)
        }.joined(separator: "\n")
    }

    private static func error(_ text: String, _ language: Language) -> String {
        if let match = text.wholeMatch(of: /Missing expected argument '(.*)'/) { return language("usage.missingArgument", String(match.1)) }
        if let match = text.wholeMatch(of: /Unknown option '([^']*)'(?:\. Did you mean '([^']*)'\?)?/) {
            let unknown = language("usage.unknownOption", String(match.1))
            return match.2.map { unknown + language("usage.didYouMean", String($0)) } ?? unknown
        }
        if let match = text.wholeMatch(of: /Unexpected argument '(.*)'/) { return language("usage.unexpected", String(match.1)) }
        if let match = text.wholeMatch(of: /Missing value for '(.*)'/) { return language("usage.missingValue", String(match.1)) }
        if let match = text.wholeMatch(of: /The value '(.*)' is invalid for '([^']*)'.*/) {
            return language("usage.invalidValue", String(match.2), String(match.1))
        }
        return text
    }
}

extension YilianCommand {
    /// Parses the command line and runs the command, as argument-parser's `main()` does, with
    /// help, usage errors and option checks in the reader's language. A command that failed has
    /// said why and throws only its exit code (`ExitCode`). The process ends in one place, through
    /// argument-parser's `exit(withError:)` (it has no hook for its messages' language).
    public static func main() async {
        let arguments = Array(CommandLine.arguments.dropFirst())
        let language = UsageText.language(arguments, environment: ProcessInfo.processInfo.environment)
        do {
            var command = try await Language.$current.withValue(language) { try await asyncParseAsRoot(arguments) }
            if var command = command as? any AsyncParsableCommand {
                try await command.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: said(error, in: language))
        }
    }

    /// What argument-parser would say of `error`, said in `language` here; the error left to say
    /// (itself in English, or its exit code once said).
    private static func said(_ error: any Error, in language: Language) -> any Error {
        guard !(error is ExitCode), language != .en else { return error }
        guard exitCode(for: error) == .success else {
            FileHandle.standardError.write(Data((UsageText.translate(fullMessage(for: error), language) + "\n").utf8))
            return exitCode(for: error)
        }
        // --help and --version: the page made in the reader's language, wrapped by its width on
        // the terminal (a Chinese character takes two columns, which argument-parser does not know).
        let width = Terminal.columns
        print(Language.$current.withValue(language) { Help.page(fullMessage(for: error, columns: .max / 2), width: width) })
        return ExitCode.success
    }
}
