import Crypto
import Foundation

// Leak tracing by canary trap.
//
// Every copy of a text served to a member spells a fingerprint of (document, recipient) in its choices
// among equivalent forms: "organisation" or "organization", "towards" or "toward", "12,500" or "12500".
// Each place where such a choice exists is a *slot*. A slot is named by a *context*: a 64-bit hash of
// its class and of the normalised words around it, never of its position, so the fingerprint survives
// copying, stripping invisible characters, collapsing whitespace and cutting out a paragraph.
//
// Everything here is version 1 of the scheme. The table, the normalisation, the context hash, the copy-key
// derivation and the per-slot choice are frozen (tests pin them): changing any of them makes copies served
// earlier untraceable. A new scheme needs a new version string and must keep this one for old copies.

/// One slot seen in a text: where it is (its context), what it is (its class) and which form it shows.
public struct CanaryObservation: Sendable, Hashable {
    /// The context hash: the class and the normalised neighbouring words, never a position.
    public let context: UInt64
    /// The id of the variant class (``CanaryVariantClass/id``).
    public let classId: String
    /// The form seen: 0 for the class's first alternative, 1 for its second.
    public let alternative: Int

    /// An observation as stored or received; ``Canary/observe(_:)`` makes them from a text.
    public init(context: UInt64, classId: String, alternative: Int) {
        self.context = context
        self.classId = classId
        self.alternative = alternative
    }
}

/// The canary trap: marks each served copy of a text, and reads the marks back from a leak.
public enum Canary {
    /// Rewrites `text` so its equivalent forms spell a fingerprint of (document, recipient).
    ///
    /// Every slot is rewritten to the form chosen for this copy, whatever the author wrote; all other
    /// bytes are kept. A text without slots is returned unchanged.
    public static func mark(_ text: String, key: SymmetricKey, document: String, recipient: String) -> String {
        marker(key: key, document: document, recipient: recipient).mark(text)
    }

    /// A reusable marker for many texts of one copy (derives the copy key once).
    public static func marker(key: SymmetricKey, document: String, recipient: String) -> CanaryMarker {
        CanaryMarker(key: key, document: document, recipient: recipient)
    }

    /// The slot observations in a text, one per distinct context, in order of first appearance.
    ///
    /// A context seen twice with different forms is left out: a copy marked by this scheme always shows
    /// the same form for the same context, so such a pair says nothing about the copy.
    public static func observe(_ text: String) -> [CanaryObservation] {
        let table = CanaryTable.shared
        return CanaryScanner.withSlots(text) { _, slots in
            var firstIndex: [UInt64: Int] = [:]
            var conflicting: Set<UInt64> = []
            var result: [CanaryObservation] = []
            for slot in slots {
                if let i = firstIndex[slot.context] {
                    if result[i].alternative != Int(slot.alternative) { conflicting.insert(slot.context) }
                    continue
                }
                firstIndex[slot.context] = result.count
                result.append(CanaryObservation(
                    context: slot.context, classId: table.classes[Int(slot.classIndex)].id,
                    alternative: Int(slot.alternative)))
            }
            return conflicting.isEmpty ? result : result.filter { !conflicting.contains($0.context) }
        }
    }

    /// Slot contexts of an original text (for matching a leak to its document).
    public static func contexts(of text: String) -> Set<UInt64> {
        CanaryScanner.withSlots(text) { _, slots in Set(slots.map(\.context)) }
    }
}

/// Marks texts for one copy: one (key, document, recipient). Make one per read and use it for every
/// text the reader is shown (title, portions), so the copy key is derived once.
public struct CanaryMarker: Sendable {
    /// HMAC-SHA256(key, "tearline-canary-v1" ‖ len ‖ document ‖ len ‖ recipient), lengths as 8-byte big-endian.
    let copyKey: [UInt8]

    init(key: SymmetricKey, document: String, recipient: String) {
        var message = Array("tearline-canary-v1".utf8)
        message.reserveCapacity(message.count + 16 + document.utf8.count + recipient.utf8.count)
        // why: length prefixes keep ("ab", "c") and ("a", "bc") apart.
        for field in [document, recipient] {
            withUnsafeBytes(of: UInt64(field.utf8.count).bigEndian) { message.append(contentsOf: $0) }
            message.append(contentsOf: field.utf8)
        }
        copyKey = HMAC<SHA256>.authenticationCode(for: message, using: key).withUnsafeBytes { Array($0) }
    }

