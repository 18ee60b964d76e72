import Foundation
import Hummingbird
import TearlineCore
import TearlineStore

/// The console: server-rendered pages for the people who use the node, beside the API. Every
/// page calls the same services as the API, so the decision rule, the audit, the throttle and
/// fingerprinting apply exactly as over HTTP.
struct ConsoleController<Context: AuthenticatedRequestContext>: Sendable {
    let service: TearlineService
    let cookies: ConsoleCookies
    let policy: ConsoleSessionPolicy

    static var pageSize: Int { 25 }

    func register(on router: Router<Context>) {
        let open = router.group().add(middleware: ConsoleOriginMiddleware<Context>())
        open.get("/") { request, _ in
            guard let token = request.cookies[cookies.session]?.value, !token.isEmpty, token.utf8.count <= 256,
                  let caller = try await service.members.consoleCaller(session: token, policy: policy) else {
                return ConsoleResponse.redirect("/sign-in")
            }
            return ConsoleResponse.redirect(caller.member == nil ? "/admin" : "/inbox")
        }
        open.get("/sign-in") { request, _ in try signInPage(request) }
        open.post("/sign-in") { request, _ in try await signIn(request) }
        open.get("/static/:name") { _, context in
            let name = try context.parameters.require("name")
            guard let data = ConsoleTemplates.asset(name) else { return try message(404, "Not found", "No such page.", session: nil) }
            return ConsoleResponse.asset(data, type: name.hasSuffix(".css") ? "text/css; charset=utf-8" : "text/javascript; charset=utf-8")
        }
        // why a separate group: sign-out must work for a suspended or throttled member, whom the gate refuses everything else.
        let signedIn = router.group().add(middleware: ConsoleOriginMiddleware<Context>())
            .add(middleware: ConsoleSessionMiddleware<Context>(service: service, cookies: cookies, policy: policy, gated: false))
        signedIn.post("/sign-out") { request, context in try await signOut(request, context) }
        let pages = router.group().add(middleware: ConsoleOriginMiddleware<Context>())
            .add(middleware: ConsoleSessionMiddleware<Context>(service: service, cookies: cookies, policy: policy, gated: true))
        pages.get("/inbox") { request, context in try await page(context) { caller, session in try await inbox(request, caller, session) } }
        pages.get("/holdings") { request, context in try await page(context) { caller, session in try await holdings(request, caller, session) } }
        pages.get("/reports/:id") { _, context in
            try await page(context) { caller, session in
                try await document(try await service.reports.viewReport(id: try context.parameters.id(), by: caller), caller, session)
            }
        }
        pages.get("/releases/:id") { _, context in
            try await page(context) { caller, session in
                try await document(try await service.releases.viewRelease(id: try context.parameters.id(), by: caller), caller, session)
            }
        }
        pages.get("/compose") { request, context in
            try await page(context) { caller, session in
                let rows = request.uri.queryParameters.get("portions").flatMap { Int($0) } ?? ComposeBody.defaultRows
                return try render("compose", ConsolePage(title: "Compose a report", banner: nil, session: session, body: ComposeBody(rows: rows), current: .compose))
            }
        }
        pages.post("/compose") { request, context in
            try await page(context) { caller, session in try await compose(request, caller, session) }
        }
        pages.get("/reports/:id/release") { request, context in
            try await page(context) { caller, session in try await releasePage(request, try context.parameters.id(), caller, session) }
        }
        pages.post("/reports/:id/release") { request, context in
            try await page(context) { caller, session in try await release(request, try context.parameters.id(), caller, session) }
        }
        pages.post("/releases/:id/forward") { request, context in
            try await page(context) { caller, session in try await forward(request, try context.parameters.id(), caller, session) }
        }
        pages.get("/consent") { _, context in
            try await page(context) { caller, session in try await consent(caller, session) }
        }
        pages.post("/consent/:id") { request, context in
            try await page(context) { caller, session in try await decideConsent(request, try context.parameters.id(), caller, session) }
        }
        pages.get("/search") { _, context in
            try await page(context) { _, session in
                try render("search", ConsolePage(title: "Search", banner: nil, session: session, body: MessageAndSearch(search: SearchBody(), error: nil),
                                                 current: .search))
            }
        }
        // why POST: what an analyst looks for is itself sensitive; it stays out of URLs, history and logs.
        pages.post("/search") { request, context in
            try await page(context) { caller, session in try await search(request, caller, session) }
        }
        pages.post("/chains") { request, context in
            try await page(context) { caller, session in try await chains(request, caller, session) }
        }
        pages.get("/access") { _, context in
            try await page(context) { caller, session in try await access(caller, session) }
        }
        pages.post("/access-requests") { request, context in
            try await page(context) { caller, session in try await requestAccess(request, caller, session) }
        }
        pages.post("/access-requests/:id") { request, context in
            try await page(context) { caller, session in try await decideAccess(request, try context.parameters.id(), caller, session) }
        }
        pages.post("/releases/:id/feedback") { request, context in
            try await page(context) { caller, session in try await feedback(request, try context.parameters.id(), caller, session) }
        }
        pages.get("/partners") { _, context in
            try await page(context) { caller, session in try await partnersPage(caller, session) }
        }
        pages.get("/partners/:id") { request, context in
            try await page(context) { caller, session in try await partnerPage(request, try context.parameters.id(), caller, session) }
        }
        pages.post("/partners/:id/trust") { request, context in
            try await page(context) { caller, session in try await setTrust(request, try context.parameters.id(), caller, session) }
        }
        pages.get("/security") { request, context in
            try await page(context) { caller, session in try await securityPage(request, caller, session, chain: nil) }
        }
        pages.post("/security/verify") { request, context in
            try await page(context) { caller, session in
                let form = try await ConsoleForm.read(request)
                try checkCSRF(form, session)
                return try await securityPage(request, caller, session, chain: try await service.audit.verifyChain(by: caller))
            }
        }
        pages.post("/members/:id/lift-throttle") { request, context in
            try await page(context) { caller, session in
                let form = try await ConsoleForm.read(request)
                try checkCSRF(form, session)
                _ = try await service.audit.liftThrottle(member: try context.parameters.id(), by: caller)
                return ConsoleResponse.redirect("/security")
            }
        }
        pages.get("/admin") { _, context in
            try await page(context) { caller, session in try await adminPage(caller, session) }
        }
        pages.post("/admin/organizations") { request, context in
            try await page(context) { caller, session in try await createOrganization(request, caller, session) }
        }
        pages.post("/admin/partnerships") { request, context in
            try await page(context) { caller, session in try await createPartnership(request, caller, session) }
        }
        pages.get("/admin/organizations/:id") { _, context in
            try await page(context) { caller, session in try await organizationPage(try context.parameters.id(), caller, session) }
        }
        pages.post("/admin/organizations/:id/members") { request, context in
            try await page(context) { caller, session in try await createMember(request, try context.parameters.id(), caller, session) }
        }
        pages.post("/admin/members/:id") { request, context in
            try await page(context) { caller, session in try await setMemberStatus(request, try context.parameters.id(), caller, session) }
        }
    }

