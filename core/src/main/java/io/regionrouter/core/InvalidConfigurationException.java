package io.regionrouter.core;

/**
 * Configuration is invalid. Thrown by builders and validation, before anything starts. The message
 * names the field, the rule and the value, for example
 * {@code region.id must match [a-z0-9]+(-[a-z0-9]+)*, at most 32 characters, but was "EU"}.
 * The value is kept escaped and cut to its first 64 characters, as in the message.
 *
 * <p>Callers that construct this exception must not pass secrets as the value.
 */
public class InvalidConfigurationException extends RegionRouterException {

    private static final long serialVersionUID = 1L;

    private final String field;
    private final String value;

    /**
     * Creates the exception.
     *
     * @param field the property that is wrong, such as {@code topology.local}
     * @param value the offending value, may be null
     * @param message the full message; it names the field, the rule and the value
     */
    public InvalidConfigurationException(String field, Object value, String message) {
        this(field, value, message, null);
    }

    /**
     * Creates the exception with a cause.
     *
     * @param field the property that is wrong
     * @param value the offending value, may be null
     * @param message the full message; it names the field, the rule and the value
     * @param cause the cause, may be null
     */
    public InvalidConfigurationException(String field, Object value, String message, Throwable cause) {
        super(message, cause);
        this.field = field;
        this.value = value == null ? null : io.regionrouter.core.support.Messages.printable(String.valueOf(value));
    }

    /** Returns the property that is wrong. */
    public String field() {
        return field;
    }

    /** Returns the offending value as a string (escaped, and cut if long), or null if it was null. */
    public String value() {
        return value;
    }
}
