package io.regionrouter.mongo.internal;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.InsertOneModel;
import com.mongodb.client.model.ReplaceOneModel;
import com.mongodb.client.model.UpdateManyModel;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.WriteModel;
import io.regionrouter.mongo.ResidencyGuard;
import org.bson.conversions.Bson;

import java.lang.reflect.Method;
import java.util.List;
import java.util.Set;

/** Finds the documents and updates in the arguments of a collection's write method and checks them with a guard. */
final class GuardedArguments {

    private static final Set<String> SINGLE_DOCUMENT_WRITES = Set.of("insertOne", "replaceOne", "findOneAndReplace");
    private static final Set<String> UPDATES = Set.of("updateOne", "updateMany", "findOneAndUpdate");

    private GuardedArguments() {
    }

    /** Checks what {@code method} would write into {@code collection}; throws the guard's exception. */
    static void check(ResidencyGuard guard, MongoCollection<?> collection, Method method, Object[] args) {
        String name = method.getName();
        Class<?>[] types = method.getParameterTypes();
        if (SINGLE_DOCUMENT_WRITES.contains(name)) {
            for (int i = 0; i < types.length; i++) {
                if (types[i] == Object.class) { // the erased document type T
                    guard.check(args[i], collection.getCodecRegistry());
                }
            }
        } else if (UPDATES.contains(name)) {
            int bsonSeen = 0;
            for (int i = 0; i < types.length; i++) {
                if (types[i] == Bson.class && ++bsonSeen == 2) { // (filter, update, ...)
                    guard.checkUpdate((Bson) args[i], collection.getCodecRegistry());
                }
            }
        } else if (name.equals("insertMany") || name.equals("bulkWrite")) {
            for (int i = 0; i < types.length; i++) {
                if (types[i] == List.class) {
                    for (Object element : (List<?>) args[i]) {
                        checkElement(guard, element, collection);
                    }
                }
            }
        }
    }

    private static void checkElement(ResidencyGuard guard, Object element, MongoCollection<?> collection) {
        if (element instanceof InsertOneModel<?> insert) {
            guard.check(insert.getDocument(), collection.getCodecRegistry());
        } else if (element instanceof ReplaceOneModel<?> replace) {
            guard.check(replace.getReplacement(), collection.getCodecRegistry());
        } else if (element instanceof UpdateOneModel<?> update) {
            guard.checkUpdate(update.getUpdate(), collection.getCodecRegistry());
        } else if (element instanceof UpdateManyModel<?> update) {
            guard.checkUpdate(update.getUpdate(), collection.getCodecRegistry());
        } else if (!(element instanceof WriteModel<?>)) {
            guard.check(element, collection.getCodecRegistry());
        }
    }
}
