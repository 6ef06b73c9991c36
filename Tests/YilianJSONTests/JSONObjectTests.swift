import Testing
import YilianJSON

/// `JSONObject` keeps its members in UTF-8 key order, each key once, whatever order they were
/// given in, so objects compare, hash and are written the same however they were built.
@Suite struct JSONObjectTests {
    @Test func membersAreKeptInKeyOrderAndTheLastOfARepeatedKeyWins() {
        let object = JSONObject([("b", 1), ("a", 2), ("é", 3), ("B", 4), ("a", 5), ("ab", 6)])
        #expect(object.keys == ["B", "a", "ab", "b", "é"])
        #expect(object["a"] == 5)
        #expect(object["é"] == 3)
        #expect(object["c"] == nil)
        // Keys are bytes, not canonical equivalents: "e" + combining acute (0x65 …) is a key of
        // its own and sorts before "é" (0xC3 …).
        let accents = JSONObject([("é", 1), ("e\u{301}", 2)])
        #expect(accents.keys.map { Array($0.utf8) } == [Array("e\u{301}".utf8), Array("é".utf8)])
        #expect(accents["é"] == 1)
        #expect(accents["e\u{301}"] == 2)
    }

    /// Large objects take the other sort: the same order, the last of a repeated key wins, and a
    /// request with many members in reverse order does not take quadratic time.
    @Test func largeObjectsAreOrderedTheSameWay() {
        let keys = (0..<20_000).map { "k\($0)" }
        let object = JSONObject(keys.reversed().map { ($0, JSONValue.integer(1)) } + [("k7", 2), ("k7", 3)])
        #expect(object.count == 20_000)
        #expect(object.keys == keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) })
        #expect(object["k7"] == 3)
        #expect(JSONObject((0..<40).map { ("k\($0 % 20)", JSONValue.integer($0)) })["k3"] == 23)
    }

    @Test func settingInsertsReplacesAndRemoves() {
        var object: JSONObject = ["m": 1]
        object["z"] = 2
        object["a"] = 3
        object["m"] = 4
        #expect(object.keys == ["a", "m", "z"])
        #expect(object["m"] == 4)
        object["m"] = nil
        object["absent"] = nil
        #expect(object.keys == ["a", "z"])
        object.merge(["a": 9, "b": 8]) { old, _ in old }
        #expect(object == ["a": 3, "b": 8, "z": 2])
        #expect(object.mapValues { _ in .null } == ["a": nil, "b": nil, "z": nil])
    }

    @Test func objectsBuiltInAnyOrderAreEqualHashAlikeAndAreWrittenAlike() {
        let forward = JSONObject([("x", 1), ("y", [true]), ("z", ["k": "v"])] as [(String, JSONValue)])
        let backward = JSONObject([("z", ["k": "v"]), ("y", [true]), ("x", 1)] as [(String, JSONValue)])
        #expect(forward == backward)
        #expect(forward.hashValue == backward.hashValue)
        #expect(JSONValue.object(forward).serialized == JSONValue.object(backward).serialized)
        #expect(String(decoding: JSONValue.object(backward).serialized, as: UTF8.self) == #"{"x":1,"y":[true],"z":{"k":"v"}}"#)
        #expect(forward != ["x": 1, "y": [true]])
        #expect(Set([JSONValue.object(forward), .object(backward)]).count == 1)
    }
}
