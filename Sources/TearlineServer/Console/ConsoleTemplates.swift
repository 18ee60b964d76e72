import Foundation
import Mustache

/// The console's Mustache templates and its stylesheet, loaded once from the target's resources.
/// Every value is written through `{{…}}`, which escapes for HTML; no template uses the raw forms.
enum ConsoleTemplates {
    static let directory: URL? = Bundle.module.url(forResource: "console", withExtension: nil)

    /// The templates, or why they could not be loaded (a broken build; every page then answers 500).
    static let library: Result<MustacheLibrary, any Error> = Result {
        guard let directory else { throw Missing(name: "console") }
        var library = MustacheLibrary()
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".mustache") }
        for name in names.sorted() {
            let text = try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
            try library.register(text, named: String(name.dropLast(".mustache".count)))
        }
        return library
    }

    /// A static file of the console (the stylesheet, small scripts), or `nil`.
    static func asset(_ name: String) -> Data? {
        guard let directory, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "." }), !name.hasPrefix(".") else { return nil }
        return FileManager.default.contents(atPath: directory.appendingPathComponent("static").appendingPathComponent(name).path)
    }

    /// Renders `page` with template `name`.
    static func render(_ page: Any, template name: String) throws -> String {
        guard let html = try library.get().render(page, withTemplate: name) else { throw Missing(name: name) }
        return html
    }

    struct Missing: Error, CustomStringConvertible {
        let name: String
        var description: String { "console template \(name) is missing" }
    }
}
