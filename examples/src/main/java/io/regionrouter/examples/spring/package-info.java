/**
 * A Spring Boot application on region-router: the routing {@code DataSource} is the application's
 * {@code DataSource} bean, a servlet filter binds the {@code RegionContext} of the user a request is
 * made for, and a small REST API creates and reads user profiles, each stored in its user's home
 * region. See {@link io.regionrouter.examples.spring.ProfileApplication}.
 */
package io.regionrouter.examples.spring;
