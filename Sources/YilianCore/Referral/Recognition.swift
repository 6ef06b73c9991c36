import YilianJSON

/// Why an attachment is recognised across the alliance or not (SPEC §13), in the order the rules
/// are tried.
public enum RecognitionReason: String, CaseIterable, Sendable {
    case recognized
    /// A document, or a result that names no catalogue item.
    case noItem = "no_item"
    /// The item is not in the alliance's catalogue (for this kind of result).
    case notInCatalogue = "not_in_catalogue"
    /// No day or hospital that performed it, or a day after the one it is judged on.
    case notPerformed = "not_performed"
    /// The hospital that performed it is not an active member, or not one the item names.
    case notQualified = "not_qualified"
    /// Performed longer ago than the item's `validDays` on the day it is judged on.
    case expired
}

/// Whether the alliance recognises one attachment, decided by the database when the referral was
/// filed and when its slot date changed (never claimed by the sender), and why.
public struct Recognition: Equatable, Sendable, JSONConvertible {
    public var recognized: Bool { reason == .recognized }
    public var reason: RecognitionReason
    /// The day it was judged on: the slot date, else the day the referral was filed.
    public var on: CalendarDate
    /// The catalogue version it was judged against (0: none yet).
    public var catalogueVersion: Int
    /// The last day a result of this item performed then is recognised, when both are known.
    public var validUntil: CalendarDate?

    public init(reason: RecognitionReason, on: CalendarDate, catalogueVersion: Int, validUntil: CalendarDate? = nil) {
        (self.reason, self.on, self.catalogueVersion, self.validUntil) = (reason, on, catalogueVersion, validUntil)
    }

    public var json: JSONValue {
        var members: JSONObject = [
            "recognized": .bool(recognized), "reason": .string(reason.rawValue), "on": .string(on.description),
            "catalogueVersion": .integer(catalogueVersion),
        ]
        members["validUntil"] = validUntil.map { .string($0.description) }
        return .object(members)
    }

    public init(json: JSONValue) throws(JSONValue.Mismatch) {
        let members = try JSONValue.Members(json, of: Recognition.self)
        self.init(
            reason: try members.value("reason"), on: try members.text("on", CalendarDate.init),
            catalogueVersion: try members.int("catalogueVersion"), validUntil: try members.optionalText("validUntil", CalendarDate.init))
    }
}

/// An alliance's catalogue of recognised items (SPEC §13), versioned like its criteria.
public struct RecognitionCatalogue: Equatable, Sendable, JSONRepresentable {
    public struct Item: Equatable, Sendable {
        public var code: String
        public var name: String
        public var kind: AttachmentKind
        public var validDays: Int
        /// The members whose results it recognises; nil: every active member.
        public var qualified: [String]?
    }

    public var items: [Item]

    public static let maxItems = 500

    public var json: JSONValue {
        [
            "items": .array(
                items.map { item in
                    var members: JSONObject = [
                        "code": .string(item.code), "name": .string(item.name), "kind": .string(item.kind.rawValue),
                        "validDays": .integer(item.validDays),
                    ]
                    members["qualified"] = item.qualified.map { .array($0.map(JSONValue.string)) }
                    return .object(members)
                })
        ]
    }

    public init(items: [Item]) { self.items = items }

