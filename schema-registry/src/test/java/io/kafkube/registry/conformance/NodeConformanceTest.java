package io.kafkube.registry.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.kafkube.kafka.embedded.EmbeddedKafka;
import io.kafkube.registry.client.CachedSchemaRegistryClient;
import io.kafkube.registry.serde.AvroDeserializer;
import io.kafkube.registry.serde.WireFormat;
import io.kafkube.registry.server.SchemaRegistryServer;
import io.kafkube.registry.server.TestBroker;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.util.Utf8;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Confluent's npm client @confluentinc/schemaregistry against our registry, both directions. */
@Timeout(180)
class NodeConformanceTest {
  static final String INSTALL = "npm ci --prefix schema-registry/src/test/node";

  @TempDir static Path dir;
  static EmbeddedKafka kafka;
  static SchemaRegistryServer registry;
  static Path nodeDir;

  @BeforeAll
  static void start() throws Exception {
    nodeDir = ExternalClient.moduleDir().resolve("src/test/node");
    if (!Files.isDirectory(nodeDir.resolve("node_modules/@confluentinc/schemaregistry"))) {
      fail("%s has no node_modules/@confluentinc/schemaregistry: run the project's install script (%s)",
          nodeDir, INSTALL);
    }
    kafka = TestBroker.start(dir);
    registry = ExternalClient.startRegistry(kafka);
  }

  @AfterAll
  static void stop() {
    if (registry != null) {
      registry.close();
    }
    if (kafka != null) {
      kafka.close();
    }
  }

  @Test
  void confluentNodeClientAndSerdeInteroperate() throws Exception {
    Path work = Files.createDirectories(dir.resolve("work"));
    ExternalClient.writeJavaRecord(registry.url(), "java-topic", work.resolve("java-out.bin"));

    ExternalClient.Result r = ExternalClient.run(
        List.of("node", "conformance.mjs", registry.url(), work.toString()), nodeDir, Duration.ofSeconds(120));
    assertThat(r.exitCode()).as("node conformance script%nstdout: %s%nstderr: %s", r.stdout(), r.stderr())
        .isZero();
    assertThat(r.summary().getBoolean("ok")).isTrue();

    JsonObject decoded = new JsonObject(Files.readString(work.resolve("node-decoded.json")));
    assertThat(decoded).isEqualTo(ExternalClient.JAVA_POD_JSON);

    byte[] fromNode = Files.readAllBytes(work.resolve("node-out.bin"));
    CachedSchemaRegistryClient client = new CachedSchemaRegistryClient(registry.url());
    assertThat(WireFormat.schemaId(fromNode)).isEqualTo(client.getLatest("node-topic-value").id());
    GenericRecord rec = AvroDeserializer.generic(client).deserialize("node-topic", fromNode);
    assertThat(rec.get("name").toString()).isEqualTo("from-node");
    assertThat(rec.get("replicas")).isEqualTo(7);
    assertThat(rec.get("labels")).isEqualTo(Map.of(new Utf8("app"), new Utf8("web")));
    assertThat(client.versions("node-users-value")).containsExactly(1);
  }
}
