package io.regionrouter.mongo.internal;

import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;

import static io.regionrouter.mongo.internal.GuardFixtures.CODECS;
import static io.regionrouter.mongo.internal.GuardFixtures.EU;
import static io.regionrouter.mongo.internal.GuardFixtures.expect;
import static org.assertj.core.api.Assertions.assertThat;

/** {@link PipelineInspector}: update pipelines on eu's guard, and the output stages of aggregations. */
class PipelineInspectorTest {

    private static List<Document> stages(String pipeline) {
        List<Document> stages = new ArrayList<>();
        for (var stage : BsonArray.parse(pipeline)) {
            stages.add(Document.parse(stage.asDocument().toJson()));
        }
        return stages;
    }

    @ParameterizedTest(name = "{0} upsert={2} filter={1} -> {3}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            # pipeline                                                   | filter          | upsert | expected
            [{$set: {total: 1}}]                                          | {_id: 1}        | false  | passes
            [{$set: {region: 'eu'}}]                                      | {_id: 1}        | false  | passes
            [{$set: {region: {$literal: 'eu'}}}]                          | {_id: 1}        | false  | passes
            [{$set: {region: '$region'}}]                                 | {_id: 1}        | false  | passes
            [{$set: {region: '$$CURRENT.region'}}]                        | {_id: 1}        | false  | passes
            [{$addFields: {region: 'eu', total: 1}}]                      | {_id: 1}        | false  | passes
            [{$set: {region: 'us'}}, {$set: {region: 'eu'}}]              | {_id: 1}        | false  | passes
            [{$unset: 'total'}]                                           | {_id: 1}        | false  | passes
            [{$unset: ['total', 'tags']}]                                 | {_id: 1}        | false  | passes
            [{$project: {total: 0}}]                                      | {_id: 1}        | false  | passes
            [{$project: {_id: 0, total: false}}]                          | {_id: 1}        | false  | passes
            [{$project: {address: {city: 0}}}]                            | {_id: 1}        | false  | passes
            [{$project: {name: 1, region: 1}}]                            | {_id: 1}        | false  | passes
            [{$project: {name: 1, region: true}}]                         | {_id: 1}        | false  | passes
            [{$project: {name: 1, region: 'eu'}}]                         | {_id: 1}        | false  | passes
            [{$replaceRoot: {newRoot: '$$ROOT'}}]                         | {_id: 1}        | false  | passes
            [{$replaceWith: '$$CURRENT'}]                                 | {_id: 1}        | false  | passes
            [{$replaceWith: {$mergeObjects: ['$$ROOT', {total: 1}]}}]     | {_id: 1}        | false  | passes
            [{$replaceWith: {$mergeObjects: ['$patch', {region: 'eu'}]}}] | {_id: 1}        | false  | passes
            [{$replaceWith: {name: '$name', region: 'eu'}}]               | {_id: 1}        | false  | passes
            [{$replaceRoot: {newRoot: {_id: '$_id', region: 'eu'}}}]      | {_id: 1}        | false  | passes
            [{$set: {total: 1}}]                                          | {region: 'eu'}  | true   | passes
            [{$set: {region: 'eu'}}]                                      |                 | true   | passes
            # refused
            [{$set: {region: 'us'}}]                                      | {_id: 1}        | false  | update (pipeline stage 0, $set): data homed in us
            [{$set: {region: 'eu'}}, {$set: {region: 'us'}}]              | {_id: 1}        | false  | update (pipeline stage 1, $set): data homed in us
            [{$addFields: {region: 'mars'}}]                              | {_id: 1}        | false  | but was "mars"
            [{$set: {region: 1}}]                                         | {_id: 1}        | false  | must be a region id string
            [{$set: {region: null}}]                                      | {_id: 1}        | false  | is missing or null
            [{$set: {region: '$name'}}]                                   | {_id: 1}        | false  | update (pipeline stage 0, $set): the pipeline computes "region" from an expression
            [{$set: {region: '$$REMOVE'}}]                                | {_id: 1}        | false  | update (pipeline stage 0, $set): the pipeline computes
            [{$set: {region: '$$r'}}]                                     | {_id: 1}        | false  | the pipeline computes
            [{$set: {region: {$concat: ['u', 's']}}}]                     | {_id: 1}        | false  | the pipeline computes
            [{$set: {region: {$cond: [true, 'eu', 'us']}}}]               | {_id: 1}        | false  | the pipeline computes
            [{$set: {region: {code: 'eu'}}}]                              | {_id: 1}        | false  | the pipeline computes
            [{$set: {region: ['eu']}}]                                    | {_id: 1}        | false  | the pipeline computes
            [{$set: {'region.code': 'x'}}]                                | {_id: 1}        | false  | update (pipeline stage 0, $set): the pipeline computes
            [{$unset: 'region'}]                                          | {_id: 1}        | false  | update (pipeline stage 0, $unset): the pipeline leaves the document without "region"
            [{$unset: ['total', 'region']}]                               | {_id: 1}        | false  | the pipeline leaves the document without
            [{$set: {region: 'eu'}}, {$unset: 'region'}]                  | {_id: 1}        | false  | update (pipeline stage 1, $unset)
            [{$unset: 'region'}, {$set: {region: '$region'}}]             | {_id: 1}        | false  | update (pipeline stage 0, $unset)
            [{$project: {name: 1}}]                                       | {_id: 1}        | false  | update (pipeline stage 0, $project): the pipeline leaves the document without
            [{$project: {region: 0}}]                                     | {_id: 1}        | false  | update (pipeline stage 0, $project): the pipeline leaves
            [{$project: {region: {$toUpper: '$region'}}}]                 | {_id: 1}        | false  | update (pipeline stage 0, $project): the pipeline computes
            [{$project: {name: 1, region: 'us'}}]                         | {_id: 1}        | false  | data homed in us
            [{$replaceRoot: {newRoot: '$sub'}}]                           | {_id: 1}        | false  | update (pipeline stage 0, $replaceRoot): the pipeline computes
            [{$replaceRoot: {newRoot: {name: '$name'}}}]                  | {_id: 1}        | false  | update (pipeline stage 0, $replaceRoot): the pipeline leaves
            [{$replaceRoot: {}}]                                          | {_id: 1}        | false  | $replaceRoot needs newRoot
            [{$replaceWith: {$mergeObjects: ['$$ROOT', '$patch']}}]       | {_id: 1}        | false  | update (pipeline stage 0, $replaceWith): the pipeline computes
            [{$replaceWith: {$mergeObjects: ['$$ROOT', {region: 'us'}]}}] | {_id: 1}        | false  | update (pipeline stage 0, $replaceWith): data homed in us
            [{$replaceWith: {$mergeObjects: [{total: 1}]}}]               | {_id: 1}        | false  | the pipeline leaves
            [{$replaceWith: {region: '$other'}}]                          | {_id: 1}        | false  | the pipeline computes
            [{$replaceWith: {$ifNull: ['$a', '$$ROOT']}}]                 | {_id: 1}        | false  | the pipeline computes
            [{$lookup: {from: 'x', as: 'y', pipeline: []}}]               | {_id: 1}        | false  | update (pipeline stage 0, $lookup): the guard inspects only $set, $addFields, $unset, $project, $replaceRoot and $replaceWith
            [{$set: {total: 1}, $unset: 'region'}]                        | {_id: 1}        | false  | update (pipeline stage 0): a stage must be a document with one field
            [{$set: 1}]                                                   | {_id: 1}        | false  | the stage's argument is not a document
            [{$set: {total: 1}}]                                          | {_id: 1}        | true   | update (upsert): neither the filter
            [{$set: {total: 1}}]                                          | {region: 'us'}  | true   | update (upsert) (filter's equality on "region"): data homed in us
            """)
    void updatePipelines(String pipeline, String filter, boolean upsert, String expected) {
        Document parsedFilter = filter == null ? null : Document.parse(filter);
        expect(expected, () -> EU.update("update", parsedFilter, stages(pipeline), upsert, Document.class, CODECS));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            [{$match: {}}]                                                  | passes
            [{$set: {region: 'us'}}, {$sort: {x: 1}}]                      | passes
            [{$match: {}}, {$out: 'copy'}]                                  | aggregate ($out): the guard cannot prove the region of the documents an aggregation writes
            [{$merge: {into: 'profiles'}}]                                  | aggregate ($merge)
            [{$merge: 'profiles'}]                                          | aggregate ($merge)
            [{$facet: {a: [{$match: {}}], b: [{$out: 'x'}]}}]               | aggregate ($out)
            [{$lookup: {from: 'x', as: 'y', pipeline: [{$merge: 'z'}]}}]    | aggregate ($merge)
            """)
    void aggregations(String pipeline, String expected) {
        expect(expected, () -> EU.aggregate("aggregate", stages(pipeline), Document.class, CODECS));
    }

    @Test
    void outputStage_findsOutAndMergeOnly() {
        assertThat(PipelineInspector.outputStage(List.of(BsonDocument.parse("{$match: {}}")))).isNull();
        assertThat(PipelineInspector.outputStage(List.of(BsonDocument.parse("{$out: 'x'}")))).isEqualTo("$out");
        assertThat(PipelineInspector.outputStage(List.of(BsonDocument.parse("{$merge: {into: 'x'}}")))).isEqualTo("$merge");
    }
}