    // MARK: Signing in and out

    private func signInPage(_ request: Request, error: String? = nil, login: String = "", status: HTTPResponse.Status = .ok) throws -> Response {
        // why a cookie of its own: the sign-in form carries a token the browser also holds, so a
        // form posted from another site (without the SameSite=Strict cookie) is refused.
        let token = APIToken.generate(prefix: "tlc")
        let body = SignInBody(csrf: token, login: login, error: error)
        return ConsoleResponse.html(try ConsoleTemplates.render(ConsolePage(title: "Sign in", banner: nil, session: nil, body: body), template: "sign-in"),
                                    status: status, cookies: [cookies.set(cookies.signIn, token, maxAge: 3600)])
    }

    private func signIn(_ request: Request) async throws -> Response {
        let form: ConsoleForm
        do { form = try await ConsoleForm.read(request) } catch let error as ServiceError {
            return try signInPage(request, error: error.detail, status: .init(code: error.httpStatus))
        }
        guard let expected = request.cookies[cookies.signIn]?.value, let posted = form["csrf"], constantTimeEqual(expected, posted) else {
            return try signInPage(request, error: "The sign-in form had expired or came from elsewhere. Please try again.", status: .forbidden)
        }
        let path = request.uri.path
        var caller: Caller?
        var via = "token"
        do {
            if let token = form.trimmed("token") {
                if token.utf8.count <= 256 { caller = try await service.members.authenticate(token: token) }
                if caller == nil { try await service.members.auditUnauthenticated(path: path) }
            } else if let login = form.trimmed("login"), let password = form["password"], !password.isEmpty {
                via = "password"
                if TAXIIService.isValidLogin(login), password.utf8.count <= 1024 {
                    caller = try await service.taxii.authenticate(login: login, password: password, path: path)
                } else {
                    try await service.members.auditUnauthenticated(path: path)
                }
            } else {
                return try signInPage(request, error: "Give your login and password, or your API token.", login: form["login"] ?? "", status: .badRequest)
            }
        } catch let error as ServiceError {
            return try signInPage(request, error: error.detail, status: .init(code: error.httpStatus))
        }
        guard let caller else {
            return try signInPage(request, error: "The login, password or token is not valid.", login: form["login"] ?? "", status: .unauthorized)
        }
        let grant = try await service.members.openConsoleSession(for: caller, via: via, policy: policy)
        return ConsoleResponse.redirect(grant.caller.member == nil ? "/admin" : "/inbox", cookies: [
            cookies.set(cookies.session, grant.token, maxAge: policy.lifetime / 1000), cookies.clear(cookies.signIn),
        ])
    }

