import ArgumentParser
import Foundation
import YilianJSON
import YilianServices

/// `yilian manual`: the man page yilian(1), written from the same definitions as `--help`
/// (argument-parser's description of every command), Chinese intact. `docs/man/yilian.1` is its
/// output, which a test keeps equal to it.
struct ManualCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "manual", abstract: Help.text("Print the man page yilian(1) in roff (as docs/man/yilian.1 holds it)."),
        discussion: Help.text("Example:\n  yilian manual > docs/man/yilian.1 && man -l docs/man/yilian.1"), shouldDisplay: false)

    func run() async throws {
        // argument-parser describes the commands to a process that asks with this flag.
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        process.arguments = ["--experimental-dump-help"]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let tool = try JSONValue(parsing: Array(data))
        FileHandle.standardOutput.write(Data(ManualPage.roff(tool["command"] ?? [:]).utf8))
    }
}

/// The man page of a command tree in roff (man(7) macros).
enum ManualPage {
    /// Options shown once, under GLOBAL OPTIONS, rather than under every command.
    static let global = ["json", "as", "database-url", "log-level", "lang", "idempotency-key", "version", "help"]

    static func roff(_ root: JSONValue) -> String {
        var page = """
            .TH YILIAN 1 "" "yilian \(Services.version)" "User Commands"
            .SH NAME
            yilian \\- \(escape(root["abstract"]?.stringValue ?? ""))
            .SH SYNOPSIS
            .B yilian
            .I command
            .RI [ options ]
            .SH DESCRIPTION
            Coordinators at the hospitals of a specialty medical alliance (专科医联体) refer patients up and
            down (双向转诊), publish reserved slots (号源下沉), apply for membership and read the alliance's
            indicators; other systems pipe JSON\\-RPC 2.0 to
            .BR "yilian serve" .
            Everything lives in PostgreSQL, which also decides who may see and change what.
            What you read is in Chinese when the locale is Chinese (or with \\fB\\-\\-lang zh\\fR), in the local time zone.

            """
        var commands: [(path: [String], command: JSONValue)] = []
        func walk(_ command: JSONValue, _ path: [String]) {
            if !path.isEmpty, command["shouldDisplay"] != false { commands.append((path, command)) }
            for sub in command["subcommands"]?.items ?? [] where sub["commandName"] != "help" {
                walk(sub, path + [sub["commandName"]?.stringValue ?? ""])
            }
        }
        walk(root, [])
        page += ".SH COMMANDS\n"
        for (path, command) in commands {
            page += ".SS \"yilian \(path.joined(separator: " "))\"\n"
            page += escape(command["abstract"]?.stringValue ?? "") + "\n"
            if let discussion = command["discussion"]?.stringValue, !discussion.isEmpty {
                // Indented lines are examples: kept as they are.
                for paragraph in discussion.components(separatedBy: "\n\n") {
                    let lines = paragraph.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
                    page += ".PP\n"
                    for line in lines {
                        page += line.hasPrefix(" ") ? ".nf\n\(escape(line))\n.fi\n" : escape(line) + "\n"
                    }
                }
            }
            for argument in command["arguments"]?.items ?? [] {
                let name = argument["preferredName"]?["name"]?.stringValue
                if let name, global.contains(name) { continue }
                page += ".TP\n" + synopsis(argument) + "\n" + escape(argument["abstract"]?.stringValue ?? "") + "\n"
            }
        }
        let shown = commands.first { $0.path == ["referral", "accept"] }?.command["arguments"]?.items ?? []
        page += ".SH GLOBAL OPTIONS\nWhere a command takes them (see its \\fB\\-\\-help\\fR):\n"
        for name in global.dropLast(2) {
            guard let argument = shown.first(where: { $0["preferredName"]?["name"]?.stringValue == name }) else { continue }
            page += ".TP\n" + synopsis(argument) + "\n" + escape(argument["abstract"]?.stringValue ?? "") + "\n"
        }
        page += """
            .SH ENVIRONMENT
            .TP
            .B YILIAN_DATABASE_URL
            The database (a libpq URI or connection string); without it, the embedded PostgreSQL under \\fBYILIAN_HOME\\fR.
            .TP
            .B YILIAN_HOME
            The embedded database's folder (default \\fI~/.local/share/yilian\\fR; for root \\fI/var/lib/yilian\\fR).
            .TP
            .B YILIAN_ACTOR
            Who acts, USER@HOSPITAL, when \\fB\\-\\-as\\fR is not given.
            .TP
            .B YILIAN_LOG_LEVEL
            The log level when \\fB\\-\\-log\\-level\\fR is not given.
            .TP
            .B LC_ALL\\fR, \\fBLC_MESSAGES\\fR, \\fBLANG
            Chinese (zh) when the first of them that is set starts with zh, else English.
            .TP
            .B TZ
            The time zone times are shown in.
            .SH EXIT STATUS
            0 done; 1 refused by a rule; 64 usage; 65 invalid parameters; 66 not found; 69 database unavailable;
            70 internal error; 75 conflict (someone changed it first); 77 forbidden.
            .SH SHELL COMPLETION
            .nf
            source <(yilian \\-\\-generate\\-completion\\-script bash)
            yilian \\-\\-generate\\-completion\\-script zsh > ~/.zfunc/_yilian
            yilian \\-\\-generate\\-completion\\-script fish > ~/.config/fish/completions/yilian.fish
            .fi
            .PP
            Values such as \\fB\\-\\-priority\\fR are completed, and hospital, alliance and specialty codes from the database in use when it is running.

            """
        return page
    }

    /// `--alliance <alliance>`, `<id>`, `--consent`, in roff.
    static func synopsis(_ argument: JSONValue) -> String {
        let value = argument["valueName"]?.stringValue ?? ""
        switch argument["kind"]?.stringValue {
        case "positional": return "\\fI<\(escape(value))>\\fR"
        case "flag": return "\\fB\\-\\-\(escape(argument["preferredName"]?["name"]?.stringValue ?? ""))\\fR"
        default: return "\\fB\\-\\-\(escape(argument["preferredName"]?["name"]?.stringValue ?? ""))\\fR \\fI<\(escape(value))>\\fR"
        }
    }

    /// Text as roff reads it: backslashes and hyphens escaped, no line starting a request.
    static func escape(_ text: String) -> String {
        let escaped = text.replacingOccurrences(of: "\\", with: "\\e").replacingOccurrences(of: "-", with: "\\-")
        return escaped.hasPrefix(".") || escaped.hasPrefix("'") ? "\\&" + escaped : escaped
    }
}
