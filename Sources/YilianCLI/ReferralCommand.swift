import ArgumentParser
import Foundation
import YilianCore
import YilianJSON
import YilianServices

struct ReferralCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "referral", abstract: "Two-way referrals: file, act, follow.",
        subcommands: [
            File.self, Accept.self, Reject.self, RequestInfo.self, ProvideInfo.self, Redirect.self, Schedule.self, Reschedule.self,
            Arrive.self, NoShow.self, Complete.self, Acknowledge.self, Cancel.self, Show.self, List.self, History.self, Sweep.self,
            Print.self,
        ])

    /// One line: id, direction, hospitals, priority and setting, status, and what is awaited
    /// (the respond-by time of an open request, the appointment of a scheduled patient).
    static func line(_ referral: JSONValue) -> String {
        let language = Language.current
        var status = referral.word("status", "status")
        if referral["overdue"] == true { status += language("referral.overdue") }
        var text = language(
            "referral.line", referral.cell("id"), referral.word("direction", "direction"), referral.cell("from"), referral.cell("to"),
            referral.word("priority", "priority"), referral.word("setting", "setting"), status)
        if let awaited = awaited(referral) { text += language("referral.then", awaited) }
        return text
    }

    /// What the referral waits for: a response by a time, or the patient on the appointment date.
    static func awaited(_ referral: JSONValue) -> String? {
        switch referral["status"] {
        case "requested", "info_requested": return Language.current("referral.respondBy", (referral["respondBy"] ?? nil).shortTime)
        case "scheduled": return Language.current("referral.appointment", referral.cell("slot"))
        default: return nil
        }
    }

    /// Every field a coordinator needs, then the timeline.
    static func describe(_ referral: JSONValue) -> String {
        let language = Language.current
        let patient = referral["patient"] ?? [:]
        var rows: [(String, String)] = [
            (language("show.referral"), line(referral)),
            (language("show.alliance"), "\(referral.cell("alliance")) \(referral.word("specialty", "specialty"))"),
            (
                language("show.patient"),
                language(
                    "show.patientLine", patient.cell("name"), patient.word("sex", "sex"), patient.cell("birthDate"),
                    patient.cell("idNumber"))
            ),
        ]
        if case .string? = patient["phone"] { rows.append((language("show.phone"), patient.cell("phone"))) }
        rows.append(
            (
                language("show.diagnosis"),
                (referral["diagnosis"]?.items ?? []).map { "\($0.cell("code")) \($0.cell("name"))" }.joined(separator: "; ")
            ))
        rows.append((language("show.reason"), referral.cell("reason")))
        if case .string? = referral["summary"] { rows.append((language("show.summary"), referral.cell("summary"))) }
        for attachment in referral["attachments"]?.items ?? [] {
            rows.append(
                (
                    language("show.attachments"),
                    "\(attachment.word("attachment", "kind")) \(attachment.cell("title")) (\(attachment.cell("reference")))"
                        + (attachment["recognized"] == true ? language("show.recognized") : "")
                ))
        }
        if let awaited = awaited(referral) {
            rows.append((referral["status"] == "scheduled" ? language("show.appointment") : language("show.respondBy"), awaited))
        }
        if case .integer(let level)? = referral["escalation"], level > 0 { rows.append((language("show.escalation"), String(level))) }
        if case .object = referral["outcome"] ?? nil, let outcome = referral["outcome"] {
            rows.append((language("show.outcome"), "\(outcome.cell("summary")) → \(outcome.word("recommendation", "recommendation"))"))
        }
        if case .string(let parent)? = referral["parent"] { rows.append((language("show.continues"), parent)) }
        if case .string(let consultation)? = referral["consultation"] { rows.append((language("show.fromConsultation"), consultation)) }
        if let continuations = referral["continuations"]?.items, !continuations.isEmpty {
            rows.append((language("show.continuedBy"), continuations.map(\.cell).joined(separator: ", ")))
        }
        rows += [
            (language("show.created"), (referral["createdAt"] ?? nil).shortTime),
            (language("show.updated"), (referral["updatedAt"] ?? nil).shortTime),
            (language("show.version"), referral.cell("version")), (language("show.fhirStatus"), referral.cell("fhirStatus")),
        ]
        var text = TextTable.keyValue(rows)
        if let history = referral["history"]?.items { text += "\n\n" + timeline(history, clip: 36) }
        return text
    }

    /// The events, one line each: the status each led to (the one before is the previous
    /// line's); `clip` cuts notes to that many columns, so `show` fits 100 (`history` shows them whole).
    static func timeline(_ events: [JSONValue], clip: Int = .max, words: TimelineWords = .referral) -> String {
        let language = Language.current
        return TextTable(
            headers: [language("timeline.seq"), LocalTime.heading("timeline.at")]
                + ["timeline.action", "timeline.to", "timeline.by", "timeline.note"].map { language($0) },
            rows: events.map {
                [
                    $0.cell("seq"), ($0["at"] ?? nil).tableTime, $0.word(words.action, "action"), $0.word(words.status, "toStatus"),
                    $0.cell("actor"),
                    TextTable.clipped(
                        ([$0["reason"]?.stringValue.map { $0.visible(keepingLines: false) }] + details($0["details"] ?? nil, words))
                            .compactMap { $0 }.joined(separator: " "), to: clip),
                ]
            }
        ).render()
    }

    /// The catalogue's kinds of words for a timeline: a referral's, or a consultation's.
    struct TimelineWords {
        let action: String, status: String, reason: String
        static let referral = TimelineWords(action: "action", status: "status", reason: "rejectReason")
        static let consultation = TimelineWords(action: "consultationAction", status: "consultationStatus", reason: "declineReason")
    }

    /// An event's details in words: dates, hospitals, the reason, the escalation, the expert's
    /// recommendation, the referral a consultation became.
    static func details(_ details: JSONValue, _ words: TimelineWords) -> [String] {
        guard case .object(let members) = details else { return [] }
        return members.map { key, value in
            switch key {
            case "reasonCode": return Language.current.word(words.reason, value.cell)
            case "recommendation": return Language.current.word("opinionRecommendation", value.cell)
            case "at": return Language.current("consultation.sits", value.shortTime)
            case "referral": return Language.current("detail.referral", value.cell)
            case "direction": return Language.current.word("direction", value.cell)
            case "date", "previousDate", "to", "previousTo", "escalation": return Language.current("detail.\(key)", value.cell)
            case "expert": return Language.current("detail.expert")
            default: return "\(key)=\(value.cell)"
            }
        }
    }

    struct File: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "file",
            abstract: "File a referral (the sending hospital).",
            discussion: """
                Give every field by flags, or --from-file with the referral.file params as JSON (flags then override it).

                Example:
                  yilian referral file --alliance PAIN-BJ --from MYQYY --to ZRYY \\
                    --setting outpatient --priority urgent --patient-name 张三 \\
                    --patient-sex male --patient-birth-date 1956-03-12 --consent \\
                    --diagnosis M51.2:腰椎间盘突出症 --reason 保守治疗效果差 \\
                    --as wang@MYQYY
                """)
        @OptionGroup(title: "Global options") var options: GlobalOptions
        @OptionGroup var change: ChangeOptions
        @Option(help: ArgumentHelp("A JSON file with the referral.file params; flags override it.", valueName: "file")) var fromFile:
            String?
        @Option(help: "The alliance, e.g. PAIN-BJ. Required.", completion: Choices.codes(of: .alliance)) var alliance: String?
        @Option(help: "Your hospital's code, the sender. Required.", completion: Choices.codes(of: .hospital)) var from: String?
        @Option(help: "The receiving hospital's code. Required.", completion: Choices.codes(of: .hospital)) var to: String?
        @Option(
            help: Choices.help("The direction, derived from the hospitals' tiers when left out", Direction.self),
            completion: .list(Choices.codes(Direction.self)))
        var direction: String?
        @Option(
            help: Choices.help("Outpatient (门诊) or inpatient (住院), required", Setting.self), completion: .list(Choices.codes(Setting.self)))
        var setting: String?
        @Option(
            help: Choices.help("How urgent (emergency is the green channel), required", Priority.self),
            completion: .list(Choices.codes(Priority.self)))
        var priority: String?
        @OptionGroup var patient: PatientOptions
        @Option(help: "Why the patient is referred. Required.") var reason: String?
        @Option(help: "The history summary (病史摘要).") var summary: String?
        @Option(help: "The up-referral this down-referral continues; the patient and diagnosis are then taken from it.") var parent: String?
        @Flag(help: "File even though this patient already has an open referral between the same hospitals.") var allowDuplicate = false

        func run() async throws {
            try await CommandContext.run(options, change: change) { context in
                var params: [String: JSONValue?] = [:]
                if case .object(let members)? = try Input.json(inline: nil, file: fromFile, name: "fromFile") {
                    params = Dictionary(uniqueKeysWithValues: members.map { ($0.key, Optional($0.value)) })
                }
                try patient.apply(to: &params)
                for (key, value) in [
                    ("alliance", alliance), ("from", from), ("to", to), ("direction", direction), ("setting", setting),
                    ("priority", priority), ("reason", reason), ("summary", summary), ("parent", parent),
                ] {
                    if let value { params[key] = .string(value) }
                }
                if allowDuplicate { params["allowDuplicate"] = true }
                try await context.call("referral.file", params) { Language.current("referral.filed", ReferralCommand.line($0)) }
            }
        }
    }

    struct Accept: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "accept",
            abstract: "Accept a referral (receiver).", discussion: "Example:\n  yilian referral accept R-000042 --note 请带影像资料 --as li@ZRYY")
        @OptionGroup(title: "Global options") var options: GlobalOptions
        @OptionGroup var action: ActionOptions<ReferralCommand>
        @Option(help: "A note for the sender.") var note: String?
        func run() async throws { try await action.run("accept", ["note": note.map(JSONValue.string)], options) }
    }

    struct Reject: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "reject", abstract: "Reject a referral (receiver).")
        @OptionGroup(title: "Global options") var options: GlobalOptions
        @OptionGroup var action: ActionOptions<ReferralCommand>
        @Option(help: Choices.help("Why (required)", RejectReason.self), completion: .list(Choices.codes(RejectReason.self)))
        var reasonCode: String
        @Option(help: "In words; required with other.") var reason: String?
        func run() async throws {
            try await action.run("reject", ["reasonCode": .string(reasonCode), "reason": reason.map(JSONValue.string)], options)
        }
    }

    struct RequestInfo: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "request-info", abstract: "Ask the sender a question (receiver).")
        @OptionGroup(title: "Global options") var options: GlobalOptions
        @OptionGroup var action: ActionOptions<ReferralCommand>
        @Option(help: "What the sender should add. Required.") var question: String
        func run() async throws { try await action.run("requestInfo", ["question": .string(question)], options) }
    }

    struct ProvideInfo: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "provide-info", abstract: "Answer the receiver's question (sender).")
        @OptionGroup(title: "Global options") var options: GlobalOptions
        @OptionGroup var action: ActionOptions<ReferralCommand>
        @Option(help: "The answer to the receiver's question. Required.") var answer: String
        func run() async throws { try await action.run("provideInfo", ["answer": .string(answer)], options) }
    }

    struct Redirect: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "redirect", abstract: "Send the referral to another receiver (sender).")
        @OptionGroup(title: "Global options") var options: GlobalOptions
        @OptionGroup var action: ActionOptions<ReferralCommand>
        @Option(help: "The new receiving hospital's code. Required.", completion: Choices.codes(of: .hospital)) var to: String
        func run() async throws { try await action.run("redirect", ["to": .string(to)], options) }
    }

    struct Schedule: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "schedule",
            abstract: "Give the patient an appointment date (receiver); an up-referral books a reserved slot.",
            discussion: "Example:\n  yilian referral schedule R-000042 --date 2026-12-02 --expert --as li@ZRYY")
        @OptionGroup(title: "Global options") var options: GlobalOptions
        @OptionGroup var action: ActionOptions<ReferralCommand>
        @Option(help: "The appointment date, YYYY-MM-DD. Required.") var date: String
        @Flag(help: "Book an expert slot (专家号).") var expert = false
        func run() async throws { try await action.run("schedule", ["date": .string(date), "expert": expert ? true : nil], options) }
    }

    struct Reschedule: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "reschedule", abstract: "Move the appointment to another date (receiver); an up-referral's slot moves with it.")
        @OptionGroup(title: "Global options") var options: GlobalOptions
        @OptionGroup var action: ActionOptions<ReferralCommand>
        @Option(help: "The appointment date, YYYY-MM-DD. Required.") var date: String
        @Flag(help: "Book an expert slot (专家号).") var expert = false
        func run() async throws { try await action.run("reschedule", ["date": .string(date), "expert": expert ? true : nil], options) }
    }

    struct Arrive: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "arrive", abstract: "The patient arrived (receiver).")
        @OptionGroup(title: "Global options") var options: GlobalOptions
        @OptionGroup var action: ActionOptions<ReferralCommand>
        func run() async throws { try await action.run("arrive", [:], options) }
    }

    struct NoShow: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "no-show", abstract: "The patient did not come (receiver).")
        @OptionGroup(title: "Global options") var options: GlobalOptions
        @OptionGroup var action: ActionOptions<ReferralCommand>
        func run() async throws { try await action.run("noShow", [:], options) }
    }

    struct Complete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "complete", abstract: "Complete treatment with an outcome (receiver).")
        @OptionGroup(title: "Global options") var options: GlobalOptions
        @OptionGroup var action: ActionOptions<ReferralCommand>
        @Option(help: "The outcome as JSON {summary, diagnosis, recommendation, followUpDays}; or give the flags below.") var outcome:
            String?
        @Option(help: "The outcome's summary: what was done. Required without --outcome.") var summary: String?
        @Option(
            help: Choices.help("What next (required without --outcome)", Recommendation.self),
            completion: .list(Choices.codes(Recommendation.self)))
        var recommendation: String?
        @Option(help: ArgumentHelp("A diagnosis at discharge, CODE:NAME; repeat for more.", valueName: "code:name")) var diagnosis:
            [String] = []
        @Option(help: "Follow up after this many days.") var followUpDays: Int?

        func run() async throws {
            var value = try Input.json(inline: outcome, file: nil, name: "outcome")
            if value == nil, summary != nil || recommendation != nil {
                var members: JSONObject = ["diagnosis": .array(try diagnosis.map(PatientOptions.diagnosis))]
                members["summary"] = summary.map(JSONValue.string)
                members["recommendation"] = recommendation.map(JSONValue.string)
                members["followUpDays"] = followUpDays.map(JSONValue.integer)
                value = .object(members)
            }
            try await action.run("complete", ["outcome": value], options)
        }
    }

    struct Acknowledge: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "acknowledge", abstract: "Acknowledge the outcome, closing the loop (sender).")
        @OptionGroup(title: "Global options") var options: GlobalOptions
        @OptionGroup var action: ActionOptions<ReferralCommand>
        func run() async throws { try await action.run("acknowledge", [:], options) }
    }

    struct Cancel: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "cancel", abstract: "Cancel a referral (sender; not once in treatment).")
        @OptionGroup(title: "Global options") var options: GlobalOptions
        @OptionGroup var action: ActionOptions<ReferralCommand>
        @Option(help: "Why, for the receiver and the record. Required.") var reason: String
        func run() async throws { try await action.run("cancel", ["reason": .string(reason)], options) }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show", abstract: "Show a referral, its episode (up → outcome → down) and its timeline.")
        @OptionGroup(title: "Global options") var options: GlobalOptions
        @Argument(help: "The referral, e.g. R-000042.") var id: String

        func run() async throws {
            try await CommandContext.run(options) { context in
                let referral = try await context.fetch("referral.get", ["id": .string(id)])
                if options.json {
                    try context.output(referral) { "" }
                    return
                }
                // The episode: the referral this one continues, this one, and those continuing it.
                var chain: [JSONValue] = []
                if case .string(let parent)? = referral["parent"] {
                    chain.append(try await context.fetch("referral.get", ["id": .string(parent)]))
                }
                chain.append(referral)
                for next in referral["continuations"]?.items ?? [] { chain.append(try await context.fetch("referral.get", ["id": next])) }
                var text = ReferralCommand.describe(referral)
                if chain.count > 1 {
                    text +=
                        "\n\n" + Language.current("show.episode") + "\n"
                        + chain.map { link in
                            var line = (link["id"] == referral["id"] ? "▶ " : "  ") + ReferralCommand.line(link)
                            if case .object = link["outcome"] ?? nil, let outcome = link["outcome"] {
                                line +=
                                    "\n      "
                                    + Language.current(
                                        "show.outcomeLine", outcome.cell("summary"), outcome.word("recommendation", "recommendation"))
                            }
                            return line
                        }.joined(separator: "\n")
                }
                Terminal.print(text)
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List referrals.")
        @OptionGroup(title: "Global options") var options: GlobalOptions
        @Option(help: "The alliance, e.g. PAIN-BJ.", completion: Choices.codes(of: .alliance)) var alliance: String?
        @Option(help: "Only this hospital's referrals (see --as-side).", completion: Choices.codes(of: .hospital)) var hospital: String?
        @Option(
            name: .customLong("as-side"), help: "With --hospital: as sender, receiver or any (default).",
            completion: .list(["sender", "receiver", "any"]))
        var side: String?
        @Option(
            help: Choices.help("Only these statuses, comma-separated", ReferralMachine.Status.self),
            completion: .list(Choices.codes(ReferralMachine.Status.self)))
        var status: String?
        @Option(help: Choices.help("Only this direction", Direction.self), completion: .list(Choices.codes(Direction.self))) var direction:
            String?
        @Option(help: Choices.help("Only this priority", Priority.self), completion: .list(Choices.codes(Priority.self))) var priority:
            String?
        @Flag(help: "Only overdue referrals.") var overdue = false
        @Option(help: "One patient's referrals, by a resident ID your hospital entered (else by name and birth date).") var patientIdNumber:
            String?
        @Option(help: "One patient's referrals, by name (with --patient-birth-date).") var patientName: String?
        @Option(help: "With --patient-name: YYYY-MM-DD.") var patientBirthDate: String?
        @OptionGroup var page: PageOptions

        func run() async throws {
            try await CommandContext.run(options) { context in
                var patient = JSONObject()
                for (key, value) in [("idNumber", patientIdNumber), ("name", patientName), ("birthDate", patientBirthDate)] {
                    if let value { patient[key] = .string(value) }
                }
                try await context.call(
                    "referral.list",
                    [
                        "alliance": alliance.map(JSONValue.string), "hospital": hospital.map(JSONValue.string),
                        "as": side.map(JSONValue.string),
                        "status": Input.list(status), "direction": direction.map(JSONValue.string),
                        "priority": priority.map(JSONValue.string),
                        "overdue": overdue ? true : nil, "patient": patient.isEmpty ? nil : .object(patient),
                    ].merging(page.params) { $1 }
                ) { page in
                    pageText(
                        page,
                        headers: [
                            "list.id", "list.direction", "list.from", "list.to", "list.priority", "list.patient", "list.status",
                            "list.when",
                        ].map {
                            Language.current($0)
                        }
                    ) {
                        [
                            $0.cell("id"), $0.word("direction", "direction"), $0.cell("from"), $0.cell("to"),
                            $0.word("priority", "priority"), ($0["patient"] ?? [:]).cell("name"),
                            $0.word("status", "status") + ($0["overdue"] == true ? Language.current("referral.overdue") : ""),
                            ReferralCommand.awaited($0) ?? "",
                        ]
                    }
                }
            }
        }
    }

    struct Print: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "print",
            abstract: "Print the two-way referral form (双向转诊单): stub, form and receipt on one A4 HTML page.",
            discussion: """
                Open the page in a browser and print it on A4. Printing is recorded in the access log.

                Example:
                  yilian referral print R-000042 --out R-000042.html --as wang@MYQYY
                """)
        @OptionGroup(title: "Global options") var options: GlobalOptions
        @Argument(help: "The referral, e.g. R-000042.") var id: String
        @Option(help: ArgumentHelp("Write the page to this file (else to standard output).", valueName: "file")) var out: String?

        func run() async throws {
            try await CommandContext.run(options) { context in
                let form = try await context.services().referralForm(id, by: context.actingUser)
                let page = ReferralFormPage.html(form)
                try HTML.emit(page, to: out)
            }
        }
    }

    struct History: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "history", abstract: "A referral's timeline.")
        @OptionGroup(title: "Global options") var options: GlobalOptions
        @Argument(help: "The referral, e.g. R-000042.") var id: String

        func run() async throws {
            try await CommandContext.run(options) { context in
                try await context.call("referral.history", ["id": .string(id)]) { ReferralCommand.timeline($0["history"]?.items ?? []) }
            }
        }
    }

    struct Sweep: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "sweep", abstract: "Escalate overdue referrals and expire stale ones (run periodically).")
        @OptionGroup(title: "Global options") var options: GlobalOptions
        @OptionGroup var change: ChangeOptions

        func run() async throws {
            try await CommandContext.run(options, change: change) { context in
                try await context.call("referral.sweep", [:]) {
                    Language.current("sweep.result", $0["escalated"]?.items.count ?? 0, $0["expired"]?.items.count ?? 0)
                        + (($0["escalated"]?.items ?? []) + ($0["expired"]?.items ?? [])).map { " \($0.cell)" }.joined()
                }
            }
        }
    }
}

