package dev.warden.server.web;

import dev.warden.server.access.AccessDenied;
import dev.warden.server.access.NotAuthenticated;
import dev.warden.server.identity.ApiKeyAuthentication;
import dev.warden.server.problem.Conflict;
import dev.warden.server.problem.InvalidRequest;
import dev.warden.server.problem.ResourceNotFound;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * Every error as an RFC 9457 problem detail with a stable {@code type}, a title and a detail
 * that names the problem. Never a stack trace, SQL text, a secret or an echo of the caller's
 * values. Unexpected failures are logged by exception class and stack frames only, since
 * exception messages (from JDBC drivers above all) can carry SQL text and values.
 */
@RestControllerAdvice
public class Problems extends ResponseEntityExceptionHandler {
    static final String TYPE_PREFIX = "urn:warden:problem:";

    private final DenialAudit deniedAudit;

    Problems(DenialAudit deniedAudit) {
        this.deniedAudit = deniedAudit;
    }
    private static final Logger LOG = LoggerFactory.getLogger(Problems.class);
    private static final java.util.regex.Pattern SAFE_NAME = java.util.regex.Pattern.compile("^[A-Za-z0-9_.\\[\\]-]{1,100}$");

    static ProblemDetail problem(HttpStatusCode status, String slug, String title, String detail) {
        ProblemDetail p = ProblemDetail.forStatusAndDetail(status, detail);
        p.setType(URI.create(TYPE_PREFIX + slug));
        p.setTitle(title);
        return p;
    }

    static void addRequestId(ProblemDetail problem, HttpServletRequest request) {
        Object id = request.getAttribute(ApiKeyAuthentication.REQUEST_ID_ATTRIBUTE);
        if (id != null) {
            problem.setProperty("request_id", id.toString());
        }
    }

