import ArgumentParser
import YilianCore
import YilianJSON
import YilianRPC
import YilianServices

/// `yilian practice`: experts' multi-site practice records (多点执业备案, SPEC §14).
struct PracticeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "practice", abstract: Help.text("Experts' multi-site practice records (多点执业); see docs/outreach.md."),
        subcommands: [Register.self, List.self])

    static func table(_ records: [PracticeRecord]) -> String {
        if records.isEmpty { return Language.current("practice.none") }
        return TextTable(
            headers: headings("expert", "expertTitle", "specialty", "site", "filingNumber", "validity"),
            rows: records.map {
                [
                    OutreachCommand.expert($0.expert, $0.expertName), $0.title.rawValue, $0.specialty.cell, $0.site.cell,
                    $0.filingNumber.cell,
                    "\($0.validFrom) – \($0.validUntil)",
                ]
            }
        ).render()
    }

    struct Register: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "register",
            abstract: Help.text("Register an expert's practice at a member's site (an administrator of the expert's hospital)."),
            discussion: Help.text(
                """
                Example: 樊教授 (fan@ZRYY) may hold sessions at 密云区医院 in 2027:
                  yilian practice register --alliance PAIN-BJ --expert fan@ZRYY --title 主任医师 \\
                    --specialty pain --site MYQYY --filing-number BJ2027-0001 \\
                    --valid-from 2027-01-01 --valid-until 2027-12-31 --as li@ZRYY
                """))
        @OptionGroup(title: Help.text("Global options")) var options: GlobalOptions
        @OptionGroup var change: ChangeOptions
        @Option(help: .text("The alliance, e.g. PAIN-BJ. Required."), completion: Choices.codes(of: .alliance)) var alliance: String
        @Option(help: .text("The expert's login, a physician of your hospital (fan@ZRYY). Required.")) var expert: String
        @Option(help: .text("主任医师, 副主任医师 or 主治医师. Required."), completion: .list(ExpertTitle.allCases.map(\.rawValue)))
        var title: String
        @Option(help: .text("The expert's specialty code, e.g. pain. Required."), completion: Choices.codes(of: .specialty))
        var specialty: String
        @Option(help: .text("The member hospital where the expert may work. Required."), completion: Choices.codes(of: .hospital))
        var site: String
        @Option(help: .text("The filing number of the record (备案号). Required.")) var filingNumber: String
        @Option(help: .text("First day of validity, YYYY-MM-DD. Required.")) var validFrom: String
        @Option(help: .text("Last day of validity, YYYY-MM-DD. Required.")) var validUntil: String

        func run() async throws {
            try await CommandContext.run(options, change: change) { context in
                try await context.call(
                    PracticeRegister.self,
                    [
                        "alliance": .string(alliance), "expert": .string(expert), "title": .string(title), "specialty": .string(specialty),
                        "site": .string(site), "filingNumber": .string(filingNumber), "validFrom": .string(validFrom),
                        "validUntil": .string(validUntil),
                    ]
                ) { PracticeCommand.table([$0]) }
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: Help.text("List multi-site practice records."))
        @OptionGroup(title: Help.text("Global options")) var options: GlobalOptions
        @Option(help: .text("Only this alliance's records."), completion: Choices.codes(of: .alliance)) var alliance: String?
        @Option(help: .text("Only this expert's records.")) var expert: String?
        @Option(help: .text("Only records at this site."), completion: Choices.codes(of: .hospital)) var site: String?

        func run() async throws {
            try await CommandContext.run(options) { context in
                try await context.call(
                    PracticeList.self,
                    [
                        "alliance": alliance.map(JSONValue.string), "expert": expert.map(JSONValue.string),
                        "site": site.map(JSONValue.string),
                    ],
                    text: PracticeCommand.table)
            }
        }
    }
}

