import Foundation
import TearlineCore

/// The holder's OPRF key for one partner organisation, in its current epoch, with the partner's
/// evaluation budget and what it spent. The private key is sealed under the node master key.
public struct DiscoveryKeyRecord: Sendable, Hashable {
    public var partner: String
    /// Starts at 1; a rotation moves it on and starts a whole new set.
    public var epoch: Int64
    public var sealedKey: Data
    public var publicKey: Data
    public var createdAt: Int64
    /// The last sequence number given to an entry of this epoch's set.
    public var seq: Int64
    public var budget: DiscoveryBudget
    public var spent: DiscoveryBudgetState

    public init(partner: String, epoch: Int64, sealedKey: Data, publicKey: Data, createdAt: Int64, seq: Int64,
                budget: DiscoveryBudget, spent: DiscoveryBudgetState) {
        self.partner = partner
        self.epoch = epoch
        self.sealedKey = sealedKey
        self.publicKey = publicKey
        self.createdAt = createdAt
        self.seq = seq
        self.budget = budget
        self.spent = spent
    }
}

/// One entry of the set a partner may search: the holders and counts for one of our entities
/// (its blind id), as the tag and sealed payload the partner receives.
public struct DiscoveryEntryRecord: Sendable, Hashable {
    public var partner: String
    public var entity: UInt64
    /// `HOLDER:COUNT` pairs, comma-separated, sorted: what the payload seals.
    public var holders: String
    public var tag: Data
    public var payload: Data
    public var seq: Int64

    public init(partner: String, entity: UInt64, holders: String, tag: Data, payload: Data, seq: Int64) {
        self.partner = partner
        self.entity = entity
        self.holders = holders
        self.tag = tag
        self.payload = payload
        self.seq = seq
    }
}

/// The asker's copy of a partner node's set for one of our organisations: how far it was pulled.
public struct RemoteDiscoverySetRecord: Sendable, Hashable {
    public var peer: String
    public var organization: String
    public var epoch: Int64
    public var publicKey: Data
    /// The last sequence number received.
    public var through: Int64
    public var updatedAt: Int64

    public init(peer: String, organization: String, epoch: Int64, publicKey: Data, through: Int64, updatedAt: Int64) {
        self.peer = peer
        self.organization = organization
        self.epoch = epoch
        self.publicKey = publicKey
        self.through = through
        self.updatedAt = updatedAt
    }
}

/// An access request made here through a pointer from a partner node: which set entry it names,
/// so that the holder's node can find its entity without being told the value.
public struct RemoteAccessLinkRecord: Sendable, Hashable {
    public var id: String
    public var peer: String
    /// The holder the pointer named (an organisation hosted on the peer's node).
    public var holder: String
    public var epoch: Int64
    public var tag: Data

    public init(id: String, peer: String, holder: String, epoch: Int64, tag: Data) {
        self.id = id
        self.peer = peer
        self.holder = holder
        self.epoch = epoch
        self.tag = tag
    }
}

public protocol DiscoveryRepository {
    func discoveryKey(partner: String) throws -> DiscoveryKeyRecord?
    /// Inserts or replaces the partner's key row.
    func saveDiscoveryKey(_ key: DiscoveryKeyRecord) throws
    func discoveryEntries(partner: String) throws -> [DiscoveryEntryRecord]
    /// Entries with a sequence number after `seq`, in order.
    func discoveryEntries(partner: String, after seq: Int64, limit: Int) throws -> [DiscoveryEntryRecord]
    func discoveryEntry(partner: String, tag: Data) throws -> DiscoveryEntryRecord?
    /// Inserts or replaces the entry for (partner, entity).
    func saveDiscoveryEntry(_ entry: DiscoveryEntryRecord) throws
    func deleteDiscoveryEntries(partner: String) throws

    func remoteDiscoverySet(peer: String, organization: String) throws -> RemoteDiscoverySetRecord?
    func remoteDiscoverySets(organization: String) throws -> [RemoteDiscoverySetRecord]
    func saveRemoteDiscoverySet(_ set: RemoteDiscoverySetRecord) throws
    func deleteRemoteDiscoverySet(peer: String, organization: String) throws
    /// Inserts entries, replacing any with the same tag.
    func saveRemoteDiscoveryEntries(peer: String, organization: String, _ entries: [DiscoverySetPage.Entry]) throws
    func remoteDiscoveryPayload(peer: String, organization: String, tag: Data) throws -> Data?

    func insertRemoteAccessLink(_ link: RemoteAccessLinkRecord) throws
    func remoteAccessLink(id: String) throws -> RemoteAccessLinkRecord?
    func remoteAccessLinks(peer: String) throws -> [RemoteAccessLinkRecord]
}