    /// Rewrites `text` so every slot shows this copy's form; every other byte is kept.
    public func mark(_ text: String) -> String {
        CanaryScanner.withSlots(text) { bytes, slots -> String? in
            guard !slots.isEmpty else { return nil }
            var chooser = CanaryChooser(copyKey: copyKey)
            let table = CanaryTable.shared
            var out: [UInt8] = []
            var copied = 0
            for slot in slots {
                let bit = chooser.bit(slot.context)
                if bit == slot.alternative { continue }
                if out.isEmpty { out.reserveCapacity(bytes.count + 64) }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[copied..<slot.start]))
                if Int(slot.classIndex) == table.numberClass {
                    CanaryScanner.renderNumber(bytes[slot.start..<slot.end], commas: bit == 0, into: &out)
                } else {
                    CanaryScanner.render(table.forms[Int(slot.classIndex)][Int(bit)], shape: slot.shape, into: &out)
                }
                copied = slot.end
            }
            guard copied > 0 else { return nil }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[copied...]))
            return String(decoding: out, as: UTF8.self)
        } ?? text
    }

    /// The form (0 or 1) this copy shows at the observation's context.
    public func expected(_ o: CanaryObservation) -> Int {
        var chooser = CanaryChooser(copyKey: copyKey)
        return Int(chooser.bit(o.context))
    }
}

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

// MARK: - Scanning

/// One slot found in a text: its byte range, class, form shown, capitalisation and context.
struct CanarySlot {
    var start: Int
    var end: Int
    var context: UInt64
    var classIndex: Int16
    var alternative: UInt8
    var shape: UInt8
}

/// Finds the slots of a text in one pass over its UTF-8 bytes (no regular expressions, no Foundation).
enum CanaryScanner {
    /// A word as the context sees it: a run of letters, digits and combining marks (invisible characters
    /// inside are skipped), or a two-word class form ("e-mail", "per cent") taken as one word.
    struct Word {
        var start: Int32           // byte offset of its first scalar
        var end: Int32             // byte offset after its last scalar
        var hash: UInt64           // the class hash for a class form; otherwise the hash of the word
        var sentence: Int32
        var classIndex: Int16      // -1: not a class form
        var alternative: UInt8
        var shape: UInt8
        var isNumber: Bool
        var startsLower: Bool
    }

    static let gapOther: UInt8 = 0, gapHyphen: UInt8 = 1, gapSpace: UInt8 = 2
    static let shapeLower: UInt8 = 1, shapeUpper: UInt8 = 2, shapeCapitalised: UInt8 = 4

    /// Calls `body` with the UTF-8 bytes of `text` and the slots found in them, in text order.
    static func withSlots<R>(_ text: String, _ body: (UnsafeBufferPointer<UInt8>, [CanarySlot]) -> R) -> R {
        if let r = text.utf8.withContiguousStorageIfAvailable({ body($0, scan($0)) }) { return r }
        var copy = text
        copy.makeContiguousUTF8()
        return copy.utf8.withContiguousStorageIfAvailable { body($0, scan($0)) }!
    }

    static func scan(_ b: UnsafeBufferPointer<UInt8>) -> [CanarySlot] {
        let table = CanaryTable.shared
        let words = self.words(b, table)
        return words.isEmpty ? [] : slots(words, b, table)
    }

    // MARK: Hashing

    static let fnvOffset: UInt64 = 0xcbf2_9ce4_8422_2325
    static let fnvPrime: UInt64 = 0x0000_0100_0000_01b3
    /// What stands for a missing neighbour (the window stops at the end of a sentence).
    static let boundary: UInt64 = 0x6361_6e61_7279_2d2d

    @inline(__always) static func fnv(_ h: UInt64, _ byte: UInt8) -> UInt64 { (h ^ UInt64(byte)) &* fnvPrime }

