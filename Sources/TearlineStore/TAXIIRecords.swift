import Foundation
import TearlineCore

/// A TAXII API root.
public struct TAXIIApiRootRecord: Sendable, Hashable {
    public var name: String
    public var title: String
    public var description: String
    public var maxContentLength: Int
    public var createdAt: Int64
    public init(name: String, title: String, description: String, maxContentLength: Int, createdAt: Int64) {
        self.name = name
        self.title = title
        self.description = description
        self.maxContentLength = maxContentLength
        self.createdAt = createdAt
    }
}

/// What a TAXII collection is a view of (the kinds are defined in the core, with who may use them).
public typealias TAXIICollectionKind = CollectionKind

extension CollectionKind {
    /// The id of an organisation's holdings or received collection: a UUIDv5 of the kind and the
    /// organisation, so that a partner's node can name the collection without asking.
    public func collectionId(organization: String) -> String {
        STIXIdentifier.uuid5(namespace: STIXIdentifier.tearlineNamespace, name: "\(rawValue):\(organization)")
    }
}

/// A TAXII collection. Holdings and received collections belong to one organisation; community
/// collections list the organisations that read and write them.
public struct TAXIICollectionRecord: Sendable, Hashable {
    public var id: String
    public var apiRoot: String
    public var kind: TAXIICollectionKind
    public var organization: String?
    public var title: String
    public var description: String
    public var alias: String?
    public var readers: [String]
    public var writers: [String]
    /// Need-to-know topics of the collection's content; empty when membership is the need to know.
    public var topics: [String]
    /// The marking given to posted objects that carry none.
    public var defaultMarking: String
    public var createdAt: Int64

    public init(
        id: String, apiRoot: String, kind: TAXIICollectionKind, organization: String?, title: String, description: String,
        alias: String? = nil, readers: [String], writers: [String], topics: [String] = [], defaultMarking: String, createdAt: Int64
    ) {
        self.id = id
        self.apiRoot = apiRoot
        self.kind = kind
        self.organization = organization
        self.title = title
        self.description = description
        self.alias = alias
        self.readers = readers
        self.writers = writers
        self.topics = topics
        self.defaultMarking = defaultMarking
        self.createdAt = createdAt
    }
}

/// The position of an object in a collection's order: date added, then id, then version.
public struct TAXIIPosition: Sendable, Hashable, Comparable {
    public var dateAdded: Int64
    public var stixId: String
    public var version: Int64
    public init(dateAdded: Int64, stixId: String, version: Int64) {
        self.dateAdded = dateAdded
        self.stixId = stixId
        self.version = version
    }
    public static func < (a: TAXIIPosition, b: TAXIIPosition) -> Bool {
        (a.dateAdded, a.stixId, a.version) < (b.dateAdded, b.stixId, b.version)
    }
}

/// One stored version of a posted STIX object (times in microseconds since the epoch).
public struct TAXIIObjectRecord: Sendable, Hashable {
    public var collection: String
    public var stixId: String
    public var type: String
    public var version: Int64
    public var specVersion: String
    public var dateAdded: Int64
    /// The organisation whose holding this is.
    public var owner: String
    public var postedBy: String?
    /// The Tearline marking the object's STIX markings map to (banner form).
    public var marking: String
    /// The object's JSON; sealed at rest.
    public var body: Data

    public init(
        collection: String, stixId: String, type: String, version: Int64, specVersion: String, dateAdded: Int64,
        owner: String, postedBy: String?, marking: String, body: Data
    ) {
        self.collection = collection
        self.stixId = stixId
        self.type = type
        self.version = version
        self.specVersion = specVersion
        self.dateAdded = dateAdded
        self.owner = owner
        self.postedBy = postedBy
        self.marking = marking
        self.body = body
    }

    public var position: TAXIIPosition { TAXIIPosition(dateAdded: dateAdded, stixId: stixId, version: version) }
}

/// Which versions of each object a query returns.
public enum TAXIIVersionMatch: Sendable, Hashable {
    case first, last, all
    case at(Int64)
}

