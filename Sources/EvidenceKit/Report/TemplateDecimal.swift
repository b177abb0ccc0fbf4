/// A number as decimal digits, for rounding and printing without binary floating-point surprises.
///
/// Doubles start from Swift's shortest round-trip text, so `0.15` rounds to `0.2` and `1.005` to
/// `1.01` as a reader of the digits expects, identically on every platform and in every locale.
/// Rounding is half away from zero.
struct TemplateDecimal: Equatable {
    var negative: Bool
    /// Significant digits (0–9), without leading or trailing zeros; empty for zero.
    var digits: [UInt8]
    /// The value is 0.d₁d₂…dₙ × 10^pointPosition, so 123.45 has digits 12345 and pointPosition 3.
    var pointPosition: Int

    init(_ number: Int64) {
        negative = number < 0
        digits = String(number.magnitude).utf8.map { $0 - UInt8(ascii: "0") }
        pointPosition = digits.count
        normalize()
    }

    /// Nil for NaN and infinities.
    init?(_ number: Double) {
        guard number.isFinite else { return nil }
        negative = number.sign == .minus
        let text = "\(number.magnitude)"
        let parts = text.split(separator: "e", maxSplits: 1)
        var exponent = 0
        if parts.count == 2 {
            guard let value = Int(parts[1]) else { return nil }
            exponent = value
        }
        let mantissa = parts[0].split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let integerPart = mantissa[0]
        let fractionPart = mantissa.count == 2 ? mantissa[1] : ""
        digits = []
        for byte in Array(integerPart.utf8) + Array(fractionPart.utf8) {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            digits.append(byte - UInt8(ascii: "0"))
        }
        pointPosition = integerPart.utf8.count + exponent
        normalize()
    }

    var isZero: Bool { digits.isEmpty }

    /// Multiplies by 10^power exactly (percentages are `scaled(by: 2)`).
    func scaled(by power: Int) -> TemplateDecimal {
        var copy = self
        if !copy.isZero { copy.pointPosition += power }
        return copy
    }

    /// Rounded to `places` digits after the point, half away from zero.
    func rounded(toPlaces places: Int) -> TemplateDecimal {
        var copy = self
        let keep = pointPosition + places
        guard keep < digits.count else { return copy }
        guard keep >= 0 else {
            copy.digits = []
            copy.normalize()
            return copy
        }
        let roundUp = digits[keep] >= 5
        copy.digits = Array(digits[..<keep])
        if roundUp {
            var index = keep - 1
            var carry = true
            while carry, index >= 0 {
                if copy.digits[index] == 9 {
                    copy.digits[index] = 0
                    index -= 1
                } else {
                    copy.digits[index] += 1
                    carry = false
                }
            }
            if carry {
                copy.digits.insert(1, at: 0)
                copy.pointPosition += 1
            }
        }
        copy.normalize()
        return copy
    }

    /// The digits with exactly `places` after the point (trailing zeros dropped if `trimZeros`),
    /// `,` between thousands if `grouping`, and `-` only when a non-zero digit is shown.
    func text(places: Int, trimZeros: Bool = false, grouping: Bool = false) -> String {
        let value = rounded(toPlaces: places)
        var integer: [UInt8] = []
        if value.pointPosition > 0 {
            for index in 0..<value.pointPosition { integer.append(value.digit(at: index)) }
        } else {
            integer = [0]
        }
        var fraction: [UInt8] = []
        for index in 0..<max(places, 0) { fraction.append(value.digit(at: value.pointPosition + index)) }
        if trimZeros {
            while fraction.last == 0 { fraction.removeLast() }
        }
        var result = value.negative && !value.isZero ? "-" : ""
        for (position, digit) in integer.enumerated() {
            if grouping, position > 0, (integer.count - position) % 3 == 0 { result += "," }
            result.append(Character(Unicode.Scalar(UInt8(ascii: "0") + digit)))
        }
        if !fraction.isEmpty {
            result += "."
            for digit in fraction { result.append(Character(Unicode.Scalar(UInt8(ascii: "0") + digit))) }
        }
        return result
    }

    private func digit(at index: Int) -> UInt8 {
        index >= 0 && index < digits.count ? digits[index] : 0
    }

    private mutating func normalize() {
        let leading = digits.prefix(while: { $0 == 0 }).count
        digits.removeFirst(leading)
        pointPosition -= leading
        while digits.last == 0 { digits.removeLast() }
        if digits.isEmpty {
            pointPosition = 0
        }
    }
}
