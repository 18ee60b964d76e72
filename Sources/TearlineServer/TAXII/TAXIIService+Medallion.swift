import Foundation
import TearlineCore
import TearlineStore

/// What a medallion migration brought over.
public struct MedallionImportResult: Codable, Sendable {
    public struct ImportedMember: Codable, Sendable {
        public var login: String
        public var member: String
        /// The member's API token, shown once (HTTP Basic keeps working with the old password).
        public var token: String
    }
    public var organization: String
    public var apiRoots: [String]
    public var collections: Int
    public var objects: Int
    /// Status resources brought over; any member of the organisation may read them (medallion
    /// did not record who posted).
    public var statuses: Int
    /// The API root discovery now names as the default (medallion's), or nil when Tearline's stays.
    public var defaultApiRoot: String?
    public var members: [ImportedMember]
}

extension TAXIIService {
    /// Migrates a medallion 3 memory-backend server: API roots (names, titles, descriptions),
    /// collections (ids, titles, descriptions, aliases, can_read/can_write), objects with their
    /// versions and `date_added`, and the users of its configuration with their passwords (stored
    /// as slow hashes). Everything becomes the holdings of `organization`, whose members the
    /// users become. All or nothing: one transaction, refused with the reasons if anything
    /// cannot be mapped (`unmappedMarking` gives objects whose markings the node cannot read a
    /// marking instead, e.g. `UNCLASSIFIED//TLP:RED`).
    /// Medallion's status resources come too, readable by the organisation's members; the root
    /// medallion's discovery named as its default becomes this node's, unless `keepDefault`.
    public func importMedallion(config: [UInt8], data: [UInt8], organization: String, clearance: String,
                                unmappedMarking: String?, keepDefault: Bool = false, by caller: Caller,
                                progress: (@Sendable (Int, Int) -> Void)? = nil) async throws -> MedallionImportResult {
        guard case .nodeAdmin = caller else { throw ServiceError.forbidden("Only the node administrator imports.", reasons: .roleRequired) }
        try Validate.organizationId(organization, field: "organization")
        let level = try Validate.clearance(clearance)
        let fallbackForUnmapped = try unmappedMarking.map { try Validate.marking($0, field: "unmapped-marking") }
        let configObject = try Self.jsonObject(config, what: "config")
        let dataObject = try Self.jsonObject(data, what: "data")
        var users: [(String, String)] = []
        if let table = configObject["users"]?.objectValue {
            for (name, value) in table.pairs {
                guard let password = value.stringValue else { throw ServiceError.badRequest("config: the password of user \(name) is not a string.") }
                guard Self.isValidLogin(name) else { throw ServiceError.badRequest("config: user name \(name) cannot be a login.") }
                users.append((name, password))
            }
        }
        // Hash before the transaction: scrypt is slow by design.
        let hashed = try users.map { (login: $0.0, hash: try PasswordHash.make($0.1, random: random)) }
        let plan = try MedallionPlan(data: dataObject, organization: organization, unmapped: fallbackForUnmapped)
        let nowMs = now()
        let tokens = hashed.map { _ in APIToken.generate(random: random) }
        return try await transact { s -> Result<MedallionImportResult, ServiceError> in
            guard try s.organization(id: organization) != nil else { return .failure(.badRequest("no organisation \(organization); create it first.")) }
            var written = 0
            for root in plan.roots {
                guard try s.apiRoot(name: root.record.name) == nil else { return .failure(.conflict("API root \(root.record.name) exists on this node.")) }
                try s.insertApiRoot(root.record)
                for c in root.collections {
                    guard try s.collection(id: c.record.id) == nil else { return .failure(.conflict("collection \(c.record.id) exists on this node.")) }
                    try s.insertCollection(c.record)
                    for o in c.objects {
                        _ = try s.insertObject(o)
                        written += 1
                        if written % 500 == 0 { progress?(written, plan.objectCount) }
                    }
                }
                for status in root.statuses {
                    guard try s.status(id: status.id) == nil else { return .failure(.conflict("status \(status.id) exists on this node.")) }
                    try s.insertStatus(status)
                }
            }
            progress?(plan.objectCount, plan.objectCount)
            let newDefault = keepDefault ? nil : plan.defaultRoot
            if let newDefault { try s.setDefaultApiRoot(newDefault) }
            var members: [MedallionImportResult.ImportedMember] = []
            for (i, user) in hashed.enumerated() {
                guard try s.credential(login: user.login) == nil else { return .failure(.conflict("login \(user.login) exists on this node.")) }
                let member = MemberRecord(id: self.ids.make("mem"), organization: organization, name: user.login, roles: [.analyst],
                                          clearance: level, compartments: [], topics: [], tokenHash: APIToken.hash(tokens[i]), createdAt: nowMs)
                try s.insertMember(member)
                try s.setCredential(MemberCredentialRecord(member: member.id, login: user.login, passwordHash: user.hash, updatedAt: nowMs))
                members.append(.init(login: user.login, member: member.id, token: tokens[i]))
            }
            try s.appendAudit(.by(caller, at: nowMs, action: .medallionImport, object: nil, concerns: organization, decision: .allow,
                                  detail: "roots=\(plan.roots.count) collections=\(plan.collectionCount) objects=\(plan.objectCount) statuses=\(plan.statusCount) users=\(members.count) default=\(newDefault ?? "-")"))
            return .success(MedallionImportResult(organization: organization, apiRoots: plan.roots.map(\.record.name),
                                                  collections: plan.collectionCount, objects: plan.objectCount, statuses: plan.statusCount,
                                                  defaultApiRoot: newDefault, members: members))
        }
    }

