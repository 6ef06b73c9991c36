import ArgumentParser
import Foundation
import Logging
import Synchronization
import YilianCore
import YilianJSON
import YilianRPC
import YilianServices

/// Where the data is, how much to log and in which language to speak: every command takes these.
struct DatabaseOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp.text(
            "A libpq connection string or URI (else YILIAN_DATABASE_URL, else the embedded database).", valueName: "url"))
    var databaseURL: String?

    @Option(
        help: ArgumentHelp.text(
            "trace, debug, info, notice, warning, error or critical (else YILIAN_LOG_LEVEL; default error).", valueName: "level"),
        completion: .list(Logger.Level.allCases.map(\.rawValue)))
    var logLevel: String?

    @Option(
        help: ArgumentHelp.text(
            "zh or en: the language of what you read (else zh when LC_ALL, LC_MESSAGES or LANG starts with zh).", valueName: "language"),
        completion: .list(Language.allCases.map(\.rawValue)))
    var lang: String?

    func validate() throws {
        if let lang, Language(rawValue: lang) == nil {
            throw ValidationError(Language.current("usage.lang", lang.debugDescription))
        }
        if let level = logLevel ?? ProcessInfo.processInfo.environment["YILIAN_LOG_LEVEL"], Logger.Level(rawValue: level) == nil {
            throw ValidationError(Language.current("usage.logLevel", level.debugDescription))
        }
    }

    var location: DatabaseLocation { DatabaseLocation.resolve(databaseURL: databaseURL) }

    /// `--lang`, else the locale's.
    var language: Language { Language.resolve(lang, environment: ProcessInfo.processInfo.environment) ?? .en }
}

/// `--json`, for every command that prints a result.
struct JSONOption: ParsableArguments {
    @Flag(help: .text("Print exactly the JSON-RPC result object instead of text."))
    var json = false
}

/// The options of a command that reads or changes the alliance's data as a user.
struct GlobalOptions: ParsableArguments {
    @OptionGroup(title: Help.text("Global options")) var output: JSONOption

    @Option(
        name: .customLong("as"),
        help: ArgumentHelp.text("Act as USER@HOSPITAL (else YILIAN_ACTOR, else the database login's user).", valueName: "user@hospital"))
    var actor: String?

    @OptionGroup var database: DatabaseOptions

    func validate() throws {
        if let text = actor ?? ProcessInfo.processInfo.environment["YILIAN_ACTOR"], Actor(parsing: text) == nil {
            throw ValidationError(Language.current("usage.actor", text.debugDescription))
        }
    }

    var json: Bool {
        get { output.json }
        set { output.json = newValue }
    }

    /// The acting user: `--as`, else `YILIAN_ACTOR`.
    var actingUser: Actor? { (actor ?? ProcessInfo.processInfo.environment["YILIAN_ACTOR"]).flatMap(Actor.init(parsing:)) }
}

/// `--idempotency-key`, for every command that changes something.
struct ChangeOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp.text(
            "Repeat safely: a repeat with the same key and flags returns the first result and changes nothing.", valueName: "key"))
    var idempotencyKey: String?
}

/// The idempotency key a command made for its last change (`CommandContext.generatedKey`).
final class GeneratedKey: Sendable {
    let value = Mutex<String?>(nil)
}

/// What a command needs while it runs: logging, the database, and printing in text or JSON.
struct CommandContext {
    let database: DatabaseOptions
    let json: Bool
    let actingUser: Actor?
    let idempotencyKey: String?
    /// The key of the last change sent without `--idempotency-key`.
    let generatedKey = GeneratedKey()
    let logger: Logger

    /// Runs the body of a command that acts as a user (`--as`), changing something when it is
    /// given `change`.
    static func run(_ options: GlobalOptions, change: ChangeOptions? = nil, _ body: (CommandContext) async throws -> Void) async throws {
        try await run(options.database, json: options.json, actingUser: options.actingUser, idempotencyKey: change?.idempotencyKey, body)
    }

    /// Runs a command body; a `YilianError` becomes one sentence on stderr (plus the JSON error
    /// object with `--json`) and the exit code of SPEC §3.
    static func run(
        _ database: DatabaseOptions, json: Bool = false, actingUser: Actor? = nil, idempotencyKey: String? = nil,
        _ body: (CommandContext) async throws -> Void
    ) async throws {
        let level = database.logLevel ?? ProcessInfo.processInfo.environment["YILIAN_LOG_LEVEL"]
        let logger = makeLogger(level: level.flatMap(Logger.Level.init(rawValue:)) ?? .error)
        let context = CommandContext(database: database, json: json, actingUser: actingUser, idempotencyKey: idempotencyKey, logger: logger)
        try await Language.$current.withValue(database.language) {
            do {
                try await body(context)
            } catch let error as YilianError {
                throw await context.failure(error)
            } catch let error as ExitCode {
                throw error
            } catch {
                logger.error("unexpected error", metadata: ["error": "\(String(reflecting: type(of: error)))"])
                throw await context.failure(.internalFailure)
            }
        }
    }