    /// `document` read as a catalogue, with every problem at its path (`items[2].validDays`); the
    /// same rules as the database's `is_recognition_catalogue`.
    public static func read(_ document: JSONValue) -> (RecognitionCatalogue?, [Problem]) {
        guard case .object(let top) = document, case .array(let list)? = top["items"] else {
            return (nil, [Problem("catalogue", Text("problem.catalogueShape"))])
        }
        var problems = top.keys.filter { $0 != "items" }.sorted().map { Problem("catalogue.\($0)", Text("problem.unknownField")) }
        // Every decision reads it (the database holds it to 256 KiB in its own spelling).
        if document.serialized.count > 200 * 1024 { problems.append(Problem("catalogue", Text("problem.catalogueSize"))) }
        if list.count > maxItems { problems.append(Problem("catalogue.items", Text("problem.tooMany", maxItems))) }
        var items: [Item] = []
        var codes = Set<String>()
        for (index, value) in list.prefix(maxItems).enumerated() {
            let path = "catalogue.items[\(index)]"
            guard case .object(let fields) = value else {
                problems.append(Problem(path, Text("problem.object")))
                continue
            }
            problems += fields.keys.filter { !["code", "name", "kind", "validDays", "qualified"].contains($0) }.sorted()
                .map { Problem("\(path).\($0)", Text("problem.unknownField")) }
            let code = fields["code"]?.stringValue ?? ""
            if !Self.isCode(code) { problems.append(Problem("\(path).code", Text("problem.itemCode"))) }
            if !codes.insert(code).inserted { problems.append(Problem("\(path).code", Text("problem.itemTwice", code))) }
            let name = fields["name"]?.stringValue ?? ""
            if name.isEmpty || name.count > 200 || name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
                problems.append(Problem("\(path).name", Text("problem.itemName")))
            }
            let kind = fields["kind"]?.stringValue.flatMap(AttachmentKind.init(rawValue:)).flatMap { $0 == .document ? nil : $0 }
            if kind == nil { problems.append(Problem("\(path).kind", Text("problem.itemKind"))) }
            let validDays: Int? = if case .integer(let days)? = fields["validDays"] { days } else { nil }
            if !(1...3650).contains(validDays ?? 0) { problems.append(Problem("\(path).validDays", Text("problem.validDays"))) }
            var qualified: [String]?
            switch fields["qualified"] {
            case nil, .null?: qualified = nil
            case .array(let codes)? where codes.count <= maxItems && codes.allSatisfy({ $0.stringValue.map(Codes.isValid) == true }):
                qualified = codes.compactMap(\.stringValue)
            default: problems.append(Problem("\(path).qualified", Text("problem.qualified")))
            }
            if let kind, let validDays {
                items.append(Item(code: code, name: name, kind: kind, validDays: validDays, qualified: qualified))
            }
        }
        return problems.isEmpty ? (RecognitionCatalogue(items: items), []) : (nil, problems)
    }

    /// A catalogue item's code, as attachments name it.
    public static func isCode(_ code: String) -> Bool {
        (1...32).contains(code.utf8.count)
            && code.utf8.allSatisfy {
                $0.isASCIILetterOrDigit || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-")
            }
    }

    /// `attachments` each with its decision (`decide`): what a referral holds once filed.
    public func decided(_ attachments: [Attachment], on day: CalendarDate, version: Int, active: Set<String>) -> [Attachment] {
        attachments.map { attachment in
            var decided = attachment
            decided.recognition = decide(attachment, on: day, version: version, active: active)
            return decided
        }
    }

    /// Whether this catalogue (of `version`) recognises `attachment` on `day`, when `active` are
    /// the alliance's active members: the rules the database decides by (`yilian_private.recognition`).
    public func decide(_ attachment: Attachment, on day: CalendarDate, version: Int, active: Set<String>) -> Recognition {
        let item = attachment.item.flatMap { code in items.first { $0.code == code && $0.kind == attachment.kind } }
        let performed = attachment.performedAt.flatMap(CalendarDate.init)
        let validUntil = item.flatMap { item in performed.map { CalendarDate(daysSinceEpoch: $0.daysSinceEpoch + item.validDays) } }
        let reason: RecognitionReason
        if attachment.kind == .document || attachment.item == nil {
            reason = .noItem
        } else if let item {
            if let performed, let performer = attachment.performedBy, performed <= day {
                if !active.contains(performer) || item.qualified.map({ !$0.contains(performer) }) == true {
                    reason = .notQualified
                } else {
                    reason = validUntil.map { day > $0 } == true ? .expired : .recognized
                }
            } else {
                reason = .notPerformed
            }
        } else {
            reason = .notInCatalogue
        }
        return Recognition(reason: reason, on: day, catalogueVersion: version, validUntil: validUntil)
    }
}

extension UInt8 {
    fileprivate var isASCIILetterOrDigit: Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(self) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(self)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(self)
    }
}

extension Attachment {
    /// What it names of its examination (`item M-BLD-CBC, performed 2026-11-30 at MYQYY`); nil
    /// when it names none of it.
    public var performanceText: Text? {
        guard item != nil || performedAt != nil || performedBy != nil else { return nil }
        return Text("recognition.performed", item ?? "-", performedAt ?? "-", performedBy ?? "-")
    }

    /// What the receiver reads of its recognition (SPEC §13): recognised until when, or why not;
    /// nil for a document, or where nothing was decided (a consultation's attachments).
    public var recognitionText: Text? {
        guard kind != .document, let recognition else { return nil }
        let validUntil = recognition.validUntil?.description ?? "-"
        switch recognition.reason {
        case .recognized: return Text("recognition.recognized", validUntil)
        case .noItem: return Text("recognition.noItem")
        case .notInCatalogue: return Text("recognition.notInCatalogue", item ?? "-")
        case .notPerformed: return Text("recognition.notPerformed")
        case .notQualified: return Text("recognition.notQualified", performedBy ?? "-", item ?? "-")
        case .expired: return Text("recognition.expired", validUntil, recognition.on.description)
        }
    }
}
