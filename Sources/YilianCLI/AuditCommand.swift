import ArgumentParser
import YilianCore
import YilianJSON
import YilianRPC

struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "The access log: every read of patient data.", subcommands: [List.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "Who read which referrals, newest first (an auditor: its hospital's reads; the platform: all).")
        @OptionGroup(title: "Global options") var options: GlobalOptions
        @Option(
            help: "Only reads by this hospital's users (the platform; an auditor reads its own).", completion: Choices.codes(of: .hospital))
        var hospital: String?
        @Option(help: "Only reads that returned this referral.") var referral: String?
        @Option(help: "Only reads on or after this day (China time), YYYY-MM-DD.") var from: String?
        @Option(help: "Only reads on or before this day (China time), YYYY-MM-DD.") var to: String?
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
                            record.at.tableTime, user, login == user ? "-" : login, record.method.cell,
                            record.referrals.map(\.cell).joined(separator: ", "),
                        ]
                    }
                }
            }
        }
    }
}