    /// Says `error` on stderr (and its JSON error object with `--json`) and gives the exit code
    /// to throw: the command ends as every command does, its database closed on the way out.
    private func failure(_ error: YilianError) async -> ExitCode {
        var sentence = ErrorText.sentence(error)
        // A read that found nothing or a refusal, by the database's owner naming nobody: it acted
        // as the platform, which sees no patient data, and the reader is told how to name themself.
        if actingUser == nil, error.code == .notFound || error.code == .forbidden,
            (try? await services().namingNobodyActsAsThePlatform()) == true
        {
            sentence += Language.current("error.actedAsThePlatform")
        }
        // Unavailable for longer than a change waits: the key it was sent with makes doing it
        // again safe.
        let key = error.isDatabaseLoss ? generatedKey.value.withLock({ $0 }) : nil
        if let key { sentence += Language.current("db.againWithKey", key) }
        Stderr.print(sentence)
        if json {
            var data = error.data
            data["code"] = .string(error.code.rawValue)
            data["idempotencyKey"] = key.map(JSONValue.string)
            let object: JSONValue = ["code": .integer(error.code.rpcCode), "message": .string(error.message), "data": .object(data)]
            Stderr.print(String(decoding: object.serialized, as: UTF8.self))
        }
        return ExitCode(error.code.exitCode)
    }

    /// Opens the database (starting the embedded one when needed, saying so on stderr).
    func openDatabase(capacity: Int = 1) async throws -> Database {
        try await database.location.open(capacity: capacity, logger: logger) { Stderr.print($0(Language.current)) }
    }

    func services(capacity: Int = 1) async throws -> Services {
        // The reads that may lag, on a standby when one is named (SPEC §12).
        let reads = ProcessInfo.processInfo.environment["YILIAN_READ_DATABASE_URL"].map { url in
            Database(conninfo: url, capacity: capacity, logger: logger)
        }
        return Services(database: try await openDatabase(capacity: capacity), reads: reads, logger: logger)
    }

    /// Calls `method` as `yilian serve` would, with the parameters the flags gave (nil ones left
    /// out; read and checked by the method's own `Params`), the acting user (`--as`) and, for a
    /// command that changes something, the idempotency key. With `--json` prints the result
    /// exactly as `serve` returns it, else `text` of the typed result.
    /// `progress` is told how far a long change has come (a progress bar).
    func call<M: RPCMethod>(
        _ method: M.Type, _ params: [String: JSONValue?], progress: @escaping @Sendable (Int, Int) -> Void = { _, _ in },
        text: (M.Output) async throws -> String
    ) async throws {
        try await show(try await answer(M.self, params, progress: progress), text: text)
    }

    /// The same for an action of a referral's or a consultation's machine (`referral.accept`, …).
    func act<Case: CaseCommand>(
        _ case: Case.Type, _ action: Case.Action, _ params: [String: JSONValue?], text: (Case.View) async throws -> String
    ) async throws {
        try await show(try await Case.act(action, params: request(params, changing: true), on: dispatcher()), text: text)
    }

    /// The same for a member's suspension, reinstatement or revocation (`membership.suspend`, …).
    func act(
        _ action: MembershipMachine.Action, _ params: [String: JSONValue?], text: (AllianceView) async throws -> String
    ) async throws {
        try await show(try await dispatcher().act(action, params: request(params, changing: true)), text: text)
    }

    /// Refuses `params` for `method` when the command could not read some of its flags
    /// (`unread`), with every problem the method finds in the rest: nothing half-done, all told.
    func refuse<M: RPCMethod>(_ unread: [Problem], _ method: M.Type, _ params: [String: JSONValue?]) async throws {
        guard !unread.isEmpty else { return }
        let paths = Set(unread.map(\.path))
        let others = try await dispatcher().problems(M.self, params: request(params)).filter { problem in
            !paths.contains { problem.path == $0 || problem.path.hasPrefix($0 + "[") || problem.path.hasPrefix($0 + ".") }
        }
        throw YilianError.invalidParams(unread + others)
    }

