import Foundation

/// The node's clock, in milliseconds since 1970. A service reads time only through it, so that
/// tests can set the time and a multi-process node can agree on one.
public protocol TimeSource: Sendable {
    func nowMilliseconds() -> Int64
}

/// Random bytes. A service draws identifiers, tokens and salts only from it, so that tests can
/// make them repeatable. The system source is the operating system's CSPRNG (`getrandom` on Linux).
public protocol RandomSource: Sendable {
    func bytes(_ count: Int) -> [UInt8]
}

/// The wall clock.
public struct SystemTime: TimeSource {
    public init() {}
    public func nowMilliseconds() -> Int64 { Int64((Date().timeIntervalSince1970 * 1000).rounded()) }
}

/// A clock given as a function (tests, benchmarks).
public struct FunctionTime: TimeSource {
    let read: @Sendable () -> Int64
    public init(_ read: @escaping @Sendable () -> Int64) { self.read = read }
    public func nowMilliseconds() -> Int64 { read() }
}

/// The operating system's cryptographically secure generator.
public struct SystemRandom: RandomSource {
    public init() {}
    public func bytes(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }
}

/// Identifiers with a readable prefix and 128 random bits, such as `rpt_3f9c…`.
public struct IdentifierSource: Sendable {
    public let random: any RandomSource
    public init(random: any RandomSource = SystemRandom()) { self.random = random }

    public func make(_ prefix: String) -> String {
        prefix + "_" + random.bytes(16).map { String(format: "%02x", $0) }.joined()
    }
}
