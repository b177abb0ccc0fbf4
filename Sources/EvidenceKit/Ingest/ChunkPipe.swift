/// A few fixed-size buffers passed from a producer thread to a consumer and back, so one thread can
/// read, hash and decompress a file while another splits and parses its lines, with no allocation
/// per chunk and a fixed bound on memory (`count` × `bufferSize` bytes).
///
/// The producer `write`s bytes (copied into the current buffer, which is handed over once full),
/// then calls `finish()`; the consumer takes buffers with `next()` and gives each back with
/// `recycle(_:)`. `cancel()` stops both sides: the producer's next `write` then throws.
final class ChunkPipe: @unchecked Sendable {
    /// One buffer's worth of bytes, valid until it is recycled.
    struct Chunk {
        fileprivate let buffer: UnsafeMutableRawPointer
        let bytes: UnsafeRawBufferPointer
    }

    /// Thrown by `write` once the consumer has cancelled.
    struct Cancelled: Error {}

    private let bufferSize: Int
    private let buffers: [UnsafeMutableRawPointer]
    private let free: BoundedQueue<UnsafeMutableRawPointer>
    private let full: BoundedQueue<Chunk>
    // Producer side only: the buffer being filled and how much of it is used.
    private var current: UnsafeMutableRawPointer?
    private var filled = 0

    init(bufferSize: Int, count: Int = 4) {
        self.bufferSize = max(bufferSize, 1)
        buffers = (0..<max(count, 2)).map { _ in
            UnsafeMutableRawPointer.allocate(byteCount: max(bufferSize, 1), alignment: MemoryLayout<UInt64>.alignment)
        }
        free = BoundedQueue(capacity: buffers.count)
        full = BoundedQueue(capacity: buffers.count)
        for buffer in buffers { free.push(buffer) }
    }

    /// Only once both threads are done with the pipe: the buffers are freed here.
    deinit {
        for buffer in buffers { buffer.deallocate() }
    }

    /// Producer: appends `bytes`, handing each buffer over as it fills.
    func write(_ bytes: UnsafeRawBufferPointer) throws(Cancelled) {
        guard var source = bytes.baseAddress else { return }
        var remaining = bytes.count
        while remaining > 0 {
            if current == nil {
                guard let buffer = free.pop() else { throw Cancelled() }
                current = buffer
                filled = 0
            }
            guard let buffer = current else { return }
            let count = min(remaining, bufferSize - filled)
            (buffer + filled).copyMemory(from: source, byteCount: count)
            filled += count
            source += count
            remaining -= count
            if filled == bufferSize { try handOver() }
        }
    }

    /// Producer: hands over what is buffered and tells the consumer nothing more is coming.
    /// Called whether the producer succeeded or failed, so the consumer always stops waiting.
    func finish() {
        try? handOver()
        full.close()
    }

    /// Consumer: the next full buffer, or nil once the producer has finished and all were taken.
    func next() -> Chunk? {
        full.pop()
    }

    /// Consumer: gives a buffer back for the producer to fill again.
    func recycle(_ chunk: Chunk) {
        free.push(chunk.buffer)
    }

    /// Consumer: stops the producer at its next write, and stops waiting for it.
    func cancel() {
        free.close()
        full.close()
    }

    private func handOver() throws(Cancelled) {
        guard let buffer = current, filled > 0 else { return }
        current = nil
        guard full.push(Chunk(buffer: buffer, bytes: UnsafeRawBufferPointer(start: buffer, count: filled))) else {
            throw Cancelled()
        }
    }
}
