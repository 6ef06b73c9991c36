import Testing
import YilianRPC

/// Framing, fed in every way a pipe can cut it (after the LSP transport's message-splitting tests).
@Suite struct LineReaderTests {
    let stream = Array("{\"a\":1}\n{\"b\":\"二\"}\r\n\n   \nlast".utf8)
    let expected: [LineReader.Item] = [
        .line(Array("{\"a\":1}".utf8)), .line(Array("{\"b\":\"二\"}".utf8)), .line([]), .line(Array("   ".utf8)),
        .line(Array("last".utf8)),
    ]

    func read(_ chunks: [ArraySlice<UInt8>], limit: Int = 100) -> [LineReader.Item] {
        var reader = LineReader(limit: limit)
        var items = chunks.flatMap { reader.feed($0) }
        if let last = reader.finish() { items.append(last) }
        return items
    }

    @Test func wholeStreamInOneChunk() {
        #expect(read([stream[...]]) == expected)
    }

    @Test(arguments: 1...7)
    func everyChunkSize(size: Int) {
        let chunks = stride(from: 0, to: stream.count, by: size).map { stream[$0..<min($0 + size, stream.count)] }
        #expect(read(chunks) == expected)
    }

    @Test func everySplitPoint() {
        for split in 0...stream.count {
            #expect(read([stream[..<split], stream[split...]]) == expected, "split at \(split)")
        }
    }

    @Test func aLineAtTheLimitPassesAndOneOverIsReportedOnceAndSkipped() {
        let atLimit = [UInt8](repeating: 0x61, count: 10)
        let over = [UInt8](repeating: 0x62, count: 11)
        let input = atLimit + [0x0D, 0x0A] + over + [0x0A] + Array("ok\n".utf8)
        #expect(read([input[...]], limit: 10) == [.line(atLimit), .tooLong, .line(Array("ok".utf8))])
        // Fed byte by byte, the long line is still reported once.
        #expect(read(input.map { [$0][...] }, limit: 10) == [.line(atLimit), .tooLong, .line(Array("ok".utf8))])
    }

    @Test func aTooLongLastLineWithoutNewline() {
        #expect(read([[UInt8](repeating: 0x61, count: 50)[...]], limit: 10) == [.tooLong])
    }
}