/// SQLite's v15 and PostgreSQL's schema 6: private discovery between partner nodes.
enum DiscoverySchema {
    static let sqlite = """
        CREATE TABLE discoveryKey (
            partner TEXT PRIMARY KEY REFERENCES organization(id),
            epoch INTEGER NOT NULL,
            sealedKey BLOB NOT NULL,
            publicKey BLOB NOT NULL,
            createdAt INTEGER NOT NULL,
            seq INTEGER NOT NULL,
            perDay INTEGER NOT NULL,
            alertAt INTEGER NOT NULL,
            windowStart INTEGER NOT NULL,
            used INTEGER NOT NULL,
            alerted INTEGER NOT NULL
        );
        CREATE TABLE discoveryEntry (
            partner TEXT NOT NULL,
            entity INTEGER NOT NULL,
            holders TEXT NOT NULL,
            tag BLOB NOT NULL,
            payload BLOB NOT NULL,
            seq INTEGER NOT NULL,
            PRIMARY KEY (partner, entity)
        );
        CREATE INDEX discoveryEntry_seq ON discoveryEntry(partner, seq);
        CREATE INDEX discoveryEntry_tag ON discoveryEntry(partner, tag);
        CREATE TABLE discoveryRemoteSet (
            peer TEXT NOT NULL,
            organization TEXT NOT NULL,
            epoch INTEGER NOT NULL,
            publicKey BLOB NOT NULL,
            through INTEGER NOT NULL,
            updatedAt INTEGER NOT NULL,
            PRIMARY KEY (peer, organization)
        );
        CREATE TABLE discoveryRemoteEntry (
            peer TEXT NOT NULL,
            organization TEXT NOT NULL,
            tag BLOB NOT NULL,
            payload BLOB NOT NULL,
            PRIMARY KEY (peer, organization, tag)
        ) WITHOUT ROWID;
        CREATE TABLE discoveryAccessLink (
            id TEXT PRIMARY KEY REFERENCES accessRequest(id),
            peer TEXT NOT NULL,
            holder TEXT NOT NULL,
            epoch INTEGER NOT NULL,
            tag BLOB NOT NULL
        );
        CREATE INDEX discoveryAccessLink_peer ON discoveryAccessLink(peer);
        """

    static let postgres: [String] = [
        """
        CREATE TABLE discoveryKey (
            partner TEXT PRIMARY KEY REFERENCES organization(id),
            epoch BIGINT NOT NULL,
            sealedKey BYTEA NOT NULL,
            publicKey BYTEA NOT NULL,
            createdAt BIGINT NOT NULL,
            seq BIGINT NOT NULL,
            perDay BIGINT NOT NULL,
            alertAt BIGINT NOT NULL,
            windowStart BIGINT NOT NULL,
            used BIGINT NOT NULL,
            alerted BIGINT NOT NULL)
        """,
        """
        CREATE TABLE discoveryEntry (
            partner TEXT NOT NULL,
            entity BIGINT NOT NULL,
            holders TEXT NOT NULL,
            tag BYTEA NOT NULL,
            payload BYTEA NOT NULL,
            seq BIGINT NOT NULL,
            PRIMARY KEY (partner, entity))
        """,
        "CREATE INDEX discoveryEntry_seq ON discoveryEntry(partner, seq)",
        "CREATE INDEX discoveryEntry_tag ON discoveryEntry(partner, tag)",
        """
        CREATE TABLE discoveryRemoteSet (
            peer TEXT NOT NULL,
            organization TEXT NOT NULL,
            epoch BIGINT NOT NULL,
            publicKey BYTEA NOT NULL,
            through BIGINT NOT NULL,
            updatedAt BIGINT NOT NULL,
            PRIMARY KEY (peer, organization))
        """,
        """
        CREATE TABLE discoveryRemoteEntry (
            peer TEXT NOT NULL,
            organization TEXT NOT NULL,
            tag BYTEA NOT NULL,
            payload BYTEA NOT NULL,
            PRIMARY KEY (peer, organization, tag))
        """,
        """
        CREATE TABLE discoveryAccessLink (
            id TEXT PRIMARY KEY REFERENCES accessRequest(id),
            peer TEXT NOT NULL,
            holder TEXT NOT NULL,
            epoch BIGINT NOT NULL,
            tag BYTEA NOT NULL)
        """,
        "CREATE INDEX discoveryAccessLink_peer ON discoveryAccessLink(peer)",
    ]
}