    private func signOut(_ request: Request, _ context: Context) async throws -> Response {
        guard let session = context.consoleSession else { return ConsoleResponse.redirect("/sign-in") }
        let form = try? await ConsoleForm.read(request)
        guard let posted = form?["csrf"], constantTimeEqual(MemberService.csrfToken(session: session), posted) else {
            return try message(403, "Refused", "This form had expired or came from elsewhere; nothing was done.", session: nil)
        }
        try await service.members.closeConsoleSession(session, everywhere: form?["everywhere"] == "on")
        return ConsoleResponse.redirect("/sign-in", cookies: [cookies.clear(cookies.session)])
    }

    // MARK: Pages

    private func inbox(_ request: Request, _ caller: Caller, _ session: ConsoleSessionView) async throws -> Response {
        let query = request.uri.queryParameters
        let filter = InboxFilter(originator: query.get("originator").flatMap { $0.isEmpty ? nil : $0 },
                                 topic: query.get("topic").flatMap { $0.isEmpty ? nil : $0.trimmingCharacters(in: .whitespaces) })
        let list = try await service.releases.inbox(by: caller, cursor: query.get("cursor"), limit: Self.pageSize, filter: filter)
        let partners = try await service.members.organizations(for: caller).map(\.id).filter { $0 != caller.organization }
        let body = InboxBody(list: list, partners: partners, filter: filter)
        let banner = BannerStyle.rolledUp(list.items.compactMap { try? Marking.parse($0.banner) })
        return try render("inbox", ConsolePage(title: "Inbox", banner: banner, session: session, body: body, current: .inbox))
    }

    private func holdings(_ request: Request, _ caller: Caller, _ session: ConsoleSessionView) async throws -> Response {
        let list = try await service.reports.listReports(by: caller, cursor: request.uri.queryParameters.get("cursor"), limit: Self.pageSize)
        let banner = BannerStyle.rolledUp(list.items.compactMap { try? Marking.parse($0.banner) })
        return try render("holdings", ConsolePage(title: "Holdings", banner: banner, session: session, body: HoldingsBody(list: list), current: .holdings))
    }

    private func document(_ document: DocumentView, _ caller: Caller, _ session: ConsoleSessionView) async throws -> Response {
        var body = DocumentBody(document)
        if document.kind == "report", caller.member?.may(.release) == true { body.releaseHref = "/reports/\(document.id)/release" }
        if document.kind == "release", document.recipient == caller.organization {
            body.forwardTargets = try await partners(of: caller).filter { $0 != document.originator }
            body.canForward = true
        }
        if document.kind == "release" {
            body.feedback = (try? await service.trust.feedback(releaseId: document.id, by: caller))?.map(DocumentBody.FeedbackItem.init) ?? []
            body.hasFeedback = !body.feedback.isEmpty
        }
        let title = "\(body.kind) \(document.id)"
        return try render("document", ConsolePage(title: title, banner: BannerStyle(text: document.banner), session: session, body: body))
    }

