package io.regionrouter.mongo.internal;

import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static io.regionrouter.mongo.internal.GuardFixtures.CODECS;
import static io.regionrouter.mongo.internal.GuardFixtures.EU;
import static io.regionrouter.mongo.internal.GuardFixtures.expect;
import static io.regionrouter.mongo.internal.GuardFixtures.twice;
import static org.assertj.core.api.Assertions.assertThat;

/** {@link CommandInspector}: what {@code runCommand} on eu's guarded database lets through. */
class CommandInspectorTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            # command                                                                                    | expected
            {insert: 'p', documents: [{region: 'eu'}, {region: 'eu'}]}                                   | write
            {insert: 'p', documents: [{region: 'eu'}, {region: 'us'}]}                                   | runCommand insert (document 1): data homed in us
            {insert: 'p', documents: [{name: 'x'}]}                                                      | runCommand insert (document 0): its field "region" is missing
            {insert: 'p', documents: [1]}                                                                | runCommand insert (document 0): not a document
            {insert: 'p'}                                                                                | runCommand insert: "documents" must be an array
            {update: 'p', updates: [{q: {_id: 1}, u: {$set: {total: 1}}}]}                               | write
            {update: 'p', updates: [{q: {_id: 1}, u: {$set: {region: 'us'}}}]}                           | runCommand update (statement 0) ($set of "region"): data homed in us
            {update: 'p', updates: [{q: {_id: 1}, u: {$max: {region: 'us'}}, multi: true}]}              | runCommand update (statement 0) ($max of "region")
            {update: 'p', updates: [{q: {_id: 1}, u: {$rename: {name: 'region'}}}]}                      | runCommand update (statement 0) ($rename onto "region")
            {update: 'p', updates: [{q: {region: 'us'}, u: {$set: {total: 1}}, upsert: true}]}           | runCommand update (statement 0) (upsert) (filter's equality on "region"): data homed in us
            {update: 'p', updates: [{q: {region: 'eu'}, u: {$set: {total: 1}}, upsert: true}]}           | write
            {update: 'p', updates: [{q: {name: 'x'}, u: {$set: {total: 1}}, upsert: true}]}              | runCommand update (statement 0) (upsert): neither the filter
            {update: 'p', updates: [{u: {$set: {total: 1}}, upsert: true}]}                              | runCommand update (statement 0) (upsert): neither the filter
            {update: 'p', updates: [{q: {_id: 1}, u: {name: 'x', region: 'eu'}}]}                        | write
            {update: 'p', updates: [{q: {_id: 1}, u: {name: 'x'}}]}                                      | runCommand update (statement 0) (replacement): its field "region" is missing
            {update: 'p', updates: [{q: {_id: 1}, u: [{$set: {total: 1}}]}]}                             | write
            {update: 'p', updates: [{q: {_id: 1}, u: [{$set: {region: '$$r'}}], c: {r: 'us'}}]}         | runCommand update (statement 0) (pipeline stage 0, $set): the pipeline computes
            {update: 'p', updates: [{q: {_id: 1}, u: {$set: {total: 1}}}, {q: {}, u: {$unset: {region: 1}}}]} | runCommand update (statement 1) ($unset of "region")
            {update: 'p', updates: [{q: {_id: 1}}]}                                                      | runCommand update (statement 0): the update is neither a document nor a pipeline
            {update: 'p', updates: [{q: 1, u: {$set: {total: 1}}}]}                                      | runCommand update (statement 0): the filter is not a document
            {update: 'p', updates: {}}                                                                   | runCommand update: "updates" must be an array
            {findAndModify: 'p', query: {_id: 1}, update: {$set: {total: 1}}}                            | write
            {findAndModify: 'p', query: {_id: 1}, update: {$currentDate: {region: true}}}                | runCommand findAndModify ($currentDate of "region")
            {findandmodify: 'p', query: {_id: 1}, update: {$set: {region: 'ap'}}}                        | runCommand findandmodify ($set of "region"): data homed in ap
            {findAndModify: 'p', query: {name: 'x'}, update: {$set: {total: 1}}, upsert: true}           | runCommand findAndModify (upsert): neither the filter
            {findAndModify: 'p', query: {name: 'x', region: 'eu'}, update: {$set: {t: 1}}, upsert: true} | write
            {findAndModify: 'p', query: {_id: 1}, update: {name: 'x'}}                                   | runCommand findAndModify (replacement): its field "region" is missing
            {findAndModify: 'p', query: {_id: 1}, update: [{$unset: 'region'}]}                          | runCommand findAndModify (pipeline stage 0, $unset)
            {findAndModify: 'p', query: {_id: 1}, remove: true}                                          | write
            {delete: 'p', deletes: [{q: {region: 'eu'}, limit: 0}]}                                      | write
            {aggregate: 'p', pipeline: [{$match: {}}], cursor: {}}                                       | read
            {aggregate: 1, pipeline: [{$documents: [{region: 'us'}]}], cursor: {}}                       | read
            {aggregate: 'p', pipeline: [{$match: {}}, {$out: 'copy'}], cursor: {}}                       | runCommand aggregate ($out): the guard cannot prove the region
            {aggregate: 'p', pipeline: [{$merge: {into: 'p'}}], cursor: {}}                              | runCommand aggregate ($merge)
            {aggregate: 'p', cursor: {}}                                                                 | runCommand aggregate: "pipeline" must be an array
            {mapReduce: 'p', map: 'function() {}', reduce: 'function() {}', out: {inline: 1}}            | read
            {mapReduce: 'p', map: 'function() {}', reduce: 'function() {}', out: 'copy'}                 | runCommand mapReduce (out)
            {mapreduce: 'p', map: 'function() {}', reduce: 'function() {}', out: {merge: 'p'}}           | runCommand mapreduce (out)
            {find: 'p', filter: {region: 'us'}}                                                          | read
            {count: 'p'}                                                                                 | read
            {distinct: 'p', key: 'region'}                                                               | read
            {getMore: 12, collection: 'p'}                                                               | read
            {explain: {update: 'p', updates: [{q: {}, u: {$set: {region: 'us'}}}]}}                      | read
            {listCollections: 1}                                                                         | read
            {listIndexes: 'p'}                                                                           | read
            {ping: 1}                                                                                    | read
            {hello: 1}                                                                                   | read
            {isMaster: 1}                                                                                | read
            {buildInfo: 1}                                                                               | read
            {dbStats: 1}                                                                                 | read
            {collStats: 'p'}                                                                             | read
            {create: 'q'}                                                                                | read
            {createIndexes: 'p', indexes: [{key: {region: 1}, name: 'r'}]}                               | read
            {dropIndexes: 'p', index: 'r'}                                                               | read
            {drop: 'q'}                                                                                  | read
            {collMod: 'p', validator: {region: {$exists: true}}}                                         | read
            {applyOps: [{op: 'i', ns: 'app.p', o: {region: 'us'}}]}                                      | runCommand applyOps: the guard lets through only the commands it can inspect
            {bulkWrite: 1, ops: [{insert: 0, document: {region: 'us'}}], nsInfo: [{ns: 'app.p'}]}        | runCommand bulkWrite
            {renameCollection: 'app.p', to: 'app.q'}                                                     | runCommand renameCollection
            {cloneCollectionAsCapped: 'p', toCollection: 'q', size: 1000}                                | runCommand cloneCollectionAsCapped
            {eval: 'db.p.insert({region: "us"})'}                                                        | runCommand eval
            {doSomethingNew: 1}                                                                          | runCommand doSomethingNew
            {}                                                                                           | runCommand: the command is empty
            """)
    void commands(String command, String expected) {
        Document parsed = Document.parse(command);
        switch (expected) {
            case "write" -> assertThat(EU.command(parsed, CODECS)).as("writes documents").isTrue();
            case "read" -> assertThat(EU.command(parsed, CODECS)).as("writes documents").isFalse();
            default -> expect(expected, () -> EU.command(parsed, CODECS));
        }
    }

    @Test
    void insert_ofADocumentHoldingItsRegionTwice_isRefused() {
        BsonDocument command = new BsonDocument("insert", new BsonString("p"))
                .append("documents", new BsonArray(List.of(twice("region", "eu", "us"))));
        expect("runCommand insert (document 0): its field \"region\" appears 2 times", () -> EU.command(command, CODECS));
    }

    @Test
    void aLongOrMultiLineCommandName_isCutInTheMessage() {
        Document command = new Document("x".repeat(200) + "\nsecond line", 1);
        expect("runCommand " + "x".repeat(64) + "...: the guard lets through only", () -> EU.command(command, CODECS));
    }
}
