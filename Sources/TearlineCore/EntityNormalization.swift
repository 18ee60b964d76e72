import Foundation

/// An entity reduced to the canonical form used for matching: two mentions refer to the same
/// entity exactly when their `NormalizedEntity` values are equal.
public struct NormalizedEntity: Hashable, Sendable {
    public let kind: EntityKind
    /// The canonical form used for matching. Feeding it back to `normalize` yields the same value.
    public let key: String

    public init(kind: EntityKind, key: String) {
        self.kind = kind
        self.key = key
    }
}

/// Pure, portable normalisation of entity values (no regexes, no `inet_pton`).
///
/// Rules by kind:
/// - Names (person, organization, location, vessel, account, other): Unicode NFKC, case and width
///   folding (diacritics are kept: "Müller" ≠ "Muller"), trimmed, internal whitespace collapsed.
/// - `phone`: E.164-like `+<digits>`; an explicit country code (`+` or `00`) is required, because
///   a national number cannot be attributed to a country without guessing. 8–15 digits in total.
///   A national trunk prefix written as "(0)" is not removed.
/// - `ipv4`: dotted decimal; leading zeros are refused (inet_aton would read them as octal).
/// - `ipv6`: RFC 5952 canonical text; IPv4-mapped (`::ffff:0:0/96`) and the NAT64 well-known
///   prefix (`64:ff9b::/96`) are written with a dotted IPv4 tail. Zone identifiers are refused.
/// - `domain`: lower-cased NFKC, trailing dot removed. Unicode labels are kept as Unicode:
///   punycode (`xn--`) conversion is NOT done, so "bücher.de" and "xn--bcher-kva.de" do not match.
/// - `email`: the whole address lower-cased (local parts are treated case-insensitively, as
///   nearly all providers do) and the domain normalised as a domain. Quoted local parts and IP
///   literal domains are refused.
/// - `url`: http, https and ftp only; scheme and host lower-cased, default port (80, 443, 21)
///   removed, an empty path written as "/", path/query/fragment and user info kept as written
///   (no percent-encoding normalisation). The host must be a valid domain, IPv4 or `[IPv6]`.
/// - `fileHash`: MD5, SHA-1, SHA-256 or SHA-512 hex, lower-cased, key prefixed by the algorithm
///   ("sha256:…"). An already prefixed key is accepted when the prefix agrees with the length.
public enum EntityNormalization {
    /// nil when the value is not a valid entity of that kind (e.g. "999.1.1.1" as ipv4); callers answer 400.
    public static func normalize(_ value: String, as kind: EntityKind) -> NormalizedEntity? {
        let key: String?
        switch kind {
        case .person, .organization, .location, .vessel, .account, .other: key = name(value)
        case .phone: key = phone(value)
        case .email: key = email(value)
        case .ipv4: key = ipv4(value)
        case .ipv6: key = ipv6(value)
        case .domain: key = domain(value)
        case .url: key = url(value)
        case .fileHash: key = fileHash(value)
        }
        return key.map { NormalizedEntity(kind: kind, key: $0) }
    }

    // MARK: Names

    /// NFKC; ASCII text is its own NFKC form, so it skips Foundation's (slow) normaliser.
    static func nfkc(_ value: String) -> String {
        value.utf8.allSatisfy { $0 < 0x80 } ? value : value.precomposedStringWithCompatibilityMapping
    }

    static func name(_ value: String) -> String? {
        // why the ASCII path: case folding of ASCII is lower-casing, and width folding does nothing.
        let folded = value.utf8.allSatisfy({ $0 < 0x80 })
            ? value.lowercased()
            : value.precomposedStringWithCompatibilityMapping
                .folding(options: [.caseInsensitive, .widthInsensitive], locale: nil)
                .precomposedStringWithCompatibilityMapping
        let words = folded.split(whereSeparator: { $0.isWhitespace })
        guard !words.isEmpty else { return nil }
        return words.joined(separator: " ")
    }

    // MARK: Phone

    static func phone(_ value: String) -> String? {
        let s = nfkc(value)
        var digits: [UInt8] = []
        var sawPlus = false
        for scalar in s.unicodeScalars {
            switch scalar {
            case "0"..."9": digits.append(UInt8(scalar.value - 48))
            case "+":
                guard digits.isEmpty, !sawPlus else { return nil }
                sawPlus = true
            case " ", "\u{00A0}", "-", ".", "(", ")", "/", "\t": continue
            default: return nil
            }
        }
        if !sawPlus {
            guard digits.count > 2, digits[0] == 0, digits[1] == 0 else { return nil }
            digits.removeFirst(2)
        }
        guard (8...15).contains(digits.count), digits[0] != 0 else { return nil }
        return "+" + String(digits.map { Character(Unicode.Scalar($0 + 48)) })
    }

    // MARK: IPv4

    static func ipv4(_ value: String) -> String? {
        guard let octets = parseIPv4(Substring(value)) else { return nil }
        return octets.map(String.init).joined(separator: ".")
    }