    static func jsonObject(_ bytes: [UInt8], what: String) throws -> JSONObject {
        do {
            guard let object = try JSONValue.parse(bytes).objectValue else { throw ServiceError.badRequest("\(what): expected a JSON object.") }
            return object
        } catch let error as JSONParseError {
            throw ServiceError.badRequest(StrictJSONError(error).message(root: what))
        }
    }
}

/// The medallion data file, checked and mapped before anything is written.
struct MedallionPlan {
    struct Collection {
        var record: TAXIICollectionRecord
        var objects: [TAXIIObjectRecord]
    }
    struct Root {
        var record: TAXIIApiRootRecord
        var collections: [Collection]
        var statuses: [TAXIIStatusRecord] = []
    }
    var roots: [Root] = []
    /// The imported root medallion's discovery named as its default.
    var defaultRoot: String?
    var statusCount: Int { roots.reduce(0) { $0 + $1.statuses.count } }
    var collectionCount: Int { roots.reduce(0) { $0 + $1.collections.count } }
    var objectCount: Int { roots.reduce(0) { $0 + $1.collections.reduce(0) { $0 + $1.objects.count } } }

    init(data: JSONObject, organization: String, unmapped: Marking?) throws {
        var refused: [String] = []
        for (name, value) in data.pairs where name != "/discovery" {
            guard Self.isRootName(name) else { throw ServiceError.badRequest("data: API root name \(name) cannot be served here (reserved or not a URL segment).") }
            guard let root = value.objectValue else { throw ServiceError.badRequest("data: API root \(name) is not an object.") }
            let info = root["information"]?.objectValue ?? JSONObject()
            let maxLength = min(info["max_content_length"]?.intValue ?? TAXIILimits.maxContentLength, TAXIILimits.maxContentLength)
            var mapped = Root(record: TAXIIApiRootRecord(name: name, title: info["title"]?.stringValue ?? name,
                                                         description: info["description"]?.stringValue ?? "", maxContentLength: maxLength, createdAt: Int64(roots.count)),
                              collections: [])
            for value in root["collections"]?.arrayValue ?? [] {
                guard let c = value.objectValue, let rawId = c["id"]?.stringValue, let id = UUID(uuidString: rawId)?.uuidString.lowercased() else {
                    throw ServiceError.badRequest("data: a collection of \(name) has no UUID id.")
                }
                let canRead = c["can_read"]?.boolValue ?? false
                let canWrite = c["can_write"]?.boolValue ?? false
                // why: createdAt keeps medallion's order. medallion's users all share one permission per collection; here they are one organisation's members.
                let record = TAXIICollectionRecord(
                    id: id, apiRoot: name, kind: .community, organization: nil, title: c["title"]?.stringValue ?? id,
                    description: c["description"]?.stringValue ?? "", alias: c["alias"]?.stringValue,
                    readers: canRead ? [organization] : [], writers: canWrite ? [organization] : [], topics: [],
                    defaultMarking: Marking.unclassified.banner, createdAt: Int64(mapped.collections.count))
                let objects = c["objects"]?.arrayValue ?? []
                var dates: [String: Int64] = [:]
                for entry in c["manifest"]?.arrayValue ?? [] {
                    guard let m = entry.objectValue, let oid = m["id"]?.stringValue, let version = m["version"]?.stringValue,
                          let added = m["date_added"]?.stringValue.flatMap(STIXTimestamp.init(parsing:)) else { continue }
                    dates[oid + "|" + version] = added.microseconds
                }
                var definitions: [String: JSONObject] = [:]
                for object in objects {
                    if let o = object.objectValue, o["type"]?.stringValue == "marking-definition", let mid = o["id"]?.stringValue { definitions[mid] = o }
                }
                var stored: [TAXIIObjectRecord] = []
                for value in objects {
                    var cleaned = value
                    var addedHidden: Int64?
                    if var o = value.objectValue {
                        // medallion keeps the date of objects without created/modified in a hidden field.
                        addedHidden = o["_date_added"]?.stringValue.flatMap(STIXTimestamp.init(parsing:))?.microseconds
                        o["_date_added"] = nil
                        o["__meta"] = nil
                        cleaned = .object(o)
                    }
                    var outcome = TAXIIService.admit(cleaned, definitions: definitions, fallback: record.defaultMarking.isEmpty ? nil : .unclassified, reader: nil,
                                                     stix20: true)
                    if case .failure(let r) = outcome, r.message.hasPrefix("Markings:"), let unmapped {
                        outcome = TAXIIService.admit(cleaned, definitions: definitions, fallback: unmapped, reader: nil, forceMarking: unmapped, stix20: true)
                    }
                    switch outcome {
                    case .failure(let r):
                        refused.append("\(name)/\(id)/\(r.id ?? "?"): \(r.message)")
                    case .success(let a):
                        let versionText = cleaned.objectValue?["modified"]?.stringValue ?? cleaned.objectValue?["created"]?.stringValue
                        let added = versionText.flatMap { dates[a.id + "|" + $0] } ?? addedHidden ?? dates.first { $0.key.hasPrefix(a.id + "|") }?.value ?? 0
                        let version = a.version == 0 ? (addedHidden ?? added) : a.version
                        stored.append(TAXIIObjectRecord(collection: id, stixId: a.id, type: a.type, version: version, specVersion: a.specVersion,
                                                        dateAdded: added, owner: organization, postedBy: nil, marking: a.marking.banner, body: Data(a.json)))
                    }
                }
                mapped.collections.append(Collection(record: record, objects: stored))
            }
            mapped.statuses = try Self.statuses(root["status"], root: name, organization: organization)
            roots.append(mapped)
        }
        if let url = data["/discovery"]?.objectValue?["default"]?.stringValue {
            let name = url.split(separator: "/").last.map(String.init)
            defaultRoot = roots.first { $0.record.name == name }?.record.name
        }
        guard refused.isEmpty else {
            throw ServiceError.badRequest("\(refused.count) object(s) cannot be mapped, nothing imported (see --unmapped-marking): "
                                     + refused.prefix(20).joined(separator: "; "))
        }
    }

