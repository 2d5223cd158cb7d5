import NIOCore

/// How many threads carry the client's connections.
public enum NetworkThreads {
    /// One event-loop thread for every connection of the process. A terminal client holds a
    /// handful (REST, the event stream, a transfer or two) to one server; NIO's shared group
    /// would start one loop per core, each with its own thread, stack and task queue (16 on a
    /// 16-core machine). Call once, first thing in `main`: NIO refuses a change after its
    /// group is made.
    public static func useOne() {
        NIOSingletons.groupLoopCountSuggestion = 1
    }
}
