import Crypto
import Foundation
import Testing
import TearlineCore

/// A realistic report: four paragraphs of wrapped lines, each paragraph with at least 16 slots.
enum CanaryFixture {
    static let keyBytes: [UInt8] = (0..<32).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
    static var key: SymmetricKey { SymmetricKey(data: keyBytes) }
    static let document = "RPT-2024-0117"
    static let recipients = (1...50).map { String(format: "USA-m%02d", $0) }
    static let candidates = recipients.map { CanaryCandidate(document: document, recipient: $0) }

    static let report = """
        The organisation has reorganised its logistics network over the past year and now prioritises the
        movement of fuel and ammunition towards the northern border. Analysts assess that the group utilised
        at least three civilian transport companies, and that its couriers travelled through neighbouring
        districts whilst avoiding the main checkpoints. Amongst the recovered documents were e-mails between
        the group's logistics centre and its financial co-ordinators, which characterise the effort as the
        leadership's first priority. Defence officials recognised the pattern in March, but the organisation
        realised that its behaviour had been noticed and modernised its communications. Roughly 12,500 litres
        of diesel were moved in favour of the armoured units, and the leadership authorised payments worth
        250,000 dollars to local brokers.

        Reporting from a well-placed source indicates that the group's counter-intelligence cell has stepped
        up its surveillance of suspected informants. The cell has analysed travel records, labelled suspected
        informants by district and emphasised the need to minimise contact with foreign nationals. Its
        members are sceptical of recruits from the capital and have criticised the leadership for failing to
        stabilise the southern front. The source judged that the cell co-operates closely with a specialised
        unit of the border police, which has signalled its willingness to share intelligence amid growing
        pressure from the capital. Roughly 40 per cent of the cell's members were recruited from organised
        smuggling networks near the regional centre. This judgement is corroborated by intercepted e-mail
        traffic, although the second source has not been tested and its reporting should be treated with a
        degree of scepticism.

        We assess with moderate confidence that the organisation will attempt to re-establish its presence in
        the eastern districts within six months. The leadership has prioritised recruitment amongst
        unemployed young men, and local defence militias have reported a sharp rise in cyber-attacks against
        their communications. If the organisation succeeds, it would be able to mobilise several hundred
        fighters and to destabilise the ceasefire. The regional defence council has authorised additional
        patrols but lacks the armoured vehicles needed to cover some 14,000 square kilometres of difficult
        terrain. Co-ordination between the council and the national police remains poor, and the council has
        not yet finalised its request for assistance. Afterwards, the council intends to modernise its radio
        network and to utilise drones for border surveillance.

        Comment: the organisation's leadership is unlikely to compromise while it believes that its
        neighbours will tolerate its activities. Conditions in the border area remain favourable to the
        organisation. We judge that a rapid collapse is unlikely, but the organisation's finances are
        vulnerable to sanctions, and a co-ordinated effort to scrutinise its banking channels would minimise
        the flow of funds towards its fighters and their training centres. Partners should prioritise the
        exchange of information on travellers moving between the two countries, and should consider whether
        e-mail intercepts could be utilised to characterise the network more fully. Analysts recognise that
        this assessment relies heavily on a single source, and we will re-evaluate our judgements if new
        reporting emerges.
        """

    static var paragraphs: [String] { report.components(separatedBy: "\n\n") }

    static func mark(_ text: String, for recipient: String, document: String = document) -> String {
        Canary.mark(text, key: key, document: document, recipient: recipient)
    }

    /// The text with every variant form replaced by its class id and capitalisation pattern, and thousands
    /// commas dropped: what marking must leave unchanged. Written independently of the scanner.
    static func skeleton(_ text: String) -> String {
        var ids: [String: String] = [:]
        for cls in Canary.variantClasses.dropLast() {
            for form in cls.alternatives { ids[form] = cls.id }
        }
        let chars = Array(text)
        func isWordChar(_ c: Character) -> Bool { c.isLetter || c.isNumber }
        func wordEnd(_ i: Int) -> Int {
            var j = i
            while j < chars.count && isWordChar(chars[j]) { j += 1 }
            return j
        }
        var out = ""
        var i = 0
        while i < chars.count {
            if isWordChar(chars[i]) {
                let end = wordEnd(i)
                // A two-word form ("e-mail", "per cent") first, then a one-word form.
                var ends = [end]
                if end + 1 < chars.count, chars[end] == "-" || chars[end] == " ", isWordChar(chars[end + 1]) {
                    ends.insert(wordEnd(end + 1), at: 0)
                }
                if let (formEnd, id) = ends.lazy.compactMap({ e in ids[String(chars[i..<e]).lowercased()].map { (e, $0) } }).first {
                    let original = String(chars[i..<formEnd]).filter(\.isLetter)
                    let shape = original == original.lowercased() ? "lower"
                        : original == original.uppercased() ? "UPPER"
                        : original == original.prefix(1).uppercased() + original.dropFirst().lowercased() ? "Capital"
                        : "mixed"
                    out += "⟨\(id)|\(shape)⟩"
                    i = formEnd
                    continue
                }
                out += String(chars[i..<end])
                i = end
                continue
            }
            if chars[i] == ",", i > 0, chars[i - 1].isNumber, i + 1 < chars.count, chars[i + 1].isNumber {
                i += 1
                continue
            }
            out.append(chars[i])
            i += 1
        }
        return out
    }
}

