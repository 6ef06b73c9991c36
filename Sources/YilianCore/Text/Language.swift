import YilianJSON

/// The language of everything a person reads (SPEC §3): `zh` or `en`. Codes and JSON stay as they
/// are. Each language has one catalogue (`Catalogue.zh`, `Catalogue.en`) holding the same keys; a
/// key missing from one is a test failure, and shows as `‹key›`, never as the other language.
public enum Language: String, CaseIterable, Sendable {
    case zh, en

    /// The language of the current command (`--lang`, else the locale); English outside one.
    @TaskLocal public static var current: Language = .en

    /// `flag` when given, else `zh` when the first of `LC_ALL`, `LC_MESSAGES` and `LANG` that is
    /// set starts with `zh`, else `en`. Nil when `flag` is neither language.
    public static func resolve(_ flag: String?, environment: [String: String]) -> Language? {
        if let flag { return Language(rawValue: flag) }
        let locale = ["LC_ALL", "LC_MESSAGES", "LANG"].lazy.compactMap { environment[$0] }.first { !$0.isEmpty } ?? ""
        return locale.hasPrefix("zh") ? .zh : .en
    }

    public var catalogue: [String: String] {
        switch self {
        case .zh: return Catalogue.zh
        case .en: return Catalogue.en
        }
    }

    /// The text of `key` with `{1}`, `{2}`, … replaced by `arguments`.
    public func callAsFunction(_ key: String, _ arguments: any CustomStringConvertible...) -> String {
        render(key, arguments.map(\.description))
    }

    func render(_ key: String, _ arguments: [String]) -> String {
        guard var text = catalogue[key] else { return "‹\(key)›" }
        for (index, argument) in arguments.enumerated() {
            text = text.replacing("{\(index + 1)}", with: argument)
        }
        return text
    }

    /// The word for a code (`status`, `in_treatment` → 已到诊); the code itself when the
    /// catalogue has none (a code typed by someone, not one of the enumerations).
    public func word(_ kind: String, _ code: String) -> String {
        catalogue["\(kind).\(code)"] ?? code
    }
}

/// A text for people, kept as its catalogue key and arguments until it is shown: in English in
/// JSON-RPC errors and logs, in the reader's language by the CLI.
public struct Text: Equatable, Sendable, CustomStringConvertible {
    public let key: String
    public let arguments: [any TextArgument]

    public init(_ key: String, _ arguments: any TextArgument...) { self.init(key: key, arguments: arguments) }

    init(key: String, arguments: [any TextArgument]) {
        self.key = key
        self.arguments = arguments
    }

    public func callAsFunction(_ language: Language) -> String { language.render(key, arguments.map { $0.text(in: language) }) }

    /// English.
    public var description: String { self(.en) }

    public static func == (lhs: Text, rhs: Text) -> Bool { lhs.key == rhs.key && lhs.description == rhs.description }
}

extension Text: TextArgument {
    public func text(in language: Language) -> String { self(language) }
}

extension Text {
    /// The text as kept in the database, to be shown later in any language: `{"key", "arguments"}`,
    /// an argument that is a text nested the same way, `Listed` texts as an array, any other
    /// argument as its plain text.
    public var stored: JSONValue {
        func value(_ argument: any TextArgument) -> JSONValue {
            switch argument {
            case let text as Text: return text.stored
            case let listed as Listed<Text>: return .array(listed.items.map(\.stored))
            default: return .string(argument.text(in: .en))
            }
        }
        return ["key": .string(key), "arguments": .array(arguments.map(value))]
    }

    /// A text as `stored` keeps it; plain text (written before texts were kept) is shown as it is.
    public init(stored: JSONValue) {
        func argument(_ value: JSONValue) -> any TextArgument {
            switch value {
            case .object: return Text(stored: value)
            case .array(let items): return Listed(items.map(Text.init(stored:)))
            case .string(let text): return text
            default: return String(decoding: value.serialized, as: UTF8.self)
            }
        }
        guard case .string(let key)? = stored["key"], case .array(let arguments)? = stored["arguments"] else {
            self.init("verbatim", stored.stringValue ?? String(decoding: stored.serialized, as: UTF8.self))
            return
        }
        self.init(key: key, arguments: arguments.map(argument))
    }
}

/// What fills a text's `{n}`: plain text (names, ids, numbers, dates), or codes shown as words.
public protocol TextArgument: Sendable {
    func text(in language: Language) -> String
}

extension String: TextArgument {
    public func text(in language: Language) -> String { self }
}

extension Int: TextArgument {
    public func text(in language: Language) -> String { String(self) }
}

