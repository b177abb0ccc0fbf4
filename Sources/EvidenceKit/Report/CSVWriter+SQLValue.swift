extension CSVWriter.Cell {
    /// A store value as a CSV cell: numbers stay numeric (never formula-guarded), NULL is empty.
    init(_ value: SQLValue) {
        switch value {
        case .null: self = .text("")
        case .integer(let number): self = .integer(number)
        case .real(let number): self = .decimal(number)
        case .text(let text): self = .text(text)
        case .blob(let bytes): self = .text(bytes.hexString)
        }
    }
}
