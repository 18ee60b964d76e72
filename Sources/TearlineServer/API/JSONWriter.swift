/// A minimal JSON writer for the hottest responses (report and release views), which
/// Foundation's `JSONEncoder` made a tenth of the cost of a view. The output is the same
/// document `Codable` would produce: keys in sorted order, absent optionals omitted.
struct JSONWriter {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int = 1024) {
        bytes.reserveCapacity(capacity)
    }

    mutating func appendRaw(_ json: [UInt8]) {
        bytes.append(contentsOf: json)
    }

    mutating func raw(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    mutating func string(_ value: String) {
        bytes.append(UInt8(ascii: "\""))
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes.append(UInt8(ascii: "\\")); bytes.append(byte)
            case UInt8(ascii: "\\"): bytes.append(UInt8(ascii: "\\")); bytes.append(byte)
            case 0x0A: bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "n"))
            case 0x0D: bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "r"))
            case 0x09: bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "t"))
            case 0x00..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                bytes.append(contentsOf: Array("\\u00".utf8))
                bytes.append(hex[Int(byte >> 4)])
                bytes.append(hex[Int(byte & 0x0F)])
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    mutating func int(_ value: Int) {
        bytes.append(contentsOf: String(value).utf8)
    }

    /// A finite number; JSON has no NaN or infinity, so those are written as 0.
    mutating func double(_ value: Double) {
        bytes.append(contentsOf: (value.isFinite ? "\(value)" : "0").utf8)
    }

    mutating func bool(_ value: Bool) {
        if value { raw("true") } else { raw("false") }
    }

    mutating func strings(_ values: [String]) {
        bytes.append(UInt8(ascii: "["))
        for (i, value) in values.enumerated() {
            if i > 0 { bytes.append(UInt8(ascii: ",")) }
            string(value)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    /// Writes `"key":` preceded by a comma unless it is the first member.
    mutating func key(_ name: StaticString, first: Bool = false) {
        if !first { bytes.append(UInt8(ascii: ",")) }
        bytes.append(UInt8(ascii: "\""))
        raw(name)
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
    }
}

/// A response that writes its own JSON.
protocol JSONWritable {
    func write(to writer: inout JSONWriter)
}

extension DocumentView: JSONWritable {
    func write(to w: inout JSONWriter) {
        w.raw("{")
        w.key("banner", first: true); w.string(banner)
        if let corroboration {
            w.key("corroboration"); w.raw("{")
            w.key("independentOriginators", first: true); w.int(corroboration.independentOriginators)
            w.key("originators"); w.strings(corroboration.originators); w.raw("}")
        }
        w.key("createdAt"); w.string(createdAt)
        w.key("entities"); w.raw("[")
        for (i, e) in entities.enumerated() {
            if i > 0 { w.raw(",") }
            w.raw("{"); w.key("portion", first: true); w.int(e.portion)
            w.key("type"); w.string(e.type)
            w.key("value"); w.string(e.value); w.raw("}")
        }
        w.raw("]")
        w.key("id"); w.string(id)
        w.key("kind"); w.string(kind)
        w.key("originator"); w.string(originator)
        w.key("portions"); w.raw("[")
        for (i, p) in portions.enumerated() {
            if i > 0 { w.raw(",") }
            w.raw("{"); w.key("index", first: true); w.int(p.index)
            w.key("marking"); w.string(p.marking)
            w.key("sourcesAndMethods"); w.bool(p.sourcesAndMethods)
            w.key("text"); w.string(p.text); w.raw("}")
        }
        w.raw("]")
        if let recipient { w.key("recipient"); w.string(recipient) }
        w.key("reportId"); w.string(reportId)
        if let revoked { w.key("revoked"); w.bool(revoked) }
        w.key("sourceGrade"); w.string(sourceGrade)
        if let title { w.key("title"); w.string(title) }
        if let titleMarking { w.key("titleMarking"); w.string(titleMarking) }
        w.key("topics"); w.strings(topics)
        if let t = trackRecord {
            w.key("trackRecord"); w.raw("{")
            w.key("cannotJudge", first: true); w.int(t.cannotJudge)
            w.key("confirmed"); w.int(t.confirmed)
            w.key("high"); w.double(t.high)
            w.key("judged"); w.int(t.judged)
            w.key("low"); w.double(t.low)
            w.key("mean"); w.double(t.mean)
            w.key("partlyConfirmed"); w.int(t.partlyConfirmed)
            w.key("refuted"); w.int(t.refuted); w.raw("}")
        }
        w.key("withheldPortions"); w.int(withheldPortions)
        w.raw("}")
    }
}
