package dev.warden.semantic.compile;

/**
 * Whether a text can travel as a bind value unchanged. NUL cannot be sent to PostgreSQL at all,
 * and an unpaired surrogate is replaced by '?' when encoded, which could then match rows the
 * value never meant: attribute values holding either are never bound.
 */
final class SendableText {
    private SendableText() {}

    static boolean sendable(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\u0000') {
                return false;
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }
}
