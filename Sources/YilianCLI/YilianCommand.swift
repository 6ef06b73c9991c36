import ArgumentParser
import YilianServices

/// The `yilian` command.
public struct YilianCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "yilian",
        abstract: Help.text("Yilian (医联): two-way referrals and membership for specialty medical alliances."),
        version: Services.version,
        subcommands: [
            DatabaseCommand.self, HospitalCommand.self, AllianceCommand.self, CriteriaCommand.self, RecognitionCommand.self,
            MembershipCommand.self, PracticeCommand.self, OutreachCommand.self, PlanCommand.self,
            ReferralCommand.self, ConsultationCommand.self, SlotsCommand.self, SpecialtyCommand.self, WorklistCommand.self,
            WatchCommand.self, ReportCommand.self, DemoCommand.self,
            UserCommand.self, AuditCommand.self, FHIRCommand.self, ServeCommand.self, ManualCommand.self,
        ])

    public init() {}
}
