package io.regionrouter.core;

import java.io.Serializable;
import java.util.regex.Pattern;

import io.regionrouter.core.support.Messages;

/**
 * A region id such as {@code us}, {@code eu} or {@code eu-west-1}.
 *
 * <p>The id is 1 to 32 characters of lowercase letters, digits and single {@code -} between them
 * (so not {@code -}, {@code --} or {@code eu-}). Regions are compared by id. Instances are immutable
 * and thread-safe.
 *
 * @param id the region id
 */
public record Region(String id) implements Serializable {

    private static final long serialVersionUID = 1L;

    /** The rule every region id must satisfy. */
    public static final String ID_RULE = "[a-z0-9]+(-[a-z0-9]+)*, at most 32 characters";

    private static final Pattern ID_PATTERN = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");

    /**
     * Creates a region.
     *
     * @throws InvalidConfigurationException if {@code id} is null or does not match {@link #ID_RULE}
     */
    public Region {
        if (id == null || id.length() > 32 || !ID_PATTERN.matcher(id).matches()) {
            throw new InvalidConfigurationException("region.id", id,
                    "region.id must match " + ID_RULE + ", but was " + Messages.quote(id));
        }
    }

    /**
     * Returns the region with the given id.
     *
     * @param id the region id
     * @return the region
     * @throws InvalidConfigurationException if the id is not valid
     */
    public static Region of(String id) {
        return new Region(id);
    }

    /** Returns the id. */
    @Override
    public String toString() {
        return id;
    }
}