    /// Feeds the UTF-8 bytes of a non-ASCII scalar.
    static func fnv(_ h: UInt64, scalar c: UInt32) -> UInt64 {
        if c < 0x800 {
            return fnv(fnv(h, UInt8(0xC0 | c >> 6)), UInt8(0x80 | c & 0x3F))
        } else if c < 0x10000 {
            return fnv(fnv(fnv(h, UInt8(0xE0 | c >> 12)), UInt8(0x80 | c >> 6 & 0x3F)), UInt8(0x80 | c & 0x3F))
        }
        return fnv(fnv(fnv(fnv(h, UInt8(0xF0 | c >> 18)), UInt8(0x80 | c >> 12 & 0x3F)),
                       UInt8(0x80 | c >> 6 & 0x3F)), UInt8(0x80 | c & 0x3F))
    }

    static func fnv<S: Sequence<UInt8>>(_ bytes: S) -> UInt64 { bytes.reduce(fnvOffset) { fnv($0, $1) } }

    /// The MurmurHash3 64-bit finaliser.
    @inline(__always) static func finish(_ k: UInt64) -> UInt64 {
        var k = k
        k ^= k >> 33; k &*= 0xff51_afd7_ed55_8ccd
        k ^= k >> 33; k &*= 0xc4ce_b9fe_1a85_ec53
        k ^= k >> 33
        return k
    }

    @inline(__always) static func combine(_ h: UInt64, _ x: UInt64) -> UInt64 {
        finish((h ^ x) &* fnvPrime &+ 0x9e37_79b9_7f4a_7c15)
    }

    // MARK: Characters

    /// The scalar starting at byte `i` and its length (the bytes come from a String: valid UTF-8).
    @inline(__always) static func decode(_ b: UnsafeBufferPointer<UInt8>, _ i: Int) -> (UInt32, Int) {
        let b0 = b[i]
        if b0 < 0x80 { return (UInt32(b0), 1) }
        if b0 < 0xE0 { return (UInt32(b0 & 0x1F) << 6 | UInt32(b[i + 1] & 0x3F), 2) }
        if b0 < 0xF0 {
            return (UInt32(b0 & 0x0F) << 12 | UInt32(b[i + 1] & 0x3F) << 6 | UInt32(b[i + 2] & 0x3F), 3)
        }
        return (UInt32(b0 & 0x07) << 18 | UInt32(b[i + 1] & 0x3F) << 12 | UInt32(b[i + 2] & 0x3F) << 6
                    | UInt32(b[i + 3] & 0x3F), 4)
    }

    /// The first visible scalar at or after byte `i`, and the byte after it; (0, count) at the end.
    @inline(__always) static func scalar(from i: Int, _ b: UnsafeBufferPointer<UInt8>) -> (UInt32, Int) {
        var i = i
        while i < b.count {
            let (c, length) = decode(b, i)
            if c < 0x80 || !isIgnorable(c) { return (c, i + length) }
            i += length
        }
        return (0, b.count)
    }

    /// The last visible scalar before byte `i`; 0 at the start.
    @inline(__always) static func scalar(before i: Int, _ b: UnsafeBufferPointer<UInt8>) -> UInt32 {
        var i = i
        while i > 0 {
            if b[i - 1] < 0x80 { return UInt32(b[i - 1]) }
            var j = i - 1
            while j > 0 && b[j] & 0xC0 == 0x80 { j -= 1 }
            let (c, _) = decode(b, j)
            if !isIgnorable(c) { return c }
            i = j
        }
        return 0
    }

    /// Unicode default-ignorable code points: never shown, and stripped by tools that "clean" text.
    static func isIgnorable(_ c: UInt32) -> Bool {
        switch c {
        case 0x00AD, 0x034F, 0x061C, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x180B...0x180F, 0x200B...0x200F,
             0x202A...0x202E, 0x2060...0x206F, 0x3164, 0xFE00...0xFE0F, 0xFEFF, 0xFFA0, 0xFFF0...0xFFF8,
             0x1BCA0...0x1BCA3, 0x1D173...0x1D17A, 0xE0000...0xE0FFF:
            return true
        default:
            return false
        }
    }

