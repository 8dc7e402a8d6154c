package io.regionrouter.examples.spring;

/**
 * A user's profile as the API returns it.
 *
 * @param userId the user
 * @param displayName the name to show
 * @param region the region whose database holds the profile
 */
public record Profile(String userId, String displayName, String region) {
}
