import ArgumentParser
import Foundation
import Testing
import YilianCLI
import YilianJSON
import YilianTestSupport

/// Help for every command and flag (issue: "Paper and help"): what it is, its values, whether
/// it is required, an example for the main commands; global options only where they apply.
@Suite struct HelpTests {
    /// Every command of the binary, as argument-parser describes it (`--experimental-dump-help`),
    /// by its path (`referral file`), without argument-parser's own `help` command.
    static func commands() async throws -> [(path: [String], command: JSONValue)] {
        let dump = try await YilianBinary.run(["--experimental-dump-help"])
        let root = try JSONDecoder().decode(JSONValue.self, from: Data(dump.stdout.utf8))["command"] ?? [:]
        var found: [(path: [String], command: JSONValue)] = []
        func walk(_ command: JSONValue, _ path: [String]) {
            found.append((path, command))
            for sub in command["subcommands"]?.arrayValue ?? [] where sub["commandName"] != "help" {
                walk(sub, path + [sub["commandName"]?.stringValue ?? "?"])
            }
        }
        walk(root, [])
        return found
    }

    /// A command without `commandName` is named by argument-parser from its type's name with
    /// `String(describing:)`, which makes Swift's runtime search every protocol conformance of
    /// the binary: for the whole tree, parsed at every call, that was 8 ms of a 35 ms
    /// `referral show`.
    @Test func everyCommandNamesItselfSoStartUpDoesNotSearchTheRuntime() {
        var unnamed: [String] = []
        func walk(_ command: any ParsableCommand.Type) {
            if command.configuration.commandName == nil { unnamed.append(String(reflecting: command)) }
            command.configuration.subcommands.forEach(walk)
        }
        walk(YilianCommand.self)
        #expect(unnamed == [])
    }

    @Test func everyCommandAndFlagSaysWhatItIsAndWhetherItIsRequired() async throws {
        let commands = try await Self.commands()
        #expect(commands.count > 60)
        for (path, command) in commands {
            let name = (["yilian"] + path).joined(separator: " ")
            let abstract = command["abstract"]?.stringValue ?? ""
            #expect(!abstract.isEmpty, "\(name) has no abstract")
            let help = try await YilianBinary.run(path + ["--help"])
            #expect(help.exitCode == 0, "\(name) --help")
            for argument in command["arguments"]?.arrayValue ?? [] {
                let flag = argument["preferredName"]?["name"]?.stringValue ?? argument["valueName"]?.stringValue ?? "?"
                let text = argument["abstract"]?.stringValue ?? ""
                #expect(!text.isEmpty, "\(name): --\(flag) has no help text")
                if argument["kind"] == "option", argument["isOptional"] == false {
                    #expect(text.lowercased().contains("required"), "\(name): --\(flag) is required and does not say so")
                }
                if argument["kind"] != "positional" {
                    #expect(help.stdout.contains("--\(flag)"), "\(name) --help does not show --\(flag)")
                }
            }
        }
    }

    @Test func theMainCommandsHaveAnExampleAndGlobalOptionsOnlyWhereTheyApply() async throws {
        let commands = Dictionary(uniqueKeysWithValues: try await Self.commands().map { ($0.path.joined(separator: " "), $0.command) })
        for main in [
            "referral file", "referral accept", "referral schedule", "referral print", "worklist", "report", "slots publish",
            "membership apply", "user add",
        ] {
            let help = try await YilianBinary.run(main.split(separator: " ").map(String.init) + ["--help"])
            #expect(help.stdout.contains("Example"), "\(main) --help has no example")
            #expect(
                help.stdout.split(separator: "\n").allSatisfy { $0.count <= 80 || $0.hasPrefix("USAGE:") },
                "\(main) --help is wider than 80 columns")
        }
        func flags(_ path: String) -> Set<String> {
            Set((commands[path]?["arguments"]?.arrayValue ?? []).compactMap { $0["preferredName"]?["name"]?.stringValue })
        }
        #expect(flags("serve").isDisjoint(with: ["as", "json", "idempotency-key"]))
        #expect(flags("demo").isDisjoint(with: ["as", "json", "idempotency-key"]))
        #expect(flags("db status").isDisjoint(with: ["as", "idempotency-key"]))
        #expect(!flags("worklist").contains("idempotency-key"))
        #expect(flags("referral accept").isSuperset(of: ["as", "json", "idempotency-key", "expected-version"]))
        // Enumerated values are named in the help and completed.
        let priority = (commands["referral file"]?["arguments"]?.arrayValue ?? []).first { $0["preferredName"]?["name"] == "priority" }
        #expect(priority?["abstract"]?.stringValue?.hasSuffix("routine, urgent or emergency.") == true)
        #expect(priority?["completionKind"]?["list"]?["values"] == ["routine", "urgent", "emergency"])
    }

    /// Issue 28, point 5: every help page in Chinese under a Chinese locale (and with --lang zh):
    /// no English sentence remains but flag names, codes and example commands; argument-parser's
    /// own headings too; wrapped by display width (a Chinese character is two columns).
    @Test func everyHelpPageIsChineseUnderAChineseLocale() async throws {
        let english = /[A-Za-z]+ [A-Za-z]+/
        for (path, _) in try await Self.commands() {
            let help = try await YilianBinary.run(path + ["--help"], environment: ["LANG": "zh_CN.UTF-8", "COLUMNS": "100"])
            let name = (["yilian"] + path).joined(separator: " ")
            #expect(help.exitCode == 0, "\(name) --help")
            for line in help.stdout.split(separator: "\n") where !line.contains("yilian ") {
                // Flags and placeholders are typed as they are.
                let prose = line.replacing(/--?[a-z][a-z-]*|<[^>]*>/, with: "")
                #expect(prose.firstMatch(of: english) == nil, "\(name) --help: \(line)")
                #expect(TextTable.displayWidth(String(line)) <= 100, "\(name) --help is wider than 100 columns: \(line)")
            }
        }
        let file = try await YilianBinary.run(["referral", "file", "--help", "--lang", "zh"], environment: ["COLUMNS": "100"])
        #expect(file.stdout.hasPrefix("概述：发起转诊（转出医院）。"))
        #expect(file.stdout.contains("  --priority <priority>   紧急程度（必填；emergency 即绿色通道）：routine（普通）、urgent（加急）、"))
        #expect(file.stdout.contains("\n全局选项：\n") && file.stdout.contains("\n选项：\n") && file.stdout.contains("显示帮助信息。"))
        let worklist = try await YilianBinary.run(["worklist", "--help"], environment: ["LANG": "zh_CN.UTF-8"])
        #expect(worklist.stdout.hasPrefix("概述："))
        let report = try await YilianBinary.run(["report", "--help", "--lang", "en"], environment: ["LANG": "zh_CN.UTF-8"])
        #expect(report.stdout.hasPrefix("OVERVIEW: Alliance indicators for a period."))
    }
}
