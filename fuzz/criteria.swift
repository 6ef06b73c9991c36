import YilianCore
import YilianJSON

/// Criteria parsing and evaluation: the first half of the input is a criteria set, the second
/// the facts; whatever parses is judged, within the limits of SPEC §10.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let split = bytes.firstIndex(of: 0) else { return 0 }
    let setBytes = Array(bytes[..<split]), factBytes = Array(bytes[(split + 1)...])
    guard String(validating: setBytes, as: UTF8.self) != nil, String(validating: factBytes, as: UTF8.self) != nil,
        let set = try? JSONValue(parsing: setBytes), let facts = try? JSONValue(parsing: factBytes),
        let criteria = try? CriteriaSet.parse(set)
    else { return 0 }
    precondition(criteria.criteria.count <= CriteriaSet.maxCriteria)
    for role in MemberRole.allCases {
        _ = criteria.evaluate(facts: facts, role: role)
    }
    return 0
}
