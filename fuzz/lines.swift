/// The line reader: fed in any chunks, it yields the same lines as fed whole, none over the limit.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let first = bytes.first else { return 0 }
    let limit = Int(first) + 1
    var whole = LineReader(limit: limit)
    let expected = whole.feed(bytes[...])
    var pieces = LineReader(limit: limit)
    var got: [LineReader.Item] = []
    var rest = bytes[...]
    var step = Int(bytes.last!) % 7 + 1
    while !rest.isEmpty {
        got += pieces.feed(rest.prefix(step))
        rest = rest.dropFirst(step)
        step = step % 5 + 1
    }
    precondition(got == expected, "chunked input gave other lines")
    for case .line(let line) in got { precondition(line.count <= limit, "a line over the limit") }
    return 0
}
