import Foundation

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

}
