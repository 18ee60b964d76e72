/// How a banner is shown: the conventional colour of its classification, and TLP in the colours
/// FIRST gives it. The console draws every banner with these; the names are CSS class names.
public struct BannerStyle: Sendable, Hashable {
    /// The banner's text, for example `SECRET//REL TO USA, GBR`.
    public let text: String
    /// The classification's colour class: `unclassified` (green), `restricted`, `confidential`
    /// (blue), `secret` (red) or `top-secret` (orange).
    public let classification: String
    /// The TLP colour class (`tlp-red`, `tlp-amber`, `tlp-green`, `tlp-clear`), when the banner
    /// carries TLP; `TLP:AMBER+STRICT` is amber.
    public let tlp: String?
    /// The TLP label as written in the banner (`TLP:AMBER+STRICT`), when it carries TLP.
    public let tlpLabel: String?

    public init(_ marking: Marking) {
        self.init(text: marking.banner, classification: Self.className(marking.classification), tlp: marking.tlp)
    }

    init(text: String, classification: String, tlp level: TLPLevel?) {
        self.text = text
        self.classification = classification
        tlp = level.map(Self.className)
        tlpLabel = level.map { "TLP:" + $0.label }
    }

    /// The style of a banner given as text: the marking it parses to; text that is not a marking
    /// keeps its words and takes the `unknown` style, never a classification's colour.
    public init(text: String) {
        if let marking = try? Marking.parse(text) {
            self.init(marking)
        } else {
            self.init(text: text, classification: "unknown", tlp: nil)
        }
    }

    /// The style of the banner rolled up from `markings` (see ``Banner/rollUp(_:)``), or `nil` when there are none.
    public static func rolledUp<S: Sequence>(_ markings: S) -> BannerStyle? where S.Element == Marking {
        Banner.rollUp(markings).map(BannerStyle.init)
    }

    static func className(_ classification: Classification) -> String {
        switch classification {
        case .unclassified: "unclassified"
        case .restricted: "restricted"
        case .confidential: "confidential"
        case .secret: "secret"
        case .topSecret: "top-secret"
        }
    }

    static func className(_ tlp: TLPLevel) -> String {
        switch tlp {
        case .clear: "tlp-clear"
        case .green: "tlp-green"
        case .amber, .amberStrict: "tlp-amber"
        case .red: "tlp-red"
        }
    }
}
