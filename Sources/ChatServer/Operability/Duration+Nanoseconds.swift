extension Duration {
    /// The whole duration in nanoseconds (for metrics timers and NIO's TimeAmount).
    var nanoseconds: Int64 { components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000 }
}