/// A query over a community or holdings collection's stored objects, in collection order.
public struct TAXIIObjectQuery: Sendable, Hashable {
    public var collection: String
    public var after: TAXIIPosition?
    public var addedAfter: Int64?
    public var ids: [String]
    public var types: [String]
    public var specVersions: [String]
    /// Any of these (a version filter is a list: `first,last` means both). First and last are
    /// each organisation's own: versions posted by different organisations coexist.
    public var versions: [TAXIIVersionMatch]
    /// Only the versions this organisation posted, when set.
    public var owner: String?
    public var limit: Int

    public init(
        collection: String, after: TAXIIPosition? = nil, addedAfter: Int64? = nil, ids: [String] = [], types: [String] = [],
        specVersions: [String] = [], versions: [TAXIIVersionMatch] = [.last], owner: String? = nil, limit: Int
    ) {
        self.owner = owner
        self.collection = collection
        self.after = after
        self.addedAfter = addedAfter
        self.ids = ids
        self.types = types
        self.specVersions = specVersions
        self.versions = versions
        self.limit = limit
    }
}

/// The status resource of one POST to a collection.
public struct TAXIIStatusRecord: Sendable, Hashable {
    /// The owner of a status every member of an organisation may read (imported from medallion,
    /// which kept no poster). Member ids start `mem_`, so the two never meet.
    public static func organizationOwner(_ organization: String) -> String { "org:" + organization }

    public var id: String
    public var apiRoot: String
    public var member: String
    public var requestTimestamp: Int64
    public var total: Int
    /// Each a JSON status-details object.
    public var successes: [String]
    public var failures: [String]
    public var pendings: [String]

    public init(id: String, apiRoot: String, member: String, requestTimestamp: Int64, total: Int,
                successes: [String], failures: [String], pendings: [String]) {
        self.id = id
        self.apiRoot = apiRoot
        self.member = member
        self.requestTimestamp = requestTimestamp
        self.total = total
        self.successes = successes
        self.failures = failures
        self.pendings = pendings
    }
}

/// A member's login for HTTP Basic and the slow hash of its password.
public struct MemberCredentialRecord: Sendable, Hashable {
    public var member: String
    public var login: String
    /// `scrypt:N:r:p$salt$hex` or `pbkdf2:sha256:rounds$salt$hex` (the forms werkzeug writes).
    public var passwordHash: String
    public var updatedAt: Int64
    public init(member: String, login: String, passwordHash: String, updatedAt: Int64) {
        self.member = member
        self.login = login
        self.passwordHash = passwordHash
        self.updatedAt = updatedAt
    }
}

public protocol TAXIIRepository {
    func insertApiRoot(_ root: TAXIIApiRootRecord) throws
    func apiRoot(name: String) throws -> TAXIIApiRootRecord?
    func apiRoots() throws -> [TAXIIApiRootRecord]
    /// The API root discovery names as the default; nil for Tearline's own.
    func defaultApiRoot() throws -> String?
    /// Makes one API root the default of discovery (the others stop being it).
    func setDefaultApiRoot(_ name: String) throws
    func insertCollection(_ collection: TAXIICollectionRecord) throws
    func collection(id: String) throws -> TAXIICollectionRecord?
    func collections(apiRoot: String) throws -> [TAXIICollectionRecord]
    /// The holdings or received collection of an organisation.
    func collection(kind: TAXIICollectionKind, organization: String) throws -> TAXIICollectionRecord?
    /// Stores one version; `false` when the same organisation already holds that id and version
    /// in the collection (nothing written). Another organisation's version of it does not count.
    func insertObject(_ object: TAXIIObjectRecord) throws -> Bool
    /// Stored versions matching the query after its position, in collection order, at most `limit`.
    func objects(_ query: TAXIIObjectQuery) throws -> [TAXIIObjectRecord]
    /// Deletes the matching versions of one object that `owner` posted; returns how many.
    func deleteObjects(collection: String, stixId: String, owner: String, versions: [TAXIIVersionMatch], specVersions: [String]) throws -> Int
    func insertStatus(_ status: TAXIIStatusRecord) throws
    func status(id: String) throws -> TAXIIStatusRecord?
    func setCredential(_ credential: MemberCredentialRecord) throws
    func credential(login: String) throws -> MemberCredentialRecord?
    func credential(member: String) throws -> MemberCredentialRecord?
}
