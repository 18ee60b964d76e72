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
        // why eight at a time: each draw from the system generator is a call into the kernel's random source.
        var generator = SystemRandomNumberGenerator()
        var out: [UInt8] = []
        out.reserveCapacity(count + 7)
        while out.count < count {
            let word = generator.next()
            for shift in stride(from: 0, to: 64, by: 8) { out.append(UInt8(truncatingIfNeeded: word >> UInt64(shift))) }
        }
        out.removeLast(out.count - count)
        return out
    }
}

/// Identifiers with a readable prefix and 128 random bits, such as `rpt_3f9c…`.
public struct IdentifierSource: Sendable {
    public let random: any RandomSource
    public init(random: any RandomSource = SystemRandom()) { self.random = random }

    public func make(_ prefix: String) -> String {
        var hex: [UInt8] = []
        hex.reserveCapacity(32)
        for byte in random.bytes(16) {
            hex.append(Self.digits[Int(byte >> 4)])
            hex.append(Self.digits[Int(byte & 0x0F)])
        }
        return prefix + "_" + String(decoding: hex, as: UTF8.self)
    }

    private static let digits = Array("0123456789abcdef".utf8)
}
