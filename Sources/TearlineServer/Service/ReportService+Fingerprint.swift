import Crypto
import Foundation
import TearlineCore
import TearlineStore

extension ReportService {
    /// The secret behind every copy's canary fingerprint, derived from the master key.
    var canaryKey: SymmetricKey { SymmetricKey(data: canaryKeyBytes) }

    /// Fingerprints the text of a view served to `member`: each portion and the title spell,
    /// through choices among equivalent forms, who was served which document.
    ///
    /// why: story 7 — a copy that leaks names its recipient, even re-typed without invisible characters.
    func fingerprinted(_ view: DocumentView, member: String) -> DocumentView {
        let marker = Canary.marker(key: canaryKey, document: view.id, recipient: member)
        var view = view
        view.title = view.title.map { marker.mark($0) }
        for i in view.portions.indices { view.portions[i].text = marker.mark(view.portions[i].text) }
        return view
    }

    /// A report as plain text, fingerprinted for the caller: what an analyst prints or pastes.
    public func exportReport(id: String, token: String) async throws -> String {
        let now = now()
        let hash = APIToken.hash(token)
        return try await lookup { s in
            guard let caller = try self.caller(s, tokenHash: hash, now: now, path: "/v1/reports/\(id)/export") else {
                return .failure(.unauthorized("The bearer token is not valid."))
            }
            if let refusal = try self.refuseRestricted(s, caller, action: .reportExport, object: id, now: now) { return .failure(refusal) }
            switch try self.reportAccess(s, id: id, caller: caller, now: now, action: .reportExport) {
            case .failure(let error): return .failure(error)
            case .success(let (stored, view, member)):
                if let refusal = try self.admitExport(s, member, caller: caller, now: now, action: .reportExport, object: id, concerns: nil) {
                    return .failure(refusal)
                }
                try s.appendAudit(.by(caller, at: now, action: .reportExport, object: id, decision: .allow,
                                      detail: view.auditDetail))
                let document = self.fingerprinted(DocumentView(report: stored.report, view: view, release: nil), member: member.id)
                return .success(PlainTextCopy.render(document))
            }
        }
    }

    /// A release as plain text, fingerprinted for the caller.
    public func exportRelease(id: String, token: String) async throws -> String {
        let now = now()
        let hash = APIToken.hash(token)
        return try await lookup { s in
            guard let caller = try self.caller(s, tokenHash: hash, now: now, path: "/v1/releases/\(id)/export") else {
                return .failure(.unauthorized("The bearer token is not valid."))
            }
            if let refusal = try self.refuseRestricted(s, caller, action: .releaseExport, object: id, now: now) { return .failure(refusal) }
            switch try releases.releaseView(s, id: id, caller: caller, now: now, action: .releaseExport) {
            case .failure(let error): return .failure(error)
            case .success(let (release, stored, view, member)):
                if let refusal = try self.admitExport(s, member, caller: caller, now: now, action: .releaseExport, object: id,
                                                      concerns: release.originator) {
                    return .failure(refusal)
                }
                try s.appendAudit(.by(caller, at: now, action: .releaseExport, object: id, concerns: release.originator, decision: .allow,
                                      detail: view.auditDetail))
                let document = self.fingerprinted(DocumentView(report: stored.report, view: view, release: release), member: member.id)
                return .success(PlainTextCopy.render(document))
            }
        }
    }

    /// An export counts as a read of the document and as an export.
    private func admitExport(_ s: any StoreSession, _ member: MemberRecord, caller: Caller, now: Int64, action: AuditAction, object: String,
                             concerns: String?) throws -> ServiceError? {
        if let kind = try throttle.admitRead(member.id, document: object, at: now) ?? throttle.admitExport(member.id, at: now) {
            return try refuseCrossing(kind, s, member, caller: caller, now: now, action: action, object: object, concerns: concerns)
        }
        return nil
    }
}

/// The plain-text form of a document: banner, title, portion-marked paragraphs, banner.
enum PlainTextCopy {
    static func render(_ d: DocumentView) -> String {
        var lines = [d.banner, ""]
        if let title = d.title { lines.append(title) }
        lines.append(d.kind == "release" ? "Release \(d.id) of report \(d.reportId) from \(d.originator) to \(d.recipient ?? "")" : "Report \(d.id) of \(d.originator)")
        lines.append("Source grade \(d.sourceGrade)")
        lines.append("")
        for p in d.portions {
            lines.append("\(p.marking) \(p.text)")
            lines.append("")
        }
        if d.withheldPortions > 0 { lines.append("[\(d.withheldPortions) portion(s) withheld]"); lines.append("") }
        lines.append(d.banner)
        return lines.joined(separator: "\n") + "\n"
    }
}
