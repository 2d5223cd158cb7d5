import NIOCore

/// Runs the tasks that prefer it on one NIO event loop. A job enqueued from the loop's own
/// thread (a frame read, and the task awaiting it resumed) runs in the same turn of the loop,
/// with no other thread woken.
final class EventLoopTaskExecutor: TaskExecutor {
    let eventLoop: any EventLoop

    init(_ eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        eventLoop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
