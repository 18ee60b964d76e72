import Crypto
import Foundation
import TearlineCore
import TearlineStore

/// What every area service shares: the store, the master key and the keys derived from it, the
/// node's clock, random source and identifiers, and this process's windows and caches, each behind
/// the protocol a multi-process deployment substitutes (see docs/ARCHITECTURE.md).
///
/// One context is built per node (by ``TearlineService``); the area services are thin views of it.
public final class ServiceContext: Sendable {
    public let store: any TearlineStore
    let masterKey: MasterKey
    /// The node's clock, random source and identifiers (see ``TimeSource``, ``RandomSource``).
    let time: any TimeSource
    let random: any RandomSource
    let ids: IdentifierSource
    /// Throttle windows: this process's own unless a shared implementation is given.
    let throttle: any ThrottleWindows
    /// Track records by originator, dropped when feedback arrives (only feedback changes them).
    let trackRecords = TrackRecordCache()
    /// The canary secret (see ``canaryKey``), derived once.
    let canaryKeyBytes: Data
    /// The key that seals pointer handles (see ``PointerHandle``), derived once.
    let pointerKeyBytes: Data
    /// Recent successful HTTP Basic logins (see ``BasicLoginCache``).
    let loginCache = BasicLoginCache()
    /// Organisations' signing keys, opened once each (see ``SigningKeyCache``).
    let signingKeys = SigningKeyCache()
    /// Hands out strictly increasing TAXII `date_added` times.
    let taxiiClock = TAXIIClock()
    /// Where HTTP Basic passwords are checked (see ``PasswordCheckPool``).
    let passwordChecks: PasswordCheckPool

    init(store: any TearlineStore, masterKey: MasterKey, time: any TimeSource, random: any RandomSource,
         throttle: any ThrottleWindows, passwordChecks: PasswordCheckPool) {
        self.store = store
        self.masterKey = masterKey
        self.time = time
        self.random = random
        self.ids = IdentifierSource(random: random)
        self.throttle = throttle
        self.passwordChecks = passwordChecks
        self.canaryKeyBytes = masterKey.derive("canary-v1").withUnsafeBytes { Data($0) }
        self.pointerKeyBytes = masterKey.derive("pointer-handle-v1").withUnsafeBytes { Data($0) }
    }
}
