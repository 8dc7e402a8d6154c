package io.regionrouter.examples.spring;

/**
 * The caller's {@code POST /profiles} body is not valid. Its message is shown to the caller as it
 * is, so it only ever describes the caller's own request.
 */
public class InvalidProfileException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what is wrong with the request, naming the field, the rule and the value
     */
    public InvalidProfileException(String message) {
        super(message);
    }
}
