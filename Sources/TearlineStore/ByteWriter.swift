import Foundation

/// A growable byte buffer written with memcpy: the verifier's canonical encodings, a million a
/// second, without per-byte appends. Not shared between threads.
struct ByteWriter: ~Copyable {
    private var storage: UnsafeMutableRawPointer
    private var capacity: Int
    private(set) var count = 0

    init(capacity: Int = 1024) {
        self.capacity = capacity
        storage = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 8)
    }

    deinit { storage.deallocate() }

    mutating func reset() { count = 0 }

    private mutating func reserve(_ extra: Int) {
        guard count + extra > capacity else { return }
        let newCapacity = max(capacity * 2, count + extra)
        let grown = UnsafeMutableRawPointer.allocate(byteCount: newCapacity, alignment: 8)
        grown.copyMemory(from: storage, byteCount: count)
        storage.deallocate()
        storage = grown
        capacity = newCapacity
    }

    mutating func write(_ bytes: UnsafeRawPointer, _ length: Int) {
        reserve(length)
        (storage + count).copyMemory(from: bytes, byteCount: length)
        count += length
    }

    mutating func write(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { write($0.baseAddress!, $0.count) }
    }

    mutating func write(_ value: UInt64) {
        reserve(8)
        (storage + count).storeBytes(of: value.bigEndian, toByteOffset: 0, as: UInt64.self)
        count += 8
    }

    mutating func write(_ value: UInt32) {
        reserve(4)
        (storage + count).storeBytes(of: value.bigEndian, toByteOffset: 0, as: UInt32.self)
        count += 4
    }

    func withBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try body(UnsafeRawBufferPointer(start: storage, count: count))
    }
}
