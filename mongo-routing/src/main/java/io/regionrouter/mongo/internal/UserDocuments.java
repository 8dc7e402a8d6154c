package io.regionrouter.mongo.internal;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.DeleteOneModel;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOneModel;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.WriteModel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.json.JsonMode;
import org.bson.json.JsonWriterSettings;

/**
 * One collection's documents of a user in one region's database (unwrapped: the mover's own writes
 * are not refused by the markers or the residency guard), read, mirrored and deleted there only.
 */
public final class UserDocuments {

    private static final JsonWriterSettings CANONICAL = JsonWriterSettings.builder().outputMode(JsonMode.EXTENDED).build();
    private static final int BATCH = 500;

    private final String collection;
    private final String userField;
    private final String regionField;

    public UserDocuments(String collection, String userField, String regionField) {
        this.collection = collection;
        this.userField = userField;
        this.regionField = regionField;
    }

    public String collection() {
        return collection;
    }

    private MongoCollection<BsonDocument> in(MongoDatabase db) {
        return db.getCollection(collection, BsonDocument.class);
    }

    /** The user's documents, by {@code _id}, in {@code _id} order. */
    public Map<BsonValue, BsonDocument> read(MongoDatabase db, String userId) {
        Map<BsonValue, BsonDocument> out = new LinkedHashMap<>();
        for (BsonDocument d : in(db).find(Filters.eq(userField, userId)).sort(Sorts.ascending("_id"))) {
            out.put(d.get("_id"), d);
        }
        return out;
    }

    /**
     * Makes the target hold the source's documents with the region field set to the target's
     * region; returns the documents written or deleted.
     */
    public long mirror(Map<BsonValue, BsonDocument> source, MongoDatabase target, String userId, String targetRegion) {
        Map<BsonValue, BsonDocument> current = read(target, userId);
        List<WriteModel<BsonDocument>> writes = new ArrayList<>();
        for (Map.Entry<BsonValue, BsonDocument> e : source.entrySet()) {
            BsonDocument wanted = e.getValue().clone();
            if (wanted.containsKey(regionField)) {
                wanted.put(regionField, new BsonString(targetRegion));
            }
            if (!wanted.equals(current.get(e.getKey()))) {
                writes.add(new ReplaceOneModel<>(Filters.eq("_id", e.getKey()), wanted, new ReplaceOptions().upsert(true)));
            }
        }
        for (BsonValue id : current.keySet()) {
            if (!source.containsKey(id)) {
                writes.add(new DeleteOneModel<>(Filters.eq("_id", id)));
            }
        }
        for (int i = 0; i < writes.size(); i += BATCH) {
            in(target).bulkWrite(writes.subList(i, Math.min(writes.size(), i + BATCH)));
        }
        return writes.size();
    }

    /** Deletes the user's documents of this collection in one database; returns how many. */
    public long delete(MongoDatabase db, String userId) {
        return in(db).deleteMany(Filters.eq(userField, userId)).getDeletedCount();
    }

    /** Feeds the documents, without their region field, in {@code _id} order into {@code md}; returns how many. */
    public long digest(MongoDatabase db, String userId, MessageDigest md) {
        long n = 0;
        md.update(collection.getBytes(StandardCharsets.UTF_8));
        for (BsonDocument d : read(db, userId).values()) {
            BsonDocument copy = d.clone();
            copy.remove(regionField);
            md.update(copy.toJson(CANONICAL).getBytes(StandardCharsets.UTF_8));
            md.update((byte) 0);
            n++;
        }
        return n;
    }

    /** A new SHA-256. */
    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    public static String hex(MessageDigest md) {
        return HexFormat.of().formatHex(md.digest());
    }
}