struct SlotsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "slots", abstract: "Reserved referral slots (号源下沉).", subcommands: [Publish.self, List.self])

    /// Slots, each with `change` (what publishing did) when given.
    static func table(_ slots: [JSONValue], changes: [String]? = nil) -> String {
        let language = Language.current
        if slots.isEmpty { return language("slots.none") }
        let headers = [
            "slots.date", "slots.hospital", "slots.specialty", "slots.capacity", "slots.booked", "slots.available", "slots.expert",
            "slots.total",
        ].map { language($0) }
        let rows = slots.enumerated().map { index, slot in
            [
                slot.cell("date"), slot.cell("hospital"), slot.cell("specialty"), slot.cell("capacity"), slot.cell("booked"),
                slot.cell("available"),
                "\(slot.cell("expertBooked"))/\(slot.cell("expert"))", slot.cell("total"),
            ] + (changes.map { [$0[index]] } ?? [])
        }
        return TextTable(headers: headers + (changes == nil ? [] : [language("slots.change")]), rows: rows).render()
    }

    struct Publish: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "publish",
            abstract: "Publish reserved capacity on a date or a range of dates (the receiving hospital).",
            discussion: """
                Reserved slots serve up-referrals. Each date says whether it was created, changed (and from what) or unchanged.

                Example: 6 of the clinic's 20 slots each weekday of December, 3 of them expert slots:
                  yilian slots publish --hospital ZRYY --specialty pain \\
                    --from 2026-12-01 --to 2026-12-31 --weekdays 1,2,3,4,5 \\
                    --capacity 6 --expert 3 --total 20 --as li@ZRYY
                """)
        @OptionGroup(title: "Global options") var options: GlobalOptions
        @OptionGroup var change: ChangeOptions
        @Option(help: "Your hospital's code. Required.", completion: Choices.codes(of: .hospital)) var hospital: String
        @Option(help: "The clinic's specialty code, e.g. pain. Required.", completion: Choices.codes(of: .specialty)) var specialty: String
        @Option(help: "The first date, YYYY-MM-DD (today or later). Required.") var from: String
        @Option(help: "The last date (default: --from).") var to: String?
        @Option(help: ArgumentHelp("Only these weekdays, 1 (Monday) to 7 (Sunday), e.g. 1,3,5.", valueName: "days")) var weekdays: String?
        @Option(help: "Reserved units on each date. Required.") var capacity: Int
        @Option(help: "Of those, expert units (专家号).") var expert: Int?
        @Option(help: "All slots of the clinic on each date (for the reserved share).") var total: Int?

        func run() async throws {
            try await CommandContext.run(options, change: change) { context in
                let days = try weekdays.map { text in
                    try text.split(separator: ",").map { part -> JSONValue in
                        guard let day = Int(part.trimmingCharacters(in: .whitespaces)) else {
                            throw YilianError.invalidParams([Problem("weekdays", Text("problem.weekdays"))])
                        }
                        return .integer(day)
                    }
                }
                try await context.call(
                    "slots.publish",
                    [
                        "hospital": .string(hospital), "specialty": .string(specialty), "from": .string(from),
                        "to": to.map(JSONValue.string),
                        "weekdays": days.map(JSONValue.array), "capacity": .integer(capacity), "expert": expert.map(JSONValue.integer),
                        "total": total.map(JSONValue.integer),
                    ]
                ) { result in
                    let items = result.items
                    return SlotsCommand.table(
                        items.map { $0["slot"] ?? [:] },
                        changes: items.map { item in
                            guard case .object(let before)? = item["before"] else {
                                return Language.current("slots.\(item.cell("change"))")
                            }
                            return Language.current(
                                "slots.changedFrom", JSONValue.object(before).cell("capacity"), JSONValue.object(before).cell("expert"))
                        })
                }
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List reserved slots.")
        @OptionGroup(title: "Global options") var options: GlobalOptions
        @Option(help: "Only this hospital's slots.", completion: Choices.codes(of: .hospital)) var hospital: String?
        @Option(help: "Only this specialty's slots.", completion: Choices.codes(of: .specialty)) var specialty: String?
        @Option(help: "From this date, YYYY-MM-DD.") var from: String?
        @Option(help: "To this date, YYYY-MM-DD.") var to: String?

        func run() async throws {
            try await CommandContext.run(options) { context in
                try await context.call(
                    "slots.list",
                    [
                        "hospital": hospital.map(JSONValue.string), "specialty": specialty.map(JSONValue.string),
                        "from": from.map(JSONValue.string),
                        "to": to.map(JSONValue.string),
                    ]
                ) { SlotsCommand.table($0.items) }
            }
        }
    }
}

