import Crypto
import Foundation
import TearlineCore
import TearlineStore

/// The operator's choices for a MISP import (see ``MISPImportPolicy`` for the marking policy).
public struct MISPImportInput: Sendable {
    public var organization: String
    public var classification: String
    public var defaultTLP: String
    public var community: [String]
    public var distribution: String
    /// The distribution level (0–4) of events that give none.
    public var missingDistribution: Int
    public var topics: [String]
    public var sourceGrade: String

    public init(organization: String, classification: String = "UNCLASSIFIED", defaultTLP: String = "AMBER", community: [String] = [],
                distribution: String = "strict", missingDistribution: Int = 0, topics: [String] = ["cti"], sourceGrade: String = "F6") {
        self.missingDistribution = missingDistribution
        self.organization = organization
        self.classification = classification
        self.defaultTLP = defaultTLP
        self.community = community
        self.distribution = distribution
        self.topics = topics
        self.sourceGrade = sourceGrade
    }
}

/// What a MISP import wrote.
public struct MISPImportResult: Codable, Sendable {
    public var organization: String
    /// The member the reports are written by: created for the import, suspended, with no usable token.
    public var author: String
    public var summary: MISPMappingSummary
}

extension ReportService {
    /// Imports MISP events as reports of `organization`, all or nothing: each event becomes a
    /// report (or several parts, past 254 portions or 900 entities), with its markings given by
    /// the policy, signed by the organisation and indexed. `progress` is called with the number
    /// of events written so far.
    public func importMISP(_ events: [MISPEvent], _ input: MISPImportInput, by caller: Caller,
                           progress: (@Sendable (Int) -> Void)? = nil) async throws -> MISPImportResult {
        guard case .nodeAdmin = caller else { throw ServiceError.forbidden("Only the node administrator imports.", reasons: .roleRequired) }
        try Validate.organizationId(input.organization, field: "org")
        for org in input.community { try Validate.organizationId(org, field: "community") }
        let classification = try Validate.clearance(input.classification)
        guard let tlp = TLPLevel.allCases.first(where: { $0.label == input.defaultTLP.uppercased().replacingOccurrences(of: "TLP:", with: "") }) else {
            throw ServiceError.badRequest("default-tlp \(input.defaultTLP) is not a TLP level (CLEAR, GREEN, AMBER, AMBER+STRICT, RED).")
        }
        guard let mode = MISPImportPolicy.DistributionMode(rawValue: input.distribution) else {
            throw ServiceError.badRequest("distribution \(input.distribution) is not a policy: strict or tlp-only.")
        }
        guard (0...4).contains(input.missingDistribution) else { throw ServiceError.badRequest("missing-distribution must be a MISP distribution level, 0 to 4.") }
        guard !input.topics.isEmpty else { throw ServiceError.badRequest("topics must name at least one topic (need-to-know is decided on topics).") }
        try Validate.topics(input.topics, field: "topics")
        let grade: SourceGrade
        do { grade = try SourceGrade(code: input.sourceGrade) } catch { throw ServiceError.badRequest("source-grade: \(error.description)") }
        guard !events.isEmpty else { throw ServiceError.badRequest("No MISP event to import.") }
        let now = now()
        let authorToken = APIToken.generate(random: random)
        // 1. What the mapping needs: the organisation, its signing key, the organisations known by id and name.
        let setting = try await lookup { s -> Result<(OrganizationRecord, [String: String]), ServiceError> in
            guard let org = try s.organization(id: input.organization) else { return .failure(.badRequest("no organisation \(input.organization); create it first.")) }
            var known: [String: String] = [:]
            for o in try s.organizations() {
                known[o.id.lowercased()] = o.id
                known[o.name.lowercased()] = o.id
            }
            for id in input.community where try s.organization(id: id) == nil {
                return .failure(.badRequest("community: \"\(id)\" is not an organisation on this node."))
            }
            return .success((org, known))
        }
        let org = setting.0
        let policy = MISPImportPolicy(organization: org.id, classification: classification, defaultTLP: tlp, community: input.community,
                                      mode: mode, missingDistribution: input.missingDistribution, knownOrganizations: setting.1)
        // why a member of its own: a report is written by a member; this one records that the
        // reports came from MISP, and cannot sign in (suspended, its token never shown).
        let author = MemberRecord(id: self.ids.make("mem"), organization: org.id, name: "MISP import", roles: [.analyst], clearance: classification,
                                  compartments: [], topics: input.topics, tokenHash: APIToken.hash(authorToken), status: .suspended,
                                  createdAt: now, createdBy: caller.actorId)
        // 2. Every event mapped, and its reports built, checked and signed, on every core, before anything is written.
        let (summaryDone, prepared) = try await Self.prepareImported(events, policy: policy, author: author, grade: grade, topics: input.topics, now: now,
                                                                     signingKey: try self.signingKey(for: org).rawRepresentation, ids: self.ids)
        // 3. One transaction writes them all, or nothing.
        return try await transact { s -> Result<MISPImportResult, ServiceError> in
            guard let current = try s.organization(id: org.id), current.sealedPrivateKey == org.sealedPrivateKey else {
                return .failure(.conflict("Nothing imported: organisation \(org.id) changed during the import; run it again."))
            }
            for id in input.community where try s.organization(id: id) == nil {
                return .failure(.badRequest("community: \"\(id)\" is not an organisation on this node."))
            }
            try s.insertMember(author)
            let circle = try EntityService.CorrelationCircle(s, organization: org.id)
            var written = 0
            for item in prepared {
                try s.insertReport(StoredReport(report: item.report, signature: item.signature), discoverability: item.discoverability)
                try self.entities.notifyCorrelations(s, newReport: item.report, discoverability: item.discoverability, now: now, circle: circle)
                try s.appendAudit(.by(caller, at: now, action: .reportCreate, object: item.report.id, decision: .allow,
                                      detail: "source=misp portions=\(item.report.portions.count)"))
                if item.firstPart {
                    written += 1
                    if written % 100 == 0 { progress?(written) }
                }
            }
            progress?(events.count)
            try s.appendAudit(.by(caller, at: now, action: .mispImport, object: author.id, concerns: org.id, decision: .allow,
                                  detail: "events=\(summaryDone.events) reports=\(summaryDone.reports) attributes=\(summaryDone.attributes) entities=\(summaryDone.entities)"))
            return .success(MISPImportResult(organization: org.id, author: author.id, summary: summaryDone))
        }
    }
}

