import Foundation
import Testing

@testable import YilianRPC

/// The queue between `serve`'s reader thread and its workers.
@Suite struct RequestQueueTests {
    static func line(_ number: Int) -> LineReader.Item { .line(Array("\(number)".utf8)) }

    @Test func requestsComeOutInOrderAndTheQueuedOnesSurviveTheEndOfInput() async {
        let queue = RequestQueue(limit: 16)
        for number in 1...5 { queue.push(Self.line(number)) }
        queue.finish()
        var taken: [LineReader.Item] = []
        while let item = await queue.next() { taken.append(item) }
        #expect(taken == (1...5).map(Self.line))
        #expect(await queue.next() == nil)
    }

    @Test func aWaitingWorkerGetsTheNextRequestAndEveryWaitingWorkerTheEnd() async {
        let queue = RequestQueue(limit: 16)
        async let first = queue.next()
        async let second = queue.next()
        try? await Task.sleep(for: .milliseconds(50))
        queue.push(Self.line(7))
        try? await Task.sleep(for: .milliseconds(50))
        queue.finish()
        let results = [await first, await second]
        #expect(results.contains(Self.line(7)))
        #expect(results.contains(nil))
    }

    /// SIGTERM: requests not started are dropped, and a reader blocked on a full queue is freed.
    @Test func stoppingDropsWhatIsQueuedAndFreesAWaitingReader() async {
        let queue = RequestQueue(limit: 4)
        let reader = Thread { for number in 1...10 { queue.push(Self.line(number)) } }
        reader.start()
        #expect(await queue.next() == Self.line(1))
        queue.stop()
        #expect(await queue.next() == nil)
        #expect(await Self.eventually { reader.isFinished })
    }

    /// The reader waits while the queue is full, and goes on once half of it has been taken.
    @Test func aFullQueueHoldsTheReaderBackUntilHalfIsTaken() async {
        let queue = RequestQueue(limit: 4)
        let pushed = Counter()
        let reader = Thread {
            for number in 1...8 {
                queue.push(Self.line(number))
                pushed.increment()
            }
        }
        reader.start()
        #expect(await Self.eventually { pushed.value == 3 })
        try? await Task.sleep(for: .milliseconds(50))
        #expect(pushed.value == 3)  // the 4th push filled the queue and waits
        _ = await queue.next()
        try? await Task.sleep(for: .milliseconds(50))
        #expect(pushed.value == 3)  // 3 queued: more than half, so the reader still waits
        _ = await queue.next()
        #expect(await Self.eventually { pushed.value >= 4 })
        for _ in 3...8 { _ = await queue.next() }
        #expect(await Self.eventually { pushed.value == 8 })
    }

    static func eventually(_ condition: () -> Bool) async -> Bool {
        for _ in 0..<500 where !condition() { try? await Task.sleep(for: .milliseconds(10)) }
        return condition()
    }
}

/// A count shared with the reader thread.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    var value: Int { lock.withLock { count } }
    func increment() { lock.withLock { count += 1 } }
}
