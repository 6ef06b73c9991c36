import ArgumentParser
import YilianCore
import YilianJSON
import YilianRPC

struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: Help.text("The access log: every read of patient data."), subcommands: [List.self])

    /// A logged method as the reader says it (`worklist.get` → 查看工作台); an action's answer by
    /// the action's word (`referral.accept` → 转诊单：接诊).
    static func method(_ name: String) -> String {
        let language = Language.current
        let word = language.word("method", name)
        guard word == name else { return word }
        switch name.split(separator: ".", maxSplits: 1).map(String.init) {
        case let parts where parts.count == 2 && parts[0] == "referral":
            return language("method.referral", language.word("action", parts[1]))
        case let parts where parts.count == 2 && parts[0] == "consultation":
            return language("method.consultation", language.word("consultationAction", parts[1]))
        default: return name
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: Help.text("Who read which referrals, newest first (an auditor: its hospital's reads; the platform: all)."))
        @OptionGroup(title: Help.text("Global options")) var options: GlobalOptions
        @Option(
            help: .text("Only reads by this hospital's users (the platform; an auditor reads its own)."),
            completion: Choices.codes(of: .hospital))
        var hospital: String?
        @Option(help: .text("Only reads that returned this referral.")) var referral: String?
        @Option(help: .text("Only reads on or after this day (China time), YYYY-MM-DD.")) var from: String?
        @Option(help: .text("Only reads on or before this day (China time), YYYY-MM-DD.")) var to: String?
        @OptionGroup var page: PageOptions

        func run() async throws {
            try await CommandContext.run(options) { context in
                let params: [String: JSONValue?] = [
                    "hospital": hospital.map(JSONValue.string), "referral": referral.map(JSONValue.string),
                    "from": from.map(JSONValue.string), "to": to.map(JSONValue.string),
                ].merging(page.params) { $1 }
                try await context.call(AuditList.self, params) { page in
                    pageText(page, headers: [LocalTime.heading("col.at")] + headings("user", "via", "method", "referrals")) { record in
                        let user = "\(record.user.cell)@\(record.hospital.cell)"
                        let login = record.login.cell
                        return [
                            record.at.tableTime, user, login == user ? "-" : login, AuditCommand.method(record.method).cell,
                            record.referrals.map(\.cell).joined(separator: ", "),
                        ]
                    }
                }
            }
        }
    }
}
