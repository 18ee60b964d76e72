import Foundation

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
