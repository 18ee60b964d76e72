import Foundation

/// One page of a partner's discovery set as it travels between nodes: binary, so that a set of a
/// million entries stays small on the wire.
///
/// ```
/// "TLDS1"                       magic and version
/// u64 epoch                     the key's epoch: a new one means a new key and a whole new set
/// u8  flags                     bit 0: reset (drop what is held of this set first), bit 1: more pages follow
/// i64 after, i64 through        the entries' sequence numbers run in (after, through]
/// u16 n, n bytes                the epoch's OPRF public key (compressed P-384)
/// u32 count, then count times:  tag (16 bytes), u16 m, m bytes of sealed payload
/// ```
/// Integers are big-endian. An entry whose tag the asker already holds replaces it.
public struct DiscoverySetPage: Sendable, Hashable {
    public struct Entry: Sendable, Hashable {
        public var tag: Data
        public var payload: Data
        public init(tag: Data, payload: Data) {
            self.tag = tag
            self.payload = payload
        }
    }

    public var epoch: Int64
    public var reset: Bool
    public var more: Bool
    public var after: Int64
    public var through: Int64
    public var publicKey: Data
    public var entries: [Entry]

    public init(epoch: Int64, reset: Bool, more: Bool, after: Int64, through: Int64, publicKey: Data, entries: [Entry]) {
        self.epoch = epoch
        self.reset = reset
        self.more = more
        self.after = after
        self.through = through
        self.publicKey = publicKey
        self.entries = entries
    }

    static let magic = Array("TLDS1".utf8)
    /// A payload names a few holders and counts; anything longer is not an entry.
    public static let maxPayload = 4096
    public static let maxEntries = 1_000_000

    public func encoded() -> [UInt8] {
        var out = Self.magic
        out.reserveCapacity(64 + publicKey.count + entries.count * (DiscoverySealing.tagBytes + 2 + 48))
        Self.put(UInt64(bitPattern: epoch), 8, &out)
        out.append((reset ? 1 : 0) | (more ? 2 : 0))
        Self.put(UInt64(bitPattern: after), 8, &out)
        Self.put(UInt64(bitPattern: through), 8, &out)
        Self.put(UInt64(publicKey.count), 2, &out)
        out += publicKey
        Self.put(UInt64(entries.count), 4, &out)
        for entry in entries {
            out += entry.tag
            Self.put(UInt64(entry.payload.count), 2, &out)
            out += entry.payload
        }
        return out
    }

    public struct Malformed: Error, Sendable, Hashable, CustomStringConvertible {
        public var description: String
    }

    public static func decode(_ bytes: [UInt8]) throws(Malformed) -> DiscoverySetPage {
        var reader = Reader(bytes: bytes)
        guard try reader.take(magic.count) == magic else { throw Malformed(description: "not a discovery set page") }
        let epoch = Int64(bitPattern: try reader.int(8))
        let flags = try reader.int(1)
        guard flags & ~3 == 0 else { throw Malformed(description: "unknown flags") }
        let after = Int64(bitPattern: try reader.int(8))
        let through = Int64(bitPattern: try reader.int(8))
        let keyLength = Int(try reader.int(2))
        let key = Data(try reader.take(keyLength))
        let count = Int(try reader.int(4))
        guard count <= maxEntries, through >= after else { throw Malformed(description: "the page's counts are not valid") }
        var entries: [Entry] = []
        entries.reserveCapacity(min(count, bytes.count / (DiscoverySealing.tagBytes + 2)))
        for _ in 0..<count {
            let tag = Data(try reader.take(DiscoverySealing.tagBytes))
            let length = Int(try reader.int(2))
            guard length <= maxPayload else { throw Malformed(description: "an entry's payload is too long") }
            entries.append(Entry(tag: tag, payload: Data(try reader.take(length))))
        }
        guard reader.atEnd else { throw Malformed(description: "bytes after the last entry") }
        return DiscoverySetPage(epoch: epoch, reset: flags & 1 != 0, more: flags & 2 != 0, after: after, through: through, publicKey: key, entries: entries)
    }

    private static func put(_ value: UInt64, _ width: Int, _ out: inout [UInt8]) {
        for i in stride(from: width - 1, through: 0, by: -1) { out.append(UInt8(truncatingIfNeeded: value >> (UInt64(i) * 8))) }
    }

    private struct Reader {
        let bytes: [UInt8]
        var offset = 0

        var atEnd: Bool { offset == bytes.count }

        mutating func take(_ n: Int) throws(Malformed) -> [UInt8] {
            guard n >= 0, bytes.count - offset >= n else { throw Malformed(description: "the page ends early") }
            defer { offset += n }
            return Array(bytes[offset..<offset + n])
        }

        mutating func int(_ width: Int) throws(Malformed) -> UInt64 {
            try take(width).reduce(0) { $0 << 8 | UInt64($1) }
        }
    }
}