    private func compose(_ request: Request, _ caller: Caller, _ session: ConsoleSessionView) async throws -> Response {
        let form = try await ConsoleForm.read(request)
        try checkCSRF(form, session)
        var (body, input) = ComposeBody.read(form)
        if let input {
            do {
                let created = try await service.reports.createReport(input, by: caller)
                return ConsoleResponse.redirect("/reports/\(created.id)")
            } catch let error as ServiceError where error.kind == .invalidRequest || error.kind == .invalidMarking || error.kind == .denied || error.kind == .tooLarge {
                body.show(error)
                let status = HTTPResponse.Status(code: error.httpStatus)
                return try render("compose", ConsolePage(title: "Compose a report", banner: body.banner, session: session, body: body, current: .compose),
                                  status: status)
            }
        }
        return try render("compose", ConsolePage(title: "Compose a report", banner: body.banner, session: session, body: body, current: .compose),
                          status: .badRequest)
    }

    // MARK: Releasing, forwarding, consent

    private func partners(of caller: Caller) async throws -> [String] {
        try await service.members.organizations(for: caller).map(\.id).filter { $0 != caller.organization }
    }

    private func releasePage(_ request: Request, _ reportId: String, _ caller: Caller, _ session: ConsoleSessionView) async throws -> Response {
        let query = request.uri.queryParameters
        let approve = query.get("approveOrcon") == "on"
        let partners = try await partners(of: caller)
        var preview: ReleasePreview?
        if let recipient = query.get("recipient"), !recipient.isEmpty {
            preview = try await service.releases.previewRelease(reportId: reportId, to: recipient, approveOrcon: approve, by: caller)
        }
        let body = ReleaseBody(reportId: reportId, partners: partners, preview: preview, approveOrcon: approve)
        let banner = preview.map { BannerStyle(text: $0.original.banner) }
        return try render("release", ConsolePage(title: "Release report \(reportId)", banner: banner, session: session, body: body))
    }

    private func release(_ request: Request, _ reportId: String, _ caller: Caller, _ session: ConsoleSessionView) async throws -> Response {
        let form = try await ConsoleForm.read(request)
        try checkCSRF(form, session)
        guard let recipient = form.trimmed("recipient") else { throw ServiceError.badRequest("Pick the partner to release to.") }
        let approve = form["approveOrcon"] == "on"
        let terms = form.trimmed("terms")
        do {
            let made = try await service.releases.release(reportId: reportId, CreateReleaseRequest(recipient: recipient, approveOrcon: approve, terms: terms), by: caller)
            return ConsoleResponse.redirect("/releases/\(made.id)")
        } catch let error as ServiceError where error.kind == .denied || error.kind == .invalidRequest {
            // why the preview again: the releaser sees why nothing (or not this) may go, beside the original.
            let preview = try? await service.releases.previewRelease(reportId: reportId, to: recipient, approveOrcon: approve, by: caller)
            var body = ReleaseBody(reportId: reportId, partners: try await partners(of: caller), preview: preview, approveOrcon: approve, terms: terms ?? "")
            body.errors = [error.detail]
            body.hasErrors = true
            let banner = preview.map { BannerStyle(text: $0.original.banner) }
            return try render("release", ConsolePage(title: "Release report \(reportId)", banner: banner, session: session, body: body),
                              status: .init(code: error.httpStatus))
        }
    }

    private func forward(_ request: Request, _ releaseId: String, _ caller: Caller, _ session: ConsoleSessionView) async throws -> Response {
        let form = try await ConsoleForm.read(request)
        try checkCSRF(form, session)
        guard let recipient = form.trimmed("recipient") else { throw ServiceError.badRequest("Pick the organisation to pass the release to.") }
        do {
            try await service.releases.forward(releaseId: releaseId, ForwardRequest(recipient: recipient), by: caller)
        } catch let error as ServiceError where error.type == "third-party-rule" {
            let body = ForwardRefusalBody(releaseId: releaseId, message: error.detail, consentRequestId: error.extra["consentRequestId"],
                                          reasons: error.reasons.map { ReleaseBody.Reason(code: $0, words: DenialReasons.words(forCode: $0)) })
            return try render("forward-refused", ConsolePage(title: "Forward refused", banner: nil, session: session, body: body), status: .forbidden)
        }
    }

    private func consent(_ caller: Caller, _ session: ConsoleSessionView) async throws -> Response {
        let requests = try await service.releases.consentRequests(by: caller)
        let body = ConsentBody(requests, organization: caller.organization, mayDecide: caller.member?.may(.decide) ?? false)
        return try render("consent", ConsolePage(title: "Consent requests", banner: nil, session: session, body: body, current: .consent))
    }

