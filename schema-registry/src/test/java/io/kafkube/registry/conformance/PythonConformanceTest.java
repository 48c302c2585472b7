package io.kafkube.registry.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.kafkube.kafka.embedded.EmbeddedKafka;
import io.kafkube.registry.client.CachedSchemaRegistryClient;
import io.kafkube.registry.client.CompatibilityLevel;
import io.kafkube.registry.serde.AvroDeserializer;
import io.kafkube.registry.serde.WireFormat;
import io.kafkube.registry.server.SchemaRegistryServer;
import io.kafkube.registry.server.TestBroker;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debian's python3-confluent-kafka (1.7.0) against our registry: its SchemaRegistryClient and its
 * legacy Avro MessageSerializer, records crossing between it and our serde in both directions.
 */
@Timeout(180)
class PythonConformanceTest {
  static final String PYTHON = "/usr/bin/python3";
  static final String INSTALL =
      "apt-get update && apt-get install -y python3-confluent-kafka python3-avro python3-requests";

  @TempDir static Path dir;
  static EmbeddedKafka kafka;
  static SchemaRegistryServer registry;

  @BeforeAll
  static void start() throws Exception {
    requirePythonClient();
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

  static void requirePythonClient() throws Exception {
    if (!Files.isExecutable(Path.of(PYTHON))) {
      fail("%s is missing: run the project's install script (%s)", PYTHON, INSTALL);
    }
    ExternalClient.Result r = ExternalClient.run(List.of(PYTHON, "-c",
            "import confluent_kafka.schema_registry, confluent_kafka.avro, avro.schema, requests"),
        ExternalClient.moduleDir(), Duration.ofSeconds(30));
    if (r.exitCode() != 0) {
      fail("Confluent's Python client is not installed for %s: run the project's install script (%s).%n%s",
          PYTHON, INSTALL, r.stderr());
    }
  }

  @Test
  void confluentPythonClientAndSerdeInteroperate() throws Exception {
    Path work = Files.createDirectories(dir.resolve("work"));
    ExternalClient.writeJavaRecord(registry.url(), "java-topic", work.resolve("java-out.bin"));

    Path script = ExternalClient.moduleDir().resolve("src/test/python/conformance.py");
    ExternalClient.Result r = ExternalClient.run(List.of(PYTHON, script.toString(), registry.url(), work.toString()),
        ExternalClient.moduleDir(), Duration.ofSeconds(120));
    assertThat(r.exitCode()).as("python conformance script%nstdout: %s%nstderr: %s", r.stdout(), r.stderr())
        .isZero();
    JsonObject summary = r.summary();
    assertThat(summary.getBoolean("ok")).isTrue();
    int pythonId = summary.getInteger("register");

    // Python decoded what our serializer wrote.
    JsonObject decoded = new JsonObject(Files.readString(work.resolve("py-decoded.json")));
    assertThat(decoded).isEqualTo(ExternalClient.JAVA_POD_JSON);

    // We decode what Python's serializer wrote.
    byte[] fromPython = Files.readAllBytes(work.resolve("py-out.bin"));
    assertThat(WireFormat.schemaId(fromPython)).isEqualTo(pythonId);
    CachedSchemaRegistryClient client = new CachedSchemaRegistryClient(registry.url());
    GenericRecord rec = AvroDeserializer.generic(client).deserialize("py-topic", fromPython);
    assertThat(rec.get("name").toString()).isEqualTo("from-python");
    assertThat(rec.get("age")).isEqualTo(42);

    // What Python registered and configured is what our client sees.
    assertThat(client.getLatest("py-users-value").version()).isEqualTo(2);
    assertThat(client.getCompatibility("py-users-value")).isEqualTo(CompatibilityLevel.FULL);
    assertThat(client.subjects()).contains("py-users-value", "py-topic-value", "java-topic-value");
  }
}
