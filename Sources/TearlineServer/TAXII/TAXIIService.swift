import Foundation
import TearlineCore
import TearlineStore

/// TAXII 2.1 discovery, API roots and collections, and the member credentials HTTP Basic uses.
extension TAXIIService {
    /// Resolves HTTP Basic credentials to a member; `nil` (audited) when they do not match.
    public func authenticate(login: String, password: String, path: String) async throws -> Caller? {
        let now = now()
        let found = try await store.read { s -> (MemberCredentialRecord, MemberRecord)? in
            guard let credential = try s.credential(login: login), let member = try s.member(id: credential.member) else { return nil }
            return (credential, member)
        }
        guard let (credential, member) = found else {
            // why: spend the same slow hash on an unknown login, so timing does not tell which logins exist.
            _ = try await checkPassword(password, against: Self.decoyHash)
            try await members.auditUnauthenticated(path: path)
            return nil
        }
        let key = loginCache.key(login: login, password: password, storedHash: credential.passwordHash)
        if loginCache.member(for: key, now: now) == member.id { return .member(member) }
        guard try await checkPassword(password, against: credential.passwordHash) else {
            try await members.auditUnauthenticated(path: path)
            return nil
        }
        loginCache.remember(key, member: member.id, now: now)
        return .member(member)
    }

    /// Checks a password on the password pool, never on the shared cooperative threads; a full
    /// pool refuses at once as unavailable, with a time to retry after (the server is busy, not the client wrong).
    func checkPassword(_ password: String, against stored: String) async throws -> Bool {
        do {
            return try await passwordChecks.run { PasswordHash.verify(password, against: stored) }
        } catch is PasswordCheckPool.Busy {
            throw ServiceError(.unavailable, type: "password-checks-busy", title: "Service unavailable",
                               detail: "Too many password checks are under way; retry shortly, or use a bearer token.", retryAfter: 1)
        }
    }

    /// A fixed scrypt hash of a random password, for unknown logins.
    static let decoyHash = "scrypt:32768:8:1$decoydecoydecoy0$" + String(repeating: "0", count: 128)

    /// Sets a member's login and password (node admin, or an admin of the member's organisation).
    public func setPassword(member id: String, login: String, password: String, by caller: Caller) async throws -> MemberCredentialView {
        guard Self.isValidLogin(login) else {
            throw ServiceError.badRequest("login must be 1–64 characters without ':' or control characters.")
        }
        guard password.utf8.count >= 8, password.utf8.count <= 1024 else { throw ServiceError.badRequest("password must be 8 to 1,024 bytes long.") }
        let hash = try PasswordHash.make(password, random: random)
        let now = now()
        return try await transact { s in
            guard let member = try s.member(id: id) else { return .failure(.notFound("member")) }
            switch caller {
            case .nodeAdmin: break
            case .member(let m):
                guard m.organization == member.organization, m.roles.contains(.admin) else {
                    return try refuse(s, caller, at: now, .memberPassword, object: id, reasons: .roleRequired, answer: .notFound("member"))
                }
            }
            if let other = try s.credential(login: login), other.member != id {
                return .failure(.conflict("login \(login) is taken."))
            }
            try s.setCredential(MemberCredentialRecord(member: id, login: login, passwordHash: hash, updatedAt: now))
            try s.appendAudit(.by(caller, at: now, action: .memberPassword, object: id, concerns: member.organization, decision: .allow))
            return .success(MemberCredentialView(member: id, login: login))
        }
    }

    static func isValidLogin(_ login: String) -> Bool {
        !login.isEmpty && login.utf8.count <= 64 && !login.contains(":") && !login.unicodeScalars.contains { $0.properties.generalCategory == .control }
    }

    /// Makes an API root discovery's default (node admin); `tearline` restores Tearline's own.
    public func setDefaultApiRoot(_ name: String, by caller: Caller) async throws -> String {
        guard case .nodeAdmin = caller else { throw ServiceError.forbidden("Only the node administrator chooses the default API root.", reasons: .roleRequired) }
        let now = now()
        return try await transact { s -> Result<String, ServiceError> in
            guard try s.apiRoot(name: name) != nil else { return .failure(.badRequest("no API root \(name) on this node.")) }
            try s.setDefaultApiRoot(name)
            try s.appendAudit(.by(caller, at: now, action: .taxiiDefaultRoot, object: name, decision: .allow))
            return .success(name)
        }
    }

