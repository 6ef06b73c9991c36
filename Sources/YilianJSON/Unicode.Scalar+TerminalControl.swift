extension Unicode.Scalar {
    /// A control character a terminal obeys, or one that reorders what it shows: C0 (line feeds
    /// and tabs too), DEL, C1 (U+0080–U+009F: U+009B starts an escape sequence as ESC [ does)
    /// and the bidirectional controls (U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069).
    /// Stored text reaches a terminal with none of them as they are (SPEC §3): text output shows
    /// them as visible escapes, JSON writes them as `\u` escapes.
    public var isTerminalControl: Bool {
        switch value {
        case 0x00...0x1F, 0x7F...0x9F, 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: return true
        default: return false
        }
    }
}
