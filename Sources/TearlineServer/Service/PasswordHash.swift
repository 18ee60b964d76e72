import Crypto
import Foundation
import TearlineCore
import _CryptoExtras

/// Slow password hashes, in the text forms werkzeug writes, so that passwords imported from a
/// medallion configuration keep working: `scrypt:N:r:p$salt$hex` (what Tearline writes) and
/// `pbkdf2:sha256|sha512:rounds$salt$hex`.
public enum PasswordHash {
    /// scrypt with N = 2^15, r = 8, p = 1: werkzeug's default, about 32 MiB and tens of milliseconds per check.
    public static func make(_ password: String, random source: any RandomSource = SystemRandom()) throws -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        let random = source.bytes(16)
        let salt = String(random.map { alphabet[Int($0) % alphabet.count] })
        let derived = try scrypt(password, salt: salt, n: 32_768, r: 8, p: 1)
        return "scrypt:32768:8:1$\(salt)$\(hex(derived))"
    }

    /// Checks `password` against a stored hash; `false` for a wrong password or a form it does not know.
    public static func verify(_ password: String, against stored: String) -> Bool {
        let parts = stored.split(separator: "$", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 3, let expected = bytes(fromHex: parts[2]) else { return false }
        let method = parts[0].split(separator: ":").map(String.init)
        let salt = parts[1]
        let derived: [UInt8]?
        switch method.first {
        case "scrypt":
            guard method.count == 4, let n = Int(method[1]), let r = Int(method[2]), let p = Int(method[3]),
                  n > 1, n <= 1 << 20, n & (n - 1) == 0, (1...32).contains(r), (1...16).contains(p) else { return false }
            derived = try? scrypt(password, salt: salt, n: n, r: r, p: p)
        case "pbkdf2":
            let digest = method.count > 1 ? method[1] : "sha256"
            let rounds = method.count > 2 ? Int(method[2]) ?? 0 : 600_000
            guard (1...10_000_000).contains(rounds) else { return false }
            let function: KDF.Insecure.PBKDF2.HashFunction
            switch digest {
            case "sha256": function = .sha256
            case "sha512": function = .sha512
            default: return false
            }
            derived = try? KDF.Insecure.PBKDF2.deriveKey(
                from: Array(password.utf8), salt: Array(salt.utf8), using: function, outputByteCount: expected.count, unsafeUncheckedRounds: rounds
            ).withUnsafeBytes { Array($0) }
        default:
            return false
        }
        guard let derived, derived.count == expected.count else { return false }
        // why: compare in constant time, so the time taken says nothing about how much matched.
        var difference: UInt8 = 0
        for (a, b) in zip(derived, expected) { difference |= a ^ b }
        return difference == 0
    }

    private static func scrypt(_ password: String, salt: String, n: Int, r: Int, p: Int) throws -> [UInt8] {
        try KDF.Scrypt.deriveKey(from: Array(password.utf8), salt: Array(salt.utf8), outputByteCount: 64, rounds: n, blockSize: r, parallelism: p)
            .withUnsafeBytes { Array($0) }
    }

    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for b in bytes { out.append(digits[Int(b >> 4)]); out.append(digits[Int(b & 15)]) }
        return String(decoding: out, as: UTF8.self)
    }

    static func bytes(fromHex text: String) -> [UInt8]? {
        let u = Array(text.utf8)
        guard u.count % 2 == 0, !u.isEmpty else { return nil }
        func nibble(_ c: UInt8) -> UInt8? {
            switch c {
            case 0x30...0x39: c - 0x30
            case 0x61...0x66: c - 0x61 + 10
            case 0x41...0x46: c - 0x41 + 10
            default: nil
            }
        }
        var out = [UInt8]()
        out.reserveCapacity(u.count / 2)
        var i = 0
        while i < u.count {
            guard let hi = nibble(u[i]), let lo = nibble(u[i + 1]) else { return nil }
            out.append(hi << 4 | lo)
            i += 2
        }
        return out
    }
}

/// Remembers recent successful Basic logins for a few minutes, so that a TAXII client that sends
/// its password on every request pays the slow hash once, not per request. The key is a keyed
/// hash of login, password and the stored hash: a changed password or a wrong one never matches.
final class BasicLoginCache: @unchecked Sendable {
    // why @unchecked: all state is behind `lock`.
    private let lock = NSLock()
    private var entries: [Data: (member: String, expires: Int64)] = [:]
    private let key = SymmetricKey(size: .bits256)
    static let lifetimeMs: Int64 = 5 * 60 * 1000
    static let capacity = 10_000

    func key(login: String, password: String, storedHash: String) -> Data {
        var input = Data(login.utf8)
        input.append(0)
        input.append(contentsOf: password.utf8)
        input.append(0)
        input.append(contentsOf: storedHash.utf8)
        return Data(HMAC<SHA256>.authenticationCode(for: input, using: key))
    }

    func member(for key: Data, now: Int64) -> String? {
        lock.withLock {
            guard let entry = entries[key], entry.expires > now else { return nil }
            return entry.member
        }
    }

    func remember(_ key: Data, member: String, now: Int64) {
        lock.withLock {
            if entries.count >= Self.capacity { entries = entries.filter { $0.value.expires > now } }
            if entries.count >= Self.capacity { entries.removeAll() }
            entries[key] = (member, now + Self.lifetimeMs)
        }
    }
}
