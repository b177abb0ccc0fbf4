import Foundation
import Testing
@testable import EvidenceKit

/// Values from hostile inputs reach the terminal and CI logs through rejected-record messages; their
/// control characters must show as text, so they can neither restyle the terminal nor forge a line.
struct ControlCharactersTests {
    @Test func controlCharactersAreMadeVisibleAndOtherTextIsKept() {
        #expect(ControlCharacters.escaped("plain café ü 🙂") == "plain café ü 🙂")
        #expect(ControlCharacters.escaped("a\u{1b}[2Jb\nc\r\t\u{7f}\u{85}\u{9b}d") == "a\\u{1b}[2Jb\\u{a}c\\u{d}\\u{9}\\u{7f}\\u{85}\\u{9b}d")
    }

    @Test func aRejectedRecordPrintsAsOneVisibleLine() {
        let error = InputError(input: "audit", file: "audit/x.jsonl", line: 7, field: "dlp_result",
                               message: "'x\u{1b}[2J\u{1b}[31mFAKE\nerror: injected line' is not one of blocked, clean, redacted")
        #expect(error.description == "audit/x.jsonl:7: field 'dlp_result': 'x\\u{1b}[2J\\u{1b}[31mFAKE\\u{a}error: injected line' is not one of blocked, clean, redacted")
        #expect(!error.description.contains("\n"))
        // The stored message is unchanged: the CSV and HTML writers escape it for their own formats.
        #expect(error.message.contains("\u{1b}"))
    }
}
