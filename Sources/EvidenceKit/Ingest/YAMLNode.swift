/// One node of a parsed YAML document: a scalar, a sequence or a mapping, each located by line and column.
///
/// Scalars are kept as text exactly as libyaml delivered them, together with their style, so a quoted
/// `"123"` stays a string while a plain `123` can be read as an integer by ``int``. No YAML 1.1 type
/// guessing happens at parse time (no `yes`/`no` booleans, no sexagesimal numbers): typed reading is done
/// by the accessors, which follow a deliberately small rule set (see ``int``, ``bool`` and ``isNull``).
public indirect enum YAMLNode: Sendable, Equatable {
    case scalar(Scalar, Mark)
    case sequence([YAMLNode], Mark)
    /// Entries in document order; keys are unique (the parser rejects duplicates).
    case mapping([Entry], Mark)

    /// A 1-based position in the source text.
    public struct Mark: Sendable, Hashable, CustomStringConvertible {
        public var line: Int
        public var column: Int

        public init(line: Int, column: Int) {
            self.line = line
            self.column = column
        }

        public var description: String { "\(line):\(column)" }
    }

    /// How a scalar was written; only plain scalars take part in typed reading.
    public enum Style: Sendable, Hashable {
        case plain, singleQuoted, doubleQuoted, literal, folded
    }

    /// A scalar's text, style and explicit tag (if any, in its resolved form such as `tag:yaml.org,2002:str`).
    public struct Scalar: Sendable, Hashable {
        public var text: String
        public var style: Style
        public var tag: String?

        public init(text: String, style: Style = .plain, tag: String? = nil) {
            self.text = text
            self.style = style
            self.tag = tag
        }

        /// Plain and untagged: the only scalars whose text may be read as null, a boolean or a number.
        public var isUntyped: Bool { style == .plain && tag == nil }
    }

    /// One key/value pair of a mapping.
    public struct Entry: Sendable, Equatable {
        public var key: YAMLNode
        public var value: YAMLNode

        public init(key: YAMLNode, value: YAMLNode) {
            self.key = key
            self.value = value
        }
    }

    static let nullTag = "tag:yaml.org,2002:null"
    static let boolTag = "tag:yaml.org,2002:bool"
    static let intTag = "tag:yaml.org,2002:int"

    /// Where the node starts.
    public var mark: Mark {
        switch self {
        case .scalar(_, let mark), .sequence(_, let mark), .mapping(_, let mark): mark
        }
    }

    /// The 1-based line where the node starts.
    public var line: Int { mark.line }

    /// The 1-based column where the node starts.
    public var column: Int { mark.column }

    /// The scalar payload, or nil for collections.
    public var scalar: Scalar? {
        if case .scalar(let scalar, _) = self { return scalar }
        return nil
    }

    /// The items of a sequence, or nil for other nodes.
    public var sequence: [YAMLNode]? {
        if case .sequence(let items, _) = self { return items }
        return nil
    }

    /// The entries of a mapping in document order, or nil for other nodes.
    public var mapping: [Entry]? {
        if case .mapping(let entries, _) = self { return entries }
        return nil
    }

    /// True for an untyped plain scalar reading `~`, `null` or nothing at all (and for `!!null` scalars).
    ///
    /// `Null`, `NULL` and other spellings are text: the config format is small enough that one spelling
    /// per value is clearer than YAML 1.1's long list.
    public var isNull: Bool {
        guard case .scalar(let scalar, _) = self else { return false }
        if scalar.tag == Self.nullTag { return true }
        return scalar.isUntyped && (scalar.text.isEmpty || scalar.text == "~" || scalar.text == "null")
    }

    /// The text of any non-null scalar (quoted or plain), or nil for null and collections.
    ///
    /// A plain `123` or `true` yields its text: where a string is wanted, any scalar spelling is accepted.
    public var string: String? {
        guard case .scalar(let scalar, _) = self, !isNull else { return nil }
        return scalar.text
    }

    /// A decimal integer (`[-+]?[0-9]+`, no underscores, hex or octal) written as an untyped plain scalar
    /// or tagged `!!int`; nil for anything else, including quoted numbers and values outside `Int`.
    public var int: Int? {
        guard case .scalar(let scalar, _) = self, scalar.isUntyped || scalar.tag == Self.intTag else { return nil }
        var digits = Substring(scalar.text).utf8
        if let sign = digits.first, sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") { digits = digits.dropFirst() }
        guard !digits.isEmpty, digits.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else { return nil }
        // Int(_:) accepts the same optional sign and returns nil on overflow.
        return Int(scalar.text)
    }

    /// `true` or `false` written as an untyped plain scalar (or tagged `!!bool`); nil for anything else,
    /// including YAML 1.1's `yes`, `on` and capitalised spellings.
    public var bool: Bool? {
        guard case .scalar(let scalar, _) = self, scalar.isUntyped || scalar.tag == Self.boolTag else { return nil }
        switch scalar.text {
        case "true": return true
        case "false": return false
        default: return nil
        }
    }

    /// The value stored under a scalar key with this text, or nil if absent or if this is not a mapping.
    public subscript(key: String) -> YAMLNode? {
        guard case .mapping(let entries, _) = self else { return nil }
        return entries.first { $0.key.scalar?.text == key }?.value
    }

    /// The item at `index` of a sequence, or nil if out of range or if this is not a sequence.
    public subscript(index: Int) -> YAMLNode? {
        guard case .sequence(let items, _) = self, items.indices.contains(index) else { return nil }
        return items[index]
    }

    /// A short phrase naming the node's kind for error messages: "a mapping", "a list", "null",
    /// "a number", "a boolean" or "a string".
    public var kindDescription: String {
        switch self {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .scalar:
            if isNull { return "null" }
            if int != nil { return "a number" }
            if bool != nil { return "a boolean" }
            return "a string"
        }
    }

    /// A hash of the node's content that ignores positions, consistent with ``hasSameContent(as:)``.
    ///
    /// Iterative so that hostile nesting cannot overflow the stack.
    func contentHash() -> Int {
        var hasher = Hasher()
        var pending: [YAMLNode] = [self]
        while let node = pending.popLast() {
            switch node {
            case .scalar(let scalar, _):
                hasher.combine(0)
                hasher.combine(scalar)
            case .sequence(let items, _):
                hasher.combine(1)
                hasher.combine(items.count)
                pending.append(contentsOf: items.reversed())
            case .mapping(let entries, _):
                hasher.combine(2)
                hasher.combine(entries.count)
                for entry in entries.reversed() {
                    pending.append(entry.value)
                    pending.append(entry.key)
                }
            }
        }
        return hasher.finalize()
    }

    /// Structural equality that ignores positions, used to detect duplicate non-scalar mapping keys.
    ///
    /// Iterative so that hostile nesting cannot overflow the stack.
    func hasSameContent(as other: YAMLNode) -> Bool {
        var pending: [(YAMLNode, YAMLNode)] = [(self, other)]
        while let (left, right) = pending.popLast() {
            switch (left, right) {
            case (.scalar(let a, _), .scalar(let b, _)):
                if a != b { return false }
            case (.sequence(let a, _), .sequence(let b, _)):
                if a.count != b.count { return false }
                pending.append(contentsOf: zip(a, b).map { ($0, $1) })
            case (.mapping(let a, _), .mapping(let b, _)):
                if a.count != b.count { return false }
                for (x, y) in zip(a, b) {
                    pending.append((x.key, y.key))
                    pending.append((x.value, y.value))
                }
            default:
                return false
            }
        }
        return true
    }
}
