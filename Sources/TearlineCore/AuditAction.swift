/// Every kind of access event the audit log records. The raw value is the stable name stored in
/// the log and shown in the API (`GET /v1/audit?action=`); a shipped name never changes.
///
/// why: the design logs every read, search, export, release, forward, denial and throttle; one
/// closed list keeps the names from drifting between the code that writes them, the queries that
/// read them and the documentation.
public enum AuditAction: String, Sendable, Hashable, CaseIterable, Codable {
    // access-request
    case accessRequestCreate = "access-request.create"
    case accessRequestDeny = "access-request.deny"
    case accessRequestGrant = "access-request.grant"
    case accessRequestList = "access-request.list"
    case accessRequestRead = "access-request.read"
    // alert
    case alertRead = "alert.read"
    // audit
    case auditRead = "audit.read"
    case auditVerify = "audit.verify"
    // auth
    case authDenied = "auth.denied"
    // consent
    case consentDecide = "consent.decide"
    case consentRequest = "consent.request"
    // discovery (private discovery between partner nodes)
    case discoveryBudget = "discovery.budget"
    case discoveryEvaluate = "discovery.evaluate"
    case discoveryPublish = "discovery.publish"
    case discoveryRefused = "discovery.refused"
    case discoveryRotate = "discovery.rotate"
    case discoverySet = "discovery.set"
    // entity
    case entityChains = "entity.chains"
    case entityPartnerSearch = "entity.partner-search"
    case entityRelated = "entity.related"
    case entitySearch = "entity.search"
    // federation
    case federationConsent = "federation.consent"
    case federationExchange = "federation.exchange"
    case federationPartnership = "federation.partnership"
    case federationPeer = "federation.peer"
    case federationPull = "federation.pull"
    case federationReceive = "federation.receive"
    case federationRefused = "federation.refused"
    case federationRequestRefused = "federation.request-refused"
    case federationRevoke = "federation.revoke"
    // feedback
    case feedbackList = "feedback.list"
    // grant
    case grantCreate = "grant.create"
    // medallion
    case medallionImport = "medallion.import"
    case mispImport = "misp.import"
    // member
    case memberCreate = "member.create"
    case memberPassword = "member.password"
    case memberThrottle = "member.throttle"
    case memberUnthrottle = "member.unthrottle"
    case memberUpdate = "member.update"
    // node-admin
    case nodeAdminCreate = "node-admin.create"
    // notification
    case notificationList = "notification.list"
    // organization
    case organizationBreachPolicy = "organization.breach-policy"
    case organizationCreate = "organization.create"
    case organizationInterests = "organization.interests"
    // partnership
    case partnershipBreach = "partnership.breach"
    case partnershipCreate = "partnership.create"
    case partnershipHistory = "partnership.history"
    case partnershipUpdate = "partnership.update"
    case partnershipWhatIf = "partnership.what-if"
    // receipts
    case receiptsRead = "receipts.read"
    // release
    case releaseCreate = "release.create"
    case releaseExport = "release.export"
    case releaseFeedback = "release.feedback"
    case releaseFeedbackList = "release.feedback.list"
    case releaseForward = "release.forward"
    case releaseList = "release.list"
    case releasePreview = "release.preview"
    case releaseRead = "release.read"
    case releaseRevoke = "release.revoke"
    case releaseVerify = "release.verify"
    // report
    case reportCreate = "report.create"
    case reportDiscoverability = "report.discoverability"
    case reportExport = "report.export"
    case reportList = "report.list"
    case reportRead = "report.read"
    case reportVerify = "report.verify"
    // request
    case requestRefused = "request.refused"
    // rfi
    case rfiAnswer = "rfi.answer"
    case rfiCreate = "rfi.create"
    // session (the console)
    case sessionCreate = "session.create"
    case sessionEnd = "session.end"
    // stix
    case stixImport = "stix.import"
    // taxii
    case taxiiApiRoot = "taxii.api-root"
    case taxiiCollection = "taxii.collection"
    case taxiiCollectionCreate = "taxii.collection.create"
    case taxiiCollections = "taxii.collections"
    case taxiiDefaultRoot = "taxii.default-root"
    case taxiiDiscovery = "taxii.discovery"
    case taxiiManifest = "taxii.manifest"
    case taxiiObjectDelete = "taxii.object.delete"
    case taxiiObjectRead = "taxii.object.read"
    case taxiiObjectsAdd = "taxii.objects.add"
    case taxiiObjectsList = "taxii.objects.list"
    case taxiiStatus = "taxii.status"
    case taxiiVersions = "taxii.versions"
    // term
    case termUpdate = "term.update"
    // trace
    case trace = "trace"

    /// The actions that serve a copy of a document's text to a member: the fingerprinted copies a
    /// leak trace considers.
    public static let servingCopies: [AuditAction] = [.reportRead, .reportExport, .releaseRead, .releaseExport]
}
