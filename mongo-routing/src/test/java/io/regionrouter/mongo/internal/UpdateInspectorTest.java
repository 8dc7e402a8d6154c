package io.regionrouter.mongo.internal;

import org.bson.BsonBinaryWriter;
import org.bson.BsonDocument;
import org.bson.Document;
import org.bson.RawBsonDocument;
import org.bson.io.BasicOutputBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static io.regionrouter.mongo.internal.GuardFixtures.CODECS;
import static io.regionrouter.mongo.internal.GuardFixtures.EU;
import static io.regionrouter.mongo.internal.GuardFixtures.PASSES;
import static io.regionrouter.mongo.internal.GuardFixtures.expect;

/**
 * {@link UpdateInspector} and {@link UpsertFilter}: update documents and replacements on eu's guard,
 * as the driver would send them.
 */
class UpdateInspectorTest {

    @ParameterizedTest(name = "{0} upsert={2} filter={1} -> {3}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            # update                                  | filter                           | upsert | expected
            {$set: {total: 1}}                        | {_id: 1}                         | false  | passes
            {$set: {region: 'eu', total: 1}}          | {_id: 1}                         | false  | passes
            {$set: {region: 'us'}}                    | {_id: 1}                         | false  | update ($set of "region"): data homed in us may only be stored in [us]
            {$set: {region: 'mars'}}                  | {_id: 1}                         | false  | must be one of [us, eu, ap], but was "mars"
            {$set: {region: 7}}                       | {_id: 1}                         | false  | must be a region id string, but was a BsonInt32
            {$set: {region: null}}                    | {_id: 1}                         | false  | is missing or null
            {$set: {region: {code: 'eu'}}}            | {_id: 1}                         | false  | must be a region id string
            {$set: {'region.code': 'eu'}}             | {_id: 1}                         | false  | update ($set of "region.code"): the guard cannot check
            {$set: {'region.$': 'eu'}}                | {_id: 1}                         | false  | update ($set of "region.$")
            {$setOnInsert: {region: 'us'}}            | {_id: 1}                         | true   | update ($setOnInsert of "region"): data homed in us
            {$setOnInsert: {region: 'eu'}}            | {_id: 1}                         | true   | passes
            {$unset: {region: ''}}                    | {_id: 1}                         | false  | update ($unset of "region"): every document needs its home region
            {$unset: {total: ''}}                     | {_id: 1}                         | false  | passes
            {$rename: {region: 'old'}}                | {_id: 1}                         | false  | update ($rename of "region")
            {$rename: {name: 'region'}}               | {_id: 1}                         | false  | update ($rename onto "region")
            {$rename: {name: 'region.code'}}          | {_id: 1}                         | false  | update ($rename onto "region")
            {$rename: {name: 'nickname'}}             | {_id: 1}                         | false  | passes
            {$rename: {name: 1}}                      | {_id: 1}                         | false  | update ($rename): $rename needs a field name
            {$inc: {region: 1}}                       | {_id: 1}                         | false  | update ($inc of "region"): the guard cannot check the value
            {$mul: {region: 2}}                       | {_id: 1}                         | false  | update ($mul of "region")
            {$min: {region: 'ap'}}                    | {_id: 1}                         | false  | update ($min of "region")
            {$max: {region: 'us'}}                    | {_id: 1}                         | false  | update ($max of "region")
            {$currentDate: {region: true}}            | {_id: 1}                         | false  | update ($currentDate of "region")
            {$bit: {region: {or: 1}}}                 | {_id: 1}                         | false  | update ($bit of "region")
            {$push: {region: 'us'}}                   | {_id: 1}                         | false  | update ($push of "region")
            {$addToSet: {region: 'us'}}               | {_id: 1}                         | false  | update ($addToSet of "region")
            {$pop: {region: 1}}                       | {_id: 1}                         | false  | update ($pop of "region")
            {$pull: {region: 'eu'}}                   | {_id: 1}                         | false  | update ($pull of "region")
            {$pullAll: {region: ['eu']}}              | {_id: 1}                         | false  | update ($pullAll of "region")
            {$futureOperator: {region: 'eu'}}         | {_id: 1}                         | false  | update ($futureOperator of "region")
            {$inc: {total: 1}, $max: {seen: 3}}       | {_id: 1}                         | false  | passes
            {$currentDate: {seen: true}}              | {_id: 1}                         | false  | passes
            {$push: {tags: 'b'}}                      | {_id: 1}                         | false  | passes
            {$set: 1}                                 | {_id: 1}                         | false  | update ($set): the operator's argument is not a document
            {$set: {total: 1}, name: 'x'}             | {_id: 1}                         | false  | update: the update mixes operators and plain fields
            {name: 'x', region: 'eu'}                 | {_id: 1}                         | false  | passes
            {name: 'x', region: 'us'}                 | {_id: 1}                         | true   | update (replacement): data homed in us
            {name: 'x'}                               | {_id: 1}                         | false  | update (replacement): its field "region" is missing
            # upserts: the inserted document's region comes from the update, else from the filter's equality
            {$set: {total: 1}}                        | {region: 'us'}                   | false  | passes
            {$set: {total: 1}}                        | {region: 'eu'}                   | true   | passes
            {$set: {total: 1}}                        | {region: {$eq: 'eu'}}            | true   | passes
            {$set: {total: 1}}                        | {$and: [{name: 'x'}, {region: 'eu'}]} | true | passes
            {$set: {total: 1}}                        | {$and: [{$and: [{region: 'eu'}]}]} | true  | passes
            {$setOnInsert: {region: 'eu'}}            | {region: 'us'}                   | true   | passes
            {$set: {total: 1}}                        | {region: 'us'}                   | true   | update (upsert) (filter's equality on "region"): data homed in us
            {$set: {total: 1}}                        | {region: {$eq: 'ap'}}            | true   | update (upsert) (filter's equality on "region"): data homed in ap
            {$set: {total: 1}}                        | {$and: [{region: 'eu'}, {region: 'us'}]} | true | data homed in us
            {$set: {total: 1}}                        | {_id: 1}                         | true   | update (upsert): neither the filter (an equality on "region") nor the update
            {$set: {total: 1}}                        |                                  | true   | update (upsert): neither the filter
            {$set: {total: 1}}                        | {region: {$in: ['eu']}}          | true   | update (upsert) ($in on "region"): an upsert takes the inserted document's region from the filter only through an equality
            {$set: {total: 1}}                        | {region: {$all: ['us']}}         | true   | update (upsert) ($all on "region")
            {$set: {total: 1}}                        | {region: {$eq: 'eu', $ne: 'us'}} | true   | update (upsert) ($eq on "region")
            {$set: {total: 1}}                        | {region: {$regex: '^u'}}         | true   | update (upsert) ($regex on "region")
            {$set: {total: 1}}                        | {$or: [{region: 'us'}]}          | true   | update (upsert) ($or on "region"): an upsert may take the inserted document's region only from an equality outside $or
            {$set: {total: 1}}                        | {$nor: [{region: 'eu'}]}         | true   | update (upsert) ($nor on "region")
            {$set: {total: 1}}                        | {region: 'eu', 'region.code': 1} | true   | update (upsert) (condition on "region.code")
            {$set: {total: 1}}                        | {region: {code: 'eu'}}           | true   | must be a region id string
            {$set: {total: 1}}                        | {$expr: {$eq: ['$region', 'eu']}} | true  | neither the filter
            """)
    void updateDocuments(String update, String filter, boolean upsert, String expected) {
        Document parsedFilter = filter == null ? null : Document.parse(filter);
        expect(expected, () -> EU.update("update", parsedFilter, Document.parse(update), upsert, Document.class, CODECS));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            # $set holding the field twice, as raw BSON can
            eu | us | update ($set of "region"): data homed in us
            us | eu | update ($set of "region"): data homed in us
            eu | eu | passes
            """)
    void regionWrittenTwiceInRawBson_eachValueIsChecked(String first, String second, String expected) {
        BasicOutputBuffer buffer = new BasicOutputBuffer();
        try (BsonBinaryWriter w = new BsonBinaryWriter(buffer)) {
            w.writeStartDocument();
            w.writeStartDocument("$set");
            w.writeString("region", first.trim());
            w.writeString("region", second.trim());
            w.writeEndDocument();
            w.writeEndDocument();
        }
        RawBsonDocument update = new RawBsonDocument(buffer.toByteArray());
        expect(expected, () -> EU.update("update", new BsonDocument(), update, false, Document.class, CODECS));
    }
}
