/// Typed, located access to the top-level fields of one JSON line, shared by the JSON-lines ingesters.
///
/// Every accessor throws an `InputError` naming the file, line and field, so a bad record is
/// reported precisely and never half-loaded.
struct FieldReader {
    /// The line's fields in document order; keys are unique (the parser rejects duplicates).
    let parsed: [JSONField]
    let input: String
    let file: String
    let line: Int

    init(_ parsed: [JSONField], input: String, file: String, line: Int) {
        self.parsed = parsed
        self.input = input
        self.file = file
        self.line = line
    }

    /// A linear scan, not a dictionary: a record has about twenty short keys, and comparing small
    /// strings is cheaper than hashing them into a table built for every one of millions of lines.
    subscript(key: String) -> JSONValue? {
        for field in parsed where field.key == key { return field.value }
        return nil
    }

    func error(_ field: String?, _ message: String) -> InputError {
        InputError(input: input, file: file, line: line, field: field, message: message)
    }

    /// A required string; an empty string is allowed (the checks judge emptiness).
    func string(_ key: String) throws(InputError) -> String {
        guard let value = self[key] else { throw error(key, "required field is missing") }
        guard case .string(let text) = value else { throw error(key, "expected a string, found \(value.kindName)") }
        return try withoutNUL(key, text)
    }

    /// A `\u0000` escape is valid JSON, but C APIs (SQLite's text functions, spreadsheet tools) end the
    /// text there: a tool named `query\u0000drop_all` would be stored whole and shown as `query`.
    /// Only the parser's slow path decodes escapes, so this costs the fast path nothing.
    private func withoutNUL(_ key: String, _ text: String) throws(InputError) -> String {
        guard !text.utf8.contains(0) else {
            throw error(key, "contains a NUL character (\\u0000), which other tools would cut the value at")
        }
        return text
    }

    /// A required non-empty string.
    func nonEmptyString(_ key: String) throws(InputError) -> String {
        let text = try string(key)
        guard !text.isEmpty else { throw error(key, "must not be empty") }
        return text
    }

    /// A field that must be present and is either a string or null.
    func nullableString(_ key: String) throws(InputError) -> String? {
        guard let value = self[key] else { throw error(key, "required field is missing (use null when there is no value)") }
        return try optionalValue(key, value)
    }

    /// A field that may be absent, null, or a string.
    func optionalString(_ key: String) throws(InputError) -> String? {
        guard let value = self[key] else { return nil }
        return try optionalValue(key, value)
    }

    private func optionalValue(_ key: String, _ value: JSONValue) throws(InputError) -> String? {
        switch value {
        case .null: return nil
        case .string(let text): return try withoutNUL(key, text)
        default: throw error(key, "expected a string or null, found \(value.kindName)")
        }
    }

    /// A required string from a closed set of values.
    func oneOf(_ key: String, _ allowed: Set<String>) throws(InputError) -> String {
        let text = try string(key)
        guard allowed.contains(text) else {
            throw error(key, "'\(Self.shorten(text))' is not one of \(allowed.sorted().joined(separator: ", "))")
        }
        return text
    }

    /// A required RFC 3339 timestamp, as UTC milliseconds.
    func timestamp(_ key: String) throws(InputError) -> Int64 {
        let text = try string(key)
        guard let ms = Timestamp.parse(text) else {
            throw error(key, "'\(Self.shorten(text))' is not an RFC 3339 timestamp with a time zone (e.g. 2026-07-01T09:30:00.123Z)")
        }
        return ms
    }

    /// An optional expiry: an RFC 3339 timestamp, or a date meaning "through the end of that day (UTC)".
    func optionalExpiry(_ key: String) throws(InputError) -> Int64? {
        guard let text = try optionalString(key) else { return nil }
        if let ms = Timestamp.parse(text) { return ms }
        if let day = Timestamp.parseDate(text) { return day + 86_400_000 }
        throw error(key, "'\(Self.shorten(text))' is neither an RFC 3339 timestamp nor a YYYY-MM-DD date")
    }

    /// A required finite number.
    func number(_ key: String) throws(InputError) -> Double {
        guard let value = self[key] else { throw error(key, "required field is missing") }
        guard case .number(let literal) = value else { throw error(key, "expected a number, found \(value.kindName)") }
        guard let number = Double(literal), number.isFinite else { throw error(key, "number \(Self.shorten(literal)) is out of range") }
        return number
    }

    /// An optional whole number (absent or null gives nil).
    func optionalInteger(_ key: String, range: ClosedRange<Int64> = Int64.min...Int64.max) throws(InputError) -> Int64? {
        guard let value = self[key] else { return nil }
        switch value {
        case .null: return nil
        case .number(let literal):
            guard let integer = Int64(literal), range.contains(integer) else {
                throw error(key, "expected a whole number in \(range.lowerBound)...\(range.upperBound), found \(Self.shorten(literal))")
            }
            return integer
        default: throw error(key, "expected a whole number, found \(value.kindName)")
        }
    }

    /// A required whole number.
    func integer(_ key: String, range: ClosedRange<Int64>) throws(InputError) -> Int64 {
        guard self[key] != nil else { throw error(key, "required field is missing") }
        guard let value = try optionalInteger(key, range: range) else { throw error(key, "expected a whole number, found null") }
        return value
    }

    /// Fields not in `known`, re-encoded as one JSON object (keys sorted), or nil when there are none.
    func extras(excluding known: [String]) -> String? {
        let unknown = parsed.map(\.key).filter { !known.contains($0) }.sorted()
        guard !unknown.isEmpty else { return nil }
        var out = "{"
        for (index, key) in unknown.enumerated() {
            if index > 0 { out += "," }
            out += JSONValue.string(key).jsonText + ":" + self[key]!.jsonText
        }
        return out + "}"
    }

    /// Caps a bad value quoted in an error message, so a 10 MB field does not become a 10 MB message.
    static func shorten(_ text: String, limit: Int = 80) -> String {
        text.count <= limit ? text : String(text.prefix(limit)) + "…"
    }
}
