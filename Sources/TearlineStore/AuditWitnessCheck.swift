import Crypto
import Foundation
import GRDB

/// An audit head of this node that someone else holds: a partner node (recorded at each
/// federation exchange), or a file written by `tearline audit head` and kept elsewhere.
public struct WitnessedHead: Sendable, Hashable, Codable {
    /// Who witnessed it: a partner organisation, or the file it came from.
    public var source: String
    public var seq: Int64
    public var hash: Data
    public var at: Int64?
    /// The node's signature over the head, when the witness kept it (a file does).
    public var signature: Data?

    public init(source: String, seq: Int64, hash: Data, at: Int64? = nil, signature: Data? = nil) {
        self.source = source
        self.seq = seq
        self.hash = hash
        self.at = at
        self.signature = signature
    }

    /// The JSON line `tearline audit head` prints and `--witness` reads.
    public struct Line: Codable, Sendable {
        public var seq: Int64
        public var hash: String
        public var at: Int64
        public var signature: String
        public var publicKey: String

        public init(_ head: AuditCheckpoint, publicKey: Curve25519.Signing.PublicKey) {
            seq = head.seq
            hash = head.hash.base64EncodedString()
            at = head.at
            signature = head.signature.base64EncodedString()
            self.publicKey = publicKey.rawRepresentation.base64EncodedString()
        }
    }

    /// Reads a witness file: one JSON object per line (blank lines skipped).
    public static func read(file path: String) throws -> [WitnessedHead] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var heads: [WitnessedHead] = []
        for (number, line) in text.split(whereSeparator: \.isNewline).enumerated() where !line.allSatisfy(\.isWhitespace) {
            guard let parsed = try? JSONDecoder().decode(Line.self, from: Data(line.utf8)), let hash = Data(base64Encoded: parsed.hash),
                  let signature = Data(base64Encoded: parsed.signature) else {
                throw AuditVerifierError.cannotRead("\(path) line \(number + 1) is not a head written by `tearline audit head`")
            }
            heads.append(WitnessedHead(source: "\(path) line \(number + 1)", seq: parsed.seq, hash: hash, at: parsed.at, signature: signature))
        }
        return heads
    }
}

extension AuditVerifier {
    /// Checks that the log still holds every witnessed head: the entry at its sequence number,
    /// with its hash. A head from a file must also carry this node's signature.
    static func checkWitnesses(_ heads: [WitnessedHead], publicKey: Curve25519.Signing.PublicKey, hashAt: (Int64) throws -> Data?,
                               into result: inout AuditVerification) throws {
        for head in heads.sorted(by: { $0.seq < $1.seq }) {
            result.witnesses += 1
            if let signature = head.signature, let at = head.at,
               !AuditCheckpoint(seq: head.seq, hash: head.hash, at: at, signature: signature).isValid(for: publicKey) {
                result.report(head.seq, "the head witnessed by \(head.source) at entry \(head.seq) is not signed by this node")
                continue
            }
            guard let hash = try hashAt(head.seq) else {
                result.report(head.seq, "\(head.source) witnessed entry \(head.seq), which the log no longer holds: it was rolled back or emptied")
                continue
            }
            if hash != head.hash {
                result.report(head.seq, "entry \(head.seq) differs from the one \(head.source) witnessed: the log was rewritten")
            }
        }
    }

    /// The heads partners witnessed, as recorded in a SQLite database (none before migration v13).
    static func recordedWitnesses(_ db: Database) throws -> [WitnessedHead] {
        guard try db.tableExists("auditWitness") else { return [] }
        return try Row.fetchAll(db, sql: "SELECT peer, seq, hash FROM auditWitness WHERE direction = 'ours' ORDER BY peer").map {
            WitnessedHead(source: "partner " + ($0["peer"] as String), seq: $0["seq"], hash: $0["hash"])
        }
    }
}