    /// Strict dotted decimal: four parts of 1–3 ASCII digits, no leading zeros, each ≤ 255.
    static func parseIPv4(_ s: Substring) -> [UInt8]? {
        let parts = s.utf8.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(4)
        for part in parts {
            guard (1...3).contains(part.count) else { return nil }
            if part.count > 1 && part.first == UInt8(ascii: "0") { return nil }
            var v = 0
            for b in part {
                guard b >= 0x30 && b <= 0x39 else { return nil }
                v = v * 10 + Int(b - 0x30)
            }
            guard v <= 255 else { return nil }
            out.append(UInt8(v))
        }
        return out
    }

    // MARK: IPv6

    static func ipv6(_ value: String) -> String? {
        guard let groups = parseIPv6(Substring(value)) else { return nil }
        return formatIPv6(groups)
    }

    /// Parses RFC 4291 text forms into eight 16-bit groups (including `::` and a trailing
    /// dotted IPv4 part). Zone identifiers and brackets are refused.
    static func parseIPv6(_ s: Substring) -> [UInt16]? {
        let chars = Array(s.utf8)
        guard chars.count >= 2, chars.count <= 45 else { return nil }
        // Locate "::" (at most once).
        var doubleColon: Int? = nil
        var i = 0
        while i + 1 < chars.count {
            if chars[i] == 0x3A && chars[i + 1] == 0x3A {
                if doubleColon != nil { return nil }
                doubleColon = i
                i += 2
                if i < chars.count && chars[i] == 0x3A { return nil } // ":::"
                continue
            }
            i += 1
        }
        func parseGroups(_ part: ArraySlice<UInt8>, allowIPv4Tail: Bool) -> [UInt16]? {
            if part.isEmpty { return [] }
            let fields = part.split(separator: 0x3A, omittingEmptySubsequences: false)
            var out: [UInt16] = []
            for (n, field) in fields.enumerated() {
                if field.contains(0x2E) {
                    guard allowIPv4Tail, n == fields.count - 1,
                          let str = String(bytes: field, encoding: .ascii),
                          let v4 = parseIPv4(Substring(str)) else { return nil }
                    out.append(UInt16(v4[0]) << 8 | UInt16(v4[1]))
                    out.append(UInt16(v4[2]) << 8 | UInt16(v4[3]))
                    continue
                }
                guard (1...4).contains(field.count) else { return nil }
                var v: UInt16 = 0
                for b in field {
                    guard let h = hexValue(b) else { return nil }
                    v = v << 4 | UInt16(h)
                }
                out.append(v)
            }
            return out
        }
        if let dc = doubleColon {
            guard let head = parseGroups(chars[..<dc], allowIPv4Tail: false),
                  let tail = parseGroups(chars[(dc + 2)...], allowIPv4Tail: true),
                  head.count + tail.count <= 7 else { return nil }
            return head + Array(repeating: 0, count: 8 - head.count - tail.count) + tail
        } else {
            guard let all = parseGroups(chars[...], allowIPv4Tail: true), all.count == 8 else { return nil }
            return all
        }
    }

    /// RFC 5952 section 4 (and section 5 for the mixed IPv4 notation).
    static func formatIPv6(_ g: [UInt16]) -> String {
        precondition(g.count == 8)
        let mapped = g[0...4].allSatisfy { $0 == 0 } && g[5] == 0xFFFF
        let nat64 = g[0] == 0x64 && g[1] == 0xFF9B && g[2...5].allSatisfy { $0 == 0 }
        let dotted = mapped || nat64
        let hexCount = dotted ? 6 : 8
        // Longest run (≥ 2) of zero groups, first on ties.
        var bestStart = -1, bestLen = 0, runStart = -1
        for idx in 0...hexCount {
            if idx < hexCount && g[idx] == 0 {
                if runStart < 0 { runStart = idx }
            } else if runStart >= 0 {
                let len = idx - runStart
                if len > bestLen { bestStart = runStart; bestLen = len }
                runStart = -1
            }
        }
        if bestLen < 2 { bestStart = -1 }
        var pieces: [String] = []
        var out = ""
        var idx = 0
        while idx < hexCount {
            if idx == bestStart {
                out += (pieces.isEmpty ? "" : pieces.joined(separator: ":")) + "::"
                pieces = []
                idx += bestLen
                continue
            }
            pieces.append(String(g[idx], radix: 16))
            idx += 1
        }
        if dotted {
            let v4 = "\(g[6] >> 8).\(g[6] & 0xFF).\(g[7] >> 8).\(g[7] & 0xFF)"
            pieces.append(v4)
        }
        out += pieces.joined(separator: ":")
        return out
    }

    static func hexValue(_ b: UInt8) -> UInt8? {
        switch b {
        case 0x30...0x39: b - 0x30
        case 0x61...0x66: b - 0x61 + 10
        case 0x41...0x46: b - 0x41 + 10
        default: nil
        }
    }

    // MARK: Domain

