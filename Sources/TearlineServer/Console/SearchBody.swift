import Foundation
import TearlineCore

/// Entity search: the reader's own hits, pointers to what others hold ("USA-CIA holds 3 reports
/// that mention this") with a request for access, the entities seen with it as a link chart,
/// and chains between two entities.
struct SearchBody: Sendable {

    struct Hit: Sendable {
        let href: String
        let kind: String
        let id: String
        let originator: String
        let title: String?
        let portions: [DocumentBody.PortionItem]
    }

    struct Pointer: Sendable {
        let holder: String
        let count: Int
        let handle: String
        let index: Int
        let sentence: String
    }

    struct Related: Sendable {
        let kind: String
        let value: String
        let count: Int
    }

    struct ChainRow: Sendable {
        let text: String
    }

    var kinds: [ConsoleOption]
    var kind = ""
    var value = ""
    var toKind: [ConsoleOption]
    var toValue = ""
    var hasResult = false
    var hits: [Hit] = []
    var hasHits = false
    var hitCount = 0
    var pointers: [Pointer] = []
    var hasPointers = false
    var related: [Related] = []
    var hasRelated = false
    var relatedChart: LinkChart?
    var hasChains = false
    var chainsSearched = false
    var chains: [ChainRow] = []
    var chainChart: LinkChart?
    var nothingFound = false

    static let entityKinds = ["person", "organization", "location", "vessel", "phone", "email", "ipv4", "ipv6", "domain", "url", "file-hash", "account"]

    init(kind: String = "person", toKind: String = "person") {
        kinds = Self.entityKinds.map { ConsoleOption(value: $0, selected: $0 == kind) }
        self.toKind = Self.entityKinds.map { ConsoleOption(value: $0, selected: $0 == toKind) }
        self.kind = kind
    }

    mutating func show(_ result: EntitySearchResponse, related: RelatedEntitiesResponse?) {
        hasResult = true
        hits = result.hits.map { h in
            Hit(href: h.kind == "release" ? "/releases/\(h.id)" : "/reports/\(h.id)", kind: h.kind, id: h.id, originator: h.originator, title: h.title,
                portions: h.portions.map { p in
                    DocumentBody.PortionItem(number: p.index + 1, mark: p.marking,
                                             runs: TextHighlight.runs(p.text, marking: [(value, result.entity.kind)]),
                                             sourcesAndMethods: false, entities: [], hasEntities: false)
                })
        }
        hasHits = !hits.isEmpty
        hitCount = result.hitCount
        pointers = result.pointers.enumerated().map { i, p in
            Pointer(holder: p.holder, count: p.count, handle: p.handle, index: i + 1,
                    sentence: "\(p.holder) holds \(p.count) report\(p.count == 1 ? "" : "s") that mention\(p.count == 1 ? "s" : "") this")
        }
        hasPointers = !pointers.isEmpty
        if let related {
            self.related = related.related.map { Related(kind: $0.entity.kind, value: $0.entity.value, count: $0.count) }
            hasRelated = !self.related.isEmpty
            if hasRelated {
                relatedChart = LinkChart.star(centre: (related.entity.kind, related.entity.value),
                                              around: self.related.map { ($0.kind, $0.value, "\($0.count) document\($0.count == 1 ? "" : "s")") })
            }
        }
        nothingFound = !hasHits && !hasPointers && !hasRelated
    }

    mutating func show(_ result: EntityChainsResponse) {
        chainsSearched = true
        hasChains = !result.chains.isEmpty
        chains = result.chains.map { chain in
            ChainRow(text: ([chain.first?.from.value ?? ""] + chain.map { link in
                let holder = link.holder ?? link.pointer?.holder ?? "?"
                return (link.via == "pointer" ? "— held by \(holder), a pointer → " : "— \(link.documentKind ?? "document") \(link.documentId ?? "") of \(holder) → ") + link.to.value
            }).joined(separator: " "))
        }
        if hasChains { chainChart = LinkChart.chains(result.chains) }
    }
}

/// Access requests: the caller's, and those addressed to its organisation.
struct AccessBody: Sendable {
    struct Item: Sendable {
        let id: String
        let requester: String
        let requesterOrganization: String
        let holder: String
        let justification: String
        let status: String
        let date: String
        let decidable: Bool
        let documents: [String]
        let hasDocuments: Bool
    }

    let incoming: [Item]
    let outgoing: [Item]
    let hasIncoming: Bool
    let hasOutgoing: Bool

    init(incoming: [AccessRequestView], outgoing: [AccessRequestView], mayDecide: Bool) {
        func item(_ r: AccessRequestView, decidable: Bool) -> Item {
            let documents = (r.releases ?? []).map { "/releases/\($0)" } + (r.reports ?? []).map { "/reports/\($0)" }
            return Item(id: r.id, requester: r.requester, requesterOrganization: r.requesterOrganization, holder: r.holder,
                        justification: r.justification, status: r.status, date: ConsoleDate.day(r.createdAt),
                        decidable: decidable && r.status == "pending", documents: documents, hasDocuments: !documents.isEmpty)
        }
        self.incoming = incoming.map { item($0, decidable: mayDecide) }
        self.outgoing = outgoing.map { item($0, decidable: false) }
        hasIncoming = !self.incoming.isEmpty
        hasOutgoing = !self.outgoing.isEmpty
    }
}

/// The search page, with what the service refused about the last search, if anything.
struct MessageAndSearch: Sendable {
    let search: SearchBody
    let error: String?
}