/// A MISP event's report, built, checked and signed, waiting for the import's transaction.
struct ImportedReport: Sendable {
    var report: Report
    var signature: Data
    var discoverability: Discoverability
    /// Whether this is an event's first (or only) part: progress counts events.
    var firstPart: Bool
}

extension ReportService {
    /// Maps `events` and builds, checks and signs their reports on every core, in chunks of
    /// events; the result keeps the events' order. The first event (in order) that the mapping,
    /// the author rule or a limit refuses fails the whole import, before anything is written.
    static func prepareImported(_ events: [MISPEvent], policy: MISPImportPolicy, author: MemberRecord, grade: SourceGrade, topics: [String], now: Int64,
                                signingKey: Data, ids: IdentifierSource) async throws -> (MISPMappingSummary, [ImportedReport]) {
        // why active here: the member is suspended so that nobody signs in as it; what it writes
        // is still held to the author rule on its clearance.
        var writing = author
        writing.status = .active
        let writer = writing.reader
        typealias Part = Result<(MISPMappingSummary, [ImportedReport]), ServiceError>
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, events.count / 32))
        // why more chunks than cores: a chunk of large events should not leave a core idle at the end.
        let chunk = max(1, (events.count + workers * 4 - 1) / (workers * 4))
        let parts = try await withThrowingTaskGroup(of: (Int, Part).self) { group in
            for start in stride(from: 0, to: events.count, by: chunk) {
                let slice = events[start..<min(events.count, start + chunk)]
                group.addTask {
                    let key = try Curve25519.Signing.PrivateKey(rawRepresentation: signingKey)
                    var summary = MISPMappingSummary()
                    var out: [ImportedReport] = []
                    out.reserveCapacity(slice.count)
                    for event in slice {
                        let plans: [MISPReportPlan]
                        do throws(MISPFormatError) {
                            plans = try MISPMapping.reports(for: event, policy: policy, summary: &summary)
                        } catch {
                            return (start, .failure(.badRequest("Nothing imported: \(error.description)")))
                        }
                        for plan in plans {
                            switch try prepareImported(plan, writer: writer, authorId: author.id, organization: author.organization,
                                                       grade: grade, topics: topics, now: now, key: key, ids: ids) {
                            case .success(let item): out.append(item)
                            case .failure(let error): return (start, .failure(error))
                            }
                        }
                    }
                    return (start, .success((summary, out)))
                }
            }
            var byStart: [Int: Part] = [:]
            for try await (start, part) in group { byStart[start] = part }
            return byStart.sorted { $0.key < $1.key }.map(\.value)
        }
        var summary = MISPMappingSummary()
        var all: [ImportedReport] = []
        all.reserveCapacity(events.count)
        for part in parts {
            let (partSummary, reports) = try part.get()
            summary.merge(partSummary)
            all += reports
        }
        return (summary, all)
    }

    private static func prepareImported(_ plan: MISPReportPlan, writer: Reader, authorId: String, organization: String, grade: SourceGrade,
                                        topics: [String], now: Int64, key: Curve25519.Signing.PrivateKey,
                                        ids: IdentifierSource) throws -> Result<ImportedReport, ServiceError> {
        // why: the author rule holds for imports too; and a portion or title the API would refuse is refused here.
        var reasons = DenialReasons()
        for marking in [plan.titleMarking] + plan.portions.map(\.marking) {
            reasons.formUnion(DecisionRule.author(writer, marking: marking).reasons)
        }
        guard reasons.isEmpty else {
            return .failure(.badRequest("Nothing imported: event \(plan.eventUUID) would be marked above the import's classification."))
        }
        let mentions: [EntityMention]
        do throws(ServiceError) {
            try Validate.text(plan.title, field: "event \(plan.eventUUID): info", max: ReportLimits.titleBytes)
            for p in plan.portions { try Validate.text(p.text, field: "event \(plan.eventUUID): portion \(p.index)", max: ReportLimits.portionBytes) }
            mentions = try entityMentions(plan.entities.map { EntityInput(type: $0.type, value: $0.value, portion: $0.portion) }, portions: plan.portions)
        } catch {
            return .failure(error)
        }
        let report = Report(id: ids.make("rpt"), originator: organization, title: plan.title, titleMarking: plan.titleMarking, sourceGrade: grade,
                            topics: topics, entities: mentions, portions: plan.portions, createdBy: authorId, createdAt: now)
        let signature = try ContentSignature.sign(CanonicalContent.report(report), with: key)
        return .success(ImportedReport(report: report, signature: signature, discoverability: plan.discoverability, firstPart: plan.part == 1))
    }
}
