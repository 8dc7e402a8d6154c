package io.regionrouter.examples.spring;

import io.regionrouter.core.CachingRegionDirectory;
import io.regionrouter.core.Region;
import io.regionrouter.core.RegionContext;
import io.regionrouter.jdbc.JdbcRegionDirectory;
import io.regionrouter.jdbc.RegionalDataSources;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

/**
 * Creates and reads the current user's profile. The {@link JdbcTemplate} is Boot's, built on the
 * routing data source, so every statement runs in the database of the user bound by
 * {@link RegionContextFilter}; nothing here names a region's pool.
 */
@Service
public class ProfileService {

    private final JdbcTemplate jdbc;
    private final JdbcRegionDirectory directoryTable;
    private final CachingRegionDirectory directory;
    private final RegionalDataSources regionalDataSources;

    /** Creates the service. */
    public ProfileService(JdbcTemplate jdbc, JdbcRegionDirectory directoryTable, CachingRegionDirectory directory,
            RegionalDataSources regionalDataSources) {
        this.jdbc = jdbc;
        this.directoryTable = directoryTable;
        this.directory = directory;
        this.regionalDataSources = regionalDataSources;
    }

    /**
     * Signs the current user up: records the home region in the directory, then stores the profile
     * in that region.
     *
     * @throws IllegalArgumentException if a field is missing or the region is unknown
     * @throws ProfileConflictException if the user already has a profile or another home region
     */
    public Profile create(NewProfile request) throws SQLException {
        String user = currentUser();
        if (request == null || request.displayName() == null || request.displayName().isBlank()) {
            throw new IllegalArgumentException("displayName must not be blank");
        }
        if (request.homeRegion() == null) {
            throw new IllegalArgumentException("homeRegion must be set, for example \"eu\"");
        }
        Region home = regionalDataSources.router().topology().region(request.homeRegion());
        Optional<Region> known = directory.lookup(user);
        if (known.isPresent() && !known.get().equals(home)) {
            throw new ProfileConflictException("user " + user + " already lives in " + known.get()
                    + "; moving a user to " + home + " is not part of this example", null);
        }
        if (known.isEmpty()) {
            directoryTable.assign(user, home);
            directory.invalidate(user);
        }
        try {
            jdbc.update("INSERT INTO profiles (user_id, display_name, region) VALUES (?, ?, ?)",
                    user, request.displayName(), home.id());
        } catch (DuplicateKeyException e) {
            throw new ProfileConflictException("user " + user + " already has a profile", e);
        }
        return new Profile(user, request.displayName(), home.id());
    }

    /** Reads the current user's profile from the user's home region, if there is one. */
    public Optional<Profile> current() {
        List<Profile> found = jdbc.query("SELECT user_id, display_name, region FROM profiles WHERE user_id = ?",
                (rs, row) -> new Profile(rs.getString(1), rs.getString(2), rs.getString(3)), currentUser());
        return found.stream().findFirst();
    }

    private static String currentUser() {
        return RegionContext.current().flatMap(RegionContext::userId).orElseThrow(
                () -> new IllegalStateException("no user is bound; RegionContextFilter must run first"));
    }
}
