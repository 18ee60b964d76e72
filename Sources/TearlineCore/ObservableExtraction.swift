/// An observable found in free text.
public struct ExtractedObservable: Hashable, Sendable {
    public let kind: EntityKind
    /// The text as written (defanged forms such as "example[.]com" are kept as written).
    public let value: String
    /// The normalised key (after re-fanging), as `EntityNormalization.normalize` would give it.
    public let key: String

    public init(kind: EntityKind, value: String, key: String) {
        self.kind = kind
        self.value = value
        self.key = key
    }
}

/// Finds observables (URLs, e-mail addresses, IPv4/IPv6 addresses, file hashes, phone numbers
/// written with an international prefix, domains) in free text. Hand-written linear scans, no
/// regular expressions.
///
/// - Defanged forms ("hxxp://", "[.]", "(.)", "{.}", "[dot]", "[@]", "[at]", "[:]") are
///   re-fanged before matching; the reported `value` is the text as written.
/// - Anything inside a URL or an e-mail address (its host, an IP host, a hash in its path) is
///   reported only as that URL or e-mail address.
/// - Trailing punctuation `.,;:)!?"'` (and an unbalanced `]`) is not part of a match.
/// - Domains need a letters-only top-level label of at least two letters that is not a common
///   file extension. Run-together sentences ("attack.The") can still look like domains.
/// - File hashes must be standalone words (not glued to other letters, digits or "_").
/// - Phone numbers need a leading "+" or "00"; the "00" form must be written in digit groups
///   ("0044 20 7946 0958"), since an unbroken run like "0012345678" is usually an identifier.
/// - Version numbers with four numeric parts ("1.2.3.4-beta") are indistinguishable from IPv4
///   addresses and are reported as such, unless glued to a letter ("v1.2.3.4").
public enum ObservableExtraction {
    /// Observables found in free text, each once per (kind, key), in order of first appearance.
    public static func extract(from text: String) -> [ExtractedObservable] {
        var scanner = TextScanner(text: text)
        scanner.scanURLs()
        scanner.scanEmails()
        scanner.scanIPv6()
        scanner.scanIPv4()
        scanner.scanHashes()
        scanner.scanPhones()
        scanner.scanDomains()
        scanner.found.sort { $0.start < $1.start }
        var seen = Set<NormalizedEntity>()
        var result: [ExtractedObservable] = []
        for f in scanner.found where seen.insert(NormalizedEntity(kind: f.item.kind, key: f.item.key)).inserted {
            result.append(f.item)
        }
        return result
    }

    /// Extensions that look like top-level labels but almost always name files.
    static let fileExtensions: Set<String> = [
        "pdf", "doc", "docx", "docm", "xls", "xlsx", "xlsm", "ppt", "pptx", "rtf", "txt", "csv",
        "jpg", "jpeg", "png", "gif", "bmp", "zip", "rar", "exe", "dll", "msi", "bat", "cmd", "vbs",
        "js", "json", "xml", "htm", "html", "log", "ini", "cfg", "dat", "bin", "tmp", "iso", "lnk",
        "jar", "hta", "scr", "php",
    ]

    private struct Found {
        let start: Int
        let item: ExtractedObservable
    }

    private struct TextScanner {
        let original: [Unicode.Scalar]
        /// Re-fanged text.
        var s: [Unicode.Scalar] = []
        /// For each scalar of `s`, the range of `original` it stands for.
        var origStart: [Int] = []
        var origEnd: [Int] = []
        var consumed: [Bool]
        var found: [Found] = []