    /** The request's path as the problem's {@code instance}; none when the path is not a valid URI. */
    static URI instanceOf(HttpServletRequest request) {
        try {
            return URI.create(request.getRequestURI());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    static Map<String, Object> asMap(ProblemDetail p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", p.getType().toString());
        m.put("title", p.getTitle());
        m.put("status", p.getStatus());
        m.put("detail", p.getDetail());
        if (p.getInstance() != null) {
            m.put("instance", p.getInstance().toString());
        }
        if (p.getProperties() != null) {
            m.putAll(p.getProperties());
        }
        return m;
    }

    @ExceptionHandler(ResourceNotFound.class)
    ProblemDetail notFound(ResourceNotFound e, HttpServletRequest request) {
        return finish(problem(HttpStatus.NOT_FOUND, "not-found", "Not found", e.getMessage()), request);
    }

    @ExceptionHandler(Conflict.class)
    ProblemDetail conflict(Conflict e, HttpServletRequest request) {
        return finish(problem(HttpStatus.CONFLICT, "conflict", "Conflict", e.getMessage()), request);
    }

    @ExceptionHandler(DuplicateKeyException.class)
    ProblemDetail duplicate(DuplicateKeyException e, HttpServletRequest request) {
        return finish(problem(HttpStatus.CONFLICT, "conflict", "Conflict",
                "that clashes with something that already exists"), request);
    }

    @ExceptionHandler(org.springframework.dao.DataIntegrityViolationException.class)
    ProblemDetail integrity(org.springframework.dao.DataIntegrityViolationException e, HttpServletRequest request) {
        return finish(problem(HttpStatus.CONFLICT, "conflict", "Conflict",
                "that conflicts with what is stored (a duplicate, or something else still refers to it)"), request);
    }

    @ExceptionHandler(InvalidRequest.class)
    ProblemDetail invalid(InvalidRequest e, HttpServletRequest request) {
        return finish(problem(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request", e.getMessage()), request);
    }

    @ExceptionHandler(AccessDenied.class)
    ProblemDetail denied(AccessDenied e, HttpServletRequest request) {
        deniedAudit.record(request, e.getMessage());
        return finish(problem(HttpStatus.FORBIDDEN, "forbidden", "Forbidden", e.getMessage()), request);
    }

    @ExceptionHandler(NotAuthenticated.class)
    ProblemDetail unauthenticated(NotAuthenticated e, HttpServletRequest request) {
        return finish(problem(HttpStatus.UNAUTHORIZED, "unauthenticated", "Not authenticated",
                "This needs authentication."), request);
    }

    @ExceptionHandler(dev.warden.server.models.ModelInvalid.class)
    ProblemDetail modelInvalid(dev.warden.server.models.ModelInvalid e, HttpServletRequest request) {
        ProblemDetail p = problem(HttpStatus.UNPROCESSABLE_CONTENT, "model-invalid", "The model does not validate",
                e.problems().size() + " problem(s); see problems[] for each, with its line, column and a hint");
        p.setProperty("problems", e.problems().stream().map(x -> java.util.Map.of("line", x.line(), "column", x.column(),
                "message", x.message(), "hint", x.hint())).toList());
        return finish(p, request);
    }

    @ExceptionHandler(dev.warden.server.keys.KeysUnavailable.class)
    ProblemDetail keysDown(Exception e, HttpServletRequest request) {
        LOG.error("org keys unavailable: {}", SafeThrowables.describe(e));
        return finish(problem(HttpStatus.SERVICE_UNAVAILABLE, "keys-unavailable", "Service unavailable",
                "The org's encryption keys are unavailable (key management service or master key); try again shortly."),
                request);
    }

    @ExceptionHandler(dev.warden.server.query.QueryFailure.class)
    ProblemDetail queryFailure(dev.warden.server.query.QueryFailure e, HttpServletRequest request) {
        if (e.status() == HttpStatus.FORBIDDEN) {
            deniedAudit.record(request, e.getMessage());
        }
        return finish(problem(e.status(), e.slug(), e.title(), e.getMessage()), request);
    }

    @ExceptionHandler(PayloadTooLarge.class)
    ProblemDetail tooLarge(PayloadTooLarge e, HttpServletRequest request) {
        return finish(problem(HttpStatus.CONTENT_TOO_LARGE, "payload-too-large", "Payload too large",
                e.getMessage()), request);
    }

    @ExceptionHandler({CannotGetJdbcConnectionException.class, CannotCreateTransactionException.class,
            DataAccessResourceFailureException.class, TransientDataAccessException.class})
    ProblemDetail storeDown(Exception e, HttpServletRequest request) {
        LOG.error("metadata store unavailable: {}", SafeThrowables.describe(e));
        return finish(problem(HttpStatus.SERVICE_UNAVAILABLE, "metadata-store-unavailable", "Service unavailable",
                "Warden's metadata store is not answering; try again shortly."), request);
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ProblemDetail typeMismatch(MethodArgumentTypeMismatchException e, HttpServletRequest request) {
        boolean pathVariable = e.getParameter().hasParameterAnnotation(
                org.springframework.web.bind.annotation.PathVariable.class);
        if (pathVariable) {
            // An id that cannot even be parsed names nothing: the same answer as an unknown id.
            return finish(problem(HttpStatus.NOT_FOUND, "not-found", "Not found", "no resource with that id"), request);
        }
        return finish(problem(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request",
                "parameter '" + e.getName() + "' has the wrong type"), request);
    }

    @ExceptionHandler(Exception.class)
    ProblemDetail unexpected(Exception e, HttpServletRequest request) {
        PayloadTooLarge tooLarge = findCause(e, PayloadTooLarge.class);
        if (tooLarge != null) {
            return tooLarge(tooLarge, request);
        }
        LOG.error("unexpected failure: {}", SafeThrowables.describe(e));
        return finish(problem(HttpStatus.INTERNAL_SERVER_ERROR, "internal", "Internal error",
                "Something went wrong on Warden's side; the request id identifies it in the server log."), request);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        PayloadTooLarge tooLarge = findCause(e, PayloadTooLarge.class);
        if (tooLarge != null) {
            return ResponseEntity.status(HttpStatus.CONTENT_TOO_LARGE).body(tooLarge(tooLarge, servlet(request)));
        }
        return ResponseEntity.badRequest().body(finish(problem(HttpStatus.BAD_REQUEST, "invalid-body",
                "Invalid request body", describeUnreadable(e)), servlet(request)));
    }

    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception e, Object body, HttpHeaders headers,
            HttpStatusCode status, WebRequest request) {
        ProblemDetail problem = body instanceof ProblemDetail p ? p
                : ProblemDetail.forStatusAndDetail(status, "The request could not be handled.");
        if (problem.getType() == null || "about:blank".equals(problem.getType().toString())) {
            problem.setType(URI.create(TYPE_PREFIX + slug(status)));
        }
        return super.handleExceptionInternal(e, finish(problem, servlet(request)), headers, status, request);
    }

    /** A detail that says what is wrong with a body without echoing any of its values. */
    static String describeUnreadable(HttpMessageNotReadableException e) {
        UnrecognizedPropertyException unknown = findCause(e, UnrecognizedPropertyException.class);
        if (unknown != null) {
            String known = unknown.getKnownPropertyIds() == null ? "" : unknown.getKnownPropertyIds().stream()
                    .map(Object::toString).sorted().collect(Collectors.joining(", "));
            // The property name is the caller's text: named only when it looks like a property name.
            String name = path(unknown.getPath());
            return (SAFE_NAME.matcher(name).matches() ? "unknown property '" + name + "'" : "unknown property")
                    + (known.isEmpty() ? "" : "; known properties here: " + known);
        }
        InvalidFormatException format = findCause(e, InvalidFormatException.class);
        if (format != null) {
            String expected = format.getTargetType() == null ? "another value"
                    : format.getTargetType().isEnum() ? "one of " + List.of(format.getTargetType().getEnumConstants())
                    : "a " + format.getTargetType().getSimpleName();
            return "property '" + path(format.getPath()) + "' must be " + expected;
        }
        MismatchedInputException mismatch = findCause(e, MismatchedInputException.class);
        if (mismatch != null) {
            String where = path(mismatch.getPath());
            if (where.isEmpty()) {
                return "the body must be a JSON object of the documented shape";
            }
            String expected = mismatch.getTargetType() == null ? "" : " (expected " + simple(mismatch.getTargetType()) + ")";
            return "property '" + where + "' is missing or has the wrong type" + expected;
        }
        StreamReadException malformed = findCause(e, StreamReadException.class);
        if (malformed != null && malformed.getLocation() != null) {
            return "the body is not valid JSON (line " + malformed.getLocation().getLineNr() + ", column "
                    + malformed.getLocation().getColumnNr() + ")";
        }
        return "a JSON body is required and must be valid JSON";
    }

    private static String simple(Class<?> type) {
        if (type == String.class) {
            return "a string";
        }
        if (Number.class.isAssignableFrom(type) || type.isPrimitive() && type != boolean.class) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (List.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        return "a " + type.getSimpleName();
    }

    private static String path(List<JacksonException.Reference> path) {
        StringBuilder b = new StringBuilder();
        for (JacksonException.Reference ref : path) {
            if (ref.getPropertyName() != null) {
                if (!b.isEmpty()) {
                    b.append('.');
                }
                b.append(ref.getPropertyName());
            } else if (ref.getIndex() >= 0) {
                b.append('[').append(ref.getIndex()).append(']');
            }
        }
        return b.toString();
    }

    private static String slug(HttpStatusCode status) {
        HttpStatus known = HttpStatus.resolve(status.value());
        return known == null ? "http-" + status.value() : known.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    private static ProblemDetail finish(ProblemDetail problem, HttpServletRequest request) {
        if (request != null) {
            if (problem.getInstance() == null) {
                problem.setInstance(instanceOf(request));
            }
            addRequestId(problem, request);
        }
        return problem;
    }

    private static HttpServletRequest servlet(WebRequest request) {
        return request instanceof NativeWebRequest nwr ? nwr.getNativeRequest(HttpServletRequest.class) : null;
    }

    static <T extends Throwable> T findCause(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
