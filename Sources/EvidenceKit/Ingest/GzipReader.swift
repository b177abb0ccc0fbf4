internal import CZlib

/// Streaming gzip decompression over zlib's `inflate`, fed the compressed file one chunk at a time.
///
/// Concatenated gzip members (as `cat a.gz b.gz` produces) decompress as one stream, as `gzip -d` does.
/// A zlib-wrapped stream is accepted too (zlib detects the header). Anything after a member that
/// does not start another member is reported as corrupt rather than ignored, so no data is silently dropped.
public final class GzipReader {
    /// The file being decompressed, named in errors.
    public let path: String
    /// Compressed bytes consumed so far; error offsets are counted in these.
    public private(set) var consumedBytes: Int64 = 0
    /// Decompressed bytes produced so far.
    public private(set) var producedBytes: Int64 = 0
    /// Complete gzip members decoded so far.
    public private(set) var memberCount = 0

    // zlib keeps a pointer back to its z_stream, so the stream lives at a fixed heap address.
    private let stream: UnsafeMutablePointer<z_stream>
    private let output: UnsafeMutableRawBufferPointer
    // Bytes of a member have been fed but its end has not been seen yet.
    private var memberOpen = false
    // The previous member ended; the next byte fed starts a new member after an inflateReset.
    private var memberEnded = false

    /// Sets up decompression for `path` with an output buffer of `outputCapacity` bytes (at least 1 KiB).
    public init(path: String, outputCapacity: Int = 1 << 20) throws(LineReaderError) {
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        // windowBits 15 + 32: largest window, and detect a gzip or zlib header automatically.
        let status = czlib_inflate_init2(stream, 15 + 32)
        guard status == Z_OK else {
            let message = GzipReader.message(stream, status)
            stream.deinitialize(count: 1)
            stream.deallocate()
            throw LineReaderError(path: path, offset: 0, reason: .zlibFailure(message))
        }
        self.path = path
        self.stream = stream
        self.output = UnsafeMutableRawBufferPointer.allocate(
            byteCount: max(outputCapacity, 1024), alignment: MemoryLayout<UInt64>.alignment)
    }

    deinit {
        inflateEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
        output.deallocate()
    }

    /// Decompresses `input`, the next compressed bytes of the file, handing each piece of output to `sink`.
    ///
    /// The buffer given to `sink` is only valid during that call. Throws `LineReaderError` for corrupt
    /// data, or whatever `sink` throws.
    public func decompress(_ input: UnsafeRawBufferPointer, into sink: (UnsafeRawBufferPointer) throws -> Void) throws {
        guard let base = input.baseAddress, input.count > 0 else { return }
        // avail_in is 32-bit; feed very large buffers in slices.
        let sliceLimit = 1 << 30
        var sliceStart = 0
        while sliceStart < input.count {
            let sliceCount = min(sliceLimit, input.count - sliceStart)
            try decompressSlice(UnsafeRawBufferPointer(start: base + sliceStart, count: sliceCount), into: sink)
            sliceStart += sliceCount
        }
    }

    /// Confirms the compressed data ended at a member boundary; call once the whole file has been fed.
    public func finish() throws(LineReaderError) {
        if memberOpen || memberCount == 0 {
            throw LineReaderError(path: path, offset: consumedBytes, reason: .gzipTruncated)
        }
    }

    private func decompressSlice(_ input: UnsafeRawBufferPointer, into sink: (UnsafeRawBufferPointer) throws -> Void) throws {
        guard let base = input.baseAddress else { return }
        let start = consumedBytes
        // zlib never writes through next_in; the mutable pointer is only its C signature.
        stream.pointee.next_in = UnsafeMutablePointer(mutating: base.assumingMemoryBound(to: Bytef.self))
        stream.pointee.avail_in = uInt(input.count)
        defer {
            stream.pointee.next_in = nil
            stream.pointee.avail_in = 0
        }
        while true {
            if memberEnded {
                if stream.pointee.avail_in == 0 { return }
                let status = inflateReset(stream)
                guard status == Z_OK else {
                    throw LineReaderError(path: path, offset: consumedBytes,
                                          reason: .zlibFailure(GzipReader.message(stream, status)))
                }
                memberEnded = false
            }
            if stream.pointee.avail_in > 0 { memberOpen = true }
            stream.pointee.next_out = output.baseAddress?.assumingMemoryBound(to: Bytef.self)
            stream.pointee.avail_out = uInt(output.count)
            let status = inflate(stream, Z_NO_FLUSH)
            let produced = output.count - Int(stream.pointee.avail_out)
            consumedBytes = start + Int64(input.count - Int(stream.pointee.avail_in))
            producedBytes += Int64(produced)
            if produced > 0 {
                try sink(UnsafeRawBufferPointer(rebasing: output[0..<produced]))
            }
            switch status {
            case Z_STREAM_END:
                memberOpen = false
                memberEnded = true
                memberCount += 1
            case Z_OK:
                // Output space left over means zlib has consumed all input it can use for now.
                if stream.pointee.avail_in == 0 && stream.pointee.avail_out > 0 { return }
            case Z_BUF_ERROR:
                // No progress was possible: with input left that would mean zlib is stuck, not waiting.
                if stream.pointee.avail_in == 0 { return }
                throw LineReaderError(path: path, offset: consumedBytes,
                                      reason: .zlibFailure("inflate made no progress"))
            case Z_NEED_DICT:
                throw LineReaderError(path: path, offset: consumedBytes,
                                      reason: .gzipCorrupt("the stream asks for a preset dictionary"))
            default:
                throw LineReaderError(path: path, offset: consumedBytes,
                                      reason: .gzipCorrupt(GzipReader.message(stream, status)))
            }
        }
    }

    private static func message(_ stream: UnsafeMutablePointer<z_stream>, _ status: Int32) -> String {
        if let text = stream.pointee.msg { return String(cString: text) }
        if let text = zError(status) { return String(cString: text) }
        return "zlib status \(status)"
    }
}
