import ArgumentParser
import Foundation
import YilianCore
import YilianJSON
import YilianRPC
import YilianServices

struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user", abstract: Help.text("Users: PostgreSQL logins registered with a hospital and a duty."),
        subcommands: [Add.self, List.self, Disable.self, WhoAmI.self])

    static func describe(_ user: UserRecord) -> String {
        TextTable.keyValue([
            (Language.current("col.user"), "\(user.user.cell)@\(user.hospital.cell)"),
            (Language.current("col.displayName"), user.displayName.cell),
            (Language.current("col.duty"), user.duty.word("duty")),
            (Language.current("col.enabled"), user.enabled.cell),
            (Language.current("col.created"), user.createdAt.shortTime),
        ])
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add",
            abstract: Help.text("Register a user and create its login (the platform: anyone; a hospital's administrator: its own users)."),
            discussion:
                "Example:\n  echo 'a long passphrase' | yilian user add --user li --hospital ZRYY \\\n    --duty coordinator --password-stdin --as admin@ZRYY"
        )
        @OptionGroup(title: Help.text("Global options")) var options: GlobalOptions
        @OptionGroup var change: ChangeOptions
        @Option(help: .text("The user name, e.g. li; the login is USER@HOSPITAL. Required.")) var user: String
        @Option(help: .text("The user's hospital code (admin for the platform). Required."), completion: Choices.codes(of: .hospital))
        var hospital: String
        @Option(help: Choices.help("The user's duty (required)", Duty.self), completion: .list(Choices.codes(Duty.self))) var duty: String
        @Option(help: .text("The person's name on forms and timelines, e.g. 刘明 (at most 32 characters).")) var name: String?
        @Flag(help: .text("Read the login's password (at least 12 characters) from the first line of standard input."))
        var passwordStdin = false

        func run() async throws {
            try await CommandContext.run(options, change: change) { context in
                var password: String?
                if passwordStdin {
                    password = readLine(strippingNewline: true)
                    if password == nil { throw YilianError.invalidParams([Problem("--password-stdin", "found no line on standard input")]) }
                }
                try await context.call(
                    UserAdd.self,
                    [
                        "user": .string(user), "hospital": .string(hospital), "duty": .string(duty),
                        "password": password.map(JSONValue.string), "displayName": name.map(JSONValue.string),
                    ], text: UserCommand.describe)
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list", abstract: Help.text("List the users you may see: your hospital's (the platform: all)."))
        @OptionGroup(title: Help.text("Global options")) var options: GlobalOptions
        @Option(help: .text("Only this hospital's users."), completion: Choices.codes(of: .hospital)) var hospital: String?

        func run() async throws {
            try await CommandContext.run(options) { context in
                try await context.call(UserList.self, ["hospital": hospital.map(JSONValue.string)]) { page in
                    pageText(page, headers: headings("user", "duty", "enabled") + [LocalTime.heading("col.createdAt")]) {
                        ["\($0.user.cell)@\($0.hospital.cell)", $0.duty.word("duty"), $0.enabled.cell, $0.createdAt.tableTime]
                    }
                }
            }
        }
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "disable", abstract: Help.text("Stop a user logging in or being acted as; its history stays."))
        @OptionGroup(title: Help.text("Global options")) var options: GlobalOptions
        @OptionGroup var change: ChangeOptions
        @Option(help: .text("The user name. Required.")) var user: String
        @Option(help: .text("The user's hospital code. Required."), completion: Choices.codes(of: .hospital)) var hospital: String

        func run() async throws {
            try await CommandContext.run(options, change: change) { context in
                try await context.call(
                    UserDisable.self, ["user": .string(user), "hospital": .string(hospital)], text: UserCommand.describe)
            }
        }
    }

    struct WhoAmI: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "whoami", abstract: Help.text("Who you act as: user, hospital and duty."))
        @OptionGroup(title: Help.text("Global options")) var options: GlobalOptions

        func run() async throws {
            try await CommandContext.run(options) { context in
                try await context.call(SystemWhoAmI.self, [:]) { me in "\(me.user.cell)@\(me.hospital.cell) (\(me.duty.rawValue))" }
            }
        }
    }
}
