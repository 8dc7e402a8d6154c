package io.regionrouter.mongo.internal;

import com.mongodb.MongoBulkWriteException;
import com.mongodb.MongoClientException;
import com.mongodb.MongoCommandException;
import com.mongodb.MongoConnectionPoolClearedException;
import com.mongodb.MongoCredential;
import com.mongodb.MongoException;
import com.mongodb.MongoExecutionTimeoutException;
import com.mongodb.MongoInterruptedException;
import com.mongodb.MongoNotPrimaryException;
import com.mongodb.MongoOperationTimeoutException;
import com.mongodb.MongoSecurityException;
import com.mongodb.MongoSocketClosedException;
import com.mongodb.MongoSocketOpenException;
import com.mongodb.MongoSocketReadException;
import com.mongodb.MongoSocketReadTimeoutException;
import com.mongodb.MongoSocketWriteException;
import com.mongodb.MongoTimeoutException;
import com.mongodb.MongoWriteConcernException;
import com.mongodb.MongoWriteException;
import com.mongodb.ServerAddress;
import com.mongodb.bulk.WriteConcernError;
import com.mongodb.WriteError;
import com.mongodb.bulk.BulkWriteError;
import com.mongodb.bulk.BulkWriteResult;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.connection.ClusterId;
import com.mongodb.connection.ServerId;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonInvalidOperationException;
import org.bson.BsonSerializationException;
import org.bson.BsonString;
import org.bson.Document;
import org.bson.codecs.configuration.CodecConfigurationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static io.regionrouter.mongo.internal.CallVerdict.ABANDONED;
import static io.regionrouter.mongo.internal.CallVerdict.ANSWERED;
import static io.regionrouter.mongo.internal.CallVerdict.NO_ANSWER;
import static io.regionrouter.mongo.internal.CallVerdict.UNJUDGED;
import static io.regionrouter.mongo.internal.CallVerdict.UNREACHED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The failure table: what each driver exception says about the server, built as the driver builds them. */
class FailureClassifierTest {

    private static final ServerAddress SERVER = new ServerAddress("127.0.0.1", 27017);
    private static final MongoSocketReadTimeoutException READ_TIMEOUT = new MongoSocketReadTimeoutException(
            "Timeout while receiving message", SERVER, new SocketTimeoutException("Read timed out"));
    private static final MongoSocketOpenException REFUSED = new MongoSocketOpenException(
            "Exception opening socket", SERVER, new ConnectException("Connection refused"));
    private static final MongoCommandException NO_SUCH_COMMAND = new MongoCommandException(new BsonDocument("ok", new BsonInt32(0))
            .append("code", new BsonInt32(59)).append("errmsg", new BsonString("no such command: 'saslStart'")), SERVER);
    private static final MongoCredential CREDENTIAL = MongoCredential.createScramSha256Credential("app", "admin", "x".toCharArray());

