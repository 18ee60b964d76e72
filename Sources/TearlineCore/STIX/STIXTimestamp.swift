/// A STIX/TAXII timestamp: microseconds since the Unix epoch, UTC.
///
/// Parsing and formatting are hand-written (civil-from-days after Howard Hinnant) because
/// Foundation's date formatters are far too slow for mapping thousands of objects a second.
public struct STIXTimestamp: Sendable, Hashable, Comparable {
    /// Microseconds since 1970-01-01T00:00:00Z; negative before it.
    public var microseconds: Int64

    public init(microseconds: Int64) {
        self.microseconds = microseconds
    }

    public init(milliseconds: Int64) {
        self.microseconds = milliseconds * 1000
    }

    public static func < (lhs: STIXTimestamp, rhs: STIXTimestamp) -> Bool { lhs.microseconds < rhs.microseconds }

    /// Parses RFC 3339 `YYYY-MM-DDTHH:MM:SS[.fraction]Z` with up to nine fraction digits;
    /// digits beyond microseconds are truncated. Only an upper-case `T` and `Z` are accepted
    /// (STIX requires UTC written as `Z`). Leap seconds (`:60`) are refused.
    public init?(parsing text: String) {
        var text = text
        guard let value = text.withUTF8({ Self.parse($0) }) else { return nil }
        self.microseconds = value
    }

    private static func parse(_ b: UnsafeBufferPointer<UInt8>) -> Int64? {
        guard b.count >= 20 else { return nil }
        func digits(_ start: Int, _ count: Int) -> Int? {
            var value = 0
            for i in start..<(start + count) {
                let d = b[i] &- 0x30
                guard d < 10 else { return nil }
                value = value * 10 + Int(d)
            }
            return value
        }
        guard b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-"), b[10] == UInt8(ascii: "T"),
            b[13] == UInt8(ascii: ":"), b[16] == UInt8(ascii: ":"),
            let year = digits(0, 4), let month = digits(5, 2), let day = digits(8, 2),
            let hour = digits(11, 2), let minute = digits(14, 2), let second = digits(17, 2)
        else { return nil }
        guard (1...12).contains(month), day >= 1, day <= daysInMonth(year: year, month: month),
            hour < 24, minute < 60, second < 60
        else { return nil }
        var micros = 0
        var i = 19
        if b[i] == UInt8(ascii: ".") {
            i += 1
            let fractionStart = i
            var scale = 100_000
            while i < b.count, b[i] &- 0x30 < 10 {
                micros += Int(b[i] &- 0x30) * scale
                scale /= 10
                i += 1
            }
            let count = i - fractionStart
            guard count >= 1, count <= 9 else { return nil }
        }
        guard i == b.count - 1, b[i] == UInt8(ascii: "Z") else { return nil }
        let days = Int64(daysFromCivil(year: year, month: month, day: day))
        let seconds = days * 86_400 + Int64(hour * 3600 + minute * 60 + second)
        return seconds * 1_000_000 + Int64(micros)
    }

    static func isLeapYear(_ y: Int) -> Bool { y % 4 == 0 && (y % 100 != 0 || y % 400 == 0) }

    static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Hinnant's `days_from_civil`).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The date of a day count since 1970-01-01 (Hinnant's `civil_from_days`).
    static func civilFromDays(_ z: Int) -> (year: Int, month: Int, day: Int) {
        let z = z + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// The STIX form, with milliseconds: `2026-11-27T01:10:35.123Z`.
    public var stix: String { format(fractionDigits: 3) }

    /// The TAXII form, with microseconds: `2026-11-27T01:10:35.123456Z`.
    public var taxii: String { format(fractionDigits: 6) }

    private func format(fractionDigits: Int) -> String {
        // Floor division, so instants before 1970 land on the right day.
        var days = microseconds / 86_400_000_000
        var rest = microseconds % 86_400_000_000
        if rest < 0 {
            days -= 1
            rest += 86_400_000_000
        }
        let (year, month, day) = Self.civilFromDays(Int(days))
        let secondOfDay = Int(rest / 1_000_000)
        let micros = Int(rest % 1_000_000)
        var out: [UInt8] = []
        out.reserveCapacity(27)
        func put(_ value: Int, _ width: Int) {
            var divisor = 1
            for _ in 1..<width { divisor *= 10 }
            var v = value
            while divisor > 0 {
                out.append(0x30 + UInt8(v / divisor))
                v %= divisor
                divisor /= 10
            }
        }
        var y = year
        if y < 0 {
            out.append(UInt8(ascii: "-"))
            y = -y
        }
        // why: years past 9999 print all their digits rather than wrap.
        put(y, max(4, String(y).count))
        out.append(UInt8(ascii: "-")); put(month, 2)
        out.append(UInt8(ascii: "-")); put(day, 2)
        out.append(UInt8(ascii: "T")); put(secondOfDay / 3600, 2)
        out.append(UInt8(ascii: ":")); put(secondOfDay / 60 % 60, 2)
        out.append(UInt8(ascii: ":")); put(secondOfDay % 60, 2)
        out.append(UInt8(ascii: "."))
        put(fractionDigits == 3 ? micros / 1000 : micros, fractionDigits)
        out.append(UInt8(ascii: "Z"))
        return String(decoding: out, as: UTF8.self)
    }
}

extension STIXTimestamp: CustomStringConvertible {
    public var description: String { taxii }
}
