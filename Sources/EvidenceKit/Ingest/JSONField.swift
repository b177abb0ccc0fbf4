/// One member of a JSON-lines record's top-level object, in document order.
public struct JSONField: Equatable, Sendable {
    public let key: String
    public let value: JSONValue

    public init(key: String, value: JSONValue) {
        self.key = key
        self.value = value
    }
}
