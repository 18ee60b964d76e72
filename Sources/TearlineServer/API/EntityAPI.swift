import Foundation

/// An entity as the API names it: a kind and a value, written however the caller writes it.
public struct EntityRef: Codable, Sendable, Hashable {
    public var kind: String
    public var value: String
    public init(kind: String, value: String) {
        self.kind = kind
        self.value = value
    }
}

/// `POST /v1/entities/search`: the entity travels in the body, so it never lands in URLs or access logs.
/// A private search of partner nodes' discovery sets for one entity.
public struct PartnerSearchRequest: StrictDecodable {
    public var kind: String
    public var value: String
    public init(kind: String, value: String) {
        self.kind = kind
        self.value = value
    }
}

public struct EntitySearchRequest: StrictDecodable {
    public var kind: String
    public var value: String
    public var cursor: String?
    public var limit: Int?
    public init(kind: String, value: String, cursor: String? = nil, limit: Int? = nil) {
        self.kind = kind
        self.value = value
        self.cursor = cursor
        self.limit = limit
    }
}

/// `POST /v1/entities/related`.
public struct RelatedEntitiesRequest: StrictDecodable {
    public var kind: String
    public var value: String
    public var limit: Int?
    public init(kind: String, value: String, limit: Int? = nil) {
        self.kind = kind
        self.value = value
        self.limit = limit
    }
}

/// `POST /v1/entities/chains`.
public struct EntityChainsRequest: StrictDecodable {
    public var from: EntityRef
    public var to: EntityRef
    public var maxDepth: Int?
    public init(from: EntityRef, to: EntityRef, maxDepth: Int? = nil) {
        self.from = from
        self.to = to
        self.maxDepth = maxDepth
    }
}

/// `PUT /v1/reports/{id}/discoverability`.
public struct DiscoverabilityRequest: StrictDecodable {
    /// `none`, `own-organisation`, `partners` or `all-partners`.
    public var discoverability: String
    /// The partners, when `discoverability` is `partners`.
    public var discoverableTo: [String]?
    public init(discoverability: String, discoverableTo: [String]? = nil) {
        self.discoverability = discoverability
        self.discoverableTo = discoverableTo
    }
}

/// `POST /v1/access-requests`.
public struct AccessRequestInput: StrictDecodable {
    public var handle: String
    public var justification: String
    public init(handle: String, justification: String) {
        self.handle = handle
        self.justification = justification
    }
}

/// `POST /v1/access-requests/{id}/grant`: optionally, only some of the covered reports.
public struct AccessGrantInput: StrictDecodable {
    public var reports: [String]?
    public init(reports: [String]? = nil) { self.reports = reports }
}

/// A readable portion that mentions the searched entity.
public struct HitPortion: Codable, Sendable, Hashable {
    public var index: Int
    public var marking: String
    public var text: String
}

/// One of the caller's own hits.
public struct SearchHit: Codable, Sendable {
    /// `report` or `release`: the document to open.
    public var kind: String
    public var id: String
    public var originator: String
    public var title: String?
    public var portions: [HitPortion]
}

/// A pointer: who holds how many reports on the entity, and the handle to ask for access.
public struct PointerView: Codable, Sendable, Hashable {
    public var holder: String
    public var count: Int
    public var handle: String
}

public struct EntitySearchResponse: Codable, Sendable {
    public var entity: EntityRef
    public var hits: [SearchHit]
    public var hitCount: Int
    public var pointers: [PointerView]
    public var next: String?
}

public struct RelatedEntity: Codable, Sendable, Hashable {
    public var entity: EntityRef
    public var count: Int
}

public struct RelatedEntitiesResponse: Codable, Sendable {
    public var entity: EntityRef
    public var related: [RelatedEntity]
}

/// One link of a chain: through a document the caller may read, or through a pointer.
public struct ChainLinkView: Codable, Sendable, Hashable {
    public var from: EntityRef
    public var to: EntityRef
    /// `document` or `pointer`.
    public var via: String
    /// For `document`: `report` or `release`, and its id.
    public var documentKind: String?
    public var documentId: String?
    /// For `pointer`: the holder and a handle to ask for access.
    public var pointer: PointerView?
    /// Whose holding the link goes through: the document's originator, or the pointer's holder.
    public var holder: String?
}

public struct EntityChainsResponse: Codable, Sendable {
    public var from: EntityRef
    public var to: EntityRef
    public var length: Int
    public var chains: [[ChainLinkView]]
    public var truncated: Bool
}

public struct DiscoverabilityResponse: Codable, Sendable {
    public var reportId: String
    public var discoverability: String
    public var discoverableTo: [String]?
}

public struct CorroborationView: Codable, Sendable, Hashable {
    /// Other originators holding reports on this document's entities that the caller may know of.
    public var independentOriginators: Int
    public var originators: [String]
}

/// An access request as its requester or its holder sees it.
public struct AccessRequestView: Codable, Sendable {
    public var id: String
    public var requester: String
    public var requesterOrganization: String
    public var holder: String
    public var entity: EntityRef?
    public var justification: String
    public var status: String
    public var createdAt: String
    public var decidedBy: String?
    public var decidedAt: String?
    /// For the holder: the reports the request covers.
    public var reports: [String]?
    /// After a grant: the releases made (another organisation) or the reports granted (same organisation).
    public var releases: [String]?
    public var grantedReports: [String]?
}

public struct NotificationView: Codable, Sendable {
    public var id: String
    public var kind: String
    public var createdAt: String
    /// Pointer data only.
    public var detail: NotificationDetail
}

/// What a notification says. Correlations carry pointer data only.
public struct NotificationDetail: Codable, Sendable, Hashable {
    public var document: String?
    public var entity: EntityRef?
    public var pointers: [PointerView]?
    public var ownHits: Int?
    public var accessRequest: String?
    public var status: String?
    public var releases: [String]?
    public var grantedReports: [String]?
}
