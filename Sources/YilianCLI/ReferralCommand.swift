import ArgumentParser
import Foundation
import YilianCore
import YilianJSON
import YilianRPC
import YilianServices

struct ReferralCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "referral", abstract: Help.text("Two-way referrals: file, act, follow."),
        subcommands: [
            File.self, Accept.self, Reject.self, RequestInfo.self, ProvideInfo.self, Redirect.self, Schedule.self, Reschedule.self,
            Arrive.self, NoShow.self, Complete.self, Acknowledge<Self>.self, Cancel<Self>.self, Show.self, List.self, History.self,
            Sweep.self,
            Print.self,
        ])

    /// One line: id, direction, hospitals, priority and setting, status, and what is awaited
    /// (the respond-by time of an open request, the appointment of a scheduled patient).
    static func line(_ referral: ReferralView) -> String { line(referral, namingThePatient: false) }

    /// A list's line (the worklist's) also names the patient, whom a coordinator phones.
    static func entry(_ referral: ReferralView) -> String { line(referral, namingThePatient: true) }

    private static func line(_ referral: ReferralView, namingThePatient: Bool) -> String {
        let language = Language.current
        var status = referral.status.word("status")
        if referral.overdue { status += language("referral.overdue") }
        let (id, direction, from, to) = (referral.id.cell, referral.direction.word("direction"), referral.from.cell, referral.to.cell)
        let (priority, setting) = (referral.priority.word("priority"), referral.setting.word("setting"))
        var text =
            namingThePatient
            ? language("referral.entry", id, direction, from, to, patient(referral.patient), priority, setting, status)
            : language("referral.line", id, direction, from, to, priority, setting, status)
        if let awaited = awaited(referral) { text += language("referral.then", awaited) }
        return text
    }

    /// The patient as a list names them: name, sex and age (`张三（男，46 岁）`).
    static func patient(_ patient: Patient, on today: Date = Date()) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .current
        let now = calendar.dateComponents([.year, .month, .day], from: today)
        let age = CalendarDate(patient.birthDate).map { born in
            (now.year ?? 0) - born.year - ((now.month ?? 0, now.day ?? 0) < (born.month, born.day) ? 1 : 0)
        }
        return Language.current("referral.patient", patient.name.cell, patient.sex.word("sex"), age.map(String.init) ?? "?")
    }

    /// What the referral waits for: a response by a time, or the patient on the appointment date.
    static func awaited(_ referral: ReferralView) -> String? {
        switch referral.status {
        case .requested, .infoRequested: return Language.current("referral.respondBy", referral.respondBy.shortTime)
        case .scheduled: return Language.current("referral.appointment", referral.slot?.description ?? "-")
        case .accepted, .rejected, .inTreatment, .noShow, .completed, .closed, .cancelled, .expired: return nil
        }
    }

    /// Every field a coordinator needs, then the timeline.
    static func describe(_ referral: ReferralView) -> String {
        let language = Language.current
        var rows: [(String, String)] = [
            (language("show.referral"), line(referral)),
            (language("show.alliance"), "\(referral.alliance.cell) \(language.word("specialty", referral.specialty).cell)"),
            (language("show.patient"), patientLine(referral.patient)),
        ]
        if let phone = referral.patient.phone { rows.append((language("show.phone"), phone.cell)) }
        rows.append((language("show.diagnosis"), diagnoses(referral.diagnosis)))
        rows.append((language("show.reason"), referral.reason.cell))
        if let summary = referral.summary { rows.append((language("show.summary"), summary.cell)) }
        rows += referral.attachments.flatMap(attachmentRows)
        // The label says what is awaited; the value is only its date (it read 应答时限 应答时限 …).
        switch referral.status {
        case .requested, .infoRequested: rows.append((language("show.respondBy"), referral.respondBy.shortTime))
        case .scheduled: rows.append((language("show.appointment"), referral.slot?.description ?? "-"))
        case .accepted, .rejected, .inTreatment, .noShow, .completed, .closed, .cancelled, .expired: break
        }
        if referral.escalation > 0 { rows.append((language("show.escalation"), String(referral.escalation))) }
        if let outcome = referral.outcome {
            rows.append((language("show.outcome"), "\(outcome.summary.cell) → \(outcome.recommendation.word("recommendation"))"))
        }
        if let parent = referral.parent { rows.append((language("show.continues"), parent)) }
        if let consultation = referral.consultation { rows.append((language("show.fromConsultation"), consultation)) }
        if let outreach = referral.outreach { rows.append((language("show.fromOutreach"), outreach)) }
        if let continuations = referral.continuations, !continuations.isEmpty {
            rows.append((language("show.continuedBy"), continuations.map(\.cell).joined(separator: ", ")))
        }
        rows += [
            (language("show.created"), referral.createdAt.shortTime), (language("show.updated"), referral.updatedAt.shortTime),
            (language("show.version"), String(referral.version)), (language("show.fhirStatus"), referral.fhirStatus),
        ]
        var text = TextTable.keyValue(rows)
        if let history = referral.history { text += "\n\n" + timeline(history, width: 100) }
        return text
    }

    /// The patient as a referral or consultation shows them: name, sex, birth date, masked ID.
    static func patientLine(_ patient: Patient) -> String {
        Language.current("show.patientLine", patient.name.cell, patient.sex.word("sex"), patient.birthDate.cell, patient.idNumber.cell)
    }

    static func diagnoses(_ diagnoses: [Diagnosis]) -> String {
        diagnoses.map { "\($0.code.cell) \($0.name.cell)" }.joined(separator: "; ")
    }

    /// An attachment's rows of `show`: kind, title and reference; under it, unlabelled, the
    /// examination it names and whether the alliance recognises it (a 100-column line would cut a
    /// date in two).
    static func attachmentRows(_ attachment: Attachment) -> [(String, String)] {
        let language = Language.current
        let examination = [attachment.performanceText, attachment.recognitionText].compactMap { $0.map { $0(language).cell } }
        return [
            (language("show.attachments"), "\(attachment.kind.word("attachment")) \(attachment.title.cell) (\(attachment.reference.cell))")
        ]
            + (examination.isEmpty ? [] : [("", examination.joined(separator: language("attachment.separator")))])
    }

    /// The events, one line each: the status each led to (the one before is the previous
    /// line's); notes are cut so the table fits `width` columns (`show` fits 100; `history`
    /// shows them whole).
    static func timeline(_ events: [MachineEvent], width: Int = .max, words: TimelineWords = .referral) -> String {
        let language = Language.current
        let headers =
            [language("timeline.seq"), LocalTime.heading("timeline.at")]
            + ["timeline.action", "timeline.to", "timeline.by", "timeline.note"].map { language($0) }
        let rows = events.map { event in
            [
                String(event.seq), event.at.tableTime, language.word(words.action, event.action).cell,
                language.word(words.status, event.toStatus).cell,
                event.actorName.map { language("timeline.person", $0.cell, event.actor.cell) } ?? event.actor.cell,
                ([event.reason.map { $0.visible(keepingLines: false) }] + details(event.details ?? .null, words))
                    .compactMap { $0 }.joined(separator: " "),
            ]
        }
        let whole = TextTable(headers: headers, rows: rows)
        let note = max(headers[5].count * 2, width == .max ? .max : whole.lastColumnRoom(in: width))
        return TextTable(headers: headers, rows: rows.map { $0.dropLast() + [TextTable.clipped($0[5], to: note)] }).render()
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
            abstract: Help.text("File a referral (the sending hospital)."),
            discussion: Help.text(
                """
                Give every field by flags, or --from-file with the referral.file params as JSON (flags then override it).

                Example:
                  yilian referral file --alliance PAIN-BJ --from MYQYY --to ZRYY \\
                    --setting outpatient --priority urgent --patient-name 张三 \\
                    --patient-sex male --patient-birth-date 1956-03-12 --consent \\
                    --diagnosis M51.2:腰椎间盘突出症 --reason 保守治疗效果差 \\
                    --as wang@MYQYY
                """))
        @OptionGroup(title: Help.text("Global options")) var options: GlobalOptions
        @OptionGroup var change: ChangeOptions
        @Option(help: ArgumentHelp.text("A JSON file with the referral.file params; flags override it.", valueName: "file")) var fromFile:
            String?
        @Option(help: .text("The alliance, e.g. PAIN-BJ. Required."), completion: Choices.codes(of: .alliance)) var alliance: String?
        @Option(help: .text("Your hospital's code, the sender. Required."), completion: Choices.codes(of: .hospital)) var from: String?
        @Option(help: .text("The receiving hospital's code. Required."), completion: Choices.codes(of: .hospital)) var to: String?
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
        @Option(help: .text("Why the patient is referred. Required.")) var reason: String?
        @Option(help: .text("The history summary (病史摘要).")) var summary: String?
        @Option(help: .text("The up-referral this down-referral continues; the patient and diagnosis are then taken from it.")) var parent:
            String?
        @Option(help: .text("The outreach session (专家下沉) the patient was booked into and seen in, e.g. O-000001.")) var outreach: String?
        @Flag(help: .text("File even though this patient already has an open referral between the same hospitals.")) var allowDuplicate =
            false

        func run() async throws {
            try await CommandContext.run(options, change: change) { context in
                var params: [String: JSONValue?] = [:]
                if case .object(let members)? = try Input.json(inline: nil, file: fromFile, name: "fromFile") {
                    params = Dictionary(uniqueKeysWithValues: members.map { ($0.key, Optional($0.value)) })
                }
                let unread = patient.apply(to: &params)
                for (key, value) in [
                    ("alliance", alliance), ("from", from), ("to", to), ("direction", direction), ("setting", setting),
                    ("priority", priority), ("reason", reason), ("summary", summary), ("parent", parent),
                    ("outreach", outreach),
                ] {
                    if let value { params[key] = .string(value) }
                }
                if allowDuplicate { params["allowDuplicate"] = true }
                try await context.refuse(unread, ReferralFile.self, params)
                try await context.act(ReferralCommand.self, .file, params) { Language.current("referral.filed", ReferralCommand.line($0)) }
            }
        }
    }
}