/// `yilian outreach`: experts' sessions at members' sites and their bookings (专家下沉, SPEC §14).
struct OutreachCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "outreach", abstract: Help.text("Experts' sessions at members' sites (专家下沉) and their bookings."),
        subcommands: [Publish.self, Book.self, Cancel.self, List.self])

    /// An expert as a coordinator knows them: by name, with the login (`樊教授 fan@ZRYY`).
    static func expert(_ login: String, _ name: String?) -> String { name.map { "\($0.cell) \(login.cell)" } ?? login.cell }

    /// The sessions, then the bookings the reader may see.
    static func table(_ sessions: [OutreachSession]) -> String {
        if sessions.isEmpty { return Language.current("outreach.none") }
        var text = TextTable(
            headers: headings("session", "date", "expert", "site", "outreachKind", "capacity", "booked", "available"),
            rows: sessions.map {
                [
                    $0.id.cell, $0.date.cell, expert($0.expert, $0.expertName), $0.site.cell, $0.kind.word("outreachKind"),
                    String($0.capacity),
                    String($0.booked), String($0.available),
                ]
            }
        ).render()
        let bookings = sessions.flatMap { $0.bookings ?? [] }
        if !bookings.isEmpty { text += "\n\n" + bookingTable(bookings) }
        return text
    }

    static func bookingTable(_ bookings: [OutreachBooking]) -> String {
        TextTable(
            headers: headings("session", "number", "patient", "sex", "birthDate", "bookingStatus"),
            rows: bookings.map {
                [
                    $0.session.cell, String($0.number), $0.patient.name.cell, $0.patient.sex.word("sex"), $0.patient.birthDate.cell,
                    Language.current($0.cancelledAt == nil ? "outreach.live" : "outreach.cancelled"),
                ]
            }
        ).render()
    }

    struct Publish: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "publish",
            abstract: Help.text("Publish an expert's session at a member's site (a coordinator of the expert's hospital)."),
            discussion: Help.text(
                """
                A valid practice record of the expert must cover the site and the day.

                Example: 樊教授's clinic at 密云区医院 for 10 patients:
                  yilian outreach publish --alliance PAIN-BJ --expert fan@ZRYY --site MYQYY \\
                    --date 2027-01-15 --kind clinic --capacity 10 --as li@ZRYY
                """))
        @OptionGroup(title: Help.text("Global options")) var options: GlobalOptions
        @OptionGroup var change: ChangeOptions
        @Option(help: .text("The alliance, e.g. PAIN-BJ. Required."), completion: Choices.codes(of: .alliance)) var alliance: String
        @Option(help: .text("The expert's login (fan@ZRYY). Required.")) var expert: String
        @Option(help: .text("The member hospital where the session is held. Required."), completion: Choices.codes(of: .hospital))
        var site: String
        @Option(help: .text("The day, YYYY-MM-DD (today to a year ahead). Required.")) var date: String
        @Option(
            help: Choices.help("What the expert does, required", OutreachKind.self), completion: .list(Choices.codes(OutreachKind.self)))
        var kind: String
        @Option(help: .text("Patients the session takes, 1 to 200. Required.")) var capacity: Int

        func run() async throws {
            try await CommandContext.run(options, change: change) { context in
                try await context.call(
                    OutreachPublish.self,
                    [
                        "alliance": .string(alliance), "expert": .string(expert), "site": .string(site), "date": .string(date),
                        "kind": .string(kind), "capacity": .integer(capacity),
                    ]
                ) { OutreachCommand.table([$0]) }
            }
        }
    }

    struct Book: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "book",
            abstract: Help.text("Book a patient into a session (a coordinator of the session's site)."),
            discussion: Help.text(
                """
                Example:
                  yilian outreach book --session O-000001 --patient-name 张三 --patient-sex male \\
                    --patient-birth-date 1980-01-01 --as coordinator@MYQYY
                """))
        @OptionGroup(title: Help.text("Global options")) var options: GlobalOptions
        @OptionGroup var change: ChangeOptions
        @Option(help: .text("The session, e.g. O-000001. Required.")) var session: String
        @Option(help: .text("The patient's name. Required.")) var patientName: String
        @Option(help: Choices.help("The patient's sex, required", Sex.self), completion: .list(Choices.codes(Sex.self))) var patientSex:
            String
        @Option(help: ArgumentHelp.text("The patient's birth date, YYYY-MM-DD. Required.", valueName: "date")) var patientBirthDate: String
        @Option(help: ArgumentHelp.text("The patient's phone.", valueName: "phone")) var patientPhone: String?

        func run() async throws {
            try await CommandContext.run(options, change: change) { context in
                try await context.call(
                    OutreachBook.self,
                    [
                        "session": .string(session),
                        "patient": [
                            "name": .string(patientName), "sex": .string(patientSex), "birthDate": .string(patientBirthDate),
                            "phone": JSONValue(patientPhone),
                        ],
                    ]
                ) { OutreachCommand.bookingTable([$0]) }
            }
        }
    }

    struct Cancel: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "cancel", abstract: Help.text("Cancel a booking; its place is free again (the session's site)."))
        @OptionGroup(title: Help.text("Global options")) var options: GlobalOptions
        @OptionGroup var change: ChangeOptions
        @Option(help: .text("The session, e.g. O-000001. Required.")) var session: String
        @Option(help: .text("The booking's number in the session. Required.")) var booking: Int

        func run() async throws {
            try await CommandContext.run(options, change: change) { context in
                try await context.call(OutreachCancel.self, ["session": .string(session), "booking": .integer(booking)]) {
                    OutreachCommand.bookingTable([$0])
                }
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list", abstract: Help.text("List sessions; with their bookings at your site or of your experts."))
        @OptionGroup(title: Help.text("Global options")) var options: GlobalOptions
        @Option(help: .text("Only this alliance's sessions."), completion: Choices.codes(of: .alliance)) var alliance: String?
        @Option(help: .text("Only this expert's sessions.")) var expert: String?
        @Option(help: .text("Only sessions at this site."), completion: Choices.codes(of: .hospital)) var site: String?
        @Option(help: .text("From this date, YYYY-MM-DD.")) var from: String?
        @Option(help: .text("To this date, YYYY-MM-DD.")) var to: String?

        func run() async throws {
            try await CommandContext.run(options) { context in
                try await context.call(
                    OutreachList.self,
                    [
                        "alliance": alliance.map(JSONValue.string), "expert": expert.map(JSONValue.string),
                        "site": site.map(JSONValue.string),
                        "from": from.map(JSONValue.string), "to": to.map(JSONValue.string),
                    ],
                    text: OutreachCommand.table)
            }
        }
    }
}
