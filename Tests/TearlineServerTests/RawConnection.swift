import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A plain TCP connection to a test server, for requests no HTTP client would send (stalled
/// headers, bad chunks, `Expect`). Every call blocks, so each runs on a thread of its own, never
/// on the cooperative pool the server's handlers need.
final class RawConnection: @unchecked Sendable {
    // why @unchecked: one test drives one connection, one call at a time.
    private let descriptor: Int32

    private init(descriptor: Int32) { self.descriptor = descriptor }

    deinit { close(descriptor) }

    /// Ends the connection from this side (both directions).
    func shutDown() { _ = Glibc.shutdown(descriptor, Int32(SHUT_RDWR)) }

    /// Connects to 127.0.0.1:`port`.
    static func open(port: Int) async throws -> RawConnection {
        try await blocking {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            guard fd >= 0 else { throw RawConnectionError.socket }
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard connected == 0 else { close(fd); throw RawConnectionError.connect }
            return RawConnection(descriptor: fd)
        }
    }

    func send(_ text: String) async throws {
        let bytes = Array(text.utf8)
        try await Self.blocking {
            var sent = 0
            while sent < bytes.count {
                let n = bytes[sent...].withUnsafeBytes { Glibc.send(self.descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                guard n > 0 else { throw RawConnectionError.send }
                sent += n
            }
        }
    }

    /// What the server sends until it closes the connection, `until` appears in it, or `timeout`
    /// passes; `closed` says whether the server closed the connection.
    func receive(until marker: String? = nil, timeout: Double) async throws -> (text: String, closed: Bool) {
        try await Self.blocking {
            var data = [UInt8]()
            let deadline = Date().addingTimeInterval(timeout)
            var buffer = [UInt8](repeating: 0, count: 65_536)
            while Date() < deadline {
                var poller = pollfd(fd: self.descriptor, events: Int16(POLLIN), revents: 0)
                let left = Int32(max(1, deadline.timeIntervalSinceNow * 1000))
                guard poll(&poller, 1, left) > 0 else { break }
                let n = buffer.withUnsafeMutableBytes { recv(self.descriptor, $0.baseAddress, $0.count, 0) }
                if n <= 0 { return (String(decoding: data, as: UTF8.self), true) }
                data += buffer[0..<n]
                if let marker, String(decoding: data, as: UTF8.self).contains(marker) { break }
            }
            return (String(decoding: data, as: UTF8.self), false)
        }
    }

    private static func blocking<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread { continuation.resume(with: Result { try body() }) }
        }
    }
}

enum RawConnectionError: Error { case socket, connect, send }

extension String {
    /// The status code of the first HTTP response in a raw answer.
    var httpStatus: Int? {
        guard hasPrefix("HTTP/1.1 ") else { return nil }
        return Int(dropFirst(9).prefix(3))
    }

    /// The body after the first blank line.
    var httpBody: String {
        guard let range = range(of: "\r\n\r\n") else { return "" }
        return String(self[range.upperBound...])
    }
}