        init(text: String) {
            original = Array(text.unicodeScalars)
            s.reserveCapacity(original.count)
            origStart.reserveCapacity(original.count)
            origEnd.reserveCapacity(original.count)
            let replacements: [(String, String)] = [
                ("[.]", "."), ("(.)", "."), ("{.}", "."), ("[dot]", "."), ("(dot)", "."),
                ("[@]", "@"), ("(@)", "@"), ("[at]", "@"), ("[:]", ":"), ("[://]", "://"),
            ].map { ($0.0, $0.1) }
            let reps = replacements.map { (Array($0.0.unicodeScalars), Array($0.1.unicodeScalars)) }
            var i = 0
            let n = original.count
            outer: while i < n {
                let c = original[i]
                if c == "[" || c == "(" || c == "{" {
                    for (pattern, replacement) in reps where TextScanner.matches(original, at: i, pattern, caseInsensitive: true) {
                        for r in replacement {
                            s.append(r); origStart.append(i); origEnd.append(i + pattern.count)
                        }
                        i += pattern.count
                        continue outer
                    }
                }
                // hxxp:// and hxxps:// (any case) → http:// and https://
                if (c == "h" || c == "H"), i == 0 || !TextScanner.isAlnum(original[i - 1]),
                   TextScanner.matches(original, at: i, Array("hxxp".unicodeScalars), caseInsensitive: true) {
                    for (k, r) in "http".unicodeScalars.enumerated() {
                        s.append(r); origStart.append(i + k); origEnd.append(i + k + 1)
                    }
                    i += 4
                    continue
                }
                s.append(c); origStart.append(i); origEnd.append(i + 1)
                i += 1
            }
            consumed = Array(repeating: false, count: s.count)
        }

        // MARK: Helpers

        static func matches(_ a: [Unicode.Scalar], at i: Int, _ p: [Unicode.Scalar], caseInsensitive: Bool) -> Bool {
            guard i + p.count <= a.count else { return false }
            for k in 0..<p.count {
                var x = a[i + k].value
                if caseInsensitive && x >= 0x41 && x <= 0x5A { x += 0x20 }
                if x != p[k].value { return false }
            }
            return true
        }

        static func isAlnum(_ c: Unicode.Scalar) -> Bool {
            switch c.value {
            case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: true
            case 0...0x7F: false
            default: c.properties.isAlphabetic || c.properties.numericType != nil
            }
        }

        static func isDigit(_ c: Unicode.Scalar) -> Bool { c.value >= 0x30 && c.value <= 0x39 }
        static func isHex(_ c: Unicode.Scalar) -> Bool { c.value < 0x80 && EntityNormalization.hexValue(UInt8(c.value)) != nil }
        static func isWordish(_ c: Unicode.Scalar) -> Bool { isAlnum(c) || c == "_" }

        func char(_ i: Int) -> Unicode.Scalar? { i >= 0 && i < s.count ? s[i] : nil }

        func text(_ a: Int, _ b: Int) -> String {
            var v = String.UnicodeScalarView()
            v.append(contentsOf: s[a..<b])
            return String(v)
        }

        func isFree(_ a: Int, _ b: Int) -> Bool {
            for k in a..<b where consumed[k] { return false }
            return true
        }

        mutating func record(_ kind: EntityKind, _ a: Int, _ b: Int, key: String) {
            var v = String.UnicodeScalarView()
            v.append(contentsOf: original[origStart[a]..<origEnd[b - 1]])
            found.append(Found(start: a, item: ExtractedObservable(kind: kind, value: String(v), key: key)))
            for k in a..<b { consumed[k] = true }
        }

        static let trailing: Set<Unicode.Scalar> = [".", ",", ";", ":", ")", "!", "?", "\"", "'", "]"]

        // MARK: URLs

