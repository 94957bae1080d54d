package dev.warden.server.web;

/**
 * Describes a failure for the log without its messages: JDBC drivers put SQL text and bound
 * values into exception messages, and a secret could ride along. Class names and stack frames
 * say where it broke; the request id links it to the caller.
 */
final class SafeThrowables {
    private static final int FRAMES = 12;

    private SafeThrowables() {}

    static String describe(Throwable e) {
        StringBuilder b = new StringBuilder();
        int depth = 0;
        for (Throwable t = e; t != null && depth < 8; t = t.getCause() == t ? null : t.getCause(), depth++) {
            if (depth > 0) {
                b.append("\n  caused by ");
            }
            b.append(t.getClass().getName());
            StackTraceElement[] frames = t.getStackTrace();
            for (int i = 0; i < Math.min(FRAMES, frames.length); i++) {
                b.append("\n    at ").append(frames[i]);
            }
        }
        return b.toString();
    }
}
