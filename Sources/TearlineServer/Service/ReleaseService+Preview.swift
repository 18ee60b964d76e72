import Foundation
import TearlineCore
import TearlineStore

/// What a release would carry, before it is made: the original as the releaser reads it beside
/// the tearline copy the partner would receive, and each withheld portion's reasons.
public struct ReleasePreview: Codable, Sendable {
    public var reportId: String
    public var recipient: String
    /// The report as the releaser may read it (fingerprinted for the releaser, like any read).
    public var original: DocumentView
    /// The indexes of the portions that would go.
    public var portions: [Int]
    /// Whether the title would go.
    public var titleIncluded: Bool
    /// The banner of the copy, or `nil` when nothing may go.
    public var banner: String?
    /// Each portion that would be withheld, with its reasons (portions the releaser may not read
    /// themselves are withheld with their read reasons).
    public var withheld: [WithheldView]
    /// Portions withheld only because ORCON is not approved: approving ORCON would let them go.
    public var orconPending: [Int]
}

extension ReleaseService {
    /// Previews a release of a report to a partner: what the rule lets go and why the rest is
    /// withheld. Nothing is released; the preview is a read of the report (audited as
    /// `release.preview`, counted in the releaser's window) by a releaser of its originator.
    public func previewRelease(reportId: String, to recipient: String, approveOrcon: Bool, by caller: Caller) async throws -> ReleasePreview {
        try Validate.organizationId(recipient, field: "recipient")
        let now = now()
        return try await lookup { s in
            let access = try reports.reportAccess(s, id: reportId, caller: caller, now: now, action: .releasePreview)
            guard case .success(let (stored, view, member)) = access else {
                if case .failure(let error) = access { return .failure(error) }
                return .failure(.notFound("report"))
            }
            guard member.may(.release) else {
                return try refuse(s, caller, at: now, .releasePreview, object: reportId, concerns: recipient, reasons: .roleRequired,
                                  answer: .forbidden("Only a releaser of \(member.organization) releases its reports.", reasons: .roleRequired))
            }
            // why: an organisation the releaser may not know of is answered exactly as one that does not exist.
            guard try members.mayKnow(s, organization: recipient, from: member.organization) else {
                return try refuse(s, caller, at: now, .releasePreview, object: reportId, reasons: .noPartnership, detail: "recipient=\(recipient)",
                                  answer: .badRequest("recipient is not a partner of \(member.organization) on this node."))
            }
            if let kind = try throttle.admitRead(member.id, document: reportId, at: now) {
                return .failure(try refuseCrossing(kind, s, member, caller: caller, now: now, action: .releasePreview, object: reportId, concerns: recipient))
            }
            let partnership = try s.partnership(between: member.organization, and: recipient)
            let plan = Self.plan(stored.report, releaserView: view, candidates: nil, to: recipient,
                                 partnership: partnership?.terms(releasesFrom: member.organization), orconApproved: approveOrcon)
            try s.appendAudit(.by(caller, at: now, action: .releasePreview, object: reportId, concerns: recipient, decision: .allow,
                                  detail: "recipient=\(recipient) portions=\(plan.includedPortions.count) withheld=\(plan.withheld.count)"))
            let original = reports.fingerprinted(DocumentView(report: stored.report, view: view, release: nil), member: member.id)
            let pending = plan.withheld.filter { $0.reasons == .orconNotApproved }.map(\.index)
            return .success(ReleasePreview(
                reportId: reportId, recipient: recipient, original: original, portions: plan.includedPortions.map(\.index),
                titleIncluded: plan.titleIncluded, banner: plan.isEmpty ? nil : plan.banner?.banner,
                withheld: plan.withheld.map { WithheldView(index: $0.index, reasons: $0.reasons.codes) }, orconPending: pending))
        }
    }
}
