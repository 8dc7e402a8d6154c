package io.regionrouter.mongo;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import io.regionrouter.core.InvalidConfigurationException;
import io.regionrouter.core.Region;
import io.regionrouter.core.Topology;
import io.regionrouter.mongo.internal.RegionBinding;
import io.regionrouter.mongo.internal.RegionBoundProxies;
import org.bson.BsonDocument;
import org.bson.BsonDocumentWrapper;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.codecs.configuration.CodecRegistry;
import org.bson.conversions.Bson;

import java.util.Map;
import java.util.Objects;

/**
 * Rejects documents that may not be written into one region's cluster, before anything is sent.
 *
 * <p>A document may be written into the cluster of region {@code T} when its region field names a
 * declared region {@code H} and {@link Topology#isWritable(Region, Region) topology.isWritable(H, T)}:
 * {@code T} is the home region, or a {@link Topology.Builder#multiWriter multi-writer} region of it.
 * A region that the residency rules merely allow ({@link Topology#isAllowed(Region, Region)}) holds
 * a read-only copy, filled by replication; a write there would never reach the home region, so it is
 * rejected too. A missing, non-string or undeclared value is rejected. To fill a read-only copy
 * yourself, use a collection that is not wrapped.
 *
 * <p>Why a collection wrapper: a codec would also see filters and update documents (they are
 * encoded with the same registry) and a command listener can only observe, not veto. The wrapper
 * ({@link #wrap(MongoCollection)}) checks the documents of {@code insertOne}, {@code insertMany},
 * {@code replaceOne}, {@code findOneAndReplace} and the insert and replace models of
 * {@code bulkWrite}, and the {@code $set}, {@code $setOnInsert}, {@code $unset} and {@code $rename} of the
 * region field in {@code updateOne}, {@code updateMany}, {@code findOneAndUpdate} and the update models
 * of {@code bulkWrite} ({@link #checkUpdate}), then delegates. Not inspected: pipeline-style updates,
 * whether an upsert's new document gets a region at all, {@code runCommand}, and aggregation stages
 * such as {@code $out} and {@code $merge}. Documents of any class are read as the
 * collection's codec would encode them.
 *
 * <p>Immutable and thread-safe.
 */
public final class ResidencyGuard {

    /** Default name of the field that holds a document's home region. */
    public static final String DEFAULT_REGION_FIELD = "region";

    private final Topology topology;
    private final Region target;
    private final String field;

    private ResidencyGuard(Topology topology, Region target, String field) {
        this.topology = Objects.requireNonNull(topology, "topology");
        if (target == null || !topology.contains(target)) {
            throw new InvalidConfigurationException("guard.target", target,
                    "guard.target must be a region of the topology " + topology.regions() + ", but was " + target);
        }
        if (field == null || field.isBlank()) {
            throw new InvalidConfigurationException("guard.regionField", field,
                    "guard.regionField must not be blank, but was \"" + field + "\"");
        }
        this.target = target;
        this.field = field;
    }

    /** A guard for the cluster of {@code target}, reading the {@value #DEFAULT_REGION_FIELD} field. */
    public static ResidencyGuard of(Topology topology, Region target) {
        return new ResidencyGuard(topology, target, DEFAULT_REGION_FIELD);
    }

    /** A guard for the cluster of {@code target}, reading {@code regionField}. */
    public static ResidencyGuard of(Topology topology, Region target, String regionField) {
        return new ResidencyGuard(topology, target, regionField);
    }

    /** The region of the cluster this guard protects. */
    public Region target() {
        return target;
    }

    /** The name of the region field. */
    public String regionField() {
        return field;
    }

