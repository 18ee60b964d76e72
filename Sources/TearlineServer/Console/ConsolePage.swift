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

    init(caller: Caller, session: String) {
        switch caller {
        case .nodeAdmin:
            name = "Node administrator"
            organization = nil
            roles = "node admin"
            nodeAdmin = true
        case .member(let member):
            name = member.name
            organization = member.organization
            roles = member.roles.map(\.rawValue).joined(separator: ", ")
            nodeAdmin = false
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

    static let inbox = ConsoleNav(inbox: true)
    static let holdings = ConsoleNav(holdings: true)
    static let compose = ConsoleNav(compose: true)
    static let consent = ConsoleNav(consent: true)
    static let search = ConsoleNav(search: true)
    static let access = ConsoleNav(access: true)
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
