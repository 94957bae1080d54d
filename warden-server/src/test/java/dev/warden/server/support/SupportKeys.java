package dev.warden.server.support;

/** The operator keys whose hashes ApiTest configures (test-only secrets, never used elsewhere). */
public final class SupportKeys {
    public static final String ALICE = "wop_Vv_lobOQkwHkNQHJN-_1PNeVHtNUVcCVTdnFYa19OkQ";
    public static final String BOB = "wop_xRrlD5ha6O_s1ybvNr97EbM27SLu6b4BhCRRv5Rje30";

    private SupportKeys() {}
}
