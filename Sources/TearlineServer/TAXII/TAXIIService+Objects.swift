import Foundation
import TearlineCore
import TearlineStore

/// A TAXII response body with the dates of the first and last object it carries (for the
/// `X-TAXII-Date-Added-First` and `-Last` headers).
struct TAXIIBody: Sendable {
    var bytes: [UInt8]
    var firstAdded: Int64?
    var lastAdded: Int64?
}

/// Objects, object, manifest and versions endpoints: every object served passes the decision rule.
extension TAXIIService {
    static let stixMediaType = "application/stix+json;version=2.1"

    /// The readable objects of a collection, one page: the envelope resource.
    func taxiiObjects(root: String, collection id: String, objectId: String? = nil, filter input: TAXIIFilter, by caller: Caller) async throws -> TAXIIBody {
        let now = now()
        var query = input
        if let objectId { query.ids = [objectId] }
        let filter = query
        let action = objectId == nil ? AuditAction.taxiiObjectsList : AuditAction.taxiiObjectRead
        return try await lookup { s -> Result<TAXIIBody, ServiceError> in
            switch try self.readableCollection(s, root: root, id: id, caller: caller, now: now, action: action) {
            case .failure(let p): return .failure(p)
            case .success(let (c, access, member)):
                var (items, more, withheld) = try self.readablePage(s, collection: c, access: access, member: member, filter: filter)
                if let objectId, items.isEmpty, try !self.readableObjectExists(s, collection: c, access: access, member: member, objectId: objectId) {
                    return try refuse(s, caller, at: now, action, object: objectId, concerns: c.id, reasons: .noAccessPath, countingAgainst: member,
                                      answer: .notFound("object"))
                }
                if let kind = objectId == nil
                    ? try self.throttle.admitResults(member.id, count: items.count, at: now)
                    : try self.throttle.admitRead(member.id, document: "taxii:" + objectId!, at: now) {
                    return .failure(try self.refuseCrossing(kind, s, member, caller: caller, now: now, action: action, object: objectId ?? c.id))
                }
                if let refused = try self.renderGenerated(s, &items, kind: c.kind, member: member, caller: caller, now: now) { return .failure(refused) }
                try s.appendAudit(.by(caller, at: now, action: action, object: objectId ?? c.id, concerns: objectId == nil ? nil : c.id, decision: .allow,
                                      detail: "collection=\(c.id) results=\(items.count) withheld=\(withheld)"))
                var w = JSONWriter(capacity: 256 + items.reduce(0) { $0 + ($1.body?.count ?? 0) })
                w.raw("{")
                w.key("more", first: true); w.bool(more)
                if more, let last = items.last { w.key("next"); w.string(filter.nextToken(after: last.descriptor.position)) }
                w.key("objects"); w.raw("[")
                var first = true
                for item in items {
                    guard let body = item.body else { continue }
                    if !first { w.raw(",") }
                    first = false
                    w.append(body)
                }
                w.raw("]}")
                return .success(TAXIIBody(bytes: w.bytes, firstAdded: items.first?.descriptor.dateAdded, lastAdded: items.last?.descriptor.dateAdded))
            }
        }
    }