    /**
     * Checks one document. {@code Document}, {@code BsonDocument} and {@code Map} are read directly;
     * other classes are encoded with {@code codecs} first.
     *
     * @throws DocumentResidencyException if the document may not be written in the target region
     */
    public void check(Object document, CodecRegistry codecs) {
        if (document == null) {
            throw new DocumentResidencyException(field, null, target, "the document is null");
        }
        Object value = regionValue(document, codecs);
        if (value == null) {
            throw new DocumentResidencyException(field, null, target,
                    "its field \"" + field + "\" is missing or null; every document needs its home region");
        }
        if (!(value instanceof String id)) {
            throw new DocumentResidencyException(field, null, target,
                    "its field \"" + field + "\" must be a region id string, but was a "
                            + value.getClass().getSimpleName());
        }
        Region home = declared(id);
        if (home == null) {
            throw new DocumentResidencyException(field, null, target,
                    "its field \"" + field + "\" must be one of " + topology.regions() + ", but was \"" + id + "\"");
        }
        if (!topology.isAllowed(home, target)) {
            throw new DocumentResidencyException(field, home, target,
                    "data homed in " + home + " may only be stored in " + topology.allowedRegions(home)
                            + ", not in " + target);
        }
        if (!topology.isWritable(home, target)) {
            throw new DocumentResidencyException(field, home, target,
                    "data homed in " + home + " may only be written in " + topology.writableRegions(home) + "; "
                            + target + " holds a read-only copy (declare Topology.Builder.multiWriter for data"
                            + " replicated both ways)");
        }
    }

    /**
     * Checks an update document: a {@code $set} or {@code $setOnInsert} of the region field must name
     * a region allowed in the target; {@code $unset} or {@code $rename} of the region field is rejected.
     * Other operators are not inspected.
     *
     * @throws DocumentResidencyException if the update would move the document out of residency
     */
    public void checkUpdate(Bson update, CodecRegistry codecs) {
        if (update == null) {
            return;
        }
        BsonDocument doc = update.toBsonDocument(BsonDocument.class, codecs);
        for (String operator : new String[] {"$set", "$setOnInsert"}) {
            BsonValue fields = doc.get(operator);
            if (fields != null && fields.isDocument() && fields.asDocument().containsKey(field)) {
                check(new BsonDocument(field, fields.asDocument().get(field)), codecs);
            }
        }
        for (String operator : new String[] {"$unset", "$rename"}) {
            BsonValue fields = doc.get(operator);
            if (fields != null && fields.isDocument() && fields.asDocument().containsKey(field)) {
                throw new DocumentResidencyException(field, null, target,
                        "an update may not " + operator + " the field \"" + field + "\"");
            }
        }
    }

    /**
     * Wraps a collection of the target region's cluster so that every insert, replace and update is
     * checked. A document write through it that was sent but got no answer throws
     * {@link io.regionrouter.core.OutcomeUnknownException} (it may have been applied), with the
     * driver's exception as the cause.
     */
    public <T> MongoCollection<T> wrap(MongoCollection<T> collection) {
        return RegionBoundProxies.collection(collection, RegionBinding.guardOnly(this));
    }

    /** Wraps a database so that every collection it returns is wrapped as by {@link #wrap(MongoCollection)}. */
    public MongoDatabase wrap(MongoDatabase database) {
        return RegionBoundProxies.database(database, RegionBinding.guardOnly(this));
    }

    private Object regionValue(Object document, CodecRegistry codecs) {
        if (document instanceof BsonDocument bson) {
            return unwrap(bson.get(field));
        }
        if (document instanceof Map<?, ?> map) {
            Object value = map.get(field);
            return value instanceof BsonValue bsonValue ? unwrap(bsonValue) : value;
        }
        BsonDocument encoded = BsonDocumentWrapper.asBsonDocument(document, codecs);
        return unwrap(encoded.get(field));
    }

    private static Object unwrap(BsonValue value) {
        if (value == null || value.isNull()) {
            return null;
        }
        return value instanceof BsonString s ? s.getValue() : value;
    }

    private Region declared(String id) {
        for (Region region : topology.regions()) {
            if (region.id().equals(id)) {
                return region;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return "ResidencyGuard{target=" + target + ", field=" + field + "}";
    }
}
