import Crypto

/// One document whose copies were served: its texts as the originator wrote them, and the
/// members who were served a fingerprinted copy.
public struct ServedDocument: Sendable {
    public var id: String
    public var texts: [String]
    public var recipients: [String]

    public init(id: String, texts: [String], recipients: [String]) {
        self.id = id
        self.texts = texts
        self.recipients = recipients
    }
}

/// The answer to "whose copy is this?".
public struct Attribution: Sendable {
    /// Slot observations found in the leaked text.
    public var observed: Int
    /// Observations that occur in the best-matching document (the ones scored).
    public var shared: Int
    /// Candidates ranked best first, across the documents the leak matches.
    public var ranking: [CanaryScore]

    public var best: CanaryScore? { ranking.first }
}

/// Leak attribution (story 7): first which document the text comes from, then whose copy.
public enum LeakAttribution {
    /// Scores only the observations whose context occurs in the document: slot words at the edge
    /// of a portion see different neighbours in an exported file, and would only add noise.
    public static func attribute(_ leak: String, documents: [ServedDocument], key: SymmetricKey) -> Attribution {
        let observations = Canary.observe(leak)
        guard !observations.isEmpty else { return Attribution(observed: 0, shared: 0, ranking: []) }
        var matched: [(document: ServedDocument, shared: [CanaryObservation])] = []
        for document in documents where !document.recipients.isEmpty {
            var contexts = Set<UInt64>()
            for text in document.texts { contexts.formUnion(Canary.contexts(of: text)) }
            let shared = observations.filter { contexts.contains($0.context) }
            if !shared.isEmpty { matched.append((document, shared)) }
        }
        guard let most = matched.map(\.shared.count).max() else {
            return Attribution(observed: observations.count, shared: 0, ranking: [])
        }
        // why: only documents the leak matches about as well as the best one are candidates;
        // a document sharing a few common phrases is not the source.
        var ranking: [CanaryScore] = []
        for (document, shared) in matched where shared.count * 2 >= most {
            let candidates = document.recipients.map { CanaryCandidate(document: document.id, recipient: $0) }
            ranking += CanaryTrace.rank(shared, candidates: candidates, key: key)
        }
        ranking.sort { a, b in
            if a.score != b.score { return a.score > b.score }
            if a.matches != b.matches { return a.matches > b.matches }
            return (a.candidate.document, a.candidate.recipient) < (b.candidate.document, b.candidate.recipient)
        }
        return Attribution(observed: observations.count, shared: most, ranking: ranking)
    }
}