    private func decideConsent(_ request: Request, _ id: String, _ caller: Caller, _ session: ConsoleSessionView) async throws -> Response {
        let form = try await ConsoleForm.read(request)
        try checkCSRF(form, session)
        guard let decision = form.trimmed("decision") else { throw ServiceError.badRequest("Grant or deny.") }
        _ = try await service.releases.decideConsent(id: id, ConsentDecisionRequest(decision: decision), by: caller)
        return ConsoleResponse.redirect("/consent")
    }

    // MARK: Search, access requests, feedback

    private func search(_ request: Request, _ caller: Caller, _ session: ConsoleSessionView) async throws -> Response {
        let form = try await ConsoleForm.read(request)
        try checkCSRF(form, session)
        let kind = form.trimmed("kind") ?? "person"
        var body = SearchBody(kind: kind)
        body.value = form["value"] ?? ""
        guard let value = form.trimmed("value") else { throw ServiceError.badRequest("Give the entity to search for.") }
        do {
            let result = try await service.entities.searchEntity(EntitySearchRequest(kind: kind, value: value), by: caller)
            let related = try await service.entities.relatedEntities(RelatedEntitiesRequest(kind: kind, value: value, limit: 50), by: caller)
            body.show(result, related: related)
        } catch let error as ServiceError where error.kind == .invalidRequest {
            return try render("search", ConsolePage(title: "Search", banner: nil, session: session,
                                                    body: MessageAndSearch(search: body, error: error.detail), current: .search), status: .badRequest)
        }
        let banner = BannerStyle.rolledUp(body.hits.flatMap { $0.portions.compactMap { try? Marking.parse($0.mark) } })
        return try render("search", ConsolePage(title: "Search", banner: banner, session: session, body: MessageAndSearch(search: body, error: nil), current: .search))
    }

    private func chains(_ request: Request, _ caller: Caller, _ session: ConsoleSessionView) async throws -> Response {
        let form = try await ConsoleForm.read(request)
        try checkCSRF(form, session)
        let kind = form.trimmed("kind") ?? "person", toKind = form.trimmed("toKind") ?? "person"
        var body = SearchBody(kind: kind, toKind: toKind)
        body.value = form["value"] ?? ""
        body.toValue = form["toValue"] ?? ""
        do {
            let result = try await service.entities.entityChains(
                EntityChainsRequest(from: EntityRef(kind: kind, value: form.trimmed("value") ?? ""), to: EntityRef(kind: toKind, value: form.trimmed("toValue") ?? "")),
                by: caller)
            body.show(result)
        } catch let error as ServiceError where error.kind == .invalidRequest {
            return try render("search", ConsolePage(title: "Search", banner: nil, session: session,
                                                    body: MessageAndSearch(search: body, error: error.detail), current: .search), status: .badRequest)
        }
        return try render("search", ConsolePage(title: "Search", banner: nil, session: session, body: MessageAndSearch(search: body, error: nil), current: .search))
    }

    private func access(_ caller: Caller, _ session: ConsoleSessionView) async throws -> Response {
        let mayOversee = caller.member?.may(.oversee) ?? false
        let incoming = mayOversee ? try await service.entities.accessRequests(incoming: true, by: caller, limit: 100) : []
        let outgoing = try await service.entities.accessRequests(incoming: false, by: caller, limit: 100)
        let body = AccessBody(incoming: incoming, outgoing: outgoing, mayDecide: caller.member?.may(.decide) ?? false)
        return try render("access", ConsolePage(title: "Access requests", banner: nil, session: session, body: body, current: .access))
    }

    private func requestAccess(_ request: Request, _ caller: Caller, _ session: ConsoleSessionView) async throws -> Response {
        let form = try await ConsoleForm.read(request)
        try checkCSRF(form, session)
        guard let handle = form.trimmed("handle") else { throw ServiceError.badRequest("The pointer is missing.") }
        guard let justification = form.trimmed("justification") else { throw ServiceError.badRequest("Say why you need access: the holder decides on it.") }
        _ = try await service.entities.requestAccess(AccessRequestInput(handle: handle, justification: justification), by: caller)
        return ConsoleResponse.redirect("/access")
    }

