/// Splits a byte stream into lines (LF or CRLF) of at most `limit` bytes. A longer line is
/// reported once as `.tooLong` and skipped up to its end, without being kept in memory.
public struct LineReader: Sendable {
    public enum Item: Equatable, Sendable {
        case line([UInt8])
        case tooLong
    }

    public let limit: Int
    private var buffer: [UInt8] = []
    private var discarding = false

    public init(limit: Int) { self.limit = limit }

    /// Feeds the next chunk; returns the complete lines it ended. Works a segment (up to the next
    /// newline) at a time, so the bytes are copied in bulk rather than one by one.
    public mutating func feed(_ chunk: ArraySlice<UInt8>) -> [Item] {
        var items: [Item] = []
        var rest = chunk
        while !rest.isEmpty {
            let newline = rest.firstIndex(of: UInt8(ascii: "\n"))
            if !discarding {
                buffer.append(contentsOf: rest[..<(newline ?? rest.endIndex)])
                // A final CR may still turn out to end a CRLF: it does not count.
                if buffer.count - (buffer.last == UInt8(ascii: "\r") ? 1 : 0) > limit {
                    discarding = true
                    buffer.removeAll()
                    items.append(.tooLong)
                }
            }
            guard let newline else { break }
            if discarding {
                discarding = false
            } else {
                if buffer.last == UInt8(ascii: "\r") { buffer.removeLast() }
                items.append(.line(buffer))
            }
            buffer.removeAll(keepingCapacity: buffer.count <= 64 * 1024)
            rest = rest[(newline + 1)...]
        }
        return items
    }

    /// The last line, when the stream ended without a newline.
    public mutating func finish() -> Item? {
        defer { buffer.removeAll() }
        if discarding || buffer.isEmpty { return nil }
        if buffer.last == UInt8(ascii: "\r") { buffer.removeLast() }
        return .line(buffer)
    }
}
