package dev.warden.semantic.compile;

/** Internal control flow: stops a compilation with a message safe to show to the caller. */
final class Refusal extends RuntimeException {
    Refusal(String publicMessage) {
        super(publicMessage, null, false, false);
    }

    static Refusal unknownTopic(String topic) {
        return new Refusal("Unknown topic \"" + topic + "\".");
    }

    /** The one message for a field that does not exist, is denied, or is not available in the topic. */
    static Refusal unknownField(String field, String topic) {
        return new Refusal("Unknown field \"" + field + "\" in topic \"" + topic + "\".");
    }
}
