import Dispatch

/// Runs the jobs of the tasks that work with one connection on that connection's serial queue.
///
/// `PGPool` makes it the preferred executor of the task holding the connection, so a whole
/// transaction — the blocking libpq calls and the Swift code between them — runs on the queue
/// in one go instead of hopping threads for every statement, and never on Swift's cooperative
/// threads. Being serial, it also keeps two tasks from using the `PGconn` at the same time.
final class PGExecutor: TaskExecutor {
    private let queue = DispatchQueue(label: "yilian.postgres.connection")

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        queue.async { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
