import Crypto
import Foundation

/// The per-slot choice: the low bit of SipHash-2-4 keyed with the first 16 bytes of the copy key, over the
/// context as 8 bytes big-endian.
///
/// why: the choice must be unpredictable without the key (else a leaker could tell fingerprint from
/// style) and cheap, because marking runs on every read. SipHash-2-4 is a keyed pseudo-random function
/// made for short inputs; it costs some 20 ns a slot, where HMAC-SHA256 through swift-crypto costs about
/// a microsecond (an allocation and a zeroisation per digest).
struct CanaryChooser {
    private let k0: UInt64
    private let k1: UInt64
    private var cache: [(context: UInt64, bit: UInt8)] = []

    init(copyKey: [UInt8]) {
        precondition(copyKey.count >= 16)
        (k0, k1) = CanarySipHash.key(copyKey)
    }

    /// The chosen alternative for a context; a context met again in the same call is not recomputed.
    mutating func bit(_ context: UInt64) -> UInt8 {
        for entry in cache where entry.context == context { return entry.bit }
        // The message is the context's 8 bytes, big-endian; SipHash reads them as a little-endian word.
        let bit = UInt8(truncatingIfNeeded: CanarySipHash.hash(word: context.byteSwapped, k0, k1) & 1)
        // why: the cache only spares repeated contexts; a bounded linear list is cheaper than hashing.
        if cache.count < 64 {
            if cache.isEmpty { cache.reserveCapacity(64) }
            cache.append((context, bit))
        }
        return bit
    }
}

/// SipHash-2-4 (Aumasson and Bernstein, 2012).
enum CanarySipHash {
    /// (k0, k1) from the first 16 key bytes, each little-endian.
    static func key(_ bytes: [UInt8]) -> (UInt64, UInt64) {
        var k0: UInt64 = 0, k1: UInt64 = 0
        for i in 0..<8 {
            k0 |= UInt64(bytes[i]) << (8 * UInt64(i))
            k1 |= UInt64(bytes[8 + i]) << (8 * UInt64(i))
        }
        return (k0, k1)
    }

    @inline(__always) private static func round(_ v0: inout UInt64, _ v1: inout UInt64, _ v2: inout UInt64, _ v3: inout UInt64) {
        v0 &+= v1; v1 = v1.rotateLeft(13); v1 ^= v0; v0 = v0.rotateLeft(32)
        v2 &+= v3; v3 = v3.rotateLeft(16); v3 ^= v2
        v0 &+= v3; v3 = v3.rotateLeft(21); v3 ^= v0
        v2 &+= v1; v1 = v1.rotateLeft(17); v1 ^= v2; v2 = v2.rotateLeft(32)
    }

    /// SipHash-2-4 of exactly eight bytes (one little-endian word): the per-slot case.
    @inline(__always) static func hash(word m: UInt64, _ k0: UInt64, _ k1: UInt64) -> UInt64 {
        var v0 = k0 ^ 0x736f_6d65_7073_6575, v1 = k1 ^ 0x646f_7261_6e64_6f6d
        var v2 = k0 ^ 0x6c79_6765_6e65_7261, v3 = k1 ^ 0x7465_6462_7974_6573
        v3 ^= m
        round(&v0, &v1, &v2, &v3); round(&v0, &v1, &v2, &v3)
        v0 ^= m
        let last: UInt64 = 8 << 56
        v3 ^= last
        round(&v0, &v1, &v2, &v3); round(&v0, &v1, &v2, &v3)
        v0 ^= last
        v2 ^= 0xff
        round(&v0, &v1, &v2, &v3); round(&v0, &v1, &v2, &v3)
        round(&v0, &v1, &v2, &v3); round(&v0, &v1, &v2, &v3)
        return v0 ^ v1 ^ v2 ^ v3
    }
}

extension UInt64 {
    @inline(__always) fileprivate func rotateLeft(_ n: UInt64) -> UInt64 { self << n | self >> (64 - n) }
}
