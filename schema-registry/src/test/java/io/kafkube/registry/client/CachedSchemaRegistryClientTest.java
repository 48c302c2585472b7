package io.kafkube.registry.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.kafkube.kafka.embedded.EmbeddedKafka;
import io.kafkube.registry.serde.AvroSerde;
import io.kafkube.registry.server.SchemaRegistryServer;
import io.kafkube.registry.server.TestBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The REST client against the server, and the in-memory client giving the same answers. */
@Timeout(120)
class CachedSchemaRegistryClientTest {
  @TempDir static Path dir;
  static EmbeddedKafka kafka;

  @BeforeAll
  static void start() {
    kafka = TestBroker.start(dir);
  }

  @AfterAll
  static void stop() {
    if (kafka != null) {
      kafka.close();
    }
  }

  static Schema record(String name, String extraField) {
    return new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"" + name + "\",\"fields\":["
        + "{\"name\":\"a\",\"type\":\"int\"}" + (extraField == null ? "" : "," + extraField) + "]}");
  }

  /** One scenario, recorded as text: ids, versions, error codes. */
  static List<String> scenario(SchemaRegistryClient c) {
    List<String> log = new ArrayList<>();
    Function<Runnable, String> attempt = r -> {
      try {
        r.run();
        return "ok";
      } catch (SchemaRegistryException e) {
        return "error " + e.httpStatus() + "/" + e.errorCode();
      }
    };
    Schema v1 = record("R", null);
    Schema v2 = record("R", "{\"name\":\"b\",\"type\":\"int\",\"default\":0}");
    Schema bad = record("R", "{\"name\":\"c\",\"type\":\"int\"}");
    log.add("register v1 " + c.register("x-value", v1));
    log.add("register v1 again " + c.register("x-value", v1));
    log.add("register v1 elsewhere " + c.register("y-value", v1));
    log.add("register v2 " + c.register("x-value", v2));
    log.add("register bad " + attempt.apply(() -> c.register("x-value", bad)));
    log.add("compatible bad " + c.testCompatibility("x-value", bad));
    log.add("compatible fresh " + c.testCompatibility("fresh-value", bad));
    log.add("latest " + c.getLatest("x-value"));
    log.add("version 1 " + c.getVersion("x-value", 1));
    log.add("version 9 " + attempt.apply(() -> c.getVersion("x-value", 9)));
    log.add("lookup v2 " + c.lookup("x-value", v2).map(SchemaMetadata::version));
    log.add("lookup bad " + c.lookup("x-value", bad));
    log.add("by id " + c.getById(c.getLatest("x-value").id()).equals(v2));
    log.add("missing id " + attempt.apply(() -> c.getById(4242)));
    log.add("subjects " + c.subjects());
    log.add("versions " + c.versions("x-value"));
    log.add("no versions " + attempt.apply(() -> c.versions("nope")));
    log.add("compat " + c.getCompatibility("x-value") + " " + c.getCompatibility(null));
    c.setCompatibility("x-value", CompatibilityLevel.NONE);
    log.add("register bad with NONE " + c.register("x-value", bad));
    c.setCompatibility(null, CompatibilityLevel.FULL);
    log.add("compat " + c.getCompatibility("x-value") + " " + c.getCompatibility("y-value"));
    log.add("hard delete live " + attempt.apply(() -> c.deleteSubject("y-value", true)));
    log.add("soft delete " + c.deleteSubject("y-value", false));
    log.add("hard delete " + c.deleteSubject("y-value", true));
    log.add("subjects " + c.subjects());
    log.add("register v1 in y again " + c.register("y-value", v1));
    return log;
  }

  @Test
  void restAndInMemoryClientsAnswerAlike() throws Exception {
    try (SchemaRegistryServer server = TestBroker.startRegistry(kafka, TestBroker.freshTopic())) {
      List<String> rest = scenario(new CachedSchemaRegistryClient(server.url()));
      List<String> memory = scenario(new InMemorySchemaRegistryClient());
      assertThat(rest).containsExactlyElementsOf(memory);
      assertThat(rest).contains("register v1 1", "register v1 again 1", "register v1 elsewhere 1", "register v2 2",
          "register bad error 409/409", "missing id error 404/40403", "version 9 error 404/40402");
    }
  }

  @Test
  void idsAndRegistrationsAreServedFromTheCacheOnceKnown() throws Exception {
    Schema schema = record("Cached", null);
    CachedSchemaRegistryClient client;
    int id;
    GenericRecord rec = new GenericData.Record(schema);
    rec.put("a", 5);
    byte[] bytes;
    try (SchemaRegistryServer server = TestBroker.startRegistry(kafka, TestBroker.freshTopic())) {
      client = new CachedSchemaRegistryClient(server.url());
      await().atMost(Duration.ofSeconds(30)).until(server::isLeader);
      id = client.register("c-value", schema);
      assertThat(client.getById(id)).isEqualTo(schema);
      bytes = AvroSerde.generic(client, false).serializer().serialize("c", rec);
    }
    // The server is gone: what is cached still answers, the rest fails with a registry error.
    assertThat(client.register("c-value", schema)).isEqualTo(id);
    assertThat(client.getById(id)).isEqualTo(schema);
    assertThat(AvroSerde.generic(client, false).deserializer().deserialize("c", bytes).get("a")).isEqualTo(5);
    assertThatThrownBy(() -> client.subjects()).isInstanceOf(SchemaRegistryException.class)
        .extracting(e -> ((SchemaRegistryException) e).errorCode()).isEqualTo(SchemaRegistryException.FORWARDING_ERROR);
  }
}