    /// The manifest of a collection (or the versions of one object): facts only, no content.
    func taxiiManifest(root: String, collection id: String, versionsOf objectId: String? = nil, filter input: TAXIIFilter, by caller: Caller) async throws -> TAXIIBody {
        let now = now()
        var query = input
        if let objectId { query.ids = [objectId] }
        let filter = query
        let action = objectId == nil ? AuditAction.taxiiManifest : AuditAction.taxiiVersions
        return try await lookup { s -> Result<TAXIIBody, ServiceError> in
            switch try self.readableCollection(s, root: root, id: id, caller: caller, now: now, action: action) {
            case .failure(let p): return .failure(p)
            case .success(let (c, access, member)):
                let (items, more, withheld) = try self.readablePage(s, collection: c, access: access, member: member, filter: filter)
                if let objectId, items.isEmpty, try !self.readableObjectExists(s, collection: c, access: access, member: member, objectId: objectId) {
                    return try refuse(s, caller, at: now, action, object: objectId, concerns: c.id, reasons: .noAccessPath, answer: .notFound("object"))
                }
                if let kind = try self.throttle.admitResults(member.id, count: items.count, at: now) {
                    return .failure(try self.refuseCrossing(kind, s, member, caller: caller, now: now, action: action, object: c.id))
                }
                try s.appendAudit(.by(caller, at: now, action: action, object: objectId ?? c.id, decision: .allow,
                                      detail: "collection=\(c.id) results=\(items.count) withheld=\(withheld)"))
                var w = JSONWriter(capacity: 128 + items.count * 160)
                w.raw("{")
                w.key("more", first: true); w.bool(more)
                if more, let last = items.last { w.key("next"); w.string(filter.nextToken(after: last.descriptor.position)) }
                if objectId == nil {
                    w.key("objects"); w.raw("[")
                    for (i, item) in items.enumerated() {
                        if i > 0 { w.raw(",") }
                        let d = item.descriptor
                        w.raw("{")
                        w.key("id", first: true); w.string(d.stixId)
                        w.key("date_added"); w.string(STIXTimestamp(microseconds: d.dateAdded).taxii)
                        w.key("version"); w.string(STIXObjectFacts.versionString(d.version))
                        w.key("media_type"); w.string(Self.stixMediaType)
                        w.raw("}")
                    }
                    w.raw("]")
                } else {
                    w.key("versions"); w.strings(items.map { STIXObjectFacts.versionString($0.descriptor.version) })
                }
                w.raw("}")
                return .success(TAXIIBody(bytes: w.bytes, firstAdded: items.first?.descriptor.dateAdded, lastAdded: items.last?.descriptor.dateAdded))
            }
        }
    }

    /// One page of what the member may read of a collection: stored and generated objects in
    /// collection order, and how many stored objects the rule withheld on the way.
    func readablePage(
        _ s: any StoreSession, collection c: TAXIICollectionRecord, access: TAXIIAccess, member: MemberRecord, filter: TAXIIFilter
    ) throws -> (items: [TAXIIItem], more: Bool, withheld: Int) {
        let decider = SharedReadDecider(session: s, member: member, collection: c, access: access)
        let generated = try generatedItems(s, collection: c, member: member, filter: filter)
        let pager = TAXIIPager(session: s, decider: decider, filter: filter, generated: generated, includeStored: c.kind != .received)
        let (items, more) = try pager.page(limit: filter.limit)
        return (items, more, decider.withheld)
    }

    /// Whether the member may read some version of an object, whatever the request's filters: a
    /// readable object that the filters exclude is an empty answer, not "not found" (as in medallion).
    func readableObjectExists(
        _ s: any StoreSession, collection c: TAXIICollectionRecord, access: TAXIIAccess, member: MemberRecord, objectId: String
    ) throws -> Bool {
        var any = TAXIIFilter()
        any.ids = [objectId]
        any.versions = [.all]
        any.limit = 1
        return try !readablePage(s, collection: c, access: access, member: member, filter: any).items.isEmpty
    }

    /// Loads a collection the caller may read: not found when it may not see it, denied when it may only write.
    func readableCollection(
        _ s: any StoreSession, root: String, id: String, caller: Caller, now: Int64, action: AuditAction
    ) throws -> Result<(TAXIICollectionRecord, TAXIIAccess, MemberRecord), ServiceError> {
        switch try visibleCollection(s, root: root, id: id, caller: caller, now: now, action: action) {
        case .failure(let p): return .failure(p)
        case .success(let (c, access, member)):
            if let refusal = try refuseIfThrottled(s, member, caller: caller, now: now, action: action, object: id) { return .failure(refusal) }
            guard access.canRead else {
                return try refuse(s, caller, at: now, action, object: id, reasons: .noAccessPath,
                                  answer: .forbidden("This collection takes objects from you but does not show them.", reasons: .noAccessPath))
            }
            return .success((c, access, member))
        }
    }

