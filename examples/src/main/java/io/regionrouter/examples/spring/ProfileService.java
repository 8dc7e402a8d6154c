package io.regionrouter.examples.spring;

import io.regionrouter.core.CachingRegionDirectory;
import io.regionrouter.core.Region;
import io.regionrouter.core.RegionContext;
import io.regionrouter.jdbc.JdbcRegionDirectory;
import io.regionrouter.jdbc.RegionalDataSources;
import io.regionrouter.redis.AckPolicy;
import io.regionrouter.redis.RegionalRedis;
import java.sql.SQLException;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Async;
import org.springframework.stereotype.Service;

/**
 * Creates and reads the current user's profile. The {@link JdbcTemplate} is Boot's, built on the
 * routing data source, so every statement runs in the database of the user bound by
 * the starter's {@code RegionContextFilter}; nothing here names a region's pool.
 *
 * <p>The messages of the exceptions it throws are shown to the caller, so they describe the
 * caller's own request and name no user and no home region; the detail goes to the log.
 */
@Service
public class ProfileService {

    private static final Logger LOG = LoggerFactory.getLogger(ProfileService.class);

    /** Prefix of the GLOBAL Redis key holding a region's last sign-up time (no personal data). */
    public static final String LAST_SIGN_UP = "signups:last:";

    private final JdbcTemplate jdbc;
    private final JdbcRegionDirectory directoryTable;
    private final CachingRegionDirectory directory;
    private final RegionalDataSources regionalDataSources;
    private final ObjectProvider<RegionalRedis<String>> redis;
    private final InstantSource clock = InstantSource.system();

    /** Creates the service; Redis is used only when the starter configured it. */
    public ProfileService(JdbcTemplate jdbc, JdbcRegionDirectory directoryTable, CachingRegionDirectory directory,
            RegionalDataSources regionalDataSources, ObjectProvider<RegionalRedis<String>> redis) {
        this.jdbc = jdbc;
        this.directoryTable = directoryTable;
        this.directory = directory;
        this.regionalDataSources = regionalDataSources;
        this.redis = redis;
    }

    /**
     * Signs the current user up: records the home region in the directory, then stores the profile
     * in that region.
     *
     * @throws InvalidProfileException if a field is missing or the region is unknown
     * @throws ProfileConflictException if the user already has a profile or another home region
     */
    public Profile create(NewProfile request) throws SQLException {
        String user = currentUser();
        Region home = validate(request);
        Optional<Region> known = directory.lookup(user);
        if (known.isPresent() && !known.get().equals(home)) {
            LOG.info("refused a profile for user {} in {}: the user already lives in {}", user, home, known.get());
            throw new ProfileConflictException("You already have a profile with another home region; moving a "
                    + "profile to another region is not part of this example.", null);
        }
        if (known.isEmpty()) {
            long epoch = directoryTable.assign(user, home);
            // this instance knows at once; the others learn it from the directory's notifications
            directory.assigned(user, home, epoch);
        }
        try {
            jdbc.update("INSERT INTO profiles (user_id, display_name, region) VALUES (?, ?, ?)",
                    user, request.displayName(), home.id());
        } catch (DuplicateKeyException e) {
            LOG.info("refused a second profile for user {} in {}", user, home);
            throw new ProfileConflictException("You already have a profile.", e);
        }
        redis.ifAvailable(r -> recordSignUp(r, home));
        return new Profile(user, request.displayName(), home.id());
    }

    /**
     * Records when the home region last got a profile, under the GLOBAL key
     * {@value #LAST_SIGN_UP}{@code <region>}: written to every region's Redis, acknowledged by the
     * local one; a region that misses it gets it from the hint log later. Best effort: the profile
     * exists either way.
     */
    private void recordSignUp(RegionalRedis<String> r, Region home) {
        try {
            r.set(LAST_SIGN_UP + home.id(), clock.instant().toString(), AckPolicy.LOCAL);
        } catch (RuntimeException e) {
            LOG.warn("the time of the last sign-up in {} was not recorded: {}", home, e.toString());
        }
    }

    /** Reads the current user's profile from the user's home region, if there is one. */
    public Optional<Profile> current() {
        List<Profile> found = jdbc.query("SELECT user_id, display_name, region FROM profiles WHERE user_id = ?",
                (rs, row) -> new Profile(rs.getString(1), rs.getString(2), rs.getString(3)), currentUser());
        return found.stream().findFirst();
    }

    /**
     * Reads the current user's profile on one of Spring's task threads. The caller's region context
     * arrives there through the starter's {@code TaskDecorator}; without it this read would have no
     * user and fail.
     */
    @Async
    public CompletableFuture<Optional<Profile>> currentLater() {
        return CompletableFuture.completedFuture(current());
    }

    private Region validate(NewProfile request) {
        if (request == null || request.displayName() == null || request.displayName().isBlank()) {
            throw new InvalidProfileException("displayName must not be blank");
        }
        List<Region> regions = regionalDataSources.router().topology().regions();
        // compared by id, so that a malformed region id is a 400 like any other unknown one
        return regions.stream()
                .filter(region -> region.id().equals(request.homeRegion()))
                .findFirst()
                .orElseThrow(() -> new InvalidProfileException("homeRegion must be one of "
                        + regions.stream().map(Region::id).toList() + ", but was "
                        + (request.homeRegion() == null ? "missing" : UserIds.quote(request.homeRegion()))));
    }

    private static String currentUser() {
        return RegionContext.current().flatMap(RegionContext::userId).orElseThrow(
                () -> new IllegalStateException("no user is bound; the starter's RegionContextFilter must run first"));
    }
}
