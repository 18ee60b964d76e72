import Foundation

extension CanaryScanner {
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
}
