import Testing
import YilianCore

/// SPEC §3: one catalogue per language, each with every text; a missing translation fails here
/// instead of showing the other language.
@Suite struct CatalogueTests {
    static func placeholders(_ text: String) -> Set<String> {
        Set(text.matches(of: /\{[0-9]+\}/).map { String($0.output) })
    }

    @Test(arguments: Language.allCases) func everyTextIsInEveryLanguageWithTheSamePlaceholders(_ language: Language) {
        let others = Language.allCases.filter { $0 != language }
        for other in others {
            let missing = Set(other.catalogue.keys).subtracting(language.catalogue.keys).sorted()
            #expect(missing == [], "\(language) lacks what \(other) has")
        }
        for (key, text) in language.catalogue {
            for other in others {
                #expect(Self.placeholders(text) == Self.placeholders(other.catalogue[key] ?? ""), "\(key): \(text)")
            }
        }
    }

    @Test(arguments: Language.allCases) func everyCodeAPersonReadsHasAWord(_ language: Language) {
        for (kind, codes) in Catalogue.codes {
            for code in codes {
                #expect(language.catalogue["\(kind).\(code)"] != nil, "\(language) has no word for \(kind) \(code)")
            }
        }
    }

    @Test func chineseWordsContainNoLatinLetters() {
        // Codes, formats and what is typed: flags, commands, JSON's true and false.
        let allowed = [
            "FHIR", "UTC", "U", "GB", "YYYY", "MM", "DD", "ICD", "M", "JSON", "true", "false", "Asia", "Shanghai", "PostgreSQL", "admin",
            "platform", "NUL",
            // the keys of a criteria file, which the user types
            "fact", "op", "value", "all", "any", "not", "passScore", "criteria", "keySpecialties", "pain", "A", "B", "C", "unrated",
            // what an operator types or reads: settings, paths, protocols
            "URI", "YILIAN", "DATABASE", "URL", "HOME", "ACTOR", "pgpass", "PGPASSWORD", "PATH", "usr", "lib", "postgresql", "psql", "Unix",
            "root",
            "UTF",
            "yilian",
            "zh", "en", "trace", "debug", "info", "notice", "warning", "error", "critical", "table", "json", "csv", "MDT", "ISO", "T",
            "recognized", "events", "unsubscribe", "idempotencyKey",
            // the fields and words of a 互认 catalogue file and of an attachment flag, which the user types
            "items", "lab", "imaging", "null", "ITEM", "HOSPITAL",
            // an examination as Chinese hospitals name it (腰椎 MRI)
            "MRI",
            // FHIR's resources and elements, as a hospital system's Bundle spells them
            "Bundle", "ServiceRequest", "Organization", "Consent", "Patient", "performer", "status", "active", "system", "identifier",
            "fullUrl", "id", "urn", "alliance", "referral", "consultation", "MiB", "KiB", "ASCII",
            // a hospital code in an example (--as li@ZRYY), a key to press (Ctrl-C)
            "ZRYY", "Ctrl",
        ]
        for (key, text) in Catalogue.zh {
            let typed = text.replacing(/--[a-z-]+|yilian[ _][a-z ]+|[a-z]+@|[A-Z]+-[A-Z]+/, with: "")
            let latin = typed.split { !$0.isASCII || !$0.isLetter }.map(String.init).filter { !allowed.contains($0) }
            #expect(latin == [], "\(key): \(text)")
        }
    }

    @Test func aMissingTextShowsItsKeyNotAnotherLanguage() {
        #expect(Language.zh("no.such.text") == "‹no.such.text›")
        #expect(Language.zh("referral.appointment", "2026-12-01") == "预约 2026-12-01")
        #expect(Language.en.word("status", "in_treatment") == "in treatment")
        #expect(Language.zh.word("status", "in_treatment") == "已到诊")
    }

    @Test func theLanguageComesFromTheFlagElseTheLocale() {
        #expect(Language.resolve("en", environment: ["LANG": "zh_CN.UTF-8"]) == .en)
        #expect(Language.resolve(nil, environment: ["LANG": "zh_CN.UTF-8"]) == .zh)
        #expect(Language.resolve(nil, environment: ["LC_ALL": "en_US.UTF-8", "LANG": "zh_CN.UTF-8"]) == .en)
        #expect(Language.resolve(nil, environment: ["LC_MESSAGES": "zh_TW.UTF-8"]) == .zh)
        #expect(Language.resolve(nil, environment: [:]) == .en)
        #expect(Language.resolve("fr", environment: [:]) == nil)
    }
}
