package io.regionrouter.examples.spring;

import java.sql.SQLException;
import java.util.concurrent.CompletableFuture;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The REST API. Every request is made for the authenticated user, whom the starter's {@code RegionContextFilter}
 * binds to the thread:
 * <ul>
 *   <li>{@code POST /profiles} {@code {"displayName": "Alice", "homeRegion": "eu"}} signs the user
 *       up and stores the profile in the home region: 201;</li>
 *   <li>{@code GET /profiles/me} reads it back from the home region: 200, or 404;</li>
 *   <li>{@code GET /profiles/me/later} does the same read in an {@code @Async} method, on another
 *       thread, to which the starter's task decorator carries the user's context.</li>
 * </ul>
 */
@RestController
@RequestMapping("/profiles")
public class ProfileController {

    private final ProfileService profiles;

    /** Creates the controller. */
    public ProfileController(ProfileService profiles) {
        this.profiles = profiles;
    }

    @PostMapping
    ResponseEntity<Profile> create(@RequestBody NewProfile request) throws SQLException {
        return ResponseEntity.status(HttpStatus.CREATED).body(profiles.create(request));
    }

    @GetMapping("/me")
    ResponseEntity<Profile> me() {
        return ResponseEntity.of(profiles.current());
    }

    @GetMapping("/me/later")
    CompletableFuture<ResponseEntity<Profile>> meLater() {
        return profiles.currentLater().thenApply(ResponseEntity::of);
    }
}