    @inline(__always) static func isWord(_ c: UInt32) -> Bool {
        if c < 0x80 { return (c | 0x20) &- 0x61 < 26 || c &- 0x30 < 10 }
        return isNonASCIIWord(c)
    }

    static func isNonASCIIWord(_ c: UInt32) -> Bool {
        if c >= 0x2000 && c <= 0x206F { return false }  // general punctuation: quotes, dashes, spaces
        guard let scalar = Unicode.Scalar(c) else { return false }
        let properties = scalar.properties
        if properties.isAlphabetic { return true }
        switch properties.generalCategory {
        case .decimalNumber, .letterNumber, .otherNumber, .nonspacingMark, .spacingMark, .enclosingMark:
            return true
        default:
            return false
        }
    }

    @inline(__always) static func isSpace(_ c: UInt32) -> Bool {
        switch c {
        case 0x09...0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000:
            return true
        default:
            return false
        }
    }

    /// Sentence ends: the context window never reaches across one.
    @inline(__always) static func isTerminator(_ c: UInt32) -> Bool {
        switch c {
        case 0x21, 0x2E, 0x3F, 0x2026, 0x203C, 0x3002, 0xFF01, 0xFF0E, 0xFF1F: return true
        default: return false
        }
    }

    @inline(__always) static func isHyphen(_ c: UInt32) -> Bool { c == 0x2D || c == 0x2010 || c == 0x2011 }

    /// Right before a word, these mean it is part of an address, a path, an identifier or markup.
    static func joinsBefore(_ c: UInt32) -> Bool {
        switch c {
        case 0x2E, 0x2F, 0x40, 0x5F, 0x5C, 0x3D, 0x26, 0x23, 0x25, 0x2B, 0x3A, 0x3C, 0x7E, 0x7C, 0x5E, 0x60:
            return true  // . / @ _ \ = & # % + : < ~ | ^ `
        default:
            return false
        }
    }

    /// Right after a word and followed by a letter or digit, these mean the same.
    static func joinsAfter(_ c: UInt32) -> Bool {
        switch c {
        case 0x2E, 0x2F, 0x40, 0x5F, 0x5C, 0x3D, 0x26, 0x23, 0x25, 0x2B, 0x3A, 0x3F, 0x21, 0x7E, 0x7C, 0x5E:
            return true  // . / @ _ \ = & # % + : ? ! ~ | ^
        default:
            return false
        }
    }

    static func isCurrency(_ c: UInt32) -> Bool { c == 0x24 || c == 0xA3 || c == 0x20AC || c == 0xA5 || c == 0x20B9 }

    /// What may stand right before a number slot (besides a currency sign).
    static func opensNumber(_ c: UInt32) -> Bool {
        c == 0 || isSpace(c) || c == 0x28 || c == 0x5B || c == 0x7E || c == 0x22 || c == 0x201C || c == 0x2018
    }

    /// What may stand right after a number slot.
    static func closesNumber(_ c: UInt32) -> Bool {
        switch c {
        case 0, 0x29, 0x5D, 0x2C, 0x3B, 0x3A, 0x2E, 0x21, 0x3F, 0x22, 0x201D, 0x2019: return true
        default: return isSpace(c)
        }
    }

    // MARK: Words

