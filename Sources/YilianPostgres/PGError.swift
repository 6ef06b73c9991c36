/// A five-character PostgreSQL error code (SQLSTATE). Open to codes not named here.
public struct SQLState: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    /// The two-character class, e.g. `08` for connection exceptions.
    public var errorClass: Substring { rawValue.prefix(2) }
    public var description: String { rawValue }

    public static let uniqueViolation = SQLState(rawValue: "23505")
    public static let foreignKeyViolation = SQLState(rawValue: "23503")
    public static let checkViolation = SQLState(rawValue: "23514")
    public static let serializationFailure = SQLState(rawValue: "40001")
    public static let deadlockDetected = SQLState(rawValue: "40P01")
    public static let lockNotAvailable = SQLState(rawValue: "55P03")
    public static let queryCanceled = SQLState(rawValue: "57014")
    public static let adminShutdown = SQLState(rawValue: "57P01")
    public static let crashShutdown = SQLState(rawValue: "57P02")
    public static let cannotConnectNow = SQLState(rawValue: "57P03")
    public static let undefinedTable = SQLState(rawValue: "42P01")
    public static let duplicateTable = SQLState(rawValue: "42P07")
    public static let duplicateObject = SQLState(rawValue: "42710")
    public static let raiseException = SQLState(rawValue: "P0001")
    public static let insufficientPrivilege = SQLState(rawValue: "42501")
    /// Yilian's own: the owner's session was asked to act as someone who is not a registered,
    /// enabled user.
    public static let notARegisteredUser = SQLState(rawValue: "YL001")
    /// Yilian's own: an action's booking found no unit left of its kind on its date.
    public static let noUnit = SQLState(rawValue: "YL002")
    /// Yilian's own: an appointment set before the day it is set on.
    public static let pastAppointment = SQLState(rawValue: "YL004")
    /// Yilian's own: an outreach change the wall refused; its detail is the reason's word.
    public static let outreachRefused = SQLState(rawValue: "YL005")

    /// Worth running the whole transaction again.
    public var isRetryable: Bool { self == .serializationFailure || self == .deadlockDetected }
}

/// An error from the PostgreSQL client layer. Its fields are for logs and for mapping to domain
/// errors; they are never shown to a user as they are.
public struct PGError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// Could not connect (server down, socket missing, authentication failed).
        case connectionFailed
        /// The connection broke while in use; it is re-established on the next use.
        case connectionLost
        /// The server answered with an error (see `sqlState`).
        case server
        /// A value could not be decoded into the requested Swift type.
        case decoding
    }

    public var kind: Kind
    public var sqlState: SQLState?
    public var message: String
    public var detail: String?
    public var constraint: String?

    public init(
        _ kind: Kind, sqlState: SQLState? = nil, message: String, detail: String? = nil,
        constraint: String? = nil
    ) {
        self.kind = kind
        self.sqlState = sqlState
        self.message = message
        self.detail = detail
        self.constraint = constraint
    }

    /// True when the server or the connection to it is unavailable rather than the request wrong.
    public var isUnavailable: Bool {
        switch kind {
        case .connectionFailed, .connectionLost: return true
        case .decoding: return false
        case .server:
            guard let state = sqlState else { return false }
            return state.errorClass == "08" || state == .adminShutdown || state == .crashShutdown
                || state == .cannotConnectNow || state.errorClass == "53"
        }
    }

    /// What a failed connection says about the setup, read from libpq's message (no SQLSTATE
    /// exists before a session does); nil when it may pass by itself (a server starting, a
    /// timeout), or when the message is not one libpq writes in English.
    public enum ConnectionProblem: Sendable, Equatable {
        /// The URL or connection string itself is malformed.
        case badConnectionString
        /// No server listens at the URL's socket or host and port.
        case noServer
        /// The server has no database of that name.
        case unknownDatabase
        /// The server refused the user: no such role, a wrong or missing password.
        case loginRefused
        /// The user's role already holds as many connections as its limit allows (`role`).
        case tooManyConnections(role: String)
    }

    public var connectionProblem: ConnectionProblem? {
        guard kind == .connectionFailed else { return nil }
        func says(_ parts: String...) -> Bool { parts.contains { message.contains($0) } }
        if says(
            "invalid URI", "invalid percent-encoded", "invalid connection option", "missing \"=\"", "unterminated quoted string",
            "invalid integer value", "invalid sslmode", "invalid port number", "invalid value for parameter")
        {
            return .badConnectionString
        }
        if says("database \"") && says("does not exist") { return .unknownDatabase }
        if let start = message.range(of: "too many connections for role \""), let end = message[start.upperBound...].firstIndex(of: "\"") {
            return .tooManyConnections(role: String(message[start.upperBound..<end]))
        }
        if says("password authentication failed", "no password supplied", "authentication failed", "role \"") { return .loginRefused }
        // A formation between primaries (SPEC §12): a server answered, but as a standby. It passes
        // once the monitor has promoted one.
        if says("session is read-only", "server is in hot standby mode", "is in recovery") { return nil }
        if says("No such file or directory", "Connection refused", "could not translate host name", "Name or service not known") {
            return .noServer
        }
        return nil
    }

    public var description: String {
        var text = "PostgreSQL \(kind)"
        if let sqlState { text += " \(sqlState)" }
        text += ": \(message)"
        if let detail { text += " (\(detail))" }
        return text
    }
}