    static Stream<Arguments> table() {
        return Stream.of(
                // could not reach: nothing was sent
                row(REFUSED, UNREACHED),
                row(new MongoTimeoutException("Timed out while waiting for a server that matches WritableServerSelector. "
                        + "Client view of cluster state is {type=UNKNOWN, servers=[...]}"), UNREACHED),
                row(new MongoOperationTimeoutException("Timed out while waiting for a server that matches "
                        + "ReadPreferenceServerSelector{readPreference=primary}. Client view of cluster state is {...}"), UNREACHED),
                row(new MongoTimeoutException("Timed out while waiting to resolve SRV records for x.example."), UNREACHED),
                row(new MongoConnectionPoolClearedException(new ServerId(new ClusterId(), SERVER), READ_TIMEOUT), UNREACHED),
                // sent, or may have been, and no answer came
                row(READ_TIMEOUT, NO_ANSWER),
                row(new MongoSocketReadException("Prematurely reached end of stream", SERVER), NO_ANSWER),
                row(new MongoSocketWriteException("Exception sending message", SERVER, new IOException("Broken pipe")), NO_ANSWER),
                row(new MongoSocketClosedException("Cannot read from a closed stream", SERVER), NO_ANSWER),
                row(new MongoOperationTimeoutException("Operation exceeded the timeout limit: Timeout while receiving message",
                        READ_TIMEOUT), NO_ANSWER),
                row(new MongoOperationTimeoutException("Retry attempt exceeded the timeout limit.", READ_TIMEOUT), NO_ANSWER),
                row(new MongoSecurityException(CREDENTIAL, "Exception authenticating", READ_TIMEOUT), NO_ANSWER),
                row(new RuntimeException("wrapped by the caller", READ_TIMEOUT), NO_ANSWER),
                // the server answered, with an error
                row(new MongoWriteException(new WriteError(11000, "E11000 duplicate key error", new BsonDocument()), SERVER),
                        ANSWERED),
                row(NO_SUCH_COMMAND, ANSWERED),
                row(new MongoNotPrimaryException(new BsonDocument("code", new BsonInt32(10107))
                        .append("errmsg", new BsonString("not primary")), SERVER), ANSWERED),
                row(new MongoWriteConcernException(new WriteConcernError(64, "WriteConcernFailed", "waiting for replication timed out",
                        new BsonDocument()), null, SERVER), ANSWERED),
                row(new MongoBulkWriteException(BulkWriteResult.unacknowledged(), List.of(new BulkWriteError(11000,
                        "E11000 duplicate key error", new BsonDocument(), 0)), null, SERVER, Set.of()), ANSWERED),
                row(new MongoExecutionTimeoutException(50, "operation exceeded time limit"), ANSWERED),
                row(new MongoOperationTimeoutException("Operation exceeded the timeout limit: operation exceeded time limit",
                        new MongoExecutionTimeoutException(50, "operation exceeded time limit")), ANSWERED),
                row(new MongoSecurityException(CREDENTIAL, "Exception authenticating", NO_SUCH_COMMAND), ANSWERED),
                row(new MongoSecurityException(CREDENTIAL, "Authentication failed"), ANSWERED),
                // the caller gave up after the request may have been sent
                row(new MongoOperationTimeoutException("Operation exceeded the timeout limit."), ABANDONED),
                row(new MongoOperationTimeoutException("Socket write exceeded the timeout limit."), ABANDONED),
                row(new MongoInterruptedException("Interrupted while receiving message", new InterruptedException()), ABANDONED),
                row(new MongoInterruptedException("Interrupted while sending message", new InterruptedException()), ABANDONED),
                // nothing about the server, and nothing sent
                row(new MongoTimeoutException("Timed out after 50 ms while waiting for a connection to server 127.0.0.1:27017."),
                        UNJUDGED),
                row(new MongoOperationTimeoutException("Timed out after 50 ms while waiting for a connection to server "
                        + "127.0.0.1:27017.", null), UNJUDGED),
                row(new MongoOperationTimeoutException("Remaining timeoutMS is less than or equal to the server's minimum "
                        + "round trip time."), UNJUDGED),
                row(new MongoConnectionPoolClearedException(new ServerId(new ClusterId(), SERVER), null), UNJUDGED),
                row(new MongoInterruptedException("Interrupted while waiting for a server that matches ...",
                        new InterruptedException()), UNJUDGED),
                row(new CodecConfigurationException("Can't find a codec for class Order."), UNJUDGED),
                row(new BsonInvalidOperationException("readString can only be called when CurrentBSONType is STRING"), UNJUDGED),
                row(new BsonSerializationException("Document size of 20000000 is larger than maximum of 16793600."), UNJUDGED),
                row(new MongoClientException("state should be: open"), UNJUDGED),
                row(new IllegalArgumentException("filter can not be null"), UNJUDGED),
                row(null, UNJUDGED));
    }

    private static Arguments row(Throwable failure, CallVerdict verdict) {
        return Arguments.of(failure == null ? "null" : failure.getClass().getSimpleName() + ": " + failure.getMessage(),
                failure, verdict);
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @MethodSource("table")
    void classify_followsTheTable(String name, Throwable failure, CallVerdict expected) {
        assertThat(FailureClassifier.classify(failure)).isEqualTo(expected);
    }

    @Test
    void verdicts_onlyUnreachedAndNoAnswerAreFailures_onlyNoAnswerAndAbandonedMayHaveBeenApplied() {
        assertThat(Stream.of(CallVerdict.values()).filter(CallVerdict::isFailure)).containsExactly(UNREACHED, NO_ANSWER);
        assertThat(Stream.of(CallVerdict.values()).filter(CallVerdict::mayHaveBeenApplied)).containsExactly(NO_ANSWER, ABANDONED);
    }

    @Test
    void classify_endsOnACauseChainWithACycle() {
        MongoSecurityException outer = new MongoSecurityException(CREDENTIAL, "Exception authenticating", new RuntimeException("inner"));
        outer.getCause().initCause(outer);

        assertThat(FailureClassifier.classify(outer)).isEqualTo(ANSWERED);
        assertThat(FailureClassifier.classify(outer.getCause())).isEqualTo(ANSWERED);
    }

    @Test
    void noWritesPerformed_readsTheDriversLabel() {
        MongoException labelled = new MongoSocketReadException("Prematurely reached end of stream", SERVER);
        labelled.addLabel(FailureClassifier.NO_WRITES_PERFORMED);

        assertThat(FailureClassifier.noWritesPerformed(labelled)).isTrue();
        assertThat(FailureClassifier.noWritesPerformed(READ_TIMEOUT)).isFalse();
        assertThat(FailureClassifier.noWritesPerformed(new IllegalStateException())).isFalse();
    }

    /** The messages the table relies on, as the real driver words them (nothing listens on port 1). */
    @Test
    void realDriver_serverSelectionTimeout_withAndWithoutTimeoutMS_isUnreached() {
        for (String options : List.of("serverSelectionTimeoutMS=200", "serverSelectionTimeoutMS=200&timeoutMS=300")) {
            try (MongoClient client = MongoClients.create("mongodb://127.0.0.1:1/?" + options)) {
                assertThatThrownBy(() -> client.getDatabase("app").getCollection("c").insertOne(new Document("_id", 1)))
                        .isInstanceOf(MongoTimeoutException.class)
                        .satisfies(e -> assertThat(FailureClassifier.classify(e)).as(options).isEqualTo(UNREACHED));
            }
        }
    }
}
