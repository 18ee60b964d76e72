import TearlineCore

public struct CreateOrganizationRequest: StrictDecodable {
    public var id: String
    public var name: String
    public var kind: String
    public init(id: String, name: String, kind: String) {
        self.id = id
        self.name = name
        self.kind = kind
    }
}

public struct CreateMemberRequest: StrictDecodable {
    public var name: String
    public var roles: [String]
    public var clearance: String
    public var compartments: [String]?
    public var topics: [String]?
    public var secondedTo: String?
    public init(name: String, roles: [String], clearance: String, compartments: [String]? = nil, topics: [String]? = nil, secondedTo: String? = nil) {
        self.name = name
        self.roles = roles
        self.clearance = clearance
        self.compartments = compartments
        self.topics = topics
        self.secondedTo = secondedTo
    }
}

public struct UpdateMemberRequest: StrictDecodable {
    public var status: String?
    public init(status: String?) { self.status = status }
}

public struct CreatePartnershipRequest: StrictDecodable {
    public var organizations: [String]
    public var kind: String
    public var dominant: String?
    public var trustLevel: String
    public var status: String?
    public init(organizations: [String], kind: String, dominant: String? = nil, trustLevel: String, status: String? = nil) {
        self.organizations = organizations
        self.kind = kind
        self.dominant = dominant
        self.trustLevel = trustLevel
        self.status = status
    }
}

/// A side changes its own stance: its trust in the other side, or its own suspension.
public struct UpdatePartnershipRequest: StrictDecodable {
    /// `suspended` suspends on the caller's side; `active` lifts the caller's side's suspension.
    public var status: String?
    /// The caller's side's trust in the other side.
    public var trustLevel: String?
    /// Why: kept in the partnership's trust history.
    public var reason: String?
    /// The side the node administrator acts for; members always act for their own organisation.
    public var side: String?
    public init(status: String? = nil, trustLevel: String? = nil, reason: String? = nil, side: String? = nil) {
        self.status = status
        self.trustLevel = trustLevel
        self.reason = reason
        self.side = side
    }
}

public struct PortionInput: Codable, Sendable {
    public var marking: String
    public var text: String
    public var sourcesAndMethods: Bool?
    public init(marking: String, text: String, sourcesAndMethods: Bool? = nil) {
        self.marking = marking
        self.text = text
        self.sourcesAndMethods = sourcesAndMethods
    }
}

public struct EntityInput: Codable, Sendable {
    public var type: String
    public var value: String
    public var portion: Int
    public init(type: String, value: String, portion: Int) {
        self.type = type
        self.value = value
        self.portion = portion
    }
}

public struct CreateReportRequest: StrictDecodable {
    public var title: String
    public var titleMarking: String
    public var sourceGrade: String
    public var topics: [String]
    public var portions: [PortionInput]
    public var entities: [EntityInput]?
    /// `none`, `own-organisation` (the default), `partners` or `all-partners`.
    public var discoverability: String?
    /// The partners, when `discoverability` is `partners`.
    public var discoverableTo: [String]?
    public init(title: String, titleMarking: String, sourceGrade: String, topics: [String], portions: [PortionInput], entities: [EntityInput]? = nil,
                discoverability: String? = nil, discoverableTo: [String]? = nil) {
        self.title = title
        self.titleMarking = titleMarking
        self.sourceGrade = sourceGrade
        self.topics = topics
        self.portions = portions
        self.entities = entities
        self.discoverability = discoverability
        self.discoverableTo = discoverableTo
    }
}

public struct CreateReleaseRequest: StrictDecodable {
    public var recipient: String
    /// The originator's explicit approval to include ORCON portions for this recipient.
    public var approveOrcon: Bool?
    /// A concession asked in return (story 3), owed by the recipient.
    public var terms: String?
    public init(recipient: String, approveOrcon: Bool? = nil, terms: String? = nil) {
        self.recipient = recipient
        self.approveOrcon = approveOrcon
        self.terms = terms
    }
}

public struct ForwardRequest: StrictDecodable {
    public var recipient: String
    public init(recipient: String) { self.recipient = recipient }
}

public struct ConsentDecisionRequest: StrictDecodable {
    public var decision: String
    public init(decision: String) { self.decision = decision }
}

public struct CreateGrantRequest: StrictDecodable {
    public var member: String
    public var report: String?
    public var release: String?
    public init(member: String, report: String? = nil, release: String? = nil) {
        self.member = member
        self.report = report
        self.release = release
    }
}

public struct TraceRequest: StrictDecodable {
    /// The leaked text, as found.
    public var text: String
    /// Show the best candidate of an inconclusive trace, marked weak (default false).
    public var showWeak: Bool?
    public init(text: String, showWeak: Bool? = nil) {
        self.text = text
        self.showWeak = showWeak
    }
}
