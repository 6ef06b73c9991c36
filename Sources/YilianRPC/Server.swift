import Dispatch
import Foundation
import Synchronization
import YilianCore

#if canImport(Glibc)
    import Glibc
#endif

/// `yilian serve`: JSON-RPC 2.0 over stdio, one message per line. Requests run one at a time in
/// arrival order, or up to `concurrency` at once (responses then may come out of order). On EOF,
/// or on SIGTERM/SIGINT (which stop reading at once), what is in flight is finished and answered.
public struct Server: Sendable {
    public static let maxLineBytes = 1 << 20
    /// Lines read ahead of execution at most, beyond the 64 KiB chunk being split: a client
    /// that writes faster than requests run is held back by the pipe, not buffered in memory.
    static let readAhead = 16

    let dispatcher: Dispatcher
    let concurrency: Int
    let input: Int32
    let output: Int32

    public init(dispatcher: Dispatcher, concurrency: Int = 1, input: Int32 = 0, output: Int32 = 1) {
        self.dispatcher = dispatcher
        self.concurrency = max(1, concurrency)
        self.input = input
        self.output = output
    }

    public func run() async {
        signal(SIGPIPE, SIG_IGN)
        let (lines, continuation) = AsyncStream.makeStream(of: LineReader.Item.self, bufferingPolicy: .unbounded)
        let stopped = Atomic<Bool>(false)
        let signalSources = [SIGTERM, SIGINT].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                stopped.store(true, ordering: .sequentiallyConsistent)
                continuation.finish()
            }
            source.resume()
            return source
        }
        defer { signalSources.forEach { $0.cancel() } }

        let readAheadSlots = DispatchSemaphore(value: Self.readAhead)
        let thread = Thread { [input] in
            var reader = LineReader(limit: Self.maxLineBytes)
            var chunk = [UInt8](repeating: 0, count: 64 * 1024)
            while true {
                let count = chunk.withUnsafeMutableBytes { Glibc.read(input, $0.baseAddress, $0.count) }
                if count < 0 && errno == EINTR { continue }
                if count <= 0 { break }
                for item in reader.feed(chunk[0..<count]) {
                    readAheadSlots.wait()
                    continuation.yield(item)
                }
            }
            if let last = reader.finish() { continuation.yield(last) }
            continuation.finish()
        }
        thread.start()

        let writer = LineWriter(descriptor: output)
        await withTaskGroup(of: Void.self) { group in
            var inFlight = 0
            for await item in lines {
                readAheadSlots.signal()
                if stopped.load(ordering: .sequentiallyConsistent) { break }
                if inFlight == concurrency {
                    await group.next()
                    inFlight -= 1
                }
                group.addTask {
                    if let response = await dispatcher.respond(to: item) { writer.write(response) }
                }
                inFlight += 1
            }
            await group.waitForAll()
        }
    }
}

/// Writes whole lines to a file descriptor, one writer at a time, unbuffered.
final class LineWriter: Sendable {
    private let descriptor: Mutex<Int32>

    init(descriptor: Int32) { self.descriptor = Mutex(descriptor) }

    func write(_ data: Data) {
        descriptor.withLock { descriptor in
            var bytes = [UInt8](data)
            bytes.append(UInt8(ascii: "\n"))
            var offset = 0
            while offset < bytes.count {
                let written = bytes[offset...].withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
                if written < 0 && errno == EINTR { continue }
                if written <= 0 { return }  // the reader went away
                offset += written
            }
        }
    }
}