    /// The words of a text, class forms recognised, in order.
    static func words(_ b: UnsafeBufferPointer<UInt8>, _ table: CanaryTable) -> [Word] {
        let n = b.count
        var words: [Word] = []
        words.reserveCapacity(n / 5 + 4)
        var sentence: Int32 = 0
        var hyphens = 0, spaces = false, other = false, ended = false
        // The previous word, while it may be the first half of a two-word form.
        var pendingHash: UInt64 = 0, pendingLetters = -1
        var i = 0
        while i < n {
            var c = UInt32(b[i]), length = 1
            if c >= 0x80 {
                (c, length) = decode(b, i)
                // why: a fingerprint must not depend on characters nobody sees; a leaker strips them first.
                if isIgnorable(c) { i += length; continue }
            }
            guard isWord(c) else {
                if c == 0x20 || isSpace(c) {
                    spaces = true
                } else if isHyphen(c) {
                    hyphens += 1
                } else {
                    other = true
                    if isTerminator(c) { ended = true }
                }
                i += length
                continue
            }

            let start = i
            var end = i
            var h = fnvOffset
            var letters = 0, uppers = 0, digits = 0
            var firstUpper = false, nonASCII = false, commas = false
            while i < n {
                let byte = b[i]
                if byte < 0x80 {
                    if byte &- 0x61 < 26 {
                        letters &+= 1
                        h = fnv(h, byte)
                    } else if byte &- 0x41 < 26 {
                        if letters == 0 { firstUpper = true }
                        letters &+= 1
                        uppers &+= 1
                        h = fnv(h, byte | 0x20)
                    } else if byte &- 0x30 < 10 {
                        digits &+= 1
                        h = fnv(h, byte)
                    } else if byte == 0x2C && letters == 0 && !nonASCII && digits > 0 && (commas || digits <= 3)
                        && thousandsGroupFollows(b, i) {
                        // why: "12,500" is one word whether or not it has its commas.
                        commas = true
                        i += 1
                        continue
                    } else {
                        break
                    }
                    i &+= 1
                    end = i
                } else {
                    let (c, length) = decode(b, i)
                    if isIgnorable(c) {
                        i += length
                        continue
                    }
                    guard isNonASCIIWord(c) else { break }
                    nonASCII = true
                    h = fnv(h, scalar: c)
                    i += length
                    end = i
                }
            }

            if ended { sentence += 1 }
            let gap = other || ended ? gapOther
                : hyphens == 1 && !spaces ? gapHyphen
                : hyphens == 0 && spaces ? gapSpace : gapOther
            hyphens = 0; spaces = false; other = false; ended = false
            var word = Word(
                start: Int32(truncatingIfNeeded: start), end: Int32(truncatingIfNeeded: end), hash: finish(h),
                sentence: sentence, classIndex: -1, alternative: 0, shape: 0, isNumber: false,
                startsLower: b[start] &- 0x61 < 26)

            if !nonASCII && digits == 0 {
                if uppers == 0 { word.shape |= shapeLower }
                if uppers == letters { word.shape |= shapeUpper }
                if firstUpper && uppers == 1 { word.shape |= shapeCapitalised }
                // A two-word form: "e-mail", "co-operation", "per cent".
                if pendingLetters >= 0 && gap != gapOther {
                    let first = words[words.count - 1]
                    let e = table.twoWordEntry(
                        pendingHash, letters: pendingLetters, Int(first.start)..<Int(first.end),
                        separator: gap == gapHyphen ? 0x2D : 0x20, start..<end, letters: letters, b)
                    if e >= 0 {
                        var shape: UInt8 = 0
                        if first.shape & word.shape & shapeLower != 0 { shape |= shapeLower }
                        if first.shape & word.shape & shapeUpper != 0 { shape |= shapeUpper }
                        if first.shape & shapeCapitalised != 0 && word.shape & shapeLower != 0 {
                            shape |= shapeCapitalised
                        }
                        words[words.count - 1].end = word.end
                        words[words.count - 1].shape = shape
                        words[words.count - 1].classIndex = table.entryClass[e]
                        words[words.count - 1].alternative = table.entryAlternative[e]
                        words[words.count - 1].hash = table.classHashes[Int(table.entryClass[e])]
                        pendingLetters = -1
                        continue
                    }
                }
                let e = table.entry(h, letters: letters, start..<end, b)
                if e >= 0 {
                    word.classIndex = table.entryClass[e]
                    word.alternative = table.entryAlternative[e]
                    // why: a neighbour that is itself a slot word counts as its class, so neighbouring
                    // choices never change a context.
                    word.hash = table.classHashes[Int(table.entryClass[e])]
                    pendingLetters = -1
                } else {
                    pendingLetters = table.isFirstPart(h, letters: letters) ? letters : -1
                    pendingHash = h
                }
            } else {
                pendingLetters = -1
                if !nonASCII && letters == 0 {
                    word.isNumber = true
                    // why: five to seven digits only. Four-digit numbers are mostly years ("in 2023" must
                    // not become "in 2,023"); longer ones are mostly dates, phone numbers and identifiers.
                    if (5...7).contains(digits) && b[start] != 0x30 {
                        word.classIndex = Int16(table.numberClass)
                        word.alternative = commas ? 0 : 1
                    }
                }
            }
            words.append(word)
        }
        return words
    }

