import Foundation
import TearlineCore
import TearlineStore

/// What an import stored.
public struct ImportResult: Codable, Sendable {
    public var organization: String
    public var collection: String
    public var stored: Int
    /// Versions already present (same id and version): left as they were.
    public var alreadyPresent: Int
}

extension TAXIIService {
    /// Loads a STIX 2.1 bundle (or a TAXII envelope) as holdings of `organization`, into its
    /// holdings collection or a community collection it writes to. All or nothing: if any object
    /// is malformed or carries a marking the node cannot map, nothing is stored and the error
    /// names each refused object.
    /// `progress` is called with the number of objects stored so far, and their total.
    public func importSTIX(_ bytes: [UInt8], organization: String, collection: String?, by caller: Caller,
                           progress: (@Sendable (Int, Int) -> Void)? = nil) async throws -> ImportResult {
        guard case .nodeAdmin = caller else { throw ServiceError.forbidden("Only the node administrator imports.", reasons: .roleRequired) }
        try Validate.organizationId(organization, field: "organization")
        let parsed: JSONValue
        do { parsed = try JSONValue.parse(bytes) } catch { throw ServiceError.badRequest(StrictJSONError(error).message(root: "the file")) }
        guard let top = parsed.objectValue, let objects = top["objects"]?.arrayValue, !objects.isEmpty else {
            throw ServiceError.badRequest("The file must be a STIX bundle (or TAXII envelope) with a non-empty objects array.")
        }
        if let type = top["type"]?.stringValue, type != "bundle" { throw ServiceError.badRequest("A top-level object of type \(type) is not a bundle.") }
        var found: [String: JSONObject] = [:]
        for object in objects {
            if let o = object.objectValue, o["type"]?.stringValue == "marking-definition", let id = o["id"]?.stringValue { found[id] = o }
        }
        let definitions = found
        let nowMs = now()
        let clock = taxiiClock
        return try await transact { s -> Result<ImportResult, ServiceError> in
            guard try s.organization(id: organization) != nil else { return .failure(.badRequest("no organisation \(organization).")) }
            let target: TAXIICollectionRecord
            if let collection {
                guard let c = try s.collection(id: collection.lowercased()), c.kind == .community, c.writers.contains(organization) else {
                    return .failure(.badRequest("collection \(collection) is not a community collection that \(organization) writes to."))
                }
                target = c
            } else {
                guard let c = try s.collection(kind: .holdings, organization: organization) else { return .failure(.notFound("collection")) }
                target = c
            }
            let fallback = try? Marking.parse(target.defaultMarking)
            var admitted: [AdmittedObject] = []
            var refused: [String] = []
            for object in objects {
                switch Self.admit(object, definitions: definitions, fallback: fallback, reader: nil) {
                case .success(let a): admitted.append(a)
                case .failure(let r): refused.append("\(r.id ?? "object \(refused.count + admitted.count)"): \(r.message)")
                }
            }
            guard refused.isEmpty else {
                return .failure(.badRequest("\(refused.count) object(s) refused, nothing imported: " + refused.prefix(20).joined(separator: "; ")))
            }
            var stored = 0
            for (i, a) in admitted.enumerated() {
                if i % 500 == 0 { progress?(i, admitted.count) }
                if a.version == 0, try !s.objects(TAXIIObjectQuery(collection: target.id, ids: [a.id], versions: [.all], owner: organization, limit: 1)).isEmpty { continue }
                let dateAdded = clock.next(nowMs: nowMs)
                let record = TAXIIObjectRecord(collection: target.id, stixId: a.id, type: a.type, version: a.version == 0 ? dateAdded : a.version,
                                               specVersion: a.specVersion, dateAdded: dateAdded, owner: organization, postedBy: nil,
                                               marking: a.marking.banner, body: Data(a.json))
                if try s.insertObject(record) { stored += 1 }
            }
            progress?(admitted.count, admitted.count)
            try s.appendAudit(.by(caller, at: nowMs, action: .stixImport, object: target.id, concerns: organization, decision: .allow,
                                  detail: "objects=\(objects.count) stored=\(stored)"))
            return .success(ImportResult(organization: organization, collection: target.id, stored: stored, alreadyPresent: admitted.count - stored))
        }
    }
}
