package io.kafkube.registry.conformance;

import static org.assertj.core.api.Assertions.fail;

import io.kafkube.kafka.embedded.EmbeddedKafka;
import io.kafkube.registry.client.CachedSchemaRegistryClient;
import io.kafkube.registry.serde.AvroSerializer;
import io.kafkube.registry.server.SchemaRegistryServer;
import io.kafkube.registry.server.TestBroker;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/** Runs a real Confluent client (Python, Node) as a process against our registry. */
final class ExternalClient {
  /** The record every conformance test writes with kafkube's serializer for the other side to decode. */
  static final Schema JAVA_POD = new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"JavaPod\","
      + "\"namespace\":\"io.kafkube.java\",\"fields\":["
      + "{\"name\":\"name\",\"type\":\"string\"},"
      + "{\"name\":\"replicas\",\"type\":\"int\"},"
      + "{\"name\":\"revision\",\"type\":\"long\"},"
      + "{\"name\":\"ratio\",\"type\":\"double\"},"
      + "{\"name\":\"ready\",\"type\":\"boolean\"},"
      + "{\"name\":\"labels\",\"type\":{\"type\":\"map\",\"values\":\"string\"}},"
      + "{\"name\":\"ports\",\"type\":{\"type\":\"array\",\"items\":\"int\"}},"
      + "{\"name\":\"node\",\"type\":[\"null\",\"string\"],\"default\":null}]}");

  /** The expected decoding of {@link #javaPod()} as JSON. */
  static final JsonObject JAVA_POD_JSON = new JsonObject()
      .put("name", "web-0").put("replicas", 3).put("revision", 1234567890123L).put("ratio", 0.5)
      .put("ready", true).put("labels", new JsonObject().put("app", "web")).put("ports", List.of(80, 443))
      .put("node", "node-1");

  private ExternalClient() {}

  record Result(int exitCode, String stdout, String stderr) {
    /** The last line of stdout, parsed: the script's summary. */
    JsonObject summary() {
      String[] lines = stdout.strip().split("\n");
      return new JsonObject(lines[lines.length - 1]);
    }
  }

  static GenericRecord javaPod() {
    GenericRecord r = new GenericData.Record(JAVA_POD);
    r.put("name", "web-0");
    r.put("replicas", 3);
    r.put("revision", 1234567890123L);
    r.put("ratio", 0.5);
    r.put("ready", true);
    r.put("labels", Map.of("app", "web"));
    r.put("ports", List.of(80, 443));
    r.put("node", "node-1");
    return r;
  }

  /** Writes {@link #javaPod()} with kafkube's serializer through the REST client. */
  static void writeJavaRecord(String registryUrl, String topic, Path file) throws IOException {
    byte[] bytes = AvroSerializer.generic(new CachedSchemaRegistryClient(registryUrl), false)
        .serialize(topic, javaPod());
    Files.write(file, bytes);
  }

  static Result run(List<String> command, Path dir, Duration timeout) throws Exception {
    Path out = Files.createTempFile("client-out", ".txt");
    Path err = Files.createTempFile("client-err", ".txt");
    Process p = new ProcessBuilder(command).directory(dir.toFile())
        .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      fail("%s did not finish within %s; stderr:%n%s", command, timeout, Files.readString(err));
    }
    Result r = new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
    Files.deleteIfExists(out);
    Files.deleteIfExists(err);
    return r;
  }

  /** The module directory (surefire runs tests there and sets basedir). */
  static Path moduleDir() {
    return Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath();
  }

  static SchemaRegistryServer startRegistry(EmbeddedKafka kafka) throws Exception {
    return TestBroker.startRegistry(kafka, "kafkube._schemas");
  }
}