    /// A comma at `i` followed by exactly three digits and then no letter or digit.
    /// Invisible characters in between are skipped, as everywhere.
    @inline(__always) static func thousandsGroupFollows(_ b: UnsafeBufferPointer<UInt8>, _ i: Int) -> Bool {
        var next = i + 1
        for _ in 0..<3 {
            let (c, after) = scalar(from: next, b)
            guard c &- 0x30 < 10 else { return false }
            next = after
        }
        return !isWord(scalar(from: next, b).0)
    }

    // MARK: Slots

    static func slots(_ words: [Word], _ b: UnsafeBufferPointer<UInt8>, _ table: CanaryTable) -> [CanarySlot] {
        var result: [CanarySlot] = []
        result.reserveCapacity(words.count / 4 + 4)
        for j in words.indices where words[j].classIndex >= 0 {
            let word = words[j]
            let hasBefore1 = j >= 1 && words[j - 1].sentence == word.sentence
            let hasBefore2 = j >= 2 && words[j - 2].sentence == word.sentence
            let hasAfter1 = j + 1 < words.count && words[j + 1].sentence == word.sentence
            let hasAfter2 = j + 2 < words.count && words[j + 2].sentence == word.sentence
            let before = scalar(before: Int(word.start), b)
            let (after, afterEnd) = scalar(from: Int(word.end), b)
            let afterNext = after == 0 ? 0 : scalar(from: afterEnd, b).0
            let cls = Int(word.classIndex)

            if cls == table.numberClass {
                // why: only plain counts and amounts; codes, identifiers, phone numbers, decimals and
                // ranges keep their exact form.
                guard opensNumber(before) || isCurrency(before), closesNumber(after) else { continue }
                if (after == 0x2C || after == 0x2E || after == 0x3A) && isWord(afterNext) { continue }
                if !isCurrency(before) {
                    guard hasBefore1, !words[j - 1].isNumber, !table.numberStopWords.contains(words[j - 1].hash),
                          hasAfter1, words[j + 1].startsLower
                    else { continue }
                }
            } else {
                if word.shape & shapeLower == 0 {
                    guard !table.lowercaseOnly[cls] else { continue }
                    // why: a capitalised class word inside a sentence is usually part of a name
                    // ("Ministry of Defence", "World Health Organization"); names keep their spelling.
                    let upper = word.shape & shapeUpper != 0
                    let sentenceStart = word.shape & shapeCapitalised != 0 && !hasBefore1
                    guard upper || sentenceStart else { continue }
                }
                if joinsBefore(before) || joinsAfter(after) && isWord(afterNext) { continue }
                if hasBefore1 && table.notAfter[cls].contains(words[j - 1].hash) { continue }
                if hasAfter1 && table.notBefore[cls].contains(words[j + 1].hash) { continue }
            }

            // why: the context is the class and the two words either side within the sentence, so it is
            // the same in every copy, after invisible characters are stripped or whitespace collapsed,
            // and in a paragraph cut out alone; it never depends on a position.
            var context = combine(boundary, table.classHashes[cls])
            context = combine(context, word.hash)
            context = combine(context, hasBefore2 ? words[j - 2].hash : boundary)
            context = combine(context, hasBefore1 ? words[j - 1].hash : boundary)
            context = combine(context, hasAfter1 ? words[j + 1].hash : boundary)
            context = combine(context, hasAfter2 ? words[j + 2].hash : boundary)
            result.append(CanarySlot(
                start: Int(word.start), end: Int(word.end), context: context,
                classIndex: word.classIndex, alternative: word.alternative, shape: word.shape))
        }
        return result
    }

    // MARK: Rendering

    /// Writes a lower-case form in the capitalisation of the word it replaces.
    static func render(_ form: [UInt8], shape: UInt8, into out: inout [UInt8]) {
        if shape & shapeLower != 0 {
            out.append(contentsOf: form)
        } else if shape & shapeUpper != 0 {
            for b in form { out.append(b &- 0x61 < 26 ? b - 0x20 : b) }
        } else {
            out.append(form[0] &- 0x61 < 26 ? form[0] - 0x20 : form[0])
            out.append(contentsOf: form[1...])
        }
    }

