import Foundation
internal import CYAML

/// A single YAML document parsed by libyaml into a ``YAMLNode`` tree.
///
/// Parsing uses libyaml's event API and builds the tree with an explicit stack, so hostile nesting
/// cannot overflow the call stack. Aliases are expanded in place; ``Limits`` bound the input size, the
/// number of nodes after expansion (against "billion laughs" documents) and the nesting depth.
/// A stream must hold at most one document; an empty stream yields a null scalar at 1:1.
/// Merge keys (`<<`) get no special meaning: they are ordinary keys. Scalar keys are compared by text
/// when looking for duplicates, so `1` and `"1"` in one mapping count as the same key.
public struct YAMLDocument: Sendable {
    /// Bounds on what a document may cost to parse.
    public struct Limits: Sendable, Equatable {
        /// Largest accepted input in bytes.
        public var maxBytes: Int
        /// Most nodes the tree may hold once every alias is expanded.
        public var maxNodes: Int
        /// Deepest nesting of sequences and mappings.
        public var maxDepth: Int

        public init(maxBytes: Int = 1 << 20, maxNodes: Int = 1_000_000, maxDepth: Int = 256) {
            self.maxBytes = maxBytes
            self.maxNodes = maxNodes
            self.maxDepth = maxDepth
        }

        /// 1 MiB, 1,000,000 nodes, 256 levels: far above any config or mapping file this tool reads.
        public static let `default` = Limits()
    }

    /// The file name used in error messages.
    public let file: String
    /// The document's root node.
    public let root: YAMLNode
    /// The bytes parsed, so that what was read can be kept exactly (the bundle carries the config and the
    /// mappings as they were when the build read them, not as they are when it writes them).
    public let bytes: Data

    /// Parses YAML bytes (UTF-8, or UTF-16 with a byte order mark).
    public init(bytes: some Collection<UInt8>, file: String, limits: Limits = .default) throws(YAMLError) {
        guard bytes.count <= limits.maxBytes else {
            throw YAMLError(kind: .tooLarge, file: file,
                            message: "the YAML text is \(bytes.count) bytes, more than the limit of \(limits.maxBytes) bytes")
        }
        var builder = YAMLTreeBuilder(file: file, limits: limits)
        self.root = try builder.build(bytes)
        self.file = file
        self.bytes = Data(bytes)
    }

    /// Parses YAML text.
    public init(text: String, file: String = "<string>", limits: Limits = .default) throws(YAMLError) {
        try self.init(bytes: Array(text.utf8), file: file, limits: limits)
    }

    /// Reads and parses a file, refusing to read past ``Limits/maxBytes``.
    /// - Parameter displayName: the name used in errors; defaults to `path` as given.
    public init(contentsOfFile path: String, displayName: String? = nil, limits: Limits = .default) throws(YAMLError) {
        let name = displayName ?? path
        let data: Data
        do {
            let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
            defer { try? handle.close() }
            data = try handle.read(upToCount: limits.maxBytes + 1) ?? Data()
        } catch {
            throw YAMLError(kind: .unreadable, file: name, message: "cannot read the file: \(Self.reason(error))")
        }
        guard data.count <= limits.maxBytes else {
            throw YAMLError(kind: .tooLarge, file: name,
                            message: "the file is larger than the limit of \(limits.maxBytes) bytes")
        }
        try self.init(bytes: data, file: name, limits: limits)
    }

    private static func reason(_ error: any Error) -> String {
        if let cocoa = error as? CocoaError, let underlying = cocoa.userInfo[NSUnderlyingErrorKey] as? NSError,
           underlying.domain == NSPOSIXErrorDomain, let message = strerror(Int32(underlying.code)) {
            return String(cString: message)
        }
        if let cocoa = error as? CocoaError {
            switch cocoa.code {
            case .fileReadNoSuchFile, .fileNoSuchFile: return "no such file"
            case .fileReadNoPermission: return "permission denied"
            default: break
            }
        }
        return error.localizedDescription
    }
}

/// Owns a heap-allocated libyaml parser (the struct points into itself, so its address must not move)
/// and the input buffer libyaml reads from; both are released in `deinit`.
private final class LibYAMLParser {
    private let parser: UnsafeMutablePointer<yaml_parser_t>
    private let event: UnsafeMutablePointer<yaml_event_t>
    private let input: UnsafeMutableRawBufferPointer
    private var holdsEvent = false

