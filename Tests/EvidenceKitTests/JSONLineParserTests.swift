import Foundation
import Testing
@testable import EvidenceKit

private let parser = JSONLineParser()

/// The error `line` is rejected with, or nil when it parses.
private func rejection(_ line: String, maxDepth: Int = 64) -> JSONLineError? {
    do {
        _ = try JSONLineParser(maxDepth: maxDepth).parseObject(line)
        return nil
    } catch {
        return error
    }
}

private func rejection(bytes: [UInt8]) -> JSONLineError? {
    let result = bytes.withUnsafeBytes { buffer in
        Result { () throws(JSONLineError) in try parser.parseObject(buffer) }
    }
    if case .failure(let error) = result { return error }
    return nil
}

/// `"{"a":` + content + `"}"`, as bytes, for strings that cannot be Swift literals.
private func lineWithStringBytes(_ content: [UInt8]) -> [UInt8] {
    Array(#"{"a":""#.utf8) + content + Array(#""}"#.utf8)
}

private func singleValue(_ json: String) throws -> JSONValue {
    let fields = try parser.parseObject(#"{"v":"# + json + "}")
    #expect(fields.count == 1)
    return fields[0].value
}

@Suite struct JSONLineParserTests {
    // MARK: - Accepted input

    @Test func parsesAnAuditLineInDocumentOrder() throws {
        let line = #"{"timestamp":"2026-07-01T09:30:00.123Z","user_id":"u-1","latency_ms":42,"response_hash":null,"# +
            #""cached":false,"ok":true,"score":-1.5e3,"tags":["a", 1, {"b": null}],"ctx":{"k":[true]}}"#
        let fields = try parser.parseObject(line)
        #expect(fields == [
            JSONField(key: "timestamp", value: .string("2026-07-01T09:30:00.123Z")),
            JSONField(key: "user_id", value: .string("u-1")),
            JSONField(key: "latency_ms", value: .number("42")),
            JSONField(key: "response_hash", value: .null),
            JSONField(key: "cached", value: .bool(false)),
            JSONField(key: "ok", value: .bool(true)),
            JSONField(key: "score", value: .number("-1.5e3")),
            JSONField(key: "tags", value: .array(raw: #"["a", 1, {"b": null}]"#)),
            JSONField(key: "ctx", value: .object(raw: #"{"k":[true]}"#)),
        ])
    }

    @Test func acceptsJSONWhitespaceAroundAndInsideTheObject() throws {
        let fields = try parser.parseObject(" \t{ \"a\" :\t1 ,\n\"b\"\r:[ ] , \"c\": { } }\r")
        #expect(fields == [
            JSONField(key: "a", value: .number("1")),
            JSONField(key: "b", value: .array(raw: "[ ]")),
            JSONField(key: "c", value: .object(raw: "{ }")),
        ])
        #expect(try parser.parseObject("{}") == [])
        #expect(try parser.parseObject("{ }\r") == [])
    }

    @Test func keepsNumberLiteralsExactly() throws {
        for literal in ["0", "-0", "7", "-12", "1.5", "-0.0", "0.001", "1e5", "1E+5", "2.5e-10", "-1.5E3",
                        "123456789012345678901234567890", "1e400", "9007199254740993"] {
            #expect(try singleValue(literal) == .number(literal), "\(literal)")
        }
    }

    @Test func decodesEveryEscape() throws {
        #expect(try singleValue(#""\" \\ \/ \b \f \n \r \t""#) == .string("\" \\ / \u{8} \u{C} \n \r \t"))
        #expect(try singleValue(#""\u0041\u00e9\u00E9\u65e5\u0000""#) == .string("Aéé日\u{0}"))
        #expect(try singleValue(#""\ud83d\ude00 and \uD83D\uDE00""#) == .string("😀 and 😀"))
        #expect(try singleValue(#""\udbff\udfff""#) == .string("\u{10FFFF}"))
    }

    @Test func acceptsRawUTF8AndDeleteInStrings() throws {
        #expect(try singleValue("\"é 日本 😀 \u{7F} \u{10FFFF}\"") == .string("é 日本 😀 \u{7F} \u{10FFFF}"))
        let fields = try parser.parseObject(#"{"clé":"v","k\n":"x"}"#)
        #expect(fields.map(\.key) == ["clé", "k\n"])
    }

    @Test func decodesLongStringsAcrossTheEightByteFastPath() throws {
        let long = String(repeating: "abcdefgh", count: 20)
        #expect(try singleValue("\"\(long)é\(long)\\n\(long)\"") == .string("\(long)é\(long)\n\(long)"))
        #expect(rejection("{\"a\":\"\(long)\u{1}\"}")?.offset == 6 + long.utf8.count)
    }

    @Test func parsesALineInsideALargerBuffer() throws {
        let file = Array("{\"a\":1}\n{\"b\":\"x\"}\n".utf8)
        let fields = try file.withUnsafeBytes { buffer in
            try parser.parseObject(UnsafeRawBufferPointer(rebasing: buffer[8..<17]))
        }
        #expect(fields == [JSONField(key: "b", value: .string("x"))])
    }

    @Test func keepsNestedDuplicatesAndDeepNestingWithinTheLimitAsRawText() throws {
        #expect(try singleValue(#"{"a":1,"a":2}"#) == .object(raw: #"{"a":1,"a":2}"#))
        let deep = String(repeating: "[", count: 63) + String(repeating: "]", count: 63)
        #expect(try singleValue(deep) == .array(raw: deep))
        let veryDeep = String(repeating: "[{\"k\":", count: 300) + "0" + String(repeating: "}]", count: 300)
        #expect(try JSONLineParser(maxDepth: 601).parseObject(#"{"v":"# + veryDeep + "}")
            == [JSONField(key: "v", value: .array(raw: veryDeep))])
    }

    @Test func acceptsManyDistinctKeys() throws {
        let keys = (0..<1000).map { "k\($0)" }
        let line = "{" + keys.map { "\"\($0)\":\($0.count)" }.joined(separator: ",") + "}"
        #expect(try parser.parseObject(line).map(\.key) == keys)
    }

    // MARK: - Rejected input, with messages and offsets

    @Test func errorDescriptionIsOneBasedColumnAndMessage() {
        let error = rejection(#"{"user_id"  "u-1"}"#)
        #expect(error?.offset == 12)
        #expect(error?.description == #"column 13: expected ':' after key "user_id", found '"'"#)
    }

    @Test func rejectsInvalidEscapesNamingThem() {
        let error = rejection(#"{"\x":1}"#)
        #expect(error?.description == #"column 3: invalid escape \x in string"#)
        #expect(rejection(#"{"a":"ok \a"}"#)?.message == #"invalid escape \a in string (value of key "a")"#)
        #expect(rejection(#"{"a":"\'"}"#)?.offset == 6)
        #expect(rejection(#"{"a":"\u12"}"#)?.message.hasPrefix(#"invalid escape \u12 in string"#) == true)
        #expect(rejection(#"{"a":"\u12G4"}"#)?.offset == 6)
        #expect(rejection(#"{"a":"\U0041"}"#) != nil)
        #expect(rejection(#"{"a":"abc\"#)?.message.hasPrefix("unterminated string") == true)
    }

    @Test func rejectsUnpairedSurrogateEscapes() {
        for bad in [#"\ud800"#, #"\ud800x"#, #"\ud800\u0041"#, #"\udc00"#, #"\udc00\ud800"#, #"\ud800\ud800"#, #"\uDBFF\n"#] {
            let error = rejection(#"{"a":"x"# + bad + #""}"#)
            #expect(error?.offset == 7, "\(bad)")
            #expect(error?.message.hasPrefix("unpaired UTF-16 surrogate") == true, "\(bad)")
        }
    }

    @Test func rejectsUnescapedControlCharactersInStrings() {
        let error = rejection("{\"a\":\"tab\there\"}")
        #expect(error?.offset == 9)
        #expect(error?.message.hasPrefix("unescaped control character 0x09 in string (value of key \"a\")") == true)
        for byte in UInt8(0)..<0x20 {
            #expect(rejection(bytes: lineWithStringBytes([0x41, byte])) != nil, "byte \(byte)")
            #expect(rejection(bytes: Array("{\"".utf8) + [byte] + Array("\":1}".utf8))?.offset == 2, "key byte \(byte)")
        }
    }

    @Test func rejectsInvalidUTF8Everywhere() {
        let cases: [(bytes: [UInt8], problem: String)] = [
            ([0x80], "unexpected continuation byte 0x80"),
            ([0xBF, 0x41], "unexpected continuation byte 0xBF"),
            ([0xC0, 0x80], "overlong"),
            ([0xC1, 0xBF], "overlong"),
            ([0xE0, 0x80, 0x80], "overlong"),
            ([0xE0, 0x9F, 0xBF], "overlong"),
            ([0xF0, 0x80, 0x80, 0x80], "overlong"),
            ([0xF0, 0x8F, 0xBF, 0xBF], "overlong"),
            ([0xED, 0xA0, 0x80], "surrogate"),
            ([0xED, 0xBF, 0xBF], "surrogate"),
            ([0xF4, 0x90, 0x80, 0x80], "above U+10FFFF"),
            ([0xF5, 0x80, 0x80, 0x80], "never appears"),
            ([0xFF], "never appears"),
            ([0xE2, 0x82], "truncated"),
            ([0xE2, 0x82, 0x41], "truncated"),
            ([0xF0, 0x9F, 0x98], "truncated"),
            ([0xC3, 0x41], "truncated"),
        ]
        for (bytes, problem) in cases {
            let error = rejection(bytes: lineWithStringBytes([0x78] + bytes))
            #expect(error?.offset == 7, "\(bytes)")
            #expect(error?.message.contains(problem) == true, "\(bytes): \(error?.message ?? "accepted")")
            #expect(error?.message.hasPrefix("invalid UTF-8 in string") == true, "\(bytes)")
        }
        // A truncated sequence at the very end of the line, and invalid bytes in keys and outside strings.
        #expect(rejection(bytes: Array(#"{"a":"x"#.utf8) + [0xE2, 0x82]) != nil)
        #expect(rejection(bytes: Array(#"{""#.utf8) + [0xC0, 0xAF] + Array(#"":1}"#.utf8))?.offset == 2)
        #expect(rejection(bytes: Array(#"{"a":1}"#.utf8) + [0xC2, 0xA0])?.offset == 7)
        #expect(rejection(bytes: Array(#"{"a":"#.utf8) + [0xC3, 0xA9] + Array("}".utf8))?.offset == 5)
        // The boundaries themselves are valid.
        for valid: [UInt8] in [[0xC2, 0x80], [0xDF, 0xBF], [0xE0, 0xA0, 0x80], [0xED, 0x9F, 0xBF], [0xEE, 0x80, 0x80],
                               [0xF0, 0x90, 0x80, 0x80], [0xF4, 0x8F, 0xBF, 0xBF]] {
            #expect(rejection(bytes: lineWithStringBytes(valid)) == nil, "\(valid)")
        }
    }

    @Test func rejectsAByteOrderMark() {
        let error = rejection("\u{FEFF}{\"a\":1}")
        #expect(error?.offset == 0)
        #expect(error?.message.contains("byte order mark") == true)
    }

    @Test func rejectsTrailingCommasAtTheCommaItself() {
        let top = rejection(#"{"a":1,}"#)
        #expect(top?.offset == 6)
        #expect(top?.message == #"trailing comma after the value of key "a" (expected another key before '}')"#)
        #expect(rejection(#"{"a":[1, ]}"#)?.offset == 7)
        #expect(rejection(#"{"a":{"b":1,}}"#)?.message == #"trailing comma in nested object (value of key "a")"#)
        #expect(rejection(#"{,}"#) != nil)
        #expect(rejection(#"{"a":1,,"b":2}"#)?.offset == 7)
        #expect(rejection(#"{"a":[,1]}"#) != nil)
    }

    @Test func rejectsSingleQuotesAndComments() {
        #expect(rejection("{'a':1}")?.message == #"expected '"' to open a key or '}' after '{', found "'" (strings need double quotes)"#)
        #expect(rejection(#"{"a":'x'}"#)?.offset == 5)
        #expect(rejection(#"{"a":1} // note"#)?.message == "unexpected '/' (comments are not allowed) after the end of the JSON object")
        #expect(rejection(#"{/* c */"a":1}"#)?.offset == 1)
        #expect(rejection(#"{"a":1, # c"#) != nil)
    }

    @Test func rejectsNonJSONNumbers() {
        let cases: [(String, Int, String)] = [
            ("NaN", 5, "expected a value for key \"a\", found 'NaN'"),
            ("Infinity", 5, "expected a value for key \"a\", found 'Infinity'"),
            ("-Infinity", 6, "invalid number (value of key \"a\"): expected a digit after '-', found 'Infinity'"),
            ("01", 5, "invalid number (value of key \"a\"): leading zeros are not allowed"),
            ("-007", 5, "invalid number (value of key \"a\"): leading zeros are not allowed"),
            ("+1", 5, "expected a value for key \"a\", found '+'"),
            (".5", 5, "expected a value for key \"a\", found '.'"),
            ("1.", 7, "invalid number (value of key \"a\"): expected a digit after '.', found '}'"),
            ("1.e3", 7, "invalid number (value of key \"a\"): expected a digit after '.', found 'e3'"),
            ("1e", 7, "invalid number (value of key \"a\"): expected a digit in the exponent, found '}'"),
            ("1e+", 8, "invalid number (value of key \"a\"): expected a digit in the exponent, found '}'"),
            ("-", 6, "invalid number (value of key \"a\"): expected a digit after '-', found '}'"),
            ("0x1F", 6, "expected ',' or '}' after the value of key \"a\", found 'x1F'"),
            ("1 2", 7, "expected ',' or '}' after the value of key \"a\", found '2'"),
        ]
        for (literal, offset, message) in cases {
            let error = rejection(#"{"a":"# + literal + "}")
            #expect(error?.offset == offset, "\(literal)")
            #expect(error?.message == message, "\(literal)")
        }
        #expect(rejection(#"{"a":[01]}"#)?.offset == 6)
        #expect(rejection(#"{"a":[1.]}"#) != nil)
    }

    @Test func rejectsMisspelledLiterals() {
        for bad in ["tru", "True", "nul", "falsey", "undefined", "None"] {
            #expect(rejection(#"{"a":"# + bad + "}") != nil, "\(bad)")
        }
        #expect(rejection(#"{"a":truex}"#)?.offset == 9)
    }

    @Test func rejectsTopLevelValuesOtherThanAnObject() {
        for line in ["[1]", #""x""#, "1", "null", "true"] {
            #expect(rejection(line)?.offset == 0, "\(line)")
            #expect(rejection(line)?.message.hasPrefix("expected '{' to open a JSON object") == true, "\(line)")
        }
        #expect(rejection("")?.message == "expected '{' to open a JSON object, found an empty line")
        #expect(rejection("  \r")?.offset == 3)
        #expect(rejection(bytes: [])?.offset == 0)
    }

    @Test func rejectsTrailingGarbageAfterTheObject() {
        #expect(rejection(#"{"a":1} x"#)?.offset == 8)
        #expect(rejection(#"{}{}"#)?.offset == 2)
        #expect(rejection(#"{"a":1}}"#)?.offset == 7)
        #expect(rejection("{\"a\":1}\u{0}")?.offset == 7)
        #expect(rejection("{\"a\":1}\u{0B}")?.message == "unexpected byte 0x0B after the end of the JSON object")
    }

    @Test func rejectsTruncatedObjects() {
        #expect(rejection(#"{"#)?.offset == 1)
        #expect(rejection(#"{"a""#)?.message == #"expected ':' after key "a", found end of line"#)
        #expect(rejection(#"{"a":"#)?.message == #"expected a value for key "a", found end of line"#)
        #expect(rejection(#"{"a":1"#)?.message == #"expected ',' or '}' after the value of key "a", found end of line"#)
        #expect(rejection(#"{"a":[1,2"#)?.message == #"expected ',' or ']' in nested array (value of key "a"), found end of line"#)
        #expect(rejection(#"{"a":1 "b":2}"#)?.message == #"expected ',' or '}' after the value of key "a", found '"'"#)
        #expect(rejection(#"{"a":1, 2}"#)?.message == #"expected '"' to open the key after the value of key "a", found '2'"#)
        #expect(rejection(#"{"a":{"b" 1}}"#)?.offset == 10)
        #expect(rejection(#"{"a":{1:2}}"#)?.offset == 6)
        #expect(rejection(#"{"a":[1}"#)?.offset == 7)
        #expect(rejection(#"{"a":{"b":1]}"#)?.offset == 11)
    }

    @Test func rejectsNestingDeeperThanTheLimit() {
        #expect(rejection(#"{"a":[[1]]}"#, maxDepth: 3) == nil)
        let error = rejection(#"{"a":[[[1]]]}"#, maxDepth: 3)
        #expect(error?.offset == 7)
        #expect(error?.message == #"nesting deeper than 3 levels (value of key "a")"#)
        #expect(rejection(#"{"a":{}}"#, maxDepth: 1) != nil)
        #expect(rejection(#"{"a":1}"#, maxDepth: 1) == nil)
        // Hostile nesting far beyond any stack: rejected, never a crash.
        let hostile = #"{"a":"# + String(repeating: "[", count: 200_000)
        #expect(rejection(hostile)?.offset == 5 + 63)
        #expect(rejection(hostile, maxDepth: 1_000_000)?.message.contains("found end of line") == true)
    }

    @Test func rejectsDuplicateTopLevelKeysNamingTheKey() {
        let error = rejection(#"{"user_id":"a","x":1,"user_id":"b"}"#)
        #expect(error?.offset == 21)
        #expect(error?.message == #"duplicate key "user_id" (each key may appear only once)"#)
        // The same key spelled with an escape, and canonically equivalent spellings, are duplicates too.
        #expect(rejection(#"{"ab":1,"a\u0062":2}"#)?.offset == 8)
        #expect(rejection(#"{"a\u0062":1,"x":0,"ab":2}"#)?.offset == 19)
        #expect(rejection("{\"\u{E9}\":1,\"e\u{301}\":2}")?.message.hasPrefix("duplicate key") == true)
        #expect(rejection("{\"K\":1,\"\u{212A}\":2}")?.message.hasPrefix("duplicate key") == true)
        #expect(rejection(#"{"":1,"":2}"#)?.message == #"duplicate key "" (each key may appear only once)"#)
        // Beyond the linear-scan limit a set takes over.
        let keys = (0..<100).map { "key\($0)" } + ["key7"]
        let line = "{" + keys.map { "\"\($0)\":0" }.joined(separator: ",") + "}"
        #expect(rejection(line)?.message.hasPrefix(#"duplicate key "key7""#) == true)
        // Keys that differ only in their last byte or in length are distinct.
        #expect(rejection(#"{"abcdefghij":1,"abcdefghik":2,"abcdefghi":3,"abcdefghijk":4}"#) == nil)
    }

    @Test func quotesKeysSafelyInMessages() {
        let error = rejection(#"{"a\"b\n":1 x}"#)
        #expect(error?.message == #"expected ',' or '}' after the value of key "a\"b\u000A", found 'x'"#)
        let long = String(repeating: "k", count: 100)
        #expect(rejection("{\"\(long)\" 1}")?.message == "expected ':' after key \"\(String(repeating: "k", count: 48))…\", found '1'")
    }
}
