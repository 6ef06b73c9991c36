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
}