@Suite("Canary trap: marking and observing")
struct CanaryTests {
    typealias F = CanaryFixture

    @Test func theTableIsLargeAndConsistent() {
        let classes = Canary.variantClasses
        #expect(classes.count >= 80)
        #expect(Set(classes.map(\.id)).count == classes.count)
        let words = classes.dropLast()
        for cls in words {
            #expect(cls.alternatives.count == 2)
            #expect(cls.id == cls.alternatives[0].lowercased())
            #expect(cls.alternatives.allSatisfy { $0 == $0.lowercased() && $0.allSatisfy(\.isASCII) })
        }
        let forms = words.flatMap(\.alternatives)
        #expect(Set(forms).count == forms.count, "a form in two classes would make a slot ambiguous")
        #expect(classes.last?.id == CanaryVariantClass.numberClassId)
    }

    @Test func everyParagraphHasAtLeastSixteenSlots() {
        #expect(F.paragraphs.count == 4)
        for paragraph in F.paragraphs {
            #expect(Canary.observe(paragraph).count >= 16)
        }
    }

    @Test func markingIsDeterministic() {
        let marker = Canary.marker(key: F.key, document: F.document, recipient: "USA-m07")
        #expect(F.mark(F.report, for: "USA-m07") == F.mark(F.report, for: "USA-m07"))
        #expect(marker.mark(F.report) == F.mark(F.report, for: "USA-m07"))
    }

    @Test func differentRecipientsGetDifferentTexts() {
        let copies = F.recipients.map { F.mark(F.report, for: $0) }
        #expect(Set(copies).count == F.recipients.count)
        #expect(!copies.contains(F.report))
    }

    @Test func markingKeepsEverythingButTheSlotWordsAndTheirCapitalisation() {
        let skeleton = F.skeleton(F.report)
        for recipient in F.recipients {
            #expect(F.skeleton(F.mark(F.report, for: recipient)) == skeleton)
        }
        let text = "Organisations met. ORGANISATIONS MET. Whilst we waited, the organisations met the Ministry of Defence."
        for recipient in F.recipients.prefix(10) {
            #expect(F.skeleton(F.mark(text, for: recipient)) == F.skeleton(text))
        }
    }

    @Test func eachSlotTakesOneOfItsTwoFormsAndBothOccurAcrossRecipients() {
        let slots: [[String]] = [
            ["organisation", "organization"], ["analyse", "analyze"], ["12,500", "12500"], ["e-mails", "emails"],
            ["towards", "toward"],
        ]
        var allSentences: Set<String> = [""]
        for forms in slots {
            allSentences = Set(allSentences.flatMap { prefix in forms.map { prefix + " " + $0 } })
        }
        func sentence(_ words: [String]) -> String {
            "The \(words[0]) will \(words[1]) \(words[2]) \(words[3]) \(words[4]) the end."
        }
        let possible = Set(allSentences.map { sentence($0.split(separator: " ").map(String.init)) })
        #expect(possible.count == 32)
        let original = sentence(slots.map { $0[0] })
        var seen: [Set<String>] = Array(repeating: [], count: slots.count)
        for recipient in F.recipients.prefix(20) {
            let marked = F.mark(original, for: recipient)
            #expect(possible.contains(marked))
            for (i, forms) in slots.enumerated() {
                for form in forms where marked.contains(" \(form) ") { seen[i].insert(form) }
            }
        }
        #expect(seen.allSatisfy { $0.count == 2 })
    }