    init(copying bytes: some Collection<UInt8>, file: String) throws(YAMLError) {
        let parser = UnsafeMutablePointer<yaml_parser_t>.allocate(capacity: 1)
        guard yaml_parser_initialize(parser) == 1 else {
            parser.deallocate()
            throw YAMLError(kind: .syntax, file: file, message: "libyaml could not allocate a parser")
        }
        // libyaml keeps a pointer to the input, so it gets its own buffer with the parser's lifetime.
        let input = UnsafeMutableRawBufferPointer.allocate(byteCount: max(bytes.count, 1), alignment: 1)
        input.copyBytes(from: bytes)
        yaml_parser_set_input_string(parser, input.baseAddress?.assumingMemoryBound(to: UInt8.self), bytes.count)
        self.parser = parser
        self.input = input
        self.event = .allocate(capacity: 1)
    }

    deinit {
        if holdsEvent { yaml_event_delete(event) }
        event.deallocate()
        yaml_parser_delete(parser)
        parser.deallocate()
        input.deallocate()
    }

    /// Advances to the next event, releasing the previous one; nil when libyaml reports an error.
    func next() -> UnsafePointer<yaml_event_t>? {
        if holdsEvent {
            yaml_event_delete(event)
            holdsEvent = false
        }
        guard yaml_parser_parse(parser, event) == 1 else { return nil }
        holdsEvent = true
        return UnsafePointer(event)
    }

    /// libyaml's description of the error that made ``next()`` fail.
    func error(file: String) -> YAMLError {
        let state = parser.pointee
        let problem = state.problem.map { String(cString: $0) } ?? "unknown error"
        switch state.error {
        case YAML_MEMORY_ERROR:
            return YAMLError(kind: .syntax, file: file, message: "libyaml ran out of memory")
        case YAML_READER_ERROR:
            // Reader errors (bad encoding) carry a byte offset rather than a mark.
            let offset = min(Int(state.problem_offset), input.count)
            let prefix = UnsafeRawBufferPointer(rebasing: input[..<offset])
            let line = prefix.reduce(1) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 }
            var message = problem
            if state.problem_value != -1 { message += " (byte value \(state.problem_value))" }
            return YAMLError(kind: .syntax, file: file, line: line, message: message + " at byte offset \(offset)")
        default:
            var message = problem
            let index = Int(state.problem_mark.index)
            if index < input.count, input[index] == UInt8(ascii: "\t") {
                message += " (a tab: YAML indents with spaces only)"
            }
            if let context = state.context.map({ String(cString: $0) }) {
                message = "\(context) starting at line \(state.context_mark.line + 1) column \(state.context_mark.column + 1), \(message)"
            }
            return YAMLError(kind: .syntax, file: file, line: Int(state.problem_mark.line) + 1,
                             column: Int(state.problem_mark.column) + 1, message: message)
        }
    }
}

/// Turns libyaml's event stream into a tree, expanding aliases within the document's limits.
private struct YAMLTreeBuilder {
    /// A subtree with the cost figures needed to bound alias expansion.
    private struct Built {
        var node: YAMLNode
        /// Nodes in the subtree, aliases expanded.
        var count: Int
        /// Nesting levels of collections in the subtree (0 for a scalar).
        var height: Int
    }

    /// A collection under construction.
    private struct Frame {
        var isMapping: Bool
        var mark: YAMLNode.Mark
        var anchor: String?
        var items: [YAMLNode] = []
        var entries: [YAMLNode.Entry] = []
        var pendingKey: YAMLNode?
        var scalarKeyLines: [String: Int] = [:]
        /// Non-scalar keys by content hash, so duplicate detection stays linear on hostile input.
        var complexKeys: [Int: [YAMLNode]] = [:]
        var count = 1
        var height = 1
    }

    let file: String
    let limits: YAMLDocument.Limits
    private var anchors: [String: Built] = [:]
    private var stack: [Frame] = []
    private var root: YAMLNode?
    private var totalNodes = 0
    private var documents = 0

    init(file: String, limits: YAMLDocument.Limits) {
        self.file = file
        self.limits = limits
    }

