import Foundation

/// Runs `psql`, as a user with nothing but their own login would.
public enum Psql {
    public struct Outcome: Sendable {
        public var succeeded: Bool
        public var output: String
        public var error: String
    }

    /// `url` with its user replaced by `login` (USER@HOSPITAL).
    public static func url(_ url: String, as login: String) -> String {
        let encoded = login.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._"))) ?? login
        return url.replacingOccurrences(of: "user=yilian", with: "user=\(encoded)")
    }

    /// Runs `sql` (one statement, or several in one transaction) through `psql` on `url`, then
    /// each of `then` in a transaction of its own: unaligned, tuples only, stopping at the first
    /// error; as the system `account` when one is named (under root).
    public static func run(_ url: String, _ sql: String, then: [String] = [], account: String? = nil) throws -> Outcome {
        let arguments = ["-X", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", url] + ([sql] + then).flatMap { ["-c", $0] }
        let (status, output, error) =
            try account.map {
                try Child.run(
                    "/usr/sbin/runuser", ["-u", $0, "--", "/usr/bin/psql"] + arguments, environment: ProcessInfo.processInfo.environment)
            } ?? Child.run("/usr/bin/psql", arguments, environment: ProcessInfo.processInfo.environment)
        return Outcome(
            succeeded: status == 0,
            output: String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines),
            error: String(decoding: error, as: UTF8.self))
    }
}
