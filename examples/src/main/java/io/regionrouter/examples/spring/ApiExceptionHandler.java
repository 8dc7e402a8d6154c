package io.regionrouter.examples.spring;

import io.regionrouter.core.InvalidConfigurationException;
import io.regionrouter.core.RegionUnavailableException;
import io.regionrouter.core.ResidencyViolationException;
import io.regionrouter.core.UnknownUserException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** Turns the library's exceptions into problem responses a client can act on. */
@RestControllerAdvice
public class ApiExceptionHandler {

    @ExceptionHandler(UnknownUserException.class)
    ProblemDetail unknownUser(UnknownUserException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND,
                e.getMessage() + "; create the profile first with POST /profiles");
    }

    @ExceptionHandler({IllegalArgumentException.class, InvalidConfigurationException.class})
    ProblemDetail badRequest(RuntimeException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
    }

    @ExceptionHandler(ProfileConflictException.class)
    ProblemDetail conflict(ProfileConflictException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, e.getMessage());
    }

    @ExceptionHandler(ResidencyViolationException.class)
    ProblemDetail residency(ResidencyViolationException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.FORBIDDEN, e.getMessage());
    }

    @ExceptionHandler(RegionUnavailableException.class)
    ProblemDetail unavailable(RegionUnavailableException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, e.getMessage());
    }
}