    private func decideAccess(_ request: Request, _ id: String, _ caller: Caller, _ session: ConsoleSessionView) async throws -> Response {
        let form = try await ConsoleForm.read(request)
        try checkCSRF(form, session)
        switch form.trimmed("decision") {
        case "grant": _ = try await service.entities.grantAccessRequest(id: id, AccessGrantInput(), by: caller)
        case "deny": _ = try await service.entities.denyAccessRequest(id: id, by: caller)
        default: throw ServiceError.badRequest("Grant or deny.")
        }
        return ConsoleResponse.redirect("/access")
    }

    private func feedback(_ request: Request, _ releaseId: String, _ caller: Caller, _ session: ConsoleSessionView) async throws -> Response {
        let form = try await ConsoleForm.read(request)
        try checkCSRF(form, session)
        guard let verdict = form.trimmed("verdict") else { throw ServiceError.badRequest("Choose a verdict.") }
        _ = try await service.trust.giveFeedback(releaseId: releaseId, FeedbackInput(verdict: verdict, note: form.trimmed("note")), by: caller)
        return ConsoleResponse.redirect("/releases/\(releaseId)")
    }

    // MARK: Partners

    private func ownOrganization(_ caller: Caller) throws -> String {
        guard let organization = caller.organization else {
            throw ServiceError.forbidden("This page belongs to members of an organisation.", reasons: .roleRequired)
        }
        return organization
    }

    private func partnersPage(_ caller: Caller, _ session: ConsoleSessionView) async throws -> Response {
        let rows = try await service.trust.partners(of: try ownOrganization(caller), by: caller)
        return try render("partners", ConsolePage(title: "Partners", banner: nil, session: session, body: PartnersBody(rows), current: .partners))
    }

    private func partnerRow(_ partner: String, _ caller: Caller) async throws -> PartnerRow {
        let rows = try await service.trust.partners(of: try ownOrganization(caller), by: caller)
        guard let row = rows.first(where: { $0.partner == partner }) else { throw ServiceError.notFound("partner") }
        return row
    }

    private func partnerPage(_ request: Request, _ partner: String, _ caller: Caller, _ session: ConsoleSessionView) async throws -> Response {
        let row = try await partnerRow(partner, caller)
        let series = try await service.trust.exchangeSeries(partner: partner, by: caller)
        var whatIf: WhatIfResponse?
        if let level = request.uri.queryParameters.get("trust"), !level.isEmpty {
            whatIf = try await service.trust.whatIf(partnership: row.partnership, trustLevel: level, by: caller)
        }
        var body = PartnerBody(row: row, series: series, whatIf: whatIf)
        body.rfis = try await service.trust.rfis(by: caller).filter { $0.requester == partner || $0.responder == partner }.map { r in
            PartnerBody.RFI(direction: r.requester == partner ? "\(partner) asks us" : "we ask \(partner)", question: r.question, status: r.status,
                            date: ConsoleDate.day(r.createdAt))
        }
        body.hasRFIs = !body.rfis.isEmpty
        return try render("partner", ConsolePage(title: "Partner \(partner)", banner: nil, session: session, body: body, current: .partners))
    }

    private func setTrust(_ request: Request, _ partner: String, _ caller: Caller, _ session: ConsoleSessionView) async throws -> Response {
        let form = try await ConsoleForm.read(request)
        try checkCSRF(form, session)
        guard let level = form.trimmed("trustLevel") else { throw ServiceError.badRequest("Choose a trust level.") }
        let row = try await partnerRow(partner, caller)
        _ = try await service.trust.updatePartnership(id: row.partnership, UpdatePartnershipRequest(trustLevel: level, reason: form.trimmed("reason")), by: caller)
        return ConsoleResponse.redirect("/partners/\(partner)")
    }

    // MARK: Security officer

