import Crypto
import Foundation
import TearlineCore
import TearlineStore

/// Who is calling: the node administrator, or a member of an organisation.
public enum Caller: Sendable {
    case nodeAdmin
    case member(MemberRecord)

    /// The id written to the audit log.
    public var actorId: String {
        switch self {
        case .nodeAdmin: "node-admin"
        case .member(let member): member.id
        }
    }

    public var organization: String? {
        if case .member(let member) = self { return member.organization }
        return nil
    }

    public var member: MemberRecord? {
        if case .member(let member) = self { return member }
        return nil
    }
}

/// API tokens: 256 random bits, shown once, stored only as a SHA-256 hash.
///
/// A fast hash is enough here because the tokens are random and long; a password would need a slow one.
public enum APIToken {
    public static func generate(prefix: String = "tl", random: any RandomSource = SystemRandom()) -> String {
        let bytes = Data(random.bytes(32))
        return prefix + "_" + bytes.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    public static func hash(_ token: String) -> Data {
        Data(SHA256.hash(data: Data(token.utf8)))
    }
}
