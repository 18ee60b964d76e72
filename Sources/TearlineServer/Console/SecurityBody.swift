import Foundation
import TearlineCore

/// The security officer's page: the audit trail with filters, the chain's state, alerts,
/// throttled members with "lift", and access receipts for partners' handling of our releases.
struct SecurityBody: Sendable {
    struct Event: Sendable {
        let seq: Int64
        let at: String
        let actor: String
        let organization: String
        let action: String
        let object: String
        let decision: String
        let denied: Bool
        let reasons: String
    }

    struct Alert: Sendable {
        let kind: String
        let member: String
        let detail: String
        let date: String
    }

    struct Member: Sendable {
        let id: String
        let name: String
    }

    struct Count: Sendable {
        let action: String
        let count: Int
    }

    var member = ""
    var action = ""
    var object = ""
    var events: [Event] = []
    var hasEvents = false
    var next: String?
    var chain: ChainState?
    var chainIntact = false
    var chainBroken = false
    var chainUnavailable = false
    var alerts: [Alert] = []
    var hasAlerts = false
    var throttled: [Member] = []
    var hasThrottled = false
    var holders: [String] = []
    var holder = ""
    var receipts: AccessReceipts?
    var receiptCounts: [Count] = []
    var receiptEvents: [Event] = []
    var hasReceiptEvents = false

    static func event(_ e: AuditEventResponse) -> Event {
        Event(seq: e.seq, at: e.at, actor: e.actor ?? "—", organization: e.organization ?? "—", action: e.action, object: e.object ?? "",
              decision: e.decision, denied: e.decision == "deny", reasons: e.reasons.joined(separator: ", "))
    }

    mutating func show(_ page: AuditPage, filters: (member: String, action: String, object: String)) {
        (member, action, object) = filters
        events = page.items.map(Self.event)
        hasEvents = !events.isEmpty
        next = page.next.map { cursor in
            var components = URLComponents()
            components.path = "/security"
            components.queryItems = [URLQueryItem(name: "cursor", value: cursor)]
                + [("member", member), ("action", action), ("object", object)].filter { !$0.1.isEmpty }.map { URLQueryItem(name: $0.0, value: $0.1) }
            return components.string ?? "/security"
        }
    }

    mutating func show(_ chain: ChainState) {
        self.chain = chain
        chainUnavailable = !chain.available
        chainIntact = chain.available && chain.intact
        chainBroken = chain.available && !chain.intact
    }

    mutating func show(_ receipts: AccessReceipts) {
        self.receipts = receipts
        holder = receipts.holder
        receiptCounts = receipts.counts.sorted { $0.key < $1.key }.map { Count(action: $0.key, count: $0.value) }
        receiptEvents = receipts.events.map(Self.event)
        hasReceiptEvents = !receiptEvents.isEmpty
    }
}

/// Node administration: organisations, members and partnerships.
struct AdminBody: Sendable {
    struct Organization: Sendable {
        let id: String
        let name: String
        let kind: String
        let href: String
    }

    struct Partnership: Sendable {
        let id: String
        let organizations: String
        let kind: String
        let status: String
        let trust: String
    }

    struct MemberRow: Sendable {
        let id: String
        let name: String
        let roles: String
        let clearance: String
        let status: String
        let throttled: Bool
        let active: Bool
    }

    var nodeAdmin = false
    var organizations: [Organization] = []
    var partnerships: [Partnership] = []
    var organization: Organization?
    var members: [MemberRow] = []
    var hasMembers = false
    var errors: [String] = []
    var hasErrors = false
    /// A new member's token, shown once.
    var createdToken: String?
    var createdName: String?
}
