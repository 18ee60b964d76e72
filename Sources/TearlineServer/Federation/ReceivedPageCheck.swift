import Foundation
import TearlineCore

/// A page of pulled releases parsed and their signatures verified on every core, before the
/// transaction that stores them (see ``FederationService/receiveFederationPage(peer:organization:objects:next:)``).
///
/// Only a verdict that a signature *does* verify is taken from here, and only for the exact
/// content and signature bytes checked, under the key the transaction reads itself; anything
/// else is checked again inside the transaction, where every refusal is audited.
struct ReceivedPageCheck: Sendable {
    struct Item: Sendable {
        /// The content as received, and what it parsed to (nil: it did not parse).
        var content: Data
        var parsed: SignedRelease?
        var signature: Data
        /// Whether `signature` verifies over `content` under ``ReceivedPageCheck/publicKey``.
        var verified: Bool
    }

    /// The key the signatures were verified under (nil: the peer is unknown; nothing was checked).
    var publicKey: Data?
    /// One per object of the page, in order (nil: not a well-formed federation object).
    var items: [Item?]

    static func run(_ objects: [JSONValue], publicKey: Data?) async -> ReceivedPageCheck {
        guard let publicKey, !objects.isEmpty else { return ReceivedPageCheck(publicKey: publicKey, items: []) }
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, objects.count / 8))
        let chunk = (objects.count + workers - 1) / workers
        let items = await withTaskGroup(of: (Int, [Item?]).self) { group in
            for start in stride(from: 0, to: objects.count, by: chunk) {
                let slice = objects[start..<min(objects.count, start + chunk)]
                group.addTask { (start, slice.map { check($0, publicKey: publicKey) }) }
            }
            var byStart: [(Int, [Item?])] = []
            for await part in group { byStart.append(part) }
            return byStart.sorted { $0.0 < $1.0 }.flatMap(\.1)
        }
        return ReceivedPageCheck(publicKey: publicKey, items: items)
    }

    /// The Tearline release block of a pulled STIX object (its id, signed content and signature).
    static func releaseBlock(of object: JSONValue) -> JSONObject? {
        object.objectValue?["extensions"]?.objectValue?[STIXTearline.extensionID]?.objectValue?["release"]?.objectValue
    }

    /// A release block's content and signature, base64-decoded; nil when either is missing or not base64.
    static func signed(_ block: JSONObject?) -> (content: Data, signature: Data)? {
        guard let contentText = block?["content"]?.stringValue, let content = Data(base64Encoded: contentText),
              let signatureText = block?["signature"]?.stringValue, let signature = Data(base64Encoded: signatureText) else { return nil }
        return (content, signature)
    }

    private static func check(_ object: JSONValue, publicKey: Data) -> Item? {
        guard let (content, signature) = signed(releaseBlock(of: object)) else { return nil }
        let bytes = Array(content)
        let parsed = try? CanonicalContent.parseRelease(bytes)
        // why only parsed content: the bytes verified are the ones parsing proved canonical, as inside the transaction.
        let verified = parsed != nil && ContentSignature.verify(signature, bytes: bytes, publicKey: publicKey)
        return Item(content: content, parsed: parsed, signature: signature, verified: verified)
    }
}
