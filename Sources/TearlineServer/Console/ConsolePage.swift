import Foundation
import TearlineCore

/// What every console page carries around its body: its title, the banner rolled up from what
/// it shows (top and bottom), and who is signed in.
struct ConsolePage<Body: Sendable>: Sendable {
    let title: String
    let banner: BannerStyle?
    let session: ConsoleSessionView?
    let body: Body
    /// The navigation entry of this page, for `aria-current`.
    var current: ConsoleNav? = nil
}

/// Who is signed in, as the page header shows it, with the CSRF token its forms carry.
struct ConsoleSessionView: Sendable {
    let name: String
    let organization: String?
    let roles: String
    let csrf: String
    let nodeAdmin: Bool
    /// Which sections the navigation offers (each page still asks its service).
    let member: Bool
    let security: Bool
    let administers: Bool

    init(caller: Caller, session: String) {
        switch caller {
        case .nodeAdmin:
            name = "Node administrator"
            organization = nil
            roles = "node admin"
            nodeAdmin = true
            member = false
            security = true
            administers = true
        case .member(let m):
            let member = m
            name = member.name
            organization = member.organization
            roles = member.roles.map(\.rawValue).joined(separator: ", ")
            nodeAdmin = false
            self.member = true
            security = member.may(.investigate)
            administers = member.may(.administer)
        }
        csrf = MemberService.csrfToken(session: session)
    }
}

/// The console's sections, in the order of its navigation; the current one is marked.
struct ConsoleNav: Sendable {
    var inbox = false
    var holdings = false
    var compose = false
    var consent = false
    var search = false
    var access = false
    var partners = false
    var security = false
    var admin = false

    static let inbox = ConsoleNav(inbox: true)
    static let holdings = ConsoleNav(holdings: true)
    static let compose = ConsoleNav(compose: true)
    static let consent = ConsoleNav(consent: true)
    static let search = ConsoleNav(search: true)
    static let access = ConsoleNav(access: true)
    static let partners = ConsoleNav(partners: true)
    static let security = ConsoleNav(security: true)
    static let admin = ConsoleNav(admin: true)
}

/// A page that only says something: an error, a refusal, a restriction.
struct MessageBody: Sendable {
    let heading: String
    let message: String
    /// Denial reasons, as stable codes.
    let reasons: [String]
    let signOut: Bool
    /// Stored, not computed: templates see stored properties only.
    let hasReasons: Bool

    init(heading: String, message: String, reasons: [String], signOut: Bool) {
        self.heading = heading
        self.message = message
        self.reasons = reasons
        self.signOut = signOut
        hasReasons = !reasons.isEmpty
    }
}

/// One choice of a `<select>`, and whether it is the chosen one.
struct ConsoleOption: Sendable {
    let value: String
    let selected: Bool
}
