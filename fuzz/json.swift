import YilianJSON

/// The JSON parser and writer: whatever parses is written, and what was written reads back and
/// is written the same (numbers compare by text: 2.5e3 is written 2500, which reads as an integer).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard String(validating: bytes, as: UTF8.self) != nil, let value = try? JSONValue(parsing: bytes) else { return 0 }
    let written = value.serialized
    let again = try? JSONValue(parsing: written)
    precondition(again?.serialized == written, "written JSON does not read back the same")
    _ = JSONValue.numberTexts(of: "id", in: bytes)
    return 0
}