    /// Creates a community collection (node admin).
    public func createCollection(_ input: CreateCollectionInput, by caller: Caller) async throws -> TAXIICollectionView {
        guard case .nodeAdmin = caller else { throw ServiceError.forbidden("Only the node administrator creates collections.", reasons: .roleRequired) }
        try Validate.text(input.title, field: "title", max: 256)
        for org in input.readers + input.writers { try Validate.organizationId(org, field: "readers/writers") }
        try Validate.topics(input.topics, field: "topics")
        let marking = try Validate.marking(input.defaultMarking, field: "defaultMarking")
        if let id = input.id, UUID(uuidString: id) == nil { throw ServiceError.badRequest("id must be a UUID.") }
        let root = input.apiRoot ?? TAXIIRoots.defaultRoot
        let now = now()
        return try await transact { s in
            guard try s.apiRoot(name: root) != nil else { return .failure(.badRequest("no API root \(root).")) }
            for org in input.readers + input.writers where try s.organization(id: org) == nil {
                return .failure(.badRequest("no organisation \(org)."))
            }
            let id = input.id?.lowercased() ?? UUID().uuidString.lowercased()
            guard try s.collection(id: id) == nil else { return .failure(.conflict("collection \(id) exists.")) }
            let record = TAXIICollectionRecord(
                id: id, apiRoot: root, kind: .community, organization: nil, title: input.title, description: input.description ?? "",
                alias: input.alias, readers: SortedStrings.make(input.readers), writers: SortedStrings.make(input.writers),
                topics: SortedStrings.make(input.topics), defaultMarking: marking.banner, createdAt: now)
            try s.insertCollection(record)
            try s.appendAudit(.by(caller, at: now, action: .taxiiCollectionCreate, object: id, decision: .allow))
            return .success(TAXIICollectionView(record, access: TAXIIAccess(canRead: true, canWrite: true)))
        }
    }

    /// The discovery resource: the API roots the caller has any collection in, and the default.
    func taxiiDiscovery(by caller: Caller, base: String) async throws -> [UInt8] {
        let now = now()
        let (roots, defaultRoot) = try await lookup { s -> Result<([String], String), ServiceError> in
            var names = [TAXIIRoots.defaultRoot]
            if let member = caller.member {
                for root in try s.apiRoots() where root.name != TAXIIRoots.defaultRoot {
                    if try s.collections(apiRoot: root.name).contains(where: { TAXIIAccess($0, member: member).isVisible }) { names.append(root.name) }
                }
            }
            // why: the chosen default is named only to callers who see it; for the others it does
            // not exist, and Tearline's own root is their default.
            let chosen = try s.defaultApiRoot()
            let defaultRoot = chosen.flatMap { names.contains($0) ? $0 : nil } ?? TAXIIRoots.defaultRoot
            try s.appendAudit(.by(caller, at: now, action: .taxiiDiscovery, object: nil, decision: .allow))
            return .success((names, defaultRoot))
        }
        var w = JSONWriter(capacity: 512)
        w.raw("{")
        w.key("title", first: true); w.string("Tearline")
        w.key("description"); w.string("Intelligence sharing under the originator's rules: every object is served through the decision rule.")
        w.key("default"); w.string(base + "/" + defaultRoot + "/")
        w.key("api_roots"); w.strings(roots.map { base + "/" + $0 + "/" })
        w.raw("}")
        return w.bytes
    }

    /// An API root's information; not found for a root the caller has nothing in.
    func taxiiApiRoot(_ name: String, by caller: Caller) async throws -> [UInt8] {
        let now = now()
        let root = try await lookup { s -> Result<TAXIIApiRootRecord, ServiceError> in
            guard let root = try self.visibleRoot(s, name, caller: caller) else { return .failure(.notFound("API root")) }
            try s.appendAudit(.by(caller, at: now, action: .taxiiApiRoot, object: name, decision: .allow))
            return .success(root)
        }
        var w = JSONWriter(capacity: 256)
        w.raw("{")
        w.key("title", first: true); w.string(root.title)
        w.key("description"); w.string(root.description)
        w.key("versions"); w.strings([TAXIIMedia.taxii])
        w.key("max_content_length"); w.int(root.maxContentLength)
        w.raw("}")
        return w.bytes
    }

    func visibleRoot(_ s: any StoreSession, _ name: String, caller: Caller) throws -> TAXIIApiRootRecord? {
        guard let root = try s.apiRoot(name: name) else { return nil }
        if name == TAXIIRoots.defaultRoot { return root }
        guard let member = caller.member else { return nil }
        return try s.collections(apiRoot: name).contains(where: { TAXIIAccess($0, member: member).isVisible }) ? root : nil
    }

