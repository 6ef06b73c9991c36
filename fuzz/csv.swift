import YilianCore

/// The hospital CSV reader: never more than 100 problems listed; good files give hospitals.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let text = String(validating: bytes, as: UTF8.self) else { return 0 }
    let (hospitals, problems) = HospitalCSV.parse(text)
    precondition(problems.listed.count <= FileProblems.listedAtMost)
    precondition(hospitals.isEmpty || problems.isEmpty, "hospitals returned with problems")
    for (_, hospital) in hospitals { precondition(hospital.problems.isEmpty, "a returned hospital has problems") }
    return 0
}
