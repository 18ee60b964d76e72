import Foundation

extension CanaryScanner {

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