    /// The collections of a root the caller may read or write.
    func taxiiCollections(root name: String, by caller: Caller) async throws -> [UInt8] {
        let now = now()
        let views = try await lookup { s -> Result<[TAXIICollectionView], ServiceError> in
            guard try self.visibleRoot(s, name, caller: caller) != nil else { return .failure(.notFound("API root")) }
            guard let member = caller.member else { return .success([]) }
            let views = try s.collections(apiRoot: name).compactMap { c -> TAXIICollectionView? in
                let access = TAXIIAccess(c, member: member)
                return access.isVisible ? TAXIICollectionView(c, access: access) : nil
            }
            try s.appendAudit(.by(caller, at: now, action: .taxiiCollections, object: name, decision: .allow, detail: "results=\(views.count)"))
            return .success(views)
        }
        var w = JSONWriter(capacity: 1024)
        w.raw("{")
        if !views.isEmpty {
            w.key("collections", first: true); w.raw("[")
            for (i, v) in views.enumerated() {
                if i > 0 { w.raw(",") }
                v.write(to: &w)
            }
            w.raw("]")
        }
        w.raw("}")
        return w.bytes
    }

    /// One collection; not found when the caller may neither read nor write it.
    func taxiiCollection(root: String, id: String, by caller: Caller) async throws -> [UInt8] {
        let now = now()
        let view = try await lookup { s -> Result<TAXIICollectionView, ServiceError> in
            switch try self.visibleCollection(s, root: root, id: id, caller: caller, now: now, action: .taxiiCollection) {
            case .failure(let p): return .failure(p)
            case .success(let (c, access, _)):
                try s.appendAudit(.by(caller, at: now, action: .taxiiCollection, object: id, decision: .allow))
                return .success(TAXIICollectionView(c, access: access))
            }
        }
        var w = JSONWriter(capacity: 512)
        view.write(to: &w)
        return w.bytes
    }

    /// Loads a collection the caller may see; audits and answers not found otherwise.
    func visibleCollection(
        _ s: any StoreSession, root: String, id: String, caller: Caller, now: Int64, action: AuditAction
    ) throws -> Result<(TAXIICollectionRecord, TAXIIAccess, MemberRecord), ServiceError> {
        guard let member = caller.member else { return .failure(.notFound("collection")) }
        guard let c = try s.collection(id: id.lowercased()), c.apiRoot == root else {
            return try refuse(s, caller, at: now, action, object: id, reasons: .noAccessPath, answer: .notFound("collection"))
        }
        let access = TAXIIAccess(c, member: member)
        guard access.isVisible else {
            return try refuse(s, caller, at: now, action, object: id, reasons: .noAccessPath, countingAgainst: member, answer: .notFound("collection"))
        }
        return .success((c, access, member))
    }
}

enum TAXIIRoots {
    static let defaultRoot = "tearline"
    /// Path segments Tearline's own routes use, which no API root may take.
    static let reserved: Set<String> = ["v1", "taxii2", "healthz", "openapi.json"]
}

/// Input of ``TearlineService/createCollection(_:by:)``.
public struct CreateCollectionInput: Sendable {
    public var id: String?
    public var apiRoot: String?
    public var title: String
    public var description: String?
    public var alias: String?
    public var readers: [String]
    public var writers: [String]
    public var topics: [String]
    public var defaultMarking: String

    public init(id: String?, apiRoot: String?, title: String, description: String?, alias: String?, readers: [String], writers: [String],
                topics: [String], defaultMarking: String) {
        self.id = id
        self.apiRoot = apiRoot
        self.title = title
        self.description = description
        self.alias = alias
        self.readers = readers
        self.writers = writers
        self.topics = topics
        self.defaultMarking = defaultMarking
    }
}

public struct MemberCredentialView: Codable, Sendable {
    public var member: String
    public var login: String
}

/// The TAXII collection resource.
public struct TAXIICollectionView: Codable, Sendable {
    public var id: String
    public var title: String
    public var description: String
    public var alias: String?
    public var canRead: Bool
    public var canWrite: Bool
    public var mediaTypes: [String]

    init(_ c: TAXIICollectionRecord, access: TAXIIAccess) {
        id = c.id
        title = c.title
        description = c.description
        alias = c.alias
        canRead = access.canRead
        canWrite = access.canWrite
        mediaTypes = ["application/stix+json;version=2.1"]
    }

    enum CodingKeys: String, CodingKey {
        case id, title, description, alias
        case canRead = "can_read"
        case canWrite = "can_write"
        case mediaTypes = "media_types"
    }

    func write(to w: inout JSONWriter) {
        w.raw("{")
        w.key("id", first: true); w.string(id)
        w.key("title"); w.string(title)
        if !description.isEmpty { w.key("description"); w.string(description) }
        if let alias { w.key("alias"); w.string(alias) }
        w.key("can_read"); w.bool(canRead)
        w.key("can_write"); w.bool(canWrite)
        w.key("media_types"); w.strings(mediaTypes)
        w.raw("}")
    }
}