    private func securityPage(_ request: Request, _ caller: Caller, _ session: ConsoleSessionView, chain: ChainState?) async throws -> Response {
        let params = request.uri.queryParameters
        let filters = (member: params.get("member") ?? "", action: params.get("action") ?? "", object: params.get("object") ?? "")
        var query = AuditQuery(limit: 50)
        query.actor = filters.member.isEmpty ? nil : filters.member
        query.action = filters.action.isEmpty ? nil : filters.action
        query.object = filters.object.isEmpty ? nil : filters.object
        query.newestFirst = params.get("cursor") == nil
        if let cursor = params.get("cursor") {
            guard let seq = Int64(cursor) else { throw ServiceError.badRequest("cursor is not valid.") }
            query.afterSeq = seq
            query.newestFirst = false
        }
        var body = SecurityBody()
        body.show(try await service.audit.audit(query, by: caller), filters: filters)
        if let chain { body.show(chain) }
        if let organization = caller.organization {
            body.alerts = try await service.audit.alerts(by: caller, openOnly: true, limit: 50).map {
                SecurityBody.Alert(kind: $0.kind, member: $0.member, detail: $0.detail, date: ConsoleDate.day($0.createdAt))
            }
            body.hasAlerts = !body.alerts.isEmpty
            body.throttled = try await service.members.members(of: organization, for: caller).filter(\.throttled)
                .map { SecurityBody.Member(id: $0.id, name: $0.name) }
            body.hasThrottled = !body.throttled.isEmpty
            body.holders = try await partners(of: caller)
            if let holder = params.get("holder"), !holder.isEmpty {
                body.show(try await service.audit.receipts(holder: holder, by: caller))
            }
        }
        return try render("security", ConsolePage(title: "Security", banner: nil, session: session, body: body, current: .security))
    }

    // MARK: Node administration

    private func adminPage(_ caller: Caller, _ session: ConsoleSessionView, errors: [String] = [], status: HTTPResponse.Status = .ok) async throws -> Response {
        var body = AdminBody()
        body.nodeAdmin = caller.member == nil
        guard body.nodeAdmin || caller.member?.may(.administer) == true else {
            throw ServiceError.forbidden("Node administration is for the node administrator and organisations' admins.", reasons: .roleRequired)
        }
        body.organizations = try await service.members.organizations(for: caller)
            .filter { body.nodeAdmin || $0.id == caller.organization }
            .map { AdminBody.Organization(id: $0.id, name: $0.name, kind: $0.kind, href: "/admin/organizations/\($0.id)") }
        body.partnerships = try await service.trust.partnerships(for: caller).map { p in
            AdminBody.Partnership(id: p.id, organizations: p.organizations.joined(separator: " – "), kind: p.kind, status: p.status,
                                  trust: p.trust.sorted { $0.key < $1.key }.map { "\($0.key) trusts at \($0.value)" }.joined(separator: "; "))
        }
        body.errors = errors
        body.hasErrors = !errors.isEmpty
        return try render("admin", ConsolePage(title: "Administration", banner: nil, session: session, body: body, current: .admin), status: status)
    }

    private func createOrganization(_ request: Request, _ caller: Caller, _ session: ConsoleSessionView) async throws -> Response {
        let form = try await ConsoleForm.read(request)
        try checkCSRF(form, session)
        do {
            _ = try await service.members.createOrganization(
                CreateOrganizationRequest(id: form.trimmed("id") ?? "", name: form.trimmed("name") ?? "", kind: form.trimmed("kind") ?? ""), by: caller)
        } catch let error as ServiceError where error.kind == .invalidRequest || error.kind == .conflict {
            return try await adminPage(caller, session, errors: [error.detail], status: .init(code: error.httpStatus))
        }
        return ConsoleResponse.redirect("/admin")
    }

    private func createPartnership(_ request: Request, _ caller: Caller, _ session: ConsoleSessionView) async throws -> Response {
        let form = try await ConsoleForm.read(request)
        try checkCSRF(form, session)
        let organizations = [form.trimmed("first") ?? "", form.trimmed("second") ?? ""]
        do {
            _ = try await service.trust.createPartnership(
                CreatePartnershipRequest(organizations: organizations, kind: form.trimmed("kind") ?? "peer", dominant: form.trimmed("dominant"),
                                         trustLevel: form.trimmed("trustLevel") ?? ""), by: caller)
        } catch let error as ServiceError where error.kind == .invalidRequest || error.kind == .conflict || error.kind == .notFound {
            return try await adminPage(caller, session, errors: [error.detail], status: .init(code: error.httpStatus))
        }
        return ConsoleResponse.redirect("/admin")
    }

    private func organizationPage(_ id: String, _ caller: Caller, _ session: ConsoleSessionView, created: CreatedMemberResponse? = nil,
                                  errors: [String] = [], status: HTTPResponse.Status = .ok) async throws -> Response {
        var body = AdminBody()
        body.nodeAdmin = caller.member == nil
        let organization = try await service.members.organization(id: id, for: caller)
        body.organization = AdminBody.Organization(id: organization.id, name: organization.name, kind: organization.kind, href: "/admin/organizations/\(id)")
        body.members = try await service.members.members(of: id, for: caller).map { m in
            AdminBody.MemberRow(id: m.id, name: m.name, roles: m.roles.joined(separator: ", "), clearance: m.clearance, status: m.status,
                                throttled: m.throttled, active: m.status == "active")
        }
        body.hasMembers = !body.members.isEmpty
        body.createdToken = created?.token
        body.createdName = created?.member.name
        body.errors = errors
        body.hasErrors = !errors.isEmpty
        return try render("organization", ConsolePage(title: "Organisation \(id)", banner: nil, session: session, body: body, current: .admin), status: status)
    }

