import Foundation
import YilianCore

/// What a call does when the database is lost under it (SPEC §12): a failover of the formation, a
/// restarted server. The connection is reopened through the same (multi-host) URI, which finds the
/// new primary; a call is made again only when that cannot do twice what the first try did.
public enum Reconnection {
    enum Redo: Equatable {
        /// Nothing of the first try reached the database, or doing it again changes nothing: call again.
        case yes
        /// A change without an idempotency key was cut off: it may or may not have happened.
        case inDoubt
        case no
    }

    /// How long a call waits for the database to come back, then says it is unavailable: a
    /// formation promotes a standby in about 20 to 60 s (pg_auto_failover's default timeouts).
    /// `YILIAN_RECONNECT_SECONDS` sets it (0: never wait).
    static let wait = Duration.seconds(Int(ProcessInfo.processInfo.environment["YILIAN_RECONNECT_SECONDS"] ?? "") ?? 60)
    /// Between two tries.
    static let pause = Duration.milliseconds(250)

    static func redo(after error: YilianError, mutates: Bool, keyed: Bool) -> Redo {
        guard error.isDatabaseLoss else { return .no }
        // Lost in use: a read is read again, a change with a key is answered once by its key.
        // Not reached: nothing of it was done.
        return error.text?.key == "db.lost" && mutates && !keyed ? .inDoubt : .yes
    }
}

extension YilianError {
    /// A change without an idempotency key cut off by the loss of the database (`data.inDoubt`).
    static let inDoubt = YilianError(.databaseUnavailable, Text("db.inDoubt"), data: ["inDoubt": true])
}
