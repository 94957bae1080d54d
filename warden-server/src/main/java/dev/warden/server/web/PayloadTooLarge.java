package dev.warden.server.web;

import java.io.IOException;

/** A request body over the configured limit. An IOException so that it surfaces through body readers. */
final class PayloadTooLarge extends IOException {
    PayloadTooLarge(long limit) {
        super("the request body is larger than " + limit + " bytes");
    }
}
