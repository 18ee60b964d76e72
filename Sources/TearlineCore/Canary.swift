import Crypto
import Foundation

// Leak tracing by canary trap.
//
// Every copy of a text served to a member spells a fingerprint of (document, recipient) in its choices
// among equivalent forms: "organisation" or "organization", "towards" or "toward", "12,500" or "12500".
// Each place where such a choice exists is a *slot*. A slot is named by a *context*: a 64-bit hash of
// its class and of the normalised words around it, never of its position, so the fingerprint survives
// copying, stripping invisible characters, collapsing whitespace and cutting out a paragraph.
//
// Everything here is version 1 of the scheme. The table, the normalisation, the context hash, the copy-key
// derivation and the per-slot choice are frozen (tests pin them): changing any of them makes copies served
// earlier untraceable. A new scheme needs a new version string and must keep this one for old copies.

/// One slot seen in a text: where it is (its context), what it is (its class) and which form it shows.
public struct CanaryObservation: Sendable, Hashable {
    /// The context hash: the class and the normalised neighbouring words, never a position.
    public let context: UInt64
    /// The id of the variant class (``CanaryVariantClass/id``).
    public let classId: String
    /// The form seen: 0 for the class's first alternative, 1 for its second.
    public let alternative: Int

    /// An observation as stored or received; ``Canary/observe(_:)`` makes them from a text.
    public init(context: UInt64, classId: String, alternative: Int) {
        self.context = context
        self.classId = classId
        self.alternative = alternative
    }
}

/// The canary trap: marks each served copy of a text, and reads the marks back from a leak.
public enum Canary {
    /// Rewrites `text` so its equivalent forms spell a fingerprint of (document, recipient).
    ///
    /// Every slot is rewritten to the form chosen for this copy, whatever the author wrote; all other
    /// bytes are kept. A text without slots is returned unchanged.
    public static func mark(_ text: String, key: SymmetricKey, document: String, recipient: String) -> String {
        marker(key: key, document: document, recipient: recipient).mark(text)
    }

    /// A reusable marker for many texts of one copy (derives the copy key once).
    public static func marker(key: SymmetricKey, document: String, recipient: String) -> CanaryMarker {
        CanaryMarker(key: key, document: document, recipient: recipient)
    }

    /// The slot observations in a text, one per distinct context, in order of first appearance.
    ///
    /// A context seen twice with different forms is left out: a copy marked by this scheme always shows
    /// the same form for the same context, so such a pair says nothing about the copy.
    public static func observe(_ text: String) -> [CanaryObservation] {
        let table = CanaryTable.shared
        return CanaryScanner.withSlots(text) { _, slots in
            var firstIndex: [UInt64: Int] = [:]
            var conflicting: Set<UInt64> = []
            var result: [CanaryObservation] = []
            for slot in slots {
                if let i = firstIndex[slot.context] {
                    if result[i].alternative != Int(slot.alternative) { conflicting.insert(slot.context) }
                    continue
                }
                firstIndex[slot.context] = result.count
                result.append(CanaryObservation(
                    context: slot.context, classId: table.classes[Int(slot.classIndex)].id,
                    alternative: Int(slot.alternative)))
            }
            return conflicting.isEmpty ? result : result.filter { !conflicting.contains($0.context) }
        }
    }

    /// Slot contexts of an original text (for matching a leak to its document).
    public static func contexts(of text: String) -> Set<UInt64> {
        CanaryScanner.withSlots(text) { _, slots in Set(slots.map(\.context)) }
    }
}

/// Marks texts for one copy: one (key, document, recipient). Make one per read and use it for every
/// text the reader is shown (title, portions), so the copy key is derived once.
public struct CanaryMarker: Sendable {
    /// HMAC-SHA256(key, "tearline-canary-v1" ‖ len ‖ document ‖ len ‖ recipient), lengths as 8-byte big-endian.
    let copyKey: [UInt8]

    init(key: SymmetricKey, document: String, recipient: String) {
        var message = Array("tearline-canary-v1".utf8)
        message.reserveCapacity(message.count + 16 + document.utf8.count + recipient.utf8.count)
        // why: length prefixes keep ("ab", "c") and ("a", "bc") apart.
        for field in [document, recipient] {
            withUnsafeBytes(of: UInt64(field.utf8.count).bigEndian) { message.append(contentsOf: $0) }
            message.append(contentsOf: field.utf8)
        }
        copyKey = HMAC<SHA256>.authenticationCode(for: message, using: key).withUnsafeBytes { Array($0) }
    }

    /// Rewrites `text` so every slot shows this copy's form; every other byte is kept.
    public func mark(_ text: String) -> String {
        CanaryScanner.withSlots(text) { bytes, slots -> String? in
            guard !slots.isEmpty else { return nil }
            var chooser = CanaryChooser(copyKey: copyKey)
            let table = CanaryTable.shared
            var out: [UInt8] = []
            var copied = 0
            for slot in slots {
                let bit = chooser.bit(slot.context)
                if bit == slot.alternative { continue }
                if out.isEmpty { out.reserveCapacity(bytes.count + 64) }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[copied..<slot.start]))
                if Int(slot.classIndex) == table.numberClass {
                    CanaryScanner.renderNumber(bytes[slot.start..<slot.end], commas: bit == 0, into: &out)
                } else {
                    CanaryScanner.render(table.forms[Int(slot.classIndex)][Int(bit)], shape: slot.shape, into: &out)
                }
                copied = slot.end
            }
            guard copied > 0 else { return nil }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[copied...]))
            return String(decoding: out, as: UTF8.self)
        } ?? text
    }

    /// The form (0 or 1) this copy shows at the observation's context.
    public func expected(_ o: CanaryObservation) -> Int {
        var chooser = CanaryChooser(copyKey: copyKey)
        return Int(chooser.bit(o.context))
    }
}
