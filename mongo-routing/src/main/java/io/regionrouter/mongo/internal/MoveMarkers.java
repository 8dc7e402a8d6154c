package io.regionrouter.mongo.internal;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import io.regionrouter.core.Region;
import io.regionrouter.core.UserFrozenException;
import io.regionrouter.core.UserMovedAwayException;
import java.time.InstantSource;
import org.bson.Document;

/**
 * The move markers of users in a region's own database, collection {@value #COLLECTION}, one
 * document per user: {@code {_id: user, state: "F", until: <epoch ms or null when held>}} while the
 * user's move is frozen, {@code {_id: user, state: "M", movedTo, epoch}} once the user lives
 * elsewhere. The write check reads it before every document write of a database routed for the user.
 */
public final class MoveMarkers {

    /** The collection of the markers, in each region's database. */
    public static final String COLLECTION = "rr_moves";

    private MoveMarkers() {
    }

    /** The markers collection of a region's (unwrapped) database. */
    public static MongoCollection<Document> of(MongoDatabase database) {
        return database.getCollection(COLLECTION);
    }

    /**
     * Refuses a write of the user when a marker says so.
     *
     * @throws UserFrozenException while a freeze is on
     * @throws UserMovedAwayException once the user moved away
     */
    public static void check(MongoDatabase database, String userId, Region region, InstantSource clock) {
        Document marker = of(database).find(Filters.eq("_id", userId)).first();
        if (marker == null) {
            return;
        }
        if ("F".equals(marker.getString("state"))) {
            Number until = marker.get("until", Number.class);
            if (until == null || until.longValue() > clock.millis()) {
                throw new UserFrozenException("document write", userId, region, null);
            }
            return;
        }
        if ("M".equals(marker.getString("state"))) {
            String to = marker.getString("movedTo");
            Number epoch = marker.get("epoch", Number.class);
            throw new UserMovedAwayException("document write", userId, region, to == null ? null : Region.of(to),
                    epoch == null ? -1 : epoch.longValue(), null);
        }
    }
}