        mutating func scanURLs() {
            let schemes = ["http://", "https://", "ftp://"].map { Array($0.unicodeScalars) }
            let stops: Set<Unicode.Scalar> = ["<", ">", "\"", "`", "{", "}", "|", "\\", "^"]
            var i = 0
            while i < s.count {
                let c = s[i]
                guard c == "h" || c == "H" || c == "f" || c == "F", i == 0 || !TextScanner.isAlnum(s[i - 1]),
                      schemes.contains(where: { TextScanner.matches(s, at: i, $0, caseInsensitive: true) }) else { i += 1; continue }
                var j = i
                while j < s.count, !s[j].properties.isWhitespace, !stops.contains(s[j]) { j += 1 }
                // Strip trailing punctuation; keep a closing bracket that balances one inside.
                while j > i, TextScanner.trailing.contains(s[j - 1]) {
                    let last = s[j - 1]
                    if last == ")" || last == "]" {
                        let open: Unicode.Scalar = last == ")" ? "(" : "["
                        let opens = s[i..<j].filter { $0 == open }.count
                        let closes = s[i..<j].filter { $0 == last }.count
                        if opens >= closes { break }
                    }
                    j -= 1
                }
                if let key = EntityNormalization.url(text(i, j)) {
                    record(.url, i, j, key: key)
                }
                i = max(j, i + 1)
            }
        }

        // MARK: E-mail

        static func isLocalChar(_ c: Unicode.Scalar) -> Bool {
            isAlnum(c) || c == "." || c == "_" || c == "%" || c == "+" || c == "-"
        }

        static func isHostChar(_ c: Unicode.Scalar) -> Bool {
            c == "." || EntityNormalization.isDomainLabelScalar(c)
        }

        mutating func scanEmails() {
            for p in 0..<s.count where s[p] == "@" && !consumed[p] {
                var a = p
                while a > 0, TextScanner.isLocalChar(s[a - 1]), !consumed[a - 1] { a -= 1 }
                while a < p, s[a] == "." { a += 1 }
                var b = p + 1
                while b < s.count, TextScanner.isHostChar(s[b]), !consumed[b] { b += 1 }
                while b > p + 1, s[b - 1] == "." || s[b - 1] == "-" { b -= 1 }
                guard a < p, b > p + 1, isFree(a, b) else { continue }
                if let key = EntityNormalization.email(text(a, b)) {
                    record(.email, a, b, key: key)
                }
            }
        }

        // MARK: IPv6

        mutating func scanIPv6() {
            var i = 0
            while i < s.count {
                guard TextScanner.isHex(s[i]) || s[i] == ":" else { i += 1; continue }
                var j = i
                var colons = 0, hexDigits = 0
                while j < s.count, TextScanner.isHex(s[j]) || s[j] == ":" || s[j] == "." {
                    if s[j] == ":" { colons += 1 } else if s[j] != "." { hexDigits += 1 }
                    j += 1
                }
                defer { i = j }
                guard colons >= 2, hexDigits >= 1,
                      i == 0 || !TextScanner.isWordish(s[i - 1]),
                      j == s.count || !TextScanner.isWordish(s[j]) else { continue }
                var end = j
                while end > i {
                    if isFree(i, end), let key = EntityNormalization.ipv6(text(i, end)) {
                        record(.ipv6, i, end, key: key)
                        break
                    }
                    guard s[end - 1] == "." || s[end - 1] == ":" else { break }
                    end -= 1
                }
            }
        }

        // MARK: IPv4

        mutating func scanIPv4() {
            var i = 0
            while i < s.count {
                guard TextScanner.isDigit(s[i]) else { i += 1; continue }
                var j = i
                while j < s.count, TextScanner.isDigit(s[j]) || s[j] == "." { j += 1 }
                defer { i = j }
                var end = j
                while end > i, s[end - 1] == "." { end -= 1 }
                if i > 0 {
                    let before = s[i - 1]
                    if TextScanner.isWordish(before) || before == "." || before == "+" || before == "," { continue }
                }
                if end < s.count, TextScanner.isWordish(s[end]) { continue }
                guard isFree(i, end), let key = EntityNormalization.ipv4(text(i, end)) else { continue }
                record(.ipv4, i, end, key: key)
            }
        }

        // MARK: Hashes

