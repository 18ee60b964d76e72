import ArgumentParser
import Foundation
import TearlineCore

/// Reads MISP events from files and feed directories, with progress on a terminal. A file that
/// cannot be read or parsed stops the import before anything is written.
enum MISPFiles {
    static func read(_ paths: [String]) throws -> [MISPEvent] {
        var files: [String] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { throw ValidationError("\(path): no such file or directory.") }
            files += isDirectory.boolValue ? try feedFiles(path) : [path]
        }
        let progress = ImportProgress("reading", total: files.count)
        var events: [MISPEvent] = []
        for (i, file) in files.enumerated() {
            guard let data = FileManager.default.contents(atPath: file) else { throw ValidationError("\(file): cannot be read.") }
            do {
                events += try MISPEvent.events(in: try JSONValue.parse(Array(data)))
            } catch let error as MISPFormatError {
                throw ValidationError("\(file): \(error.description) Nothing imported.")
            } catch {
                throw ValidationError("\(file): not JSON (\(error)). Nothing imported.")
            }
            progress.update(i + 1)
        }
        progress.finish()
        return events
    }

    /// A feed directory's event files: those manifest.json lists (each must be there), or every
    /// `.json` file when there is no manifest.
    static func feedFiles(_ directory: String) throws -> [String] {
        let manifest = (directory as NSString).appendingPathComponent("manifest.json")
        if let data = FileManager.default.contents(atPath: manifest) {
            guard let object = (try? JSONValue.parse(Array(data)))?.objectValue else { throw ValidationError("\(manifest): not a JSON object of events.") }
            return try object.keys.sorted().map { uuid in
                guard uuid.utf8.count <= 64, uuid.allSatisfy({ $0.isHexDigit || $0 == "-" }) else {
                    throw ValidationError("\(manifest): \(uuid) is not an event UUID.")
                }
                let file = (directory as NSString).appendingPathComponent(uuid + ".json")
                guard FileManager.default.fileExists(atPath: file) else { throw ValidationError("\(manifest) lists \(uuid), but \(file) is missing. Nothing imported.") }
                return file
            }
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".json") }.sorted()
        guard !names.isEmpty else { throw ValidationError("\(directory): no manifest.json and no .json file.") }
        return names.map { (directory as NSString).appendingPathComponent($0) }
    }
}