    /// Writes the digits of a number, with thousands commas or without.
    static func renderNumber(_ bytes: Slice<UnsafeBufferPointer<UInt8>>, commas: Bool, into out: inout [UInt8]) {
        let digits = bytes.filter { $0 &- 0x30 < 10 }
        for (i, d) in digits.enumerated() {
            if commas && i > 0 && (digits.count - i) % 3 == 0 { out.append(0x2C) }
            out.append(d)
        }
    }
}

// MARK: - The table, ready for lookup

/// The variant table indexed by the FNV-1a hash of each lower-case form.
final class CanaryTable: Sendable {
    static let shared = CanaryTable()

    let classes: [CanaryVariantClass]
    let forms: [[[UInt8]]]             // per class, per alternative
    let classHashes: [UInt64]
    let lowercaseOnly: [Bool]
    let notAfter: [[UInt64]]
    let notBefore: [[UInt64]]
    let numberClass: Int
    let numberStopWords: Set<UInt64>
    let entryClass: [Int16]
    let entryAlternative: [UInt8]

    private let entryForm: [[UInt8]]
    private let index: [Int32]
    private let indexHash: [UInt64]
    private let mask: Int
    private let firstParts: [UInt64]   // raw hashes of the first words of two-word forms
    private let firstPartBits: UInt64  // a one-word Bloom filter over `firstParts`
    private let firstPartMax: Int
    private let bloom: [UInt64]        // a 4096-bit Bloom filter over the forms: most words miss here
    private let minLength: Int
    private let maxLength: Int

    // why: after these words a five-digit number is a code or a reference, not an amount.
    static let numberStopList = [
        "no", "nos", "number", "numbers", "num", "ref", "reference", "id", "case", "serial", "file", "zip",
        "postcode", "code", "tel", "phone", "fax", "mobile", "flight", "account", "acct", "box", "room",
        "unit", "route", "model", "version", "pin", "port", "item", "order", "invoice", "ticket", "cve",
        "hull", "registration", "badge", "batch", "lot", "page", "pages", "pp", "p", "line", "record",
        "msisdn", "imei", "imsi", "passport", "licence", "license", "plate", "channel", "frequency", "grid",
        "mgrs", "vessel", "imo", "mmsi", "tail", "extension", "ext", "iban", "bic", "policy", "contract",
        "docket", "exhibit", "tracking", "build", "release", "vol", "volume", "chapter", "article",
        "section", "resolution", "regulation", "directive", "isbn", "issn", "op", "serials", "callsign",
        "call", "dial", "telephone", "contact", "sms", "whatsapp", "signal", "telegram",
    ]

