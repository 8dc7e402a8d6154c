package io.regionrouter.core.internal;

import java.time.Duration;

import io.regionrouter.core.InvalidConfigurationException;

/**
 * Argument checks for durations, with messages that name the field, the rule and the value.
 */
public final class DurationChecks {

    private DurationChecks() {
    }

    /**
     * Returns the duration if it is positive.
     *
     * @throws InvalidConfigurationException if it is null, zero or negative
     */
    public static Duration positive(String field, Duration value) {
        if (value == null || value.isZero() || value.isNegative()) {
            throw new InvalidConfigurationException(field, value, field + " must be > 0, but was " + value);
        }
        return value;
    }

    /**
     * Returns the duration if it is zero or positive.
     *
     * @throws InvalidConfigurationException if it is null or negative
     */
    public static Duration nonNegative(String field, Duration value) {
        if (value == null || value.isNegative()) {
            throw new InvalidConfigurationException(field, value, field + " must be >= 0, but was " + value);
        }
        return value;
    }
}