    @Test func capitalisationIsKeptAndNamesAreLeftAlone() {
        let text = "Organisations met. ORGANISATIONS MET. Whilst we waited, the Ministry of Defence called."
        var starts: Set<String> = []
        for recipient in F.recipients {
            let marked = F.mark(text, for: recipient)
            let sentences = marked.components(separatedBy: ". ")
            #expect(["Organisations met", "Organizations met"].contains(sentences[0]))
            #expect(["ORGANISATIONS MET", "ORGANIZATIONS MET"].contains(sentences[1]))
            #expect(sentences[2].hasPrefix("Whilst we waited, ") || sentences[2].hasPrefix("While we waited, "))
            #expect(marked.hasSuffix("the Ministry of Defence called."))
            starts.insert(String(sentences[0].prefix(13)))
        }
        #expect(starts == ["Organisations", "Organizations"])
    }

    @Test func markingAMarkedCopyAgainChangesNothing() {
        for recipient in F.recipients {
            let marked = F.mark(F.report, for: recipient)
            #expect(F.mark(marked, for: recipient) == marked)
        }
    }

    @Test func aTextWithoutSlotsIsReturnedUnchanged() {
        let text = "The courier meets his handler on Tuesdays.\n\nThe port is busy in winter; 2023 was quiet. Ça va — “oui”."
        #expect(Canary.observe(text).isEmpty)
        #expect(Canary.contexts(of: text).isEmpty)
        for recipient in F.recipients.prefix(5) {
            #expect(F.mark(text, for: recipient) == text)
        }
        #expect(F.mark("", for: "USA-m01") == "")
    }

    @Test func contextsOfTheOriginalAndOfEveryCopyAreTheSame() {
        let contexts = Canary.contexts(of: F.report)
        #expect(contexts.count >= 64)
        for recipient in F.recipients {
            #expect(Canary.contexts(of: F.mark(F.report, for: recipient)) == contexts)
        }
    }

    @Test func wordsWhoseSwapCouldChangeMeaningAreNoSlots() {
        let untouchable = [
            "We waited for a while before leaving.",
            "It was worth the while of everyone.",
            "See www.organisation.org for details.",
            "The file is at /srv/organisation/report today.",
            "Write to analyse@example.org today.",
            "The attack took place in 2023 near the border.",
            "Case 123456 was closed by the court.",
            "They paid 12,500.75 dollars in cash.",
            "The bill came to $12500.75 in the end.",
            "The range 12500-13000 is covered.",
            "Call 5551234 now for help.",
            "Troops numbered 12500.",
            "The Ministry of Defence and the World Health Organisation met.",
            "The Labour Party met.",
            "Mr Grey left.",
            "#organisation trends online.",
        ]
        for text in untouchable {
            #expect(Canary.observe(text).isEmpty, "\(text)")
            for recipient in F.recipients.prefix(8) {
                #expect(F.mark(text, for: recipient) == text)
            }
        }
    }

    @Test func numbersAreMarkedOnlyAsPlainCounts() {
        let text = "They moved 12,500 tonnes and $2,400,000 in cash."
        let observations = Canary.observe(text)
        #expect(observations.count == 2)
        #expect(observations.allSatisfy { $0.classId == CanaryVariantClass.numberClassId })
        for recipient in F.recipients.prefix(10) {
            let marked = F.mark(text, for: recipient)
            #expect(marked.contains(" 12,500 tonnes") || marked.contains(" 12500 tonnes"))
            #expect(marked.contains("$2,400,000 in") || marked.contains("$2400000 in"))
        }
    }

    @Test func invisibleCharactersDoNotChangeWhatIsObserved() {
        let marked = F.mark(F.report, for: "USA-m13")
        let withInvisibles = CanaryTraceTests.insertInvisibles(marked)
        #expect(withInvisibles != marked)
        #expect(Canary.observe(withInvisibles) == Canary.observe(marked))
        #expect(Canary.contexts(of: CanaryTraceTests.insertInvisibles(F.report)) == Canary.contexts(of: F.report))
    }

    @Test func aContextSeenWithBothFormsIsLeftOut() {
        let text = "We met the organisation today. We met the organization today. The centre is closed."
        let observations = Canary.observe(text)
        #expect(observations.map(\.classId) == ["centre"])
    }

    @Test func observationsNameTheFormSeen() {
        let british = Canary.observe("The organisation moved towards the centre.")
        let american = Canary.observe("The organization moved toward the center.")
        #expect(british.map(\.classId) == ["organisation", "towards", "centre"])
        #expect(british.map(\.alternative) == [0, 0, 0])
        #expect(american.map(\.alternative) == [1, 1, 1])
        #expect(british.map(\.context) == american.map(\.context))
    }
}
