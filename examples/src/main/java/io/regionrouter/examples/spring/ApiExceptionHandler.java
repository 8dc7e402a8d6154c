package io.regionrouter.examples.spring;

import io.regionrouter.core.DirectoryLookupException;
import io.regionrouter.core.RegionUnavailableException;
import io.regionrouter.core.ResidencyViolationException;
import io.regionrouter.core.UnknownUserException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Turns failures into problem responses a client can act on, without telling it anything about
 * any user. The library's exception messages name users, home regions and the regions tried: a
 * caller could learn from them where a user lives, or that the user exists at all. So the body
 * carries a fixed text for the status, and the message goes to the server's log instead.
 *
 * <p>Any other exception is left to Spring Boot's error handling, which leaves exception messages
 * out of the response by default.
 */
@RestControllerAdvice
public class ApiExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(ApiExceptionHandler.class);

    @ExceptionHandler(UnknownUserException.class)
    ProblemDetail unknownUser(UnknownUserException e) {
        // the normal answer before sign-up, not a fault
        LOG.debug("404: {}", e.getMessage());
        return ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND,
                "You have no profile yet; create it with POST /profiles.");
    }

    @ExceptionHandler(InvalidProfileException.class)
    ProblemDetail badRequest(InvalidProfileException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
    }

    @ExceptionHandler(ProfileConflictException.class)
    ProblemDetail conflict(ProfileConflictException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, e.getMessage());
    }

    @ExceptionHandler(ResidencyViolationException.class)
    ProblemDetail residency(ResidencyViolationException e) {
        // routing refused to break a residency rule: a bug or a probe, worth a look either way
        LOG.warn("403: {}", e.getMessage());
        return ProblemDetail.forStatusAndDetail(HttpStatus.FORBIDDEN,
                "This request is not allowed by the data residency rules.");
    }

    @ExceptionHandler(RegionUnavailableException.class)
    ProblemDetail unavailable(RegionUnavailableException e) {
        LOG.warn("503: {}", e.getMessage());
        return ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
                "The region that holds your data is unavailable; try again later.");
    }

    /**
     * Through {@code JdbcTemplate} the library's routing failures arrive as the cause of an
     * {@code SQLException} inside Spring's {@code DataAccessException}; answer them as if they had
     * been thrown directly, and anything else as a plain 500 without its message.
     */
    @ExceptionHandler(DataAccessException.class)
    ProblemDetail dataAccess(DataAccessException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UnknownUserException u) {
                return unknownUser(u);
            }
            if (t instanceof ResidencyViolationException r) {
                return residency(r);
            }
            if (t instanceof RegionUnavailableException r) {
                return unavailable(r);
            }
            if (t instanceof DirectoryLookupException d) {
                return directoryFailed(d);
            }
            if (t.getCause() == t) {
                break;
            }
        }
        LOG.error("500: database access failed", e);
        return ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR,
                "The request could not be completed; try again later.");
    }

    @ExceptionHandler(DirectoryLookupException.class)
    ProblemDetail directoryFailed(DirectoryLookupException e) {
        LOG.warn("503: {}", e.getMessage(), e);
        return ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
                "Your home region cannot be looked up right now; try again later.");
    }
}