    static func domain(_ value: String) -> String? {
        var s = nfkc(value).lowercased()
        if !s.utf8.allSatisfy({ $0 < 0x80 }) {
            s = s.replacingOccurrences(of: "\u{3002}", with: ".").replacingOccurrences(of: "\u{FF61}", with: ".")
        }
        if s.hasSuffix(".") { s.removeLast() }
        let labels = s.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2, s.unicodeScalars.count <= 253 else { return nil }
        for label in labels {
            let scalars = label.unicodeScalars
            guard (1...63).contains(scalars.count),
                  scalars.first != "-", scalars.last != "-",
                  scalars.allSatisfy(isDomainLabelScalar) else { return nil }
        }
        if labels.last!.unicodeScalars.allSatisfy({ $0.value >= 0x30 && $0.value <= 0x39 }) { return nil }
        return s
    }

    /// ASCII letter, digit or hyphen, or a non-ASCII letter, mark or number.
    static func isDomainLabelScalar(_ c: Unicode.Scalar) -> Bool {
        switch c.value {
        case 0x30...0x39, 0x61...0x7A, 0x41...0x5A, 0x2D: return true
        case 0...0x7F: return false
        default:
            if c.properties.isAlphabetic { return true }
            switch c.properties.generalCategory {
            case .nonspacingMark, .spacingMark, .enclosingMark, .decimalNumber: return true
            default: return false
            }
        }
    }

    // MARK: E-mail

    static func email(_ value: String) -> String? {
        let s = nfkc(value)
        let parts = s.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2 else { return nil }
        let local = parts[0]
        guard (1...64).contains(local.utf8.count),
              local.first != ".", local.last != ".", !local.contains(".."),
              local.unicodeScalars.allSatisfy(isLocalPartScalar),
              let dom = domain(String(parts[1])) else { return nil }
        return local.lowercased() + "@" + dom
    }

    /// RFC 5322 `atext` plus "." (dot placement checked separately), or non-ASCII (RFC 6531).
    static func isLocalPartScalar(_ c: Unicode.Scalar) -> Bool {
        switch c.value {
        case 0x30...0x39, 0x61...0x7A, 0x41...0x5A: return true
        case 0...0x7F: return "!#$%&'*+-/=?^_`{|}~.".unicodeScalars.contains(c)
        default: return !c.properties.isWhitespace && c.properties.generalCategory != .control
                && c.properties.generalCategory != .format
        }
    }

    // MARK: URL

    static func url(_ value: String) -> String? {
        let s = value.trimmingCharacters(in: .whitespaces)
        guard !s.unicodeScalars.contains(where: { $0.properties.isWhitespace || $0.value < 0x20 || $0.value == 0x7F }),
              let sep = s.range(of: "://") else { return nil }
        let scheme = s[..<sep.lowerBound].lowercased()
        let defaultPort: Int
        switch scheme {
        case "http": defaultPort = 80
        case "https": defaultPort = 443
        case "ftp": defaultPort = 21
        default: return nil
        }
        let rest = s[sep.upperBound...]
        let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        var path = String(rest[authorityEnd...])
        var userinfo = ""
        var hostPort = authority
        if let at = authority.lastIndex(of: "@") {
            userinfo = String(authority[...at])
            hostPort = authority[authority.index(after: at)...]
        }
        let host: String
        var portText: Substring? = nil
        if hostPort.hasPrefix("[") {
            guard let close = hostPort.firstIndex(of: "]"),
                  let v6 = ipv6(String(hostPort[hostPort.index(after: hostPort.startIndex)..<close])) else { return nil }
            host = "[" + v6 + "]"
            let after = hostPort[hostPort.index(after: close)...]
            if !after.isEmpty {
                guard after.first == ":" else { return nil }
                portText = after.dropFirst()
            }
        } else {
            var hostText = hostPort
            if let colon = hostPort.firstIndex(of: ":") {
                hostText = hostPort[..<colon]
                portText = hostPort[hostPort.index(after: colon)...]
            }
            if let v4 = ipv4(String(hostText)) {
                host = v4
            } else if hostText.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }) {
                return nil
            } else if let d = domain(String(hostText)) {
                host = d
            } else {
                return nil
            }
        }
        var port = ""
        if let p = portText, !p.isEmpty {
            guard p.count <= 5, p.allSatisfy({ $0.isASCII && $0.isNumber }), let n = Int(p), n <= 65535 else { return nil }
            if n != defaultPort { port = ":\(n)" }
        }
        if path.isEmpty || path.hasPrefix("?") || path.hasPrefix("#") { path = "/" + path }
        return scheme + "://" + userinfo + host + port + path
    }

    // MARK: File hash

    static func fileHash(_ value: String) -> String? {
        var s = Substring(value.trimmingCharacters(in: .whitespaces))
        var declared: String? = nil
        if let colon = s.firstIndex(of: ":") {
            declared = s[..<colon].lowercased()
            s = s[s.index(after: colon)...]
        }
        guard s.utf8.allSatisfy({ hexValue($0) != nil }), let algorithm = hashAlgorithm(length: s.utf8.count) else { return nil }
        if let declared, declared != algorithm { return nil }
        return algorithm + ":" + s.lowercased()
    }

    static func hashAlgorithm(length: Int) -> String? {
        switch length {
        case 32: "md5"
        case 40: "sha1"
        case 64: "sha256"
        case 128: "sha512"
        default: nil
        }
    }
}
