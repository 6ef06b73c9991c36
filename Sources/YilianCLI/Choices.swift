import ArgumentParser
import Foundation
import Logging
import YilianCore
import YilianServices

/// The codes an option takes: named in its help and completed by the shells (bash, zsh, fish).
enum Choices {
    static func codes<T: CaseIterable & RawRepresentable>(_ type: T.Type) -> [String] where T.RawValue == String {
        type.allCases.map(\.rawValue)
    }

    /// `What: routine, urgent or emergency.`
    static func help<T: CaseIterable & RawRepresentable>(_ what: String, _ type: T.Type, valueName: String? = nil) -> ArgumentHelp
    where T.RawValue == String {
        let codes = codes(type)
        if Language.current == .zh {
            // Each code with its word (`routine（普通）`), either of which she may type.
            return ArgumentHelp("\(Help.text(what))：\(AllowedCodes(codes).text(in: .zh))。", valueName: valueName)
        }
        let listed = codes.count < 2 ? codes.joined() : codes.dropLast().joined(separator: ", ") + " or " + (codes.last ?? "")
        return ArgumentHelp("\(what): \(listed).", valueName: valueName)
    }

    /// What the database holds and every user may see (SPEC §6): its codes.
    enum Registry {
        case hospital, alliance, specialty
    }

    /// Completes the codes of `registry` from the database in use (`--database-url`, else
    /// `YILIAN_DATABASE_URL`, else the embedded one when it is running: a TAB never starts a
    /// server), as the user `--as` or `YILIAN_ACTOR` names; nothing when it cannot be read.
    static func codes(of registry: Registry) -> CompletionKind {
        .custom { words, _, prefix in
            func value(of flag: String) -> String? {
                words.firstIndex(of: flag).flatMap { words.indices.contains($0 + 1) ? words[$0 + 1] : nil }
            }
            let location = DatabaseLocation.resolve(databaseURL: value(of: "--database-url"))
            if case .embedded(let cluster) = location {
                guard case .running? = try? cluster.state() else { return [] }
            }
            var logger = Logger(label: "yilian.completion")
            logger.logLevel = .critical
            let services = Services(database: Database(conninfo: location.conninfo, logger: logger), logger: logger)
            let actor = (value(of: "--as") ?? ProcessInfo.processInfo.environment["YILIAN_ACTOR"]).flatMap(Actor.init(parsing:))
            let codes: [String]
            switch registry {
            case .hospital:
                codes =
                    (try? await services.hospitals(level: nil, district: nil, specialty: nil, limit: 500, cursor: nil, by: actor).items.map(
                        \.code)) ?? []
            case .alliance: codes = (try? await services.alliances(limit: 500, cursor: nil, by: actor).items.map(\.code)) ?? []
            case .specialty: codes = (try? await services.specialties(by: actor).items.map(\.code)) ?? []
            }
            return codes.filter { $0.hasPrefix(prefix) }
        }
    }
}