/// Several arguments shown one after the other, `; ` / `；` between them.
public struct Listed<Item: TextArgument & Sendable>: TextArgument {
    public let items: [Item]
    public init(_ items: [Item]) { self.items = items }
    public func text(in language: Language) -> String {
        items.map { $0.text(in: language) }.joined(separator: language("error.problemSeparator"))
    }
}

/// Codes of one kind shown as the reader's words (`status`, `in_treatment` → 已到诊), several
/// joined as a list (`预约、取消`).
public struct Words: TextArgument {
    public let kind: String
    public let codes: [String]

    public init(_ kind: String, _ codes: [String]) {
        self.kind = kind
        self.codes = codes
    }

    public init(_ kind: String, _ code: String) { self.init(kind, [code]) }

    public func text(in language: Language) -> String {
        codes.map { language.word(kind, $0) }.joined(separator: language("list.separator"))
    }
}

/// The codes a value may take, as a reader is told them: in English the codes, in Chinese each
/// code with its word (`female（女）`), when the catalogue names them.
public struct AllowedCodes: TextArgument {
    public let codes: [String]
    public init(_ codes: [String]) { self.codes = codes }

    public func text(in language: Language) -> String {
        let kind = language == .en ? nil : Catalogue.kind(of: codes)
        return codes.map { code in kind.map { "\(code)（\(language.word($0, code))）" } ?? code }
            .joined(separator: language("list.separator"))
    }
}

/// The catalogues, one per language (`Catalogue+zh.swift`, `Catalogue+en.swift`).
public enum Catalogue {
    /// The kind whose codes are `codes` (`sex` for male, female, unknown), which names their words.
    public static func kind(of codes: [String]) -> String? {
        codes.isEmpty ? nil : Catalogue.codes.filter { Set($0.value) == Set(codes) }.keys.min()
    }

    /// The codes every catalogue names, by kind: each enumeration a person reads.
    public static let codes: [String: [String]] = [
        "status": ReferralMachine.Status.allCases.map(\.rawValue),
        "action": ReferralMachine.Action.allCases.map(\.rawValue),
        "actionPhrase": ReferralMachine.Action.allCases.map(\.rawValue),
        "actionPast": ReferralMachine.Action.allCases.map(\.rawValue),
        "party": ["sender", "receiver", "system"],
        "priority": Priority.allCases.map(\.rawValue),
        "setting": Setting.allCases.map(\.rawValue),
        "direction": Direction.allCases.map(\.rawValue),
        "sex": Sex.allCases.map(\.rawValue),
        "rejectReason": RejectReason.allCases.map(\.rawValue),
        "recommendation": Recommendation.allCases.map(\.rawValue),
        "attachment": AttachmentKind.allCases.map(\.rawValue),
        "duty": Duty.allCases.map(\.rawValue),
        "decision": Decision.allCases.map(\.rawValue),
        "role": MemberRole.allCases.map(\.rawValue),
        "grade": Hospital.Grade.allCases.map(\.rawValue),
        "kind": Hospital.Kind.allCases.map(\.rawValue),
        "applicationStatus": ApplicationMachine.Status.allCases.map(\.rawValue),
        "applicationAction": ApplicationMachine.Action.allCases.map(\.rawValue),
        "applicationPhrase": ApplicationMachine.Action.allCases.map(\.rawValue),
        "applicationPast": ApplicationMachine.Action.allCases.map(\.rawValue),
        "membershipStatus": MembershipMachine.Status.allCases.map(\.rawValue),
        "membershipAction": MembershipMachine.Action.allCases.map(\.rawValue),
        "membershipPast": MembershipMachine.Action.allCases.map(\.rawValue),
        "dbState": ["running", "stopped", "not_created", "reachable"],
        "consultationStatus": ConsultationMachine.Status.allCases.map(\.rawValue),
        "consultationAction": ConsultationMachine.Action.allCases.map(\.rawValue),
        "consultationPhrase": ConsultationMachine.Action.allCases.map(\.rawValue),
        "consultationPast": ConsultationMachine.Action.allCases.map(\.rawValue),
        "consultationParty": ConsultationMachine.Party.allCases.map(\.rawValue),
        "mode": ConsultationMachine.Mode.allCases.map(\.rawValue),
        "declineReason": DeclineReason.allCases.map(\.rawValue),
        "slotRule": SlotRule.allCases.map(\.rawValue),
        "outreachKind": OutreachKind.allCases.map(\.rawValue),
        "keySpecialty": ["national", "municipal"],
        "opinionRecommendation": OpinionRecommendation.allCases.map(\.rawValue),
    ]
}
