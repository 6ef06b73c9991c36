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
        guard var text = catalogue[key] else { return "‹\(key)›" }
        for (index, argument) in arguments.enumerated() {
            text = text.replacing("{\(index + 1)}", with: argument.description)
        }
        return text
    }

    /// The word for a code (`status`, `in_treatment` → 已到诊); the code itself when the
    /// catalogue has none (a code typed by someone, not one of the enumerations).
    public func word(_ kind: String, _ code: String) -> String {
        catalogue["\(kind).\(code)"] ?? code
    }
}

/// The catalogues, one per language (`Catalogue+zh.swift`, `Catalogue+en.swift`).
public enum Catalogue {
    /// The codes every catalogue names, by kind: each enumeration a person reads.
    public static let codes: [String: [String]] = [
        "status": ReferralMachine.Status.allCases.map(\.rawValue),
        "action": ReferralMachine.Action.allCases.map(\.rawValue),
        "priority": Priority.allCases.map(\.rawValue),
        "setting": Setting.allCases.map(\.rawValue),
        "direction": Direction.allCases.map(\.rawValue),
        "sex": Sex.allCases.map(\.rawValue),
        "rejectReason": RejectReason.allCases.map(\.rawValue),
        "recommendation": Recommendation.allCases.map(\.rawValue),
        "attachment": AttachmentKind.allCases.map(\.rawValue),
        "duty": Duty.allCases.map(\.rawValue),
    ]
}
