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
        let queue = RequestQueue(limit: Self.readAhead)
        let signalSources = [SIGTERM, SIGINT].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { queue.stop() }
            source.resume()
            return source
        }
        defer { for source in signalSources { source.cancel() } }

        let thread = Thread { [input] in
            var reader = LineReader(limit: Self.maxLineBytes)
            var chunk = [UInt8](repeating: 0, count: 64 * 1024)
            while true {
                let count = chunk.withUnsafeMutableBytes { Glibc.read(input, $0.baseAddress, $0.count) }
                if count < 0 && errno == EINTR { continue }
                if count <= 0 { break }
                for item in reader.feed(chunk[0..<count]) { queue.push(item) }
            }
            if let last = reader.finish() { queue.push(last) }
            queue.finish()
        }
        thread.start()

        let writer = LineWriter(descriptor: output)
        dispatcher.context.subscriptions.attach { writer.write($0) }
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<concurrency {
                group.addTask { await work(queue, writer) }
            }
        }
        dispatcher.context.subscriptions.cancelAll()
    }

    /// One of `concurrency` workers: answers requests from `queue` one after the other, holding
    /// one connection while it can, so a request runs on that connection's thread from its first
    /// byte to its response line with no hand-over between threads.
    private func work(_ queue: RequestQueue, _ writer: LineWriter) async {
        @Sendable func answer(_ item: LineReader.Item) async {
            if let response = await dispatcher.respond(to: item) { writer.write(response) }
            // A subscription's notifications come after the response that gave its number.
            dispatcher.context.subscriptions.startPending()
        }
        while let item = await queue.next() {
            do {
                try await dispatcher.context.services.holdingConnection {
                    await answer(item)
                    while let next = await queue.next() { await answer(next) }
                }
            } catch {
                // No connection to be had: this request is answered on its own (with the
                // database's error, unless it needs no database) and the next one tries again.
                await answer(item)
            }
        }
    }
}

/// The requests read ahead of the workers, at most `limit`: a client writing faster than
/// requests run is held back by the pipe, not buffered in memory. The reader thread waits when
/// the queue is full and is woken when half of it has been taken, not once per request.
final class RequestQueue: Sendable {
    private struct State {
        var items: [LineReader.Item] = []
        var workers: [CheckedContinuation<LineReader.Item?, Never>] = []
        var finished = false
        var readerWaits = false
    }

    private let state = Mutex(State())
    private let space = DispatchSemaphore(value: 0)
    private let limit: Int

    init(limit: Int) { self.limit = limit }

    /// Called by the reader thread: hands `item` to an idle worker or queues it, then waits while
    /// the queue is full. Dropped once the queue has stopped.
    func push(_ item: LineReader.Item) {
        enum Next {
            case resume(CheckedContinuation<LineReader.Item?, Never>)
            case wait, proceed
        }
        let next = state.withLock { state -> Next in
            if state.finished { return .proceed }
            if !state.workers.isEmpty { return .resume(state.workers.removeFirst()) }
            state.items.append(item)
            guard state.items.count >= limit else { return .proceed }
            state.readerWaits = true
            return .wait
        }
        switch next {
        case .resume(let worker): worker.resume(returning: item)
        case .wait: space.wait()
        case .proceed: break
        }
    }

    /// The next request, or nil once the input has ended (or the queue stopped) and every
    /// queued request has been taken.
    func next() async -> LineReader.Item? {
        if let taken = state.withLock({ take(&$0) }) { return taken.item }
        return await withCheckedContinuation { worker in
            let taken = state.withLock { state -> Taken? in
                if let taken = take(&state) { return taken }
                state.workers.append(worker)
                return nil
            }
            if let taken { worker.resume(returning: taken.item) }
        }
    }

    private enum Taken {
        case request(LineReader.Item)
        case end

        var item: LineReader.Item? {
            if case .request(let item) = self { return item }
            return nil
        }
    }

    /// The first queued request, or the end; nil when a worker has to wait.
    private func take(_ state: inout State) -> Taken? {
        guard !state.items.isEmpty else { return state.finished ? .end : nil }
        let item = state.items.removeFirst()
        if state.readerWaits && state.items.count <= limit / 2 {
            state.readerWaits = false
            space.signal()
        }
        return .request(item)
    }

    /// End of input: queued requests are still answered.
    func finish() { close(dropping: false) }

    /// SIGTERM or SIGINT: requests not yet started are dropped; the ones running finish.
    func stop() { close(dropping: true) }

    private func close(dropping: Bool) {
        state.withLock { state in
            state.finished = true
            if dropping { state.items.removeAll() }
            if state.readerWaits {
                state.readerWaits = false
                space.signal()
            }
            // Workers wait only while nothing is queued.
            for worker in state.workers { worker.resume(returning: nil) }
            state.workers.removeAll()
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