struct WorklistCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worklist", abstract: "A hospital's worklist: what waits for it, section by section.",
        discussion: "Example:\n  yilian worklist --hospital ZRYY --as li@ZRYY")
    @OptionGroup(title: "Global options") var options: GlobalOptions
    @Option(help: "Your hospital's code. Required.", completion: Choices.codes(of: .hospital)) var hospital: String
    @Option(help: "At most this many referrals per section (default 50, at most 500).") var limit: Int?

    func run() async throws {
        try await CommandContext.run(options) { context in
            try await context.call("worklist.get", ["hospital": .string(hospital), "limit": limit.map(JSONValue.integer)]) { worklist in
                let language = Language.current
                let sections = Worklist.sectionNames.map { ($0, ReferralCommand.line) } + [("consultations", ConsultationCommand.line)]
                return language("worklist.title", worklist.cell("hospital"), LocalTime.text(Date())) + "\n"
                    + sections.map { key, line in
                        let items = worklist[key]?.items ?? []
                        let count = worklist["counts"]?[key]?.cell ?? String(items.count)
                        // A section cut at the limit says so: the rest are in `referral list` (`consultation list`).
                        let size =
                            count == String(items.count) ? language("worklist.count", count) : language("worklist.cut", items.count, count)
                        return language("section.\(key)") + language("worklist.size", size)
                            + (items.isEmpty ? "" : "\n" + items.map { "  " + line($0) }.joined(separator: "\n"))
                    }.joined(separator: "\n")
            }
        }
    }
}
