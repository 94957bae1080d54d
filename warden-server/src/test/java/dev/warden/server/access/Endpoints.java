package dev.warden.server.access;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * The application's own endpoints, read from its request mappings: the suites that must cover
 * every endpoint take their list from here, so a new endpoint that nobody added to them fails.
 */
public final class Endpoints {
    public record Endpoint(String method, String pattern, HandlerMethod handler) {
        public String key() {
            return method + " " + pattern;
        }

        public boolean takesId() {
            return pattern.contains("{");
        }

        @Override
        public String toString() {
            return key();
        }
    }

    private Endpoints() {}

    /** Every handler, including several that share a method and path. */
    public static List<Endpoint> handlers(RequestMappingHandlerMapping mapping) {
        List<Endpoint> endpoints = new ArrayList<>();
        for (Map.Entry<RequestMappingInfo, HandlerMethod> entry : mapping.getHandlerMethods().entrySet()) {
            HandlerMethod handler = entry.getValue();
            if (handler.getBeanType().getPackageName().startsWith("dev.warden")) {
                for (String pattern : entry.getKey().getPatternValues()) {
                    for (RequestMethod method : entry.getKey().getMethodsCondition().getMethods()) {
                        endpoints.add(new Endpoint(method.name(), pattern, handler));
                    }
                }
            }
        }
        return endpoints;
    }

    public static List<Endpoint> of(RequestMappingHandlerMapping mapping) {
        List<Endpoint> endpoints = new ArrayList<>();
        for (Map.Entry<RequestMappingInfo, HandlerMethod> entry : mapping.getHandlerMethods().entrySet()) {
            HandlerMethod handler = entry.getValue();
            if (!handler.getBeanType().getPackageName().startsWith("dev.warden")) {
                continue; // framework endpoints (error page, OpenAPI) are covered by the filter chain tests
            }
            for (String pattern : entry.getKey().getPatternValues()) {
                for (RequestMethod method : entry.getKey().getMethodsCondition().getMethods()) {
                    endpoints.add(new Endpoint(method.name(), pattern, handler));
                }
            }
        }
        // One entry per method and path: several handlers may serve one (by Accept), and each is checked
        // by EveryEndpointDeclaresItsPermissionTest through its own handler.
        var byKey = new java.util.TreeMap<String, Endpoint>();
        endpoints.forEach(e -> byKey.putIfAbsent(e.key(), e));
        return List.copyOf(byKey.values());
    }
}
