package io.regionrouter.examples.spring;

/**
 * The body of {@code POST /profiles}.
 *
 * @param displayName the name to show; required
 * @param homeRegion the region that will hold the user's data, such as {@code eu}; required
 */
public record NewProfile(String displayName, String homeRegion) {
}
