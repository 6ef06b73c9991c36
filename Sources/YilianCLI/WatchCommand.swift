import ArgumentParser
import Foundation
import YilianCore
import YilianJSON
import YilianRPC

/// `yilian watch`: the event feed as it happens (SPEC §8), one line per event in the reader's
/// language and time zone, the terminal bell for emergencies and escalations, until interrupted.
struct WatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch", abstract: Help.text("Follow what happens to your hospital's referrals and consultations, as it happens."),
        discussion: Help.text(
            """
            One line per event your hospital may see, in order; a bell for green-channel filings and escalations. With --since N, first the events after number N (the number each line starts with); otherwise from now. Runs until interrupted (Ctrl-C).

            Example:
              yilian watch --as li@ZRYY
            """))

    @OptionGroup(title: Help.text("Global options")) var options: GlobalOptions
    @Option(help: .text("Start after this feed number (default: from now).")) var since: Int?

    func run() async throws {
        try await CommandContext.run(options) { context in
            let services = try await context.services(capacity: 2)
            let json = options.json
            // Not silently: what it follows, until when (on stderr; stdout is the events').
            if !json { Stderr.print(Language.current("watch.started", try await context.hospital(nil))) }
            try await services.watchEvents(since: since, by: context.actingUser) { event in
                let text =
                    json
                    ? String(decoding: event.json.serialized, as: UTF8.self)
                    : Self.line(event, patient: await Self.patient(of: event, context))
                let bell = !json && Self.rings(event)
                // One line at a time, also into a pipe, the bell outside the line.
                FileHandle.standardOutput.write(Data(((bell ? "\u{7}" : "") + text.visible(keepingLines: false) + "\n").utf8))
            }
        }
    }

    /// `12  2026-12-01 05:05 北京时间  R-000003 绿色通道  发起转诊 → 待接诊  coordinator@CHC-HPL`
    static func line(_ event: FeedEvent, patient: String? = nil) -> String {
        let language = Language.current
        let (action, status): (String, String) =
            switch event.kind {
            case "referral": ("action", "status")
            case "consultation": ("consultationAction", "consultationStatus")
            default: ("applicationAction", "applicationStatus")
            }
        return language(
            "watch.line", String(event.number), event.at.shortTime, event.id.cell + (patient.map { " " + $0 } ?? ""),
            event.priority.map { language.word("priority", $0) } ?? "",
            language.word(action, event.action).cell, language.word(status, event.toStatus).cell, event.actor.cell)
    }

    /// The patient an event is about, as a list's line names them (a coordinator phones them),
    /// when the reader may read the case: a read of patient data, logged as every such read is.
    static func patient(of event: FeedEvent, _ context: CommandContext) async -> String? {
        switch event.kind {
        case "referral": (try? await context.fetch(ReferralGet.self, ["id": .string(event.id)])).map { ReferralCommand.patient($0.patient) }
        case "consultation":
            (try? await context.fetch(ConsultationGet.self, ["id": .string(event.id)])).map { ReferralCommand.patient($0.patient) }
        default: nil
        }
    }

    /// Whether the line rings: a green-channel filing or an escalation.
    static func rings(_ event: FeedEvent) -> Bool {
        event.action == "escalate" || (event.action == "file" && event.priority == "emergency")
    }
}
