import Foundation
import Logging
import Synchronization

/// How the server writes its log lines.
public enum LogFormat: String, Sendable, CaseIterable {
    /// swift-log's plain text, one line per message.
    case text
    /// One JSON object per line: `ts`, `level`, `label`, `message`, then the metadata's keys.
    case json
}

/// Installs the process's log handler once, before any logger is made.
public enum LogSetup {
    public static func bootstrap(format: LogFormat, level: Logger.Level) {
        switch format {
        case .text:
            LoggingSystem.bootstrap { label in
                var handler = StreamLogHandler.standardError(label: label)
                handler.logLevel = level
                return handler
            }
        case .json:
            LoggingSystem.bootstrap { label in JSONLogHandler(label: label, level: level) }
        }
    }
}

/// Writes each message as one JSON object on one line of standard error. Tearline's own log
/// messages name events and carry identifiers, statuses and durations; never report text,
/// titles, entity names or tokens.
public struct JSONLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level
    public let label: String

    public init(label: String, level: Logger.Level = .info) {
        self.label = label
        self.logLevel = level
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var fields = metadata
        if let extra = event.metadata { fields.merge(extra) { _, new in new } }
        var line = "{\"ts\":\(Self.quoted(Self.timestamp()))"
        line += ",\"level\":\(Self.quoted(event.level.rawValue)),\"label\":\(Self.quoted(label))"
        line += ",\"message\":\(Self.quoted(event.message.description))"
        if !event.source.isEmpty { line += ",\"source\":\(Self.quoted(event.source))" }
        for key in fields.keys.sorted() where !["ts", "level", "label", "message", "source"].contains(key) {
            line += ",\(Self.quoted(Self.fieldName(key))):\(Self.value(fields[key]!))"
        }
        line += "}\n"
        Self.output.withLock { _ in
            line.utf8CString.withUnsafeBufferPointer { buffer in
                _ = write(2, buffer.baseAddress, buffer.count - 1)
            }
        }
    }

    /// Serialises writes from every thread, so lines never interleave.
    private static let output = Mutex<Void>(())

    /// Hummingbird's request id key, under the name the access log uses.
    private static func fieldName(_ key: String) -> String { key == "hb.request.id" ? "request_id" : key }

    private static func value(_ value: Logger.Metadata.Value) -> String {
        switch value {
        case .string(let text): quoted(text)
        case .stringConvertible(let convertible):
            if let number = convertible as? Int { String(number) }
            else if let number = convertible as? Int64 { String(number) }
            else if let number = convertible as? Double, number.isFinite { String(number) }
            else { quoted(convertible.description) }
        case .array(let values): "[" + values.map(Self.value).joined(separator: ",") + "]"
        case .dictionary(let values): "{" + values.keys.sorted().map { quoted($0) + ":" + Self.value(values[$0]!) }.joined(separator: ",") + "}"
        }
    }

    /// `text` as a JSON string, escaped as every other JSON this server writes (``JSONWriter``).
    static func quoted(_ text: String) -> String {
        var writer = JSONWriter(capacity: text.utf8.count + 16)
        writer.string(text)
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    private static func timestamp() -> String {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        var seconds = time_t(time.tv_sec)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", parts.tm_year + 1900, parts.tm_mon + 1, parts.tm_mday,
                      parts.tm_hour, parts.tm_min, parts.tm_sec, Int(time.tv_nsec / 1_000_000))
    }
}
