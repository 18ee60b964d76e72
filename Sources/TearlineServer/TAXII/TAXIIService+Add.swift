import Foundation
import TearlineCore
import TearlineStore

/// POST to a collection's objects: every object becomes a holding of the poster's organisation,
/// under the Tearline marking its STIX markings map to.
extension TAXIIService {
    /// Stores the envelope's objects in one transaction and answers with the status resource.
    /// Objects that fail (malformed, marking unknown or above the poster) are listed as failures;
    /// the rest are stored.
    func taxiiAdd(root: String, collection id: String, body: [UInt8], by caller: Caller) async throws -> [UInt8] {
        let parsed: JSONValue
        do { parsed = try JSONValue.parse(body) } catch { throw ServiceError.badRequest(StrictJSONError(error).message(root: "the body")) }
        guard let envelope = parsed.objectValue else { throw ServiceError.badRequest("The body must be a TAXII envelope (a JSON object).") }
        // why 422: the body is well-formed JSON, but a STIX object, not the envelope TAXII 2.1 requires (§5.5).
        if let type = envelope["type"]?.stringValue, type != "bundle", envelope["id"] != nil || envelope["spec_version"] != nil {
            throw ServiceError(.unprocessable, type: "bare-object", title: "Unprocessable content",
                               detail: "The body is a bare STIX \(type) object; send an envelope: {\"objects\": [ … ]}.")
        }
        let objects: [JSONValue]
        if envelope["type"]?.stringValue == "bundle" {
            objects = envelope["objects"]?.arrayValue ?? []
        } else {
            for key in envelope.keys where !["objects", "more", "next"].contains(key) {
                throw ServiceError.badRequest("An envelope has no property \(key).")
            }
            guard let list = envelope["objects"]?.arrayValue else { throw ServiceError.badRequest("An envelope needs an objects array.") }
            objects = list
        }
        guard !objects.isEmpty else { throw ServiceError.badRequest("The envelope holds no objects.") }
        // Marking definitions in the envelope, by id: posted objects may refer to them.
        var found: [String: JSONObject] = [:]
        for object in objects {
            if let o = object.objectValue, o["type"]?.stringValue == "marking-definition", let mid = o["id"]?.stringValue { found[mid] = o }
        }
        let definitions = found
        // why before the transaction: checking each object and mapping its markings needs only the
        // collection's default marking and the poster's clearance; done here, on the request's own
        // thread, it leaves the single writer only the inserts. The transaction uses these verdicts
        // only if the collection and the poster it reads are what they were checked against.
        let presumedMarking = try await store.read { s in try s.collection(id: id)?.defaultMarking }
        let presumedReader = caller.member?.reader
        let checked = presumedReader.map { reader in
            objects.map { Self.admit($0, definitions: definitions, fallback: presumedMarking.flatMap { try? Marking.parse($0) }, reader: reader) }
        }
        let nowMs = now()
        let requestTime = nowMs * 1000
        let statusId = UUID().uuidString.lowercased()
        let clock = taxiiClock
        return try await transact { s -> Result<[UInt8], ServiceError> in
            let action = AuditAction.taxiiObjectsAdd
            switch try self.visibleCollection(s, root: root, id: id, caller: caller, now: nowMs, action: action) {
            case .failure(let p): return .failure(p)
            case .success(let (c, access, member)):
                guard access.canWrite, c.kind != .received else {
                    return try refuse(s, caller, at: nowMs, action, object: c.id, reasons: .roleRequired,
                                      answer: .forbidden("You may not add objects to this collection.", reasons: .roleRequired))
                }
                let fallback = try? Marking.parse(c.defaultMarking)
                let reader = member.reader
                let verdicts = c.defaultMarking == presumedMarking && reader == presumedReader ? checked : nil
                var successes: [String] = []
                var failures: [String] = []
                for (index, object) in objects.enumerated() {
                    let outcome = verdicts?[index] ?? Self.admit(object, definitions: definitions, fallback: fallback, reader: reader)
                    switch outcome {
                    case .failure(let failure):
                        failures.append(Self.statusDetail(id: failure.id, version: failure.version, message: failure.message))
                    case .success(let admitted):
                        // why: an object without created or modified cannot change (most SCOs): one copy per
                        // organisation is kept. Only the poster's own versions count, so the answer never
                        // depends on what another organisation posted that the poster may not read.
                        if admitted.version == 0,
                           let existing = try s.objects(TAXIIObjectQuery(collection: c.id, ids: [admitted.id], versions: [.all], owner: member.organization,
                                                                         limit: 1)).first {
                            successes.append(Self.statusDetail(id: admitted.id, version: STIXObjectFacts.versionString(existing.version),
                                                               message: "This object was already in the collection."))
                            continue
                        }
                        let dateAdded = clock.next(nowMs: nowMs)
                        // why: an object without created or modified (most SCOs) is versioned by when it was added.
                        let version = admitted.version == 0 ? dateAdded : admitted.version
                        let record = TAXIIObjectRecord(
                            collection: c.id, stixId: admitted.id, type: admitted.type, version: version, specVersion: admitted.specVersion,
                            dateAdded: dateAdded, owner: member.organization, postedBy: member.id,
                            marking: admitted.marking.banner, body: Data(admitted.json))
                        let inserted = try s.insertObject(record)
                        successes.append(Self.statusDetail(id: admitted.id, version: STIXObjectFacts.versionString(version),
                                                           message: inserted ? nil : "This version was already in the collection."))
                    }
                }
                let status = TAXIIStatusRecord(id: statusId, apiRoot: root, member: member.id, requestTimestamp: requestTime, total: objects.count,
                                               successes: successes, failures: failures, pendings: [])
                try s.insertStatus(status)
                try s.appendAudit(.by(caller, at: nowMs, action: action, object: c.id, decision: .allow,
                                      detail: "status=\(statusId) total=\(objects.count) stored=\(successes.count) failed=\(failures.count)"))
                return .success(Self.statusBytes(status))
            }
        }
    }

