import NIOConcurrencyHelpers

/// How this node calls partner nodes on behalf of a request (a private search): our node
/// certificate and the partners' CA. Set once at start (`tearline serve --tls-cert … --pull-ca …`);
/// without it, partner nodes are not called.
public final class NodeDialer: Sendable {
    public struct Credentials: Sendable {
        public let identity: NodeIdentity
        /// The partner nodes' CA certificate(s), PEM.
        public let trustRoots: String

        public init(identity: NodeIdentity, trustRoots: String) {
            self.identity = identity
            self.trustRoots = trustRoots
        }
    }

    private let box = NIOLockedValueBox<Credentials?>(nil)

    public init() {}

    public func configure(_ credentials: Credentials) { box.withLockedValue { $0 = credentials } }

    public var credentials: Credentials? { box.withLockedValue { $0 } }
}
