import ArgumentParser
import Foundation
import TearlineServer

struct TraceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trace",
        abstract: "Name the member whose fingerprinted copy a leaked text is, with a score.",
        discussion: "Exits 0 with a named source copy, 1 when the text matches no copy served by this node.")

    @OptionGroup var store: StoreOptions

    @Argument(help: "The leaked text, as a file ('-' reads standard input).")
    var file: String

    func run() async throws {
        let data: Data
        do {
            data = file == "-" ? FileHandle.standardInput.readDataToEndOfFile() : try Data(contentsOf: URL(fileURLWithPath: file))
        } catch {
            throw ValidationError("cannot read \(file): \(error.localizedDescription)")
        }
        guard let text = String(data: data, encoding: .utf8) else { throw ValidationError("\(file) is not UTF-8 text") }
        let service = try store.open()
        let result = try await service.traceAll(text: text)
        try printJSON(result)
        guard let best = result.best else {
            FileHandle.standardErrorWrite("tearline: no served copy matches this text (\(result.observed) fingerprint slots found)\n")
            throw ExitCode(1)
        }
        let margin = result.runnerUp.map { String(format: ", next %@ at %.2f", $0.member ?? $0.organization, $0.score) } ?? ""
        FileHandle.standardErrorWrite(String(format: "tearline: most likely the copy of %@ served to %@ (%@): %d of %d slots match, score %.2f, chance %.1e%@\n",
                                             best.document, best.member ?? "?", best.organization, best.matches, best.observed, best.score, best.chance, margin))
    }
}
