import Crypto
import _CryptoExtras
import Foundation

/// The oblivious PRF of private discovery: RFC 9497's VOPRF with the P384-SHA384 suite, as
/// swift-crypto implements it. The holder's node keeps one key per partner organisation; the
/// asker's node blinds an entity, the holder's node evaluates the blinded element and proves
/// (DLEQ) that it used the key it published, and the asker's node unblinds. The holder learns
/// nothing of the entity; the asker learns the PRF output, nothing of the key.
public enum DiscoveryOPRF {
    /// The PRF input for a normalised entity: a version, its kind and its canonical key.
    public static func input(_ entity: NormalizedEntity) -> Data {
        Data("tearline-discovery-v1\u{0}\(entity.kind.rawValue)\u{0}\(entity.key)".utf8)
    }

    /// A blinded element is a compressed P-384 point.
    public static let elementBytes = 49
}

/// A malformed or unverifiable element, evaluation or key.
public struct DiscoveryCryptoError: Error, Sendable, Hashable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// The holder's secret for one partner (one epoch): evaluates blinded elements, and computes the
/// PRF directly over its own entities to publish the set.
public struct DiscoveryKey: @unchecked Sendable {
    // why @unchecked: an immutable value; swift-crypto does not mark its key types Sendable.
    private let key: P384._VOPRF.PrivateKey

    public init() { key = P384._VOPRF.PrivateKey() }

    public init(rawRepresentation: Data) throws(DiscoveryCryptoError) {
        do { key = try P384._VOPRF.PrivateKey(rawRepresentation: rawRepresentation) } catch { throw DiscoveryCryptoError("not a P-384 OPRF key") }
    }

    public var rawRepresentation: Data { key.rawRepresentation }

    /// The public key the asker verifies evaluations against (compressed SEC1, 49 bytes).
    public var publicKey: Data { key.publicKey.compressedRepresentation }

    /// The PRF output for one of the holder's own entities (no blinding, no proof).
    public func output(_ entity: NormalizedEntity) -> Data {
        // why try!: evaluate(input) hashes to the group and multiplies; it throws only for inputs it cannot hash, which no Data is.
        try! key.evaluate(DiscoveryOPRF.input(entity))
    }

    /// The PRF outputs of `entities`, in order, computed on every core.
    public func outputs(_ entities: [NormalizedEntity]) async -> [Data] {
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, entities.count / 64))
        guard workers > 1 else { return entities.map(output) }
        let chunk = (entities.count + workers - 1) / workers
        return await withTaskGroup(of: (Int, [Data]).self) { group in
            for w in 0..<workers {
                let slice = Array(entities[(w * chunk)..<min(entities.count, (w + 1) * chunk)])
                group.addTask { (w, slice.map(self.output)) }
            }
            var parts = [[Data]](repeating: [], count: workers)
            for await (w, part) in group { parts[w] = part }
            return parts.flatMap { $0 }
        }
    }

    /// Evaluates a partner's blinded element with a fresh DLEQ proof: the bytes sent back.
    public func evaluate(blindedElement: Data) throws(DiscoveryCryptoError) -> Data {
        let element: P384._VOPRF.BlindedElement
        do { element = try P384._VOPRF.BlindedElement(oprfRepresentation: blindedElement) } catch {
            throw DiscoveryCryptoError("the blinded element is not a P-384 point")
        }
        do { return try key.evaluate(element).rawRepresentation } catch { throw DiscoveryCryptoError("the element could not be evaluated") }
    }
}

/// The asker's side of one query: the blinded entity to send, and the unblinding of the answer.
public struct DiscoveryQuery: @unchecked Sendable {
    // why @unchecked: immutable values; swift-crypto does not mark its OPRF types Sendable.
    private let publicKey: P384._VOPRF.PublicKey
    private let blinded: P384._VOPRF.BlindedInput

    /// Blinds `entity` for a holder whose published public key is `publicKey`.
    public init(_ entity: NormalizedEntity, publicKey: Data) throws(DiscoveryCryptoError) {
        do { self.publicKey = try P384._VOPRF.PublicKey(compressedRepresentation: publicKey) } catch {
            throw DiscoveryCryptoError("the holder's discovery key is not a P-384 public key")
        }
        do { blinded = try self.publicKey.blind(DiscoveryOPRF.input(entity)) } catch { throw DiscoveryCryptoError("the entity could not be blinded") }
    }

    /// What goes to the holder's node: the blinded element. It reveals nothing of the entity.
    public var blindedElement: Data { blinded.blindedElement.oprfRepresentation }

    /// Verifies the holder's evaluation (its DLEQ proof against the published key, for this very
    /// blinded element) and unblinds it: the PRF output. A forged evaluation, one made with
    /// another key, or one replayed from another query does not verify.
    public func finish(evaluation: Data) throws(DiscoveryCryptoError) -> Data {
        let answer: P384._VOPRF.BlindEvaluation
        do { answer = try P384._VOPRF.BlindEvaluation(rawRepresentation: evaluation) } catch {
            throw DiscoveryCryptoError("the evaluation is malformed")
        }
        do { return try publicKey.finalize(blinded, using: answer) } catch {
            throw DiscoveryCryptoError("the evaluation does not verify under the holder's published key")
        }
    }
}

extension DiscoveryOPRF {
    /// Whether `publicKey` is a P-384 public key in compressed form (what a set page carries).
    public static func isPublicKey(_ publicKey: Data) -> Bool {
        (try? P384._VOPRF.PublicKey(compressedRepresentation: publicKey)) != nil
    }
}
