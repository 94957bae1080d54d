package dev.warden.server.demo.idp;

import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * The demo identity provider's two HTML pages: pick a person, or why the request was refused.
 * Plain HTML with one inline style sheet and no script; every value written is escaped.
 */
final class SignInPage {
    static final String BANNER = "DEMO IDENTITY PROVIDER: not for production; anyone on this machine can sign in as anyone";
    /** The chain's {@code default-src 'none'}, plus the page's own inline styles and nothing else. */
    static final String CONTENT_SECURITY_POLICY =
            "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'";

    private static final String STYLE = """
            body{font-family:sans-serif;max-width:42em;margin:2em auto;padding:0 1em}
            .banner{background:#b00020;color:#fff;font-size:1.4em;font-weight:bold;padding:1em;border:4px solid #000}
            ul{list-style:none;padding:0}li{margin:.5em 0}
            button{font-size:1em;padding:.5em 1em;min-width:24em;text-align:left;cursor:pointer}
            """;

    private SignInPage() {}

    static String choosePerson(String slug, URI action, Map<String, String> request, List<DemoIdentityProvider.Person> people) {
        StringBuilder html = head("Sign in to " + slug + " (demo)");
        html.append("<h1>Sign in to ").append(escape(slug)).append(" as a demo person</h1>\n")
                .append("<p>No password: pick who you want to be. This provider exists only for Warden's demo, ")
                .append("answers only on this machine, and forgets everything when Warden stops.</p>\n")
                .append("<form method=\"post\" action=\"").append(escape(action.toString())).append("\">\n");
        request.forEach((name, value) -> html.append("<input type=\"hidden\" name=\"").append(escape(name))
                .append("\" value=\"").append(escape(value)).append("\">\n"));
        html.append("<ul>\n");
        for (DemoIdentityProvider.Person p : people) {
            html.append("<li><button type=\"submit\" name=\"person\" value=\"").append(escape(p.email())).append("\">")
                    .append("<strong>").append(escape(p.name())).append("</strong> &lt;").append(escape(p.email()))
                    .append("&gt; ").append(escape(p.role())).append("</button></li>\n");
        }
        return html.append("</ul>\n</form>\n</body>\n</html>\n").toString();
    }

    static String refusal(String reason) {
        return head("Demo sign-in refused")
                .append("<h1>This sign-in request was refused</h1>\n<p>").append(escape(reason)).append("</p>\n")
                .append("<p>Start again from Warden's sign-in page.</p>\n</body>\n</html>\n").toString();
    }

    private static StringBuilder head(String title) {
        return new StringBuilder(2048).append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"referrer\" content=\"no-referrer\">\n")
                .append("<title>").append(escape(title)).append("</title>\n<style>").append(STYLE).append("</style>\n")
                .append("</head>\n<body>\n<div class=\"banner\" role=\"alert\">").append(escape(BANNER)).append("</div>\n");
    }

    /** Escapes for HTML text and double- or single-quoted attribute values. */
    static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