    /// medallion's status resources of one API root. medallion kept no poster, so each belongs to
    /// the organisation the import is for (see ``TAXIIStatusRecord/organizationOwner(_:)``).
    static func statuses(_ value: JSONValue?, root: String, organization: String) throws -> [TAXIIStatusRecord] {
        guard let value else { return [] }
        guard let list = value.arrayValue else { throw ServiceError.badRequest("data: the status of \(root) is not a list.") }
        var seen = Set<String>()
        return try list.map { item throws -> TAXIIStatusRecord in
            guard let st = item.objectValue, let rawId = st["id"]?.stringValue, let id = UUID(uuidString: rawId)?.uuidString.lowercased() else {
                throw ServiceError.badRequest("data: a status of \(root) has no UUID id.")
            }
            guard seen.insert(id).inserted else { throw ServiceError.badRequest("data: status \(id) appears twice in \(root).") }
            guard let requested = st["request_timestamp"]?.stringValue.flatMap(STIXTimestamp.init(parsing:)) else {
                throw ServiceError.badRequest("data: status \(id) has no request_timestamp.")
            }
            func details(_ key: String) throws -> [String] {
                guard let items = st[key] else { return [] }
                guard let array = items.arrayValue else { throw ServiceError.badRequest("data: \(key) of status \(id) is not a list.") }
                return try array.map { detail in
                    guard let d = detail.objectValue, d["id"]?.stringValue != nil, d["version"]?.stringValue != nil else {
                        throw ServiceError.badRequest("data: an entry of \(key) of status \(id) lacks id or version.")
                    }
                    return TAXIIService.statusDetail(id: d["id"]?.stringValue, version: d["version"]?.stringValue, message: d["message"]?.stringValue)
                }
            }
            let successes = try details("successes"), failures = try details("failures"), pendings = try details("pendings")
            let total = st["total_count"]?.intValue ?? (successes.count + failures.count + pendings.count)
            guard total >= successes.count + failures.count + pendings.count else {
                throw ServiceError.badRequest("data: status \(id) counts fewer objects than it lists.")
            }
            return TAXIIStatusRecord(id: id, apiRoot: root, member: TAXIIStatusRecord.organizationOwner(organization), requestTimestamp: requested.microseconds,
                                     total: total, successes: successes, failures: failures, pendings: pendings)
        }
    }

    /// An API root name: a URL path segment that none of Tearline's own routes use.
    static func isRootName(_ name: String) -> Bool {
        guard !name.isEmpty, name.utf8.count <= 64, !TAXIIRoots.reserved.contains(name), name != TAXIIRoots.defaultRoot else { return false }
        return name.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) || [0x2D, 0x2E, 0x5F, 0x7E].contains($0) }
    }
}