    private init() {
        let classes = CanaryVariantClass.table
        self.classes = classes
        forms = classes.map { $0.alternatives.map { Array($0.utf8) } }
        classHashes = classes.map { CanaryScanner.finish(CanaryScanner.fnv(Array("class:\($0.id)".utf8))) }
        lowercaseOnly = classes.map(\.lowercaseOnly)
        let wordHash = { (word: String) in CanaryScanner.finish(CanaryScanner.fnv(word.utf8)) }
        notAfter = classes.map { $0.notAfter.map(wordHash) }
        notBefore = classes.map { $0.notBefore.map(wordHash) }
        numberClass = classes.firstIndex { $0.id == CanaryVariantClass.numberClassId }!
        numberStopWords = Set(Self.numberStopList.map(wordHash))

        var entryForm: [[UInt8]] = [], entryClass: [Int16] = [], entryAlternative: [UInt8] = []
        for (c, cls) in classes.enumerated() where c != numberClass {
            precondition(cls.alternatives.count == 2 && cls.alternatives[0] != cls.alternatives[1])
            for (a, form) in cls.alternatives.enumerated() {
                entryForm.append(Array(form.utf8))
                entryClass.append(Int16(c))
                entryAlternative.append(UInt8(a))
            }
        }
        var size = 1
        while size < entryForm.count * 4 { size <<= 1 }
        var index = [Int32](repeating: -1, count: size)
        var indexHash = [UInt64](repeating: 0, count: size)
        var bloom = [UInt64](repeating: 0, count: 64)
        for (e, form) in entryForm.enumerated() {
            let h = CanaryScanner.fnv(form)
            var p = Self.probe(h, size - 1)
            while index[p] >= 0 {
                precondition(entryForm[Int(index[p])] != form, "duplicate canary form \(String(decoding: form, as: UTF8.self))")
                p = (p + 1) & (size - 1)
            }
            index[p] = Int32(e)
            indexHash[p] = h
            bloom[Int(h >> 6 & 63)] |= 1 << (h & 63)
        }
        let twoWordFirsts = entryForm.compactMap { form in
            form.firstIndex { $0 == 0x2D || $0 == 0x20 }.map { Array(form[..<$0]) }
        }
        firstParts = Array(Set(twoWordFirsts.map { CanaryScanner.fnv($0) }))
        firstPartBits = firstParts.reduce(0) { $0 | 1 << ($1 & 63) }
        firstPartMax = twoWordFirsts.map(\.count).max() ?? 0
        minLength = entryForm.map(\.count).min() ?? 0
        maxLength = entryForm.map(\.count).max() ?? 0
        self.entryForm = entryForm
        self.entryClass = entryClass
        self.entryAlternative = entryAlternative
        self.index = index
        self.indexHash = indexHash
        self.bloom = bloom
        mask = size - 1
    }

    @inline(__always) private static func probe(_ h: UInt64, _ mask: Int) -> Int {
        Int(truncatingIfNeeded: h ^ h >> 29) & mask
    }

    /// The entry whose form has this hash and length, or -1.
    @inline(__always) private func find(_ h: UInt64, length: Int) -> Int {
        guard length >= minLength && length <= maxLength, bloom[Int(h >> 6 & 63)] & 1 << (h & 63) != 0 else {
            return -1
        }
        var p = Self.probe(h, mask)
        while index[p] >= 0 {
            if indexHash[p] == h && entryForm[Int(index[p])].count == length { return Int(index[p]) }
            p = (p + 1) & mask
        }
        return -1
    }

    /// True when the ASCII letters in `range` (other bytes are invisible characters), lower-cased,
    /// spell `form` from `offset`; returns the offset after them, or -1.
    @inline(__always) private static func spell(
        _ form: [UInt8], from offset: Int, _ range: Range<Int>, _ b: UnsafeBufferPointer<UInt8>
    ) -> Int {
        var k = offset
        for i in range where b[i] < 0x80 {
            guard k < form.count, b[i] | 0x20 == form[k] else { return -1 }
            k += 1
        }
        return k
    }

    /// The entry for a one-word form, or -1.
    @inline(__always) func entry(_ h: UInt64, letters: Int, _ range: Range<Int>, _ b: UnsafeBufferPointer<UInt8>) -> Int {
        let e = find(h, length: letters)
        return e >= 0 && Self.spell(entryForm[e], from: 0, range, b) == entryForm[e].count ? e : -1
    }

    /// Whether a word may be the first half of a two-word form.
    @inline(__always) func isFirstPart(_ h: UInt64, letters: Int) -> Bool {
        letters <= firstPartMax && firstPartBits & 1 << (h & 63) != 0 && firstParts.contains(h)
    }

    /// The entry for a two-word form (first word, separator, second word), or -1.
    func twoWordEntry(
        _ firstHash: UInt64, letters firstLetters: Int, _ first: Range<Int>, separator: UInt8,
        _ second: Range<Int>, letters: Int, _ b: UnsafeBufferPointer<UInt8>
    ) -> Int {
        var h = CanaryScanner.fnv(firstHash, separator)
        for i in second where b[i] < 0x80 { h = CanaryScanner.fnv(h, b[i] | 0x20) }
        let e = find(h, length: firstLetters + 1 + letters)
        guard e >= 0 else { return -1 }
        let form = entryForm[e]
        let k = Self.spell(form, from: 0, first, b)
        guard k >= 0, k < form.count, form[k] == separator else { return -1 }
        return Self.spell(form, from: k + 1, second, b) == form.count ? e : -1
    }
}