    mutating func build(_ bytes: some Collection<UInt8>) throws(YAMLError) -> YAMLNode {
        let parser = try LibYAMLParser(copying: bytes, file: file)
        while true {
            guard let event = parser.next() else { throw parser.error(file: file) }
            let mark = YAMLNode.Mark(line: Int(event.pointee.start_mark.line) + 1,
                                     column: Int(event.pointee.start_mark.column) + 1)
            switch event.pointee.type {
            case YAML_STREAM_END_EVENT:
                return root ?? .scalar(YAMLNode.Scalar(text: ""), YAMLNode.Mark(line: 1, column: 1))
            case YAML_DOCUMENT_START_EVENT:
                documents += 1
                if documents > 1 {
                    throw YAMLError(kind: .multipleDocuments, file: file, line: mark.line, column: mark.column,
                                    message: "a second YAML document starts here; exactly one document is expected")
                }
            case YAML_SCALAR_EVENT:
                let data = event.pointee.data.scalar
                let text = data.value.map {
                    String(decoding: UnsafeBufferPointer(start: $0, count: data.length), as: UTF8.self)
                } ?? ""
                let scalar = YAMLNode.Scalar(text: text, style: Self.style(data.style), tag: Self.string(data.tag))
                try add(Built(node: .scalar(scalar, mark), count: 1, height: 0), anchor: Self.string(data.anchor))
            case YAML_ALIAS_EVENT:
                let name = Self.string(event.pointee.data.alias.anchor) ?? ""
                guard let target = anchors[name] else {
                    throw YAMLError(kind: .undefinedAlias(name), file: file, line: mark.line, column: mark.column,
                                    message: "alias '*\(name)' refers to an anchor that is not defined before it")
                }
                try add(target, anchor: nil, at: mark)
            case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
                let isMapping = event.pointee.type == YAML_MAPPING_START_EVENT
                let anchor = isMapping ? event.pointee.data.mapping_start.anchor : event.pointee.data.sequence_start.anchor
                guard stack.count < limits.maxDepth else {
                    throw YAMLError(kind: .tooDeep, file: file, line: mark.line, column: mark.column,
                                    message: "collections nest more than \(limits.maxDepth) levels deep")
                }
                try count(1, at: mark)
                stack.append(Frame(isMapping: isMapping, mark: mark, anchor: Self.string(anchor)))
            case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                guard let frame = stack.popLast() else { break }
                let node: YAMLNode = frame.isMapping ? .mapping(frame.entries, frame.mark) : .sequence(frame.items, frame.mark)
                // The frame's own node was counted at its start event; `add` must not count it again.
                try add(Built(node: node, count: frame.count, height: frame.height), anchor: frame.anchor, counted: true)
            default:
                break
            }
        }
    }

    /// Adds to the running node total, failing once expansion would exceed the limit.
    private mutating func count(_ nodes: Int, at mark: YAMLNode.Mark) throws(YAMLError) {
        totalNodes += nodes
        if totalNodes > limits.maxNodes {
            throw YAMLError(kind: .tooManyNodes, file: file, line: mark.line, column: mark.column,
                            message: "expanding aliases would produce more than \(limits.maxNodes) nodes; the document looks like an alias bomb")
        }
    }

    /// Attaches a finished node to the collection being built, or makes it the root.
    private mutating func add(_ built: Built, anchor: String?, at aliasMark: YAMLNode.Mark? = nil,
                              counted: Bool = false) throws(YAMLError) {
        let mark = aliasMark ?? built.node.mark
        if !counted { try count(built.count, at: mark) }
        if stack.count + built.height > limits.maxDepth {
            throw YAMLError(kind: .tooDeep, file: file, line: mark.line, column: mark.column,
                            message: "collections nest more than \(limits.maxDepth) levels deep once aliases are expanded")
        }
        if let anchor { anchors[anchor] = built }
        guard var frame = stack.popLast() else {
            root = built.node
            return
        }
        frame.count += built.count
        frame.height = max(frame.height, built.height + 1)
        if !frame.isMapping {
            frame.items.append(built.node)
        } else if let key = frame.pendingKey {
            frame.entries.append(YAMLNode.Entry(key: key, value: built.node))
            frame.pendingKey = nil
        } else {
            try checkUnique(key: built.node, in: &frame, at: mark)
            frame.pendingKey = built.node
        }
        stack.append(frame)
    }

    private func checkUnique(key: YAMLNode, in frame: inout Frame, at mark: YAMLNode.Mark) throws(YAMLError) {
        if let text = key.scalar?.text {
            if let first = frame.scalarKeyLines[text] {
                throw YAMLError(kind: .duplicateKey(text), file: file, line: mark.line, column: mark.column,
                                message: "mapping key '\(text)' appears twice (first at line \(first))")
            }
            frame.scalarKeyLines[text] = mark.line
        } else {
            let hash = key.contentHash()
            if let first = frame.complexKeys[hash]?.first(where: { $0.hasSameContent(as: key) }) {
                throw YAMLError(kind: .duplicateKey("<\(key.kindDescription)>"), file: file, line: mark.line, column: mark.column,
                                message: "the same \(key.kindDescription.dropFirst(2)) is used twice as a mapping key (first at line \(first.line))")
            }
            frame.complexKeys[hash, default: []].append(key)
        }
    }

    private static func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        pointer.map { String(cString: UnsafePointer($0)) }
    }

    private static func style(_ style: yaml_scalar_style_t) -> YAMLNode.Style {
        switch style {
        case YAML_SINGLE_QUOTED_SCALAR_STYLE: .singleQuoted
        case YAML_DOUBLE_QUOTED_SCALAR_STYLE: .doubleQuoted
        case YAML_LITERAL_SCALAR_STYLE: .literal
        case YAML_FOLDED_SCALAR_STYLE: .folded
        default: .plain
        }
    }
}