    private func createMember(_ request: Request, _ organization: String, _ caller: Caller, _ session: ConsoleSessionView) async throws -> Response {
        let form = try await ConsoleForm.read(request)
        try checkCSRF(form, session)
        let list = { (name: String) in (form[name] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } }
        do {
            let created = try await service.members.createMember(in: organization, CreateMemberRequest(
                name: form.trimmed("name") ?? "", roles: list("roles"), clearance: form.trimmed("clearance") ?? "",
                compartments: list("compartments"), topics: list("topics"), secondedTo: form.trimmed("secondedTo")), by: caller)
            // why the page and not a redirect: the token is shown once, on this answer only (no-store), never again.
            return try await organizationPage(organization, caller, session, created: created, status: .created)
        } catch let error as ServiceError where error.kind == .invalidRequest || error.kind == .conflict {
            return try await organizationPage(organization, caller, session, errors: [error.detail], status: .init(code: error.httpStatus))
        }
    }

    private func setMemberStatus(_ request: Request, _ id: String, _ caller: Caller, _ session: ConsoleSessionView) async throws -> Response {
        let form = try await ConsoleForm.read(request)
        try checkCSRF(form, session)
        let updated = try await service.members.updateMember(id: id, UpdateMemberRequest(status: form.trimmed("status")), by: caller)
        return ConsoleResponse.redirect("/admin/organizations/\(updated.organization)")
    }

    // MARK: Helpers

    private func checkCSRF(_ form: ConsoleForm, _ session: ConsoleSessionView) throws {
        guard let posted = form["csrf"], constantTimeEqual(session.csrf, posted) else {
            throw ServiceError(.denied, type: "csrf", title: "Refused", detail: "This form had expired or came from elsewhere; nothing was done.")
        }
    }

    private func render<Body>(_ template: String, _ page: ConsolePage<Body>, status: HTTPResponse.Status = .ok) throws -> Response {
        ConsoleResponse.html(try ConsoleTemplates.render(page, template: template), status: status)
    }

    /// Runs a page for the signed-in caller; a refusal becomes a page that says why (and what the
    /// caller may not know exists stays a plain "not found").
    private func page(_ context: Context, _ body: (Caller, ConsoleSessionView) async throws -> Response) async throws -> Response {
        let caller = try context.requireCaller()
        guard let session = context.consoleSession else { return ConsoleResponse.redirect("/sign-in") }
        let view = ConsoleSessionView(caller: caller, session: session)
        do {
            return try await body(caller, view)
        } catch let error as ServiceError {
            return try message(error, session: view)
        } catch let error as StoreError {
            let problem = Problem(error)
            return try message(problem.status, problem.title, problem.detail, session: view)
        } catch let problem as Problem {
            return try message(problem.status, problem.title, problem.detail, session: view)
        }
    }

    private func message(_ error: ServiceError, session: ConsoleSessionView?) throws -> Response {
        try message(error.httpStatus, error.title, error.detail, reasons: error.reasons, session: session)
    }

    private func message(_ status: Int, _ heading: String, _ text: String, reasons: [String] = [], session: ConsoleSessionView?) throws -> Response {
        let body = MessageBody(heading: heading, message: text, reasons: reasons, signOut: false)
        return try render("message", ConsolePage(title: heading, banner: nil, session: session, body: body), status: .init(code: status))
    }
}

/// The sign-in page.
struct SignInBody: Sendable {
    let csrf: String
    let login: String
    let error: String?
}

/// Compares two secrets in time that does not depend on where they differ.
func constantTimeEqual(_ a: String, _ b: String) -> Bool {
    let x = Array(a.utf8), y = Array(b.utf8)
    guard x.count == y.count else { return false }
    var difference: UInt8 = 0
    for i in x.indices { difference |= x[i] ^ y[i] }
    return difference == 0
}
