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

    /// Feeds the next chunk; returns the complete lines it ended.
    public mutating func feed(_ chunk: some Sequence<UInt8>) -> [Item] {
        var items: [Item] = []
        for byte in chunk {
            if byte == UInt8(ascii: "\n") {
                if discarding {
                    discarding = false
                } else {
                    if buffer.last == UInt8(ascii: "\r") { buffer.removeLast() }
                    items.append(.line(buffer))
                }
                buffer.removeAll(keepingCapacity: buffer.count <= 64 * 1024)
            } else if !discarding {
                buffer.append(byte)
                // One byte of slack for the CR of a CRLF ending.
                if buffer.count > limit + 1 || (buffer.count == limit + 1 && byte != UInt8(ascii: "\r")) {
                    discarding = true
                    buffer.removeAll()
                    items.append(.tooLong)
                }
            }
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
