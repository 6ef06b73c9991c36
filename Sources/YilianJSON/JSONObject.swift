/// The members of a JSON object, kept in the order Yilian writes them: keys sorted by their UTF-8
/// bytes, each once. Written as it is (no sorting per write) and looked up by binary search (no
/// hashing): every result holds many objects, a referral about 30 members. Keys are the same when
/// their bytes are (as in RFC 8259), not when they are canonically equivalent like Swift strings.
public struct JSONObject: Hashable, Sendable, RandomAccessCollection, ExpressibleByDictionaryLiteral {
    public typealias Element = (key: String, value: JSONValue)
    private var members: [Element]

    public init() { members = [] }

    /// From pairs in any order; of a key given twice the last value counts. Pairs already in key
    /// order (as Yilian writes them, and as its own literals list them) cost one comparison each.
    public init<S: Sequence>(_ pairs: S) where S.Element == (String, JSONValue) {
        var members = pairs.map { (key: $0.0, value: $0.1) }
        // Stable sorts, so of equal keys the later one stays last. Insertion sort for the few
        // members of most objects (jsonb hands them back shortest key first); it is quadratic, so
        // larger objects (a request may hold thousands of members) take the library's sort.
        if members.count <= 32 {
            for index in members.indices.dropFirst() {
                var slot = index
                while slot > 0, Self.precedes(members[slot].key, members[slot - 1].key) {
                    members.swapAt(slot, slot - 1)
                    slot -= 1
                }
            }
        } else {
            members = members.enumerated().sorted {
                Self.precedes($0.element.key, $1.element.key) || (!Self.precedes($1.element.key, $0.element.key) && $0.offset < $1.offset)
            }.map(\.element)
        }
        // Equal keys are neighbours now; the last of them stays.
        if members.indices.dropFirst().contains(where: { !Self.precedes(members[$0 - 1].key, members[$0].key) }) {
            var unique: [Element] = []
            unique.reserveCapacity(members.count)
            for member in members {
                if let last = unique.last, !Self.precedes(last.key, member.key) {
                    unique[unique.count - 1] = member
                } else {
                    unique.append(member)
                }
            }
            members = unique
        }
        self.members = members
    }

    public init(_ dictionary: [String: JSONValue]) { self.init(dictionary.map { ($0.key, $0.value) }) }

    public init(dictionaryLiteral elements: (String, JSONValue)...) { self.init(elements) }

    public var startIndex: Int { members.startIndex }
    public var endIndex: Int { members.endIndex }
    public subscript(position: Int) -> Element { members[position] }

    public var keys: [String] { members.map(\.key) }

    public subscript(key: String) -> JSONValue? {
        get {
            let (index, found) = position(of: key)
            guard found else { return nil }
            return members[index].value
        }
        set {
            let (index, found) = position(of: key)
            switch (found, newValue) {
            case (true, let value?): members[index].value = value
            case (true, nil): members.remove(at: index)
            case (false, let value?): members.insert((key, value), at: index)
            case (false, nil): break
            }
        }
    }

    public func mapValues(_ transform: (JSONValue) throws -> JSONValue) rethrows -> JSONObject {
        var mapped = self
        for index in mapped.members.indices { mapped.members[index].value = try transform(members[index].value) }
        return mapped
    }

    /// Adds `other`'s members; for a key in both, `combine` picks the value. Linear: both are in
    /// key order (a member at a time would be quadratic for large request objects).
    public mutating func merge(_ other: JSONObject, uniquingKeysWith combine: (JSONValue, JSONValue) -> JSONValue) {
        var merged: [Element] = []
        merged.reserveCapacity(members.count + other.members.count)
        var mine = members[...]
        var theirs = other.members[...]
        while let left = mine.first, let right = theirs.first {
            if Self.precedes(left.key, right.key) {
                merged.append(mine.removeFirst())
            } else if Self.precedes(right.key, left.key) {
                merged.append(theirs.removeFirst())
            } else {
                merged.append((left.key, combine(left.value, right.value)))
                mine.removeFirst()
                theirs.removeFirst()
            }
        }
        members = merged + mine + theirs
    }

    /// Where `key` is, or would be inserted.
    private func position(of key: String) -> (Int, Bool) {
        var low = 0
        var high = members.count
        while low < high {
            let middle = (low + high) / 2
            if Self.precedes(members[middle].key, key) { low = middle + 1 } else { high = middle }
        }
        return (low, low < members.count && !Self.precedes(key, members[low].key))
    }

    /// UTF-8 byte order (Foundation's `.sortedKeys`, unlike `String.<`, which compares canonical
    /// equivalents).
    static func precedes(_ left: String, _ right: String) -> Bool {
        let ordered = left.utf8.withContiguousStorageIfAvailable { left in
            right.utf8.withContiguousStorageIfAvailable { right in
                for index in 0..<Swift.min(left.count, right.count) where left[index] != right[index] {
                    return left[index] < right[index]
                }
                return left.count < right.count
            }
        }
        return (ordered ?? nil) ?? left.utf8.lexicographicallyPrecedes(right.utf8)
    }

    public static func == (left: JSONObject, right: JSONObject) -> Bool {
        left.members.elementsEqual(right.members) { $0.key.utf8.elementsEqual($1.key.utf8) && $0.value == $1.value }
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(members.count)
        for (key, value) in members {
            hasher.combine(key)
            hasher.combine(value)
        }
    }
}

extension JSONObject: Codable {
    public init(from decoder: any Decoder) throws {
        self.init(try [String: JSONValue](from: decoder))
    }

    public func encode(to encoder: any Encoder) throws {
        // A Swift dictionary takes canonically equivalent keys for one: the later wins.
        try Dictionary(members.map { ($0.key, $0.value) }, uniquingKeysWith: { _, last in last }).encode(to: encoder)
    }
}
