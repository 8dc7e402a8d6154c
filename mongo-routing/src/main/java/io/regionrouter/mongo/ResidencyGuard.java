package io.regionrouter.mongo;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import io.regionrouter.core.InvalidConfigurationException;
import io.regionrouter.core.Region;
import io.regionrouter.core.Topology;
import io.regionrouter.mongo.internal.Inspectors;
import io.regionrouter.mongo.internal.RegionBinding;
import io.regionrouter.mongo.internal.RegionBoundProxies;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.codecs.configuration.CodecRegistry;
import org.bson.conversions.Bson;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Rejects documents and operations that could put data into one region's cluster that may not be
 * written there, before anything is sent.
 *
 * <p>A document may be written into the cluster of region {@code T} when its region field names a
 * declared region {@code H} and {@link Topology#isWritable(Region, Region) topology.isWritable(H, T)}:
 * {@code T} is the home region, or a {@link Topology.Builder#multiWriter multi-writer} region of it.
 * A region that the residency rules merely allow ({@link Topology#isAllowed(Region, Region)}) holds
 * a read-only copy, filled by replication; a write there would never reach the home region, so it is
 * rejected too. A missing, non-string, undeclared or repeated value is rejected. To fill a read-only
 * copy yourself, use a collection that is not wrapped.
 *
 * <p>The guard fails closed: every write path that can set or change the region field is inspected,
 * and an operation whose effect on the field it cannot prove safe is refused. Operations that
 * provably leave the field alone pass unchanged.
 *
 * <ul>
 *   <li>Documents ({@code insertOne}, {@code insertMany}, {@code replaceOne}, {@code findOneAndReplace},
 *       the insert and replace models of {@code bulkWrite}): {@link #check}.</li>
 *   <li>Update documents ({@code updateOne}, {@code updateMany}, {@code findOneAndUpdate}, update models):
 *       a {@code $set}/{@code $setOnInsert} of the field must name a region the cluster may take; any
 *       other operator on the field or a path under it ({@code $unset}, {@code $rename} from or onto
 *       it, {@code $inc}, {@code $min}, {@code $max}, {@code $currentDate}, {@code $push}...) is refused.
 *       An upsert that does not set the field must fix it with an equality in its filter.</li>
 *   <li>Update pipelines: {@code $set}/{@code $addFields}, {@code $unset}, {@code $project},
 *       {@code $replaceRoot}/{@code $replaceWith} are followed stage by stage; the field must end up
 *       unchanged or a literal region the cluster may take; a computed value is refused.</li>
 *   <li>Aggregations with {@code $out} or {@code $merge}, and map-reduce into a collection: refused.</li>
 *   <li>{@code runCommand}: {@code insert}, {@code update} and {@code findAndModify} as above;
 *       {@code aggregate} and {@code mapReduce} as above; {@code delete}, read-only commands and
 *       collection and index definitions pass; any other command is refused.</li>
 * </ul>
 *
 * <p>Why a collection wrapper: a codec would also see filters and update documents (they are
 * encoded with the same registry) and a command listener can only observe, not veto. Documents,
 * filters and updates are read as the driver encodes them, with the collection's codecs.
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
        if (!isTopLevelFieldName(field)) {
            throw new InvalidConfigurationException("guard.regionField", field,
                    "guard.regionField must be a top-level field name (no '.', not starting with '$'), but was \""
                            + cut(field) + "\"");
        }
        this.target = target;
        this.field = field;
    }

    /** A guard for the cluster of {@code target}, reading the {@value #DEFAULT_REGION_FIELD} field. */
    public static ResidencyGuard of(Topology topology, Region target) {
        return new ResidencyGuard(topology, target, DEFAULT_REGION_FIELD);
    }

    /**
     * A guard for the cluster of {@code target}, reading {@code regionField}, a top-level field name
     * (no {@code .}, not starting with {@code $}).
     */
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
     * other classes, and {@code RawBsonDocument}, are read as {@code codecs} encode them, and a region
     * field that appears more than once is rejected.
     *
     * @throws DocumentResidencyException if the document may not be written in the target region
     */
    public void check(Object document, CodecRegistry codecs) {
        if (document == null) {
            throw new DocumentResidencyException(field, null, target, "the document is null");
        }
        checkValue(regionValue(document, codecs));
    }

    private void checkValue(Object value) {
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
                    "its field \"" + field + "\" must be one of " + topology.regions() + ", but was \"" + cut(id) + "\"");
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
     * Checks an update document that is not an upsert, as {@link #checkUpdate(Bson, Bson, boolean, CodecRegistry)}.
     *
     * @throws DocumentResidencyException if the update could move the document out of residency
     */
    public void checkUpdate(Bson update, CodecRegistry codecs) {
        checkUpdate(null, update, false, codecs);
    }

    /**
     * Checks an update document ({@code {$set: ...}}) or a replacement: a {@code $set} or
     * {@code $setOnInsert} of the region field must name a region the cluster may take; any other
     * operator that writes the field or a path under it, and a {@code $rename} from or onto it, is
     * rejected. An upsert that does not set the field must fix it with an equality in {@code filter}
     * ({@code {region: "eu"}}, {@code $eq}, inside {@code $and}).
     *
     * @throws DocumentResidencyException if the update could move the document out of residency, or
     *     the upsert could insert a document without an allowed region
     */
    public void checkUpdate(Bson filter, Bson update, boolean upsert, CodecRegistry codecs) {
        Inspectors.of(this).update("update", filter, update, upsert, org.bson.Document.class, codecs);
    }

    /**
     * Checks an update pipeline: the region field must end up unchanged (for an upsert, fixed by an
     * equality in {@code filter}) or a literal region the cluster may take; see the class comment.
     *
     * @throws DocumentResidencyException if the pipeline could remove the field, compute it, or set
     *     a region the cluster may not take
     */
    public void checkUpdate(Bson filter, List<? extends Bson> pipeline, boolean upsert, CodecRegistry codecs) {
        Inspectors.of(this).update("update", filter, List.copyOf(pipeline), upsert, org.bson.Document.class, codecs);
    }

    /**
     * Rejects an aggregation pipeline that writes its output into a collection ({@code $out},
     * {@code $merge}): the guard cannot prove the region of the documents it writes. Other pipelines pass.
     *
     * @throws DocumentResidencyException naming the stage
     */
    public void checkAggregate(List<? extends Bson> pipeline, CodecRegistry codecs) {
        Inspectors.of(this).aggregate("aggregate", pipeline, org.bson.Document.class, codecs);
    }

    /**
     * Checks a command as {@code MongoDatabase.runCommand} on a guarded database does: {@code insert},
     * {@code update} and {@code findAndModify} as documents and updates; {@code aggregate} and
     * {@code mapReduce} that write into a collection are rejected; {@code delete}, read-only commands
     * and collection and index definitions pass; any other command is rejected.
     *
     * @return whether the command writes documents
     * @throws DocumentResidencyException if the command may not be sent
     */
    public boolean checkCommand(Bson command, CodecRegistry codecs) {
        return Inspectors.of(this).command(command, codecs);
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
        if (document.getClass() == BsonDocument.class) {
            return unwrap(((BsonDocument) document).get(field));
        }
        if (document instanceof Map<?, ?> map && !(document instanceof BsonDocument)) {
            // Document, HashMap...: a map cannot hold a name twice
            Object value = map.get(field);
            return value instanceof BsonValue bsonValue ? unwrap(bsonValue) : value;
        }
        // RawBsonDocument, other BsonDocuments, POJOs, records: as the codec writes them, repeated names included
        List<BsonValue> values = Inspectors.regionValues(document, field, codecs);
        if (values.size() > 1) {
            throw new DocumentResidencyException(field, null, target,
                    "its field \"" + field + "\" appears " + values.size() + " times; the server would keep both");
        }
        return values.isEmpty() ? null : unwrap(values.get(0));
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

    /** Whether {@code name} names a top-level field: the guard reads the field at the top of each document. */
    static boolean isTopLevelFieldName(String name) {
        return !name.contains(".") && !name.startsWith("$") && name.chars().noneMatch(c -> c == 0);
    }

    private static String cut(String id) {
        return id.length() <= 64 ? id : id.substring(0, 64) + "...";
    }

    @Override
    public String toString() {
        return "ResidencyGuard{target=" + target + ", field=" + field + "}";
    }
}