    struct AdmittedObject: Sendable {
        var id: String
        var type: String
        var version: Int64
        var specVersion: String
        var marking: Marking
        var json: [UInt8]
    }

    struct RefusedObject: Error {
        var id: String?
        var version: String?
        var message: String
    }

    /// Checks one posted object and maps its markings; never throws, a bad object is a failure entry.
    /// `stix20`: STIX 2.0 objects are kept as they are (a medallion migration); a posted one is refused.
    static func admit(_ value: JSONValue, definitions: [String: JSONObject], fallback: Marking?, reader: Reader?,
                      forceMarking: Marking? = nil, stix20: Bool = false) -> Result<AdmittedObject, RefusedObject> {
        guard let object = value.objectValue else { return .failure(RefusedObject(message: "Not a JSON object.")) }
        let id = object["id"]?.stringValue
        guard let type = object["type"]?.stringValue, STIXObjectFacts.isTypeName(type) else {
            return .failure(RefusedObject(id: id, message: "type is missing or not a STIX type name."))
        }
        guard let id, STIXObjectFacts.isIdentifier(id), id.hasPrefix(type + "--") else {
            return .failure(RefusedObject(id: id, message: "id is missing or not an identifier of type \(type)."))
        }
        // why: in STIX 2.0 no object carried spec_version; in 2.1 every SDO, SRO and marking
        // definition does (all have created), and an SCO may leave it out.
        let specVersion = object["spec_version"]?.stringValue ?? (stix20 && object["created"] != nil ? "2.0" : "2.1")
        guard specVersion == "2.1" || (stix20 && specVersion == "2.0") else {
            return .failure(RefusedObject(id: id, message: stix20 ? "spec_version must be 2.0 or 2.1." : "spec_version must be 2.1."))
        }
        let versionText = object["modified"]?.stringValue ?? object["created"]?.stringValue
        var version: Int64 = 0
        if let versionText {
            guard let t = STIXTimestamp(parsing: versionText) else {
                return .failure(RefusedObject(id: id, message: "modified/created is not a STIX timestamp."))
            }
            version = t.microseconds
        } else if object["modified"] != nil || object["created"] != nil {
            return .failure(RefusedObject(id: id, message: "modified/created must be a timestamp string."))
        }
        let marking: Marking
        do {
            marking = try forceMarking ?? STIXMarkings.marking(of: object, envelopeDefinitions: definitions, default: fallback)
        } catch {
            return .failure(RefusedObject(id: id, version: versionText, message: "Markings: \(error)"))
        }
        // why: nobody writes above their own access, over TAXII as over /v1.
        if let reader, case let author = DecisionRule.author(reader, marking: marking), !author.isAllowed {
            return .failure(RefusedObject(id: id, version: versionText, message: "Marked \(marking.banner), above what you may read (\(author.reasons.codes.joined(separator: ", ")))."))
        }
        var json: [UInt8] = []
        value.write(into: &json)
        return .success(AdmittedObject(id: id, type: type, version: version, specVersion: specVersion, marking: marking, json: json))
    }

    static func statusDetail(id: String?, version: String?, message: String?) -> String {
        var w = JSONWriter(capacity: 128)
        w.raw("{")
        w.key("id", first: true); w.string(id ?? "unknown")
        if let version { w.key("version"); w.string(version) }
        if let message { w.key("message"); w.string(message) }
        w.raw("}")
        return String(decoding: w.bytes, as: UTF8.self)
    }
}