        mutating func scanHashes() {
            var i = 0
            while i < s.count {
                guard TextScanner.isWordish(s[i]) else { i += 1; continue }
                var j = i
                var allHex = true
                while j < s.count, TextScanner.isWordish(s[j]) {
                    if !TextScanner.isHex(s[j]) { allHex = false }
                    j += 1
                }
                defer { i = j }
                guard allHex, EntityNormalization.hashAlgorithm(length: j - i) != nil, isFree(i, j),
                      let key = EntityNormalization.fileHash(text(i, j)) else { continue }
                record(.fileHash, i, j, key: key)
            }
        }

        // MARK: Phones

        mutating func scanPhones() {
            var i = 0
            while i < s.count {
                let prev = char(i - 1)
                let isPlus = s[i] == "+" && (char(i + 1).map(TextScanner.isDigit) ?? false)
                    && !(prev.map(TextScanner.isWordish) ?? false)
                let isDoubleZero = s[i] == "0" && char(i + 1) == "0"
                    && (char(i + 2).map { $0.value >= 0x31 && $0.value <= 0x39 } ?? false)
                    && !(prev.map { TextScanner.isWordish($0) || ".,+-/:".unicodeScalars.contains($0) } ?? false)
                guard isPlus || isDoubleZero else { i += 1; continue }
                let start = (isPlus && prev == "(") ? i - 1 : i
                // Ends after each digit group, with the digit count up to there.
                var groupEnds: [(end: Int, digits: Int)] = []
                var digits = 0
                var j = isPlus ? i + 1 : i
                var lastWasSpace = false
                while j < s.count {
                    let c = s[j]
                    if TextScanner.isDigit(c) {
                        digits += 1
                        lastWasSpace = false
                        if j + 1 >= s.count || !TextScanner.isDigit(s[j + 1]) { groupEnds.append((j + 1, digits)) }
                    } else if c == " " || c == "\u{00A0}" {
                        if lastWasSpace { break }
                        lastWasSpace = true
                    } else if c == "-" || c == "." || c == "(" || c == ")" {
                        lastWasSpace = false
                    } else {
                        break
                    }
                    j += 1
                }
                // A number glued to letters (e.g. "+12345678abc") is not a phone number.
                if let last = groupEnds.last, last.end < s.count, TextScanner.isWordish(s[last.end]) {
                    i = last.end
                    continue
                }
                guard let chosen = groupEnds.last(where: { $0.digits <= 15 }), chosen.digits >= 8,
                      // An unbroken digit run starting "00" is more often an identifier than a phone.
                      isPlus || groupEnds.first!.end < chosen.end,
                      isFree(start, chosen.end),
                      let key = EntityNormalization.phone(text(start, chosen.end)) else {
                    i += 1
                    continue
                }
                record(.phone, start, chosen.end, key: key)
                i = chosen.end
            }
        }

        // MARK: Domains

        mutating func scanDomains() {
            var i = 0
            while i < s.count {
                guard TextScanner.isHostChar(s[i]) else { i += 1; continue }
                var j = i
                while j < s.count, TextScanner.isHostChar(s[j]) { j += 1 }
                defer { i = j }
                if i > 0, TextScanner.isWordish(s[i - 1]) || "@/\\".unicodeScalars.contains(s[i - 1]) { continue }
                if j < s.count, s[j] == "@" || s[j] == "_" { continue }
                var a = i, b = j
                while a < b, s[a] == "." || s[a] == "-" { a += 1 }
                while b > a, s[b - 1] == "." || s[b - 1] == "-" { b -= 1 }
                // why: a domain has a dot between labels; most words have none, and are skipped cheaply.
                guard a < b, (a..<b).contains(where: { s[$0] == "." }), isFree(a, b) else { continue }
                let candidate = text(a, b)
                guard let key = EntityNormalization.domain(candidate),
                      let tld = key.split(separator: ".").last, tld.count >= 2,
                      tld.unicodeScalars.allSatisfy({ $0.properties.isAlphabetic }),
                      !ObservableExtraction.fileExtensions.contains(String(tld)) else { continue }
                record(.domain, a, b, key: key)
            }
        }
    }
}
