/// "Did you mean …?" for misspelt keys and ids in config and mapping files.
enum Suggestion {
    /// The candidate closest to `name` by edit distance (case-insensitive, `-` and `_` alike), when
    /// close enough to be a likely typo.
    static func nearest(to name: String, in candidates: [String]) -> String? {
        // Suggestions are a courtesy; hostile multi-kilobyte names get none rather than a slow search.
        guard name.utf8.count <= 100 else { return nil }
        let folded = fold(name)
        var best: (candidate: String, distance: Int)?
        for candidate in candidates {
            let distance = editDistance(folded, fold(candidate))
            if best == nil || distance < best?.distance ?? .max { best = (candidate, distance) }
        }
        guard let best else { return nil }
        return best.distance <= max(1, min(3, best.candidate.utf8.count / 3)) ? best.candidate : nil
    }

    private static func fold(_ text: String) -> [UInt8] {
        Array(text.lowercased().replacingOccurrences(of: "-", with: "_").utf8)
    }

    static func editDistance(_ a: [UInt8], _ b: [UInt8]) -> Int {
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var previous = Array(0...b.count)
        var current = previous
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
