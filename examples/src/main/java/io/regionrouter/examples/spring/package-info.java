/**
 * A Spring Boot application on region-router: the routing {@code DataSource} is the application's
 * {@code DataSource} bean, Spring Security authenticates every request, a filter in its chain binds
 * the {@code RegionContext} of the authenticated user, and a small REST API creates and reads user
 * profiles, each stored in its user's home region. See
 * {@link io.regionrouter.examples.spring.ProfileApplication}.
 */
package io.regionrouter.examples.spring;