    /// Calls `method` and returns its typed result and its JSON as `serve` sends it, for a
    /// command that shows a result its own way.
    func answer<M: RPCMethod>(
        _ method: M.Type, _ params: [String: JSONValue?], progress: @escaping @Sendable (Int, Int) -> Void = { _, _ in }
    ) async throws -> (result: M.Output, json: Data) {
        try await dispatcher(progress: progress).call(M.self, params: request(params, changing: M.mutates && !M.idempotent))
    }

    /// Calls a read-only method and returns its typed result, for commands that show several things.
    func fetch<M: RPCMethod>(_ method: M.Type, _ params: [String: JSONValue?]) async throws -> M.Output {
        try await answer(M.self, params).result
    }

    /// With `--json` the result as `serve` sends it, else `text` of it.
    func show<Output>(_ answer: (result: Output, json: Data), text: (Output) async throws -> String) async throws {
        if json {
            print(String(decoding: answer.json, as: UTF8.self))
        } else {
            Terminal.print(try await text(answer.result))
        }
    }

    /// `hospital` as given, else the acting user's (SPEC §3: `worklist` and `slots` default
    /// `--hospital` to it): `--as`, else the login's user.
    func hospital(_ hospital: String?) async throws -> String {
        if let hospital { return hospital }
        if let actingUser { return actingUser.hospital }
        return try await fetch(SystemWhoAmI.self, [:]).hospital
    }

    /// The request's parameters: the flags' (nil ones left out), the acting user and, for a
    /// change, the key: `--idempotency-key`, else one of its own (SPEC §12), which a call cut off
    /// by the loss of the database is made again with, so that it never happens twice; told on
    /// failure (`generatedKey`).
    private func request(_ params: [String: JSONValue?], changing: Bool = false) -> JSONValue {
        var members = acting(JSONObject(params.compactMapValues { $0 }))
        if changing, idempotencyKey == nil {
            let key = "cli-" + UUID().uuidString.lowercased()
            generatedKey.value.withLock { $0 = key }
            members["idempotencyKey"] = .string(key)
        } else {
            members["idempotencyKey"] = idempotencyKey.map(JSONValue.string)
        }
        return .object(members)
    }

    /// `params` with the acting user (`--as`, `YILIAN_ACTOR`) as `actor`, when one is named.
    private func acting(_ params: JSONObject) -> JSONObject {
        var params = params
        if let actor = actingUser {
            params["actor"] = ["user": .string(actor.user), "hospital": .string(actor.hospital)]
        }
        return params
    }

    private func dispatcher(progress: @escaping @Sendable (Int, Int) -> Void = { _, _ in }) async throws -> Dispatcher {
        Dispatcher(services: try await services(), logger: logger, progress: progress)
    }

    /// Prints `value` as JSON with `--json`, else the text.
    func output(_ value: some Encodable, text: () -> String) throws {
        if json {
            print(String(decoding: try JSONCoding.data(value), as: UTF8.self))
        } else {
            Terminal.print(text())
        }
    }
}

/// A logger writing to stderr at `level`. Bootstrapped once per process.
private let bootstrapLogging: Void = LoggingSystem.bootstrap { label in StreamLogHandler.standardError(label: label) }

func makeLogger(level: Logger.Level) -> Logger {
    _ = bootstrapLogging
    var logger = Logger(label: "yilian")
    logger.logLevel = level
    return logger
}

enum Stderr {
    static func print(_ line: String) { write(line + "\n") }
    static func write(_ text: String) { FileHandle.standardError.write(Data(text.visible(keepingLines: true).utf8)) }
}

extension YilianError.Code {
    /// The process exit code of SPEC §3.
    var exitCode: Int32 {
        switch self {
        case .invalidTransition, .ruleViolation, .capacityExhausted, .alreadyExists: return 1
        case .invalidParams, .idempotencyMismatch: return 65
        case .notFound: return 66
        case .databaseUnavailable: return 69
        case .internal: return 70
        case .conflict: return 75
        case .forbidden: return 77
        }
    }
}

/// `--limit` and `--cursor`, for every list.
struct PageOptions: ParsableArguments {
    @Option(help: .text("At most this many (default 50, at most 500).")) var limit: Int?
    @Option(help: .text("Where the previous page said to go on (\"More: --cursor …\").")) var cursor: String?

    var params: [String: JSONValue?] { ["limit": limit.map(JSONValue.integer), "cursor": cursor.map(JSONValue.string)] }
}