    /// Deletes an object (the matching versions) that the caller's organisation posted.
    func taxiiDelete(root: String, collection id: String, objectId: String, filter: TAXIIFilter, by caller: Caller) async throws {
        let now = now()
        _ = try await transact { s -> Result<Bool, ServiceError> in
            let action = AuditAction.taxiiObjectDelete
            switch try self.visibleCollection(s, root: root, id: id, caller: caller, now: now, action: action) {
            case .failure(let p): return .failure(p)
            case .success(let (c, access, member)):
                var all = filter
                all.ids = [objectId]
                all.limit = TAXIIFilter.maxLimit
                let (items, _, _) = try self.readablePage(s, collection: c, access: access, member: member, filter: all)
                guard !items.isEmpty else {
                    return try refuse(s, caller, at: now, action, object: objectId, concerns: c.id, reasons: .noAccessPath, answer: .notFound("object"))
                }
                guard access.canWrite, items.allSatisfy({ $0.document == nil }) else {
                    return try refuse(s, caller, at: now, action, object: objectId, concerns: c.id, reasons: .roleRequired,
                                      answer: .forbidden(items.contains { $0.document != nil }
                                                             ? "Reports and releases are managed through /v1 (revocation), not deleted over TAXII."
                                                             : "You may not delete from this collection.", reasons: .roleRequired))
                }
                // why: only the organisation whose holding it is may delete it, and only its own versions;
                // readers of others' versions may not, and others' versions (readable or not) stay.
                let own = try s.objects(TAXIIObjectQuery(collection: c.id, ids: [objectId], specVersions: filter.specVersions,
                                                         versions: filter.versions, owner: member.organization, limit: 1))
                guard let mine = own.first, CollectionRule.mayDelete(postedBy: mine.owner, organization: member.organization) else {
                    return try refuse(s, caller, at: now, action, object: objectId, concerns: c.id, reasons: .thirdPartyRule,
                                      answer: .forbidden("Only the organisation that posted an object deletes it.", reasons: .thirdPartyRule))
                }
                let count = try s.deleteObjects(collection: c.id, stixId: objectId, owner: member.organization, versions: filter.versions,
                                                specVersions: filter.specVersions)
                try s.appendAudit(.by(caller, at: now, action: action, object: objectId, concerns: c.id, decision: .allow, detail: "versions=\(count)"))
                return .success(true)
            }
        }
    }

    /// A status resource, for the member who made the request.
    func taxiiStatus(root: String, id: String, by caller: Caller) async throws -> [UInt8] {
        let now = now()
        let status = try await lookup { s -> Result<TAXIIStatusRecord, ServiceError> in
            guard let member = caller.member, let status = try s.status(id: id.lowercased()), status.apiRoot == root,
                  status.member == member.id || status.member == TAXIIStatusRecord.organizationOwner(member.organization) else {
                return try refuse(s, caller, at: now, .taxiiStatus, object: id, reasons: .noAccessPath, answer: .notFound("status"))
            }
            try s.appendAudit(.by(caller, at: now, action: .taxiiStatus, object: id, decision: .allow))
            return .success(status)
        }
        return Self.statusBytes(status)
    }

    static func statusBytes(_ st: TAXIIStatusRecord) -> [UInt8] {
        var w = JSONWriter(capacity: 256 + (st.successes.count + st.failures.count) * 96)
        w.raw("{")
        w.key("id", first: true); w.string(st.id)
        w.key("status"); w.string(st.pendings.isEmpty ? "complete" : "pending")
        w.key("request_timestamp"); w.string(STIXTimestamp(microseconds: st.requestTimestamp).taxii)
        w.key("total_count"); w.int(st.total)
        w.key("success_count"); w.int(st.successes.count)
        w.key("successes"); rawList(st.successes, &w)
        w.key("failure_count"); w.int(st.failures.count)
        w.key("failures"); rawList(st.failures, &w)
        w.key("pending_count"); w.int(st.pendings.count)
        w.key("pendings"); rawList(st.pendings, &w)
        w.raw("}")
        return w.bytes
    }

    private static func rawList(_ items: [String], _ w: inout JSONWriter) {
        w.raw("[")
        for (i, item) in items.enumerated() {
            if i > 0 { w.raw(",") }
            w.append(Array(item.utf8))
        }
        w.raw("]")
    }
}

extension JSONWriter {
    /// Appends JSON that is already well formed (a stored object).
    mutating func append(_ json: [UInt8]) {
        appendRaw(json)
    }
}
