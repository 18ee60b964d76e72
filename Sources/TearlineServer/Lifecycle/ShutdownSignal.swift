import Synchronization

/// Set once the node has begun to shut down: readiness then answers 503, so a load balancer
/// sends no new work while in-flight requests drain.
public final class ShutdownSignal: Sendable {
    private let draining = Atomic<Bool>(false)

    public init() {}

    public var isDraining: Bool { draining.load(ordering: .acquiring) }

    public func beginDraining() { draining.store(true, ordering: .releasing) }
}
