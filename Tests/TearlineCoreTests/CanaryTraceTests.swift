import Crypto
import Foundation
import Testing
import TearlineCore

@Suite("Canary trap: tracing a leak")
struct CanaryTraceTests {
    typealias F = CanaryFixture

    static let invisibles: [Unicode.Scalar] = ["\u{200B}", "\u{200C}", "\u{200D}", "\u{2060}", "\u{FEFF}"]

    /// Inserts zero-width characters after every fifth scalar: inside words, numbers and punctuation.
    static func insertInvisibles(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for (i, scalar) in text.unicodeScalars.enumerated() {
            out.append(scalar)
            if i % 5 == 4 { out.append(invisibles[(i / 5) % invisibles.count]) }
        }
        return String(out)
    }

    static func stripInvisibles(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.filter { !invisibles.contains($0) }))
    }

    /// Every run of whitespace, newlines included, becomes one space.
    static func collapseWhitespace(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        var inSpace = false
        for scalar in text.unicodeScalars {
            if scalar.properties.isWhitespace {
                if !inSpace { out.append(" ") }
                inSpace = true
            } else {
                out.append(scalar)
                inSpace = false
            }
        }
        return String(out)
    }

    /// The leaks of one copy that must all trace back to it.
    static func leaks(of recipient: String) -> [(name: String, text: String)] {
        let copy = F.mark(F.report, for: recipient)
        var leaks: [(String, String)] = [
            ("exact copy", copy),
            ("zero-width characters inserted, then stripped", stripInvisibles(insertInvisibles(copy))),
            ("zero-width characters inserted, not stripped", insertInvisibles(copy)),
            ("served from a text holding zero-width characters, then stripped",
             stripInvisibles(F.mark(insertInvisibles(F.report), for: recipient))),
            ("whitespace collapsed", collapseWhitespace(copy)),
        ]
        for (i, paragraph) in copy.components(separatedBy: "\n\n").enumerated() {
            leaks.append(("paragraph \(i + 1) alone", paragraph))
        }
        return leaks
    }

    @Test func everyLeakOfEveryCopyTracesToItsRecipientAlone() {
        #expect(F.recipients.count == 50)
        for recipient in F.recipients {
            for leak in Self.leaks(of: recipient) {
                let observations = Canary.observe(leak.text)
                let ranking = CanaryTrace.rank(observations, candidates: F.candidates, key: F.key)
                #expect(ranking.count == F.candidates.count)
                guard ranking.count >= 2 else { continue }
                let best = ranking[0], runnerUp = ranking[1]
                #expect(best.candidate.recipient == recipient, "\(recipient), \(leak.name)")
                #expect(best.score == 1.0, "\(recipient), \(leak.name)")
                #expect(best.observed >= 16, "\(recipient), \(leak.name)")
                #expect(runnerUp.score < best.score, "\(recipient), \(leak.name)")
                #expect(best.chance < 1e-3, "\(recipient), \(leak.name)")
            }
        }
    }

    @Test func aCopyOfAnotherDocumentScoresAtChanceLevel() {
        let otherDocument = "RPT-2024-0118"
        let leak = F.mark(F.report, for: "USA-m07", document: otherDocument)
        let observations = Canary.observe(leak)
        let ranking = CanaryTrace.rank(observations, candidates: F.candidates, key: F.key)
        let sameRecipient = ranking.first { $0.candidate.recipient == "USA-m07" }!
        #expect(sameRecipient.score > 0.25 && sameRecipient.score < 0.75)
        #expect(sameRecipient.chance > 1e-3)
        // The best of fifty wrong copies is no better than the best of fifty random guesses.
        #expect(ranking[0].score < 0.85)
        #expect(ranking[0].chance * Double(F.candidates.count) > 1e-3)

        let withTheRightDocument = F.candidates + [CanaryCandidate(document: otherDocument, recipient: "USA-m07")]
        let best = CanaryTrace.rank(observations, candidates: withTheRightDocument, key: F.key)[0]
        #expect(best.candidate == CanaryCandidate(document: otherDocument, recipient: "USA-m07"))
        #expect(best.score == 1.0)
    }

    @Test func aTextWithoutSlotsGivesNoObservationsAndNoVerdict() {
        let observations = Canary.observe("The courier meets his handler on Tuesdays.")
        #expect(observations.isEmpty)
        let ranking = CanaryTrace.rank(observations, candidates: F.candidates, key: F.key)
        #expect(ranking.allSatisfy { $0.observed == 0 && $0.score == 0 && $0.chance == 1 })
    }

    @Test func aLeakIsMatchedToTheDocumentItCameFrom() {
        let leak = F.mark(F.paragraphs[2], for: "USA-m21")
        let observations = Canary.observe(leak)
        let unrelated = "The organisation of the festival was criticised. Visitors travelled towards the centre whilst it rained."
        #expect(CanaryTrace.sharedContexts(observations, with: F.report) == observations.count)
        #expect(CanaryTrace.sharedContexts(observations, with: unrelated) == 0)
        #expect(CanaryTrace.restrict(observations, to: Canary.contexts(of: unrelated)).isEmpty)

        // A leak pasted into other text: restricting to the document's contexts keeps the verdict exact.
        let mixed = Canary.observe(unrelated + "\n\n" + leak)
        let restricted = CanaryTrace.restrict(mixed, to: Canary.contexts(of: F.report))
        #expect(restricted.count == observations.count)
        let best = CanaryTrace.rank(restricted, candidates: F.candidates, key: F.key)[0]
        #expect(best.candidate.recipient == "USA-m21" && best.score == 1.0)
    }

    @Test func repeatedObservationsCountOnce() {
        let observations = Canary.observe(F.mark(F.paragraphs[0], for: "USA-m02"))
        let once = CanaryTrace.rank(observations, candidates: F.candidates, key: F.key)[0]
        let twice = CanaryTrace.rank(observations + observations, candidates: F.candidates, key: F.key)[0]
        #expect(once.observed == observations.count && twice.observed == observations.count)
        #expect(once.matches == twice.matches)
    }

    @Test func chanceIsTheBinomialTail() {
        #expect(CanaryTrace.chance(matches: 0, observed: 0) == 1)
        #expect(CanaryTrace.chance(matches: 0, observed: 10) == 1)
        #expect(CanaryTrace.chance(matches: 11, observed: 10) == 0)
        #expect(abs(CanaryTrace.chance(matches: 1, observed: 1) - 0.5) < 1e-12)
        #expect(abs(CanaryTrace.chance(matches: 10, observed: 10) - 1.0 / 1024) < 1e-12)
        // C(20,15) + ... + C(20,20) = 15504 + 4845 + 1140 + 190 + 20 + 1 = 21700
        #expect(abs(CanaryTrace.chance(matches: 15, observed: 20) - 21700.0 / 1_048_576) < 1e-12)
        // P(X ≥ 1000) for n = 2000 is ½ + P(X = 1000)/2 ≈ 0.5 + 0.0178383/2
        #expect(abs(CanaryTrace.chance(matches: 1000, observed: 2000) - 0.508919) < 1e-5)
        #expect(CanaryTrace.chance(matches: 5000, observed: 5000) >= 0)
        #expect(CanaryTrace.chance(matches: 5000, observed: 5000) < 1e-300)
    }

    // MARK: The scheme is frozen: copies served earlier must stay traceable.

    /// SipHash-2-4, written here from the paper, independently of the module.
    static func sipHash24(_ message: [UInt8], key: [UInt8]) -> UInt64 {
        func word(_ bytes: ArraySlice<UInt8>) -> UInt64 {
            bytes.enumerated().reduce(0) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
        }
        func rotl(_ x: UInt64, _ b: UInt64) -> UInt64 { x << b | x >> (64 - b) }
        let k0 = word(key[0..<8]), k1 = word(key[8..<16])
        var v = [k0 ^ 0x736f6d6570736575, k1 ^ 0x646f72616e646f6d, k0 ^ 0x6c7967656e657261, k1 ^ 0x7465646279746573]
        func sipRound() {
            v[0] &+= v[1]; v[1] = rotl(v[1], 13); v[1] ^= v[0]; v[0] = rotl(v[0], 32)
            v[2] &+= v[3]; v[3] = rotl(v[3], 16); v[3] ^= v[2]
            v[0] &+= v[3]; v[3] = rotl(v[3], 21); v[3] ^= v[0]
            v[2] &+= v[1]; v[1] = rotl(v[1], 17); v[1] ^= v[2]; v[2] = rotl(v[2], 32)
        }
        var blocks = stride(from: 0, to: message.count - message.count % 8, by: 8).map { word(message[$0..<$0 + 8]) }
        blocks.append(UInt64(message.count & 0xff) << 56 | word(message[(message.count - message.count % 8)...]))
        for m in blocks {
            v[3] ^= m
            sipRound(); sipRound()
            v[0] ^= m
        }
        v[2] ^= 0xff
        for _ in 0..<4 { sipRound() }
        return v[0] ^ v[1] ^ v[2] ^ v[3]
    }

    @Test func theReferenceSipHashMatchesThePublishedVectors() {
        let key = Array(UInt8(0)..<16)
        #expect(Self.sipHash24([], key: key) == 0x726fdb47dd0e0e31)
        #expect(Self.sipHash24(Array(0..<8), key: key) == 0x93f5f5799a932462)
        #expect(Self.sipHash24(Array(0..<15), key: key) == 0xa129ca6149be45e5)
    }

    @Test func theChoiceIsTheDocumentedKeyedFunction() {
        // copy key = HMAC-SHA256(key, "tearline-canary-v1" ‖ len ‖ document ‖ len ‖ recipient), lengths 8-byte big-endian;
        // choice  = low bit of SipHash-2-4(first 16 bytes of the copy key, context as 8 bytes big-endian).
        var message = Array("tearline-canary-v1".utf8)
        for field in [F.document, "USA-m42"] {
            let bytes = Array(field.utf8)
            message += withUnsafeBytes(of: UInt64(bytes.count).bigEndian) { Array($0) } + bytes
        }
        let copyKey = Array(HMAC<SHA256>.authenticationCode(for: message, using: F.key))
        let marker = Canary.marker(key: F.key, document: F.document, recipient: "USA-m42")
        var generator = SystemRandomNumberGenerator()
        var ones = 0
        for _ in 0..<256 {
            let context = generator.next() as UInt64
            let expected = Int(Self.sipHash24(withUnsafeBytes(of: context.bigEndian) { Array($0) }, key: copyKey) & 1)
            let o = CanaryObservation(context: context, classId: "organisation", alternative: 0)
            #expect(marker.expected(o) == expected)
            ones += expected
        }
        #expect(ones > 64 && ones < 192)
    }

    @Test func contextsAreFrozen() {
        // Pinned values: a change here makes every copy served before it untraceable.
        let observations = Canary.observe("The organisation moved 12,500 troops towards the border.")
        #expect(observations.map(\.classId) == ["organisation", CanaryVariantClass.numberClassId, "towards"])
        #expect(observations.map(\.context) == CanaryTraceTests.pinnedContexts)
    }

    static let pinnedContexts: [UInt64] = [17_245_597_462_360_287_489, 6_089_813_238_977_732_265, 5_903_535_984_982_894_711]
}
