package io.kafkube.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.kafkube.api.Http;
import io.kafkube.api.TestCluster;
import io.kafkube.schemas.topic.Topic;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input, one request each, on a real broker and store: the answer is the right code and Status
 * (reason, and the field in its causes where kube names one), and nothing was written, read with a
 * real consumer: the end offsets of every state topic and of history are what they were before.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class BadInputTest {
  private static final String CMS = "/api/v1/namespaces/default/configmaps";
  @TempDir
  static Path dir;
  static TestCluster cluster;
  static Http api;
  static String robot;
  static KafkaConsumer<byte[], byte[]> offsets;
  static List<TopicPartition> written = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    cluster = TestCluster.start(dir);
    api = new Http(cluster.api.insecureUrl(), cluster.api.adminToken());
    assertThat(api.post("/api/v1/namespaces/default/serviceaccounts", "{'metadata':{'name':'robot'}}").code())
        .isEqualTo(201);
    Http.Reply tr = api.post("/api/v1/namespaces/default/serviceaccounts/robot/token",
        "{'apiVersion':'authentication.k8s.io/v1','kind':'TokenRequest','spec':{}}");
    robot = tr.body().path("status").path("token").asText();
    assertThat(api.post(CMS, "{'metadata':{'name':'present'},'data':{'a':'1'}}").code()).isEqualTo(201);
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrap);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    offsets = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    List<Topic<?, ?>> topics = new ArrayList<>(cluster.topics.stateTopics().values());
    topics.add(cluster.topics.kv());
    topics.add(cluster.topics.history());
    for (Topic<?, ?> t : topics) {
      for (int i = 0; i < t.partitions(); i++) {
        written.add(new TopicPartition(t.name(), i));
      }
    }
  }

  @AfterAll
  static void stop() {
    if (offsets != null) {
      offsets.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @FunctionalInterface
  interface Request {
    Http.Reply send() throws Exception;
  }

  /** Sends the request; asserts code and reason, and that no state topic nor history grew. */
  static Http.Reply refused(int code, String reason, Request request) throws Exception {
    Map<TopicPartition, Long> before = offsets.endOffsets(written);
    Http.Reply r = request.send();
    assertThat(r.code()).as(r.raw()).isEqualTo(code);
    assertThat(r.body().path("kind").asText()).as(r.raw()).isEqualTo("Status");
    assertThat(r.body().path("status").asText()).isEqualTo("Failure");
    assertThat(r.body().path("reason").asText()).as(r.raw()).isEqualTo(reason);
    assertThat(r.body().path("code").asInt()).isEqualTo(code);
    // a write reaches history and state before its reply comes back (one transaction), so a refused
    // request that had written anything would show here already
    assertThat(offsets.endOffsets(written)).as("end offsets after " + r.raw()).isEqualTo(before);
    return r;
  }

  @Test
  void malformedBodies() throws Exception {
    Http.Reply json = refused(400, "BadRequest", () -> api.call("POST", CMS, "application/json", "{'metadata':"));
    assertThat(json.body().path("message").asText()).isNotEmpty();
    refused(400, "BadRequest", () -> api.call("POST", CMS, "application/yaml", "metadata: [name: x\n  data: {"));
    refused(400, "BadRequest", () -> api.call("POST", CMS, "application/vnd.kubernetes.protobuf",
        new byte[] {0x6b, 0x38, 0x73, 0x00, 0x0a, (byte) 0xff, (byte) 0xff, 0x01, 0x02}));
    refused(400, "BadRequest", () -> api.call("POST", CMS, "application/json", "[1, 2, 3]"));
  }

  @Test
  void aBodyWhoseKindDoesNotMatchTheUrl() throws Exception {
    refused(400, "BadRequest", () -> api.post(CMS, "{'apiVersion':'v1','kind':'Secret','metadata':{'name':'s'}}"));
    refused(400, "BadRequest", () -> api.post(CMS, "{'apiVersion':'apps/v1','kind':'ConfigMap','metadata':"
        + "{'name':'s'}}"));
    refused(400, "BadRequest", () -> api.put(CMS + "/present", "{'metadata':{'name':'other'},'data':{}}"));
  }

  @Test
  void invalidNamesLabelsAndSelectors() throws Exception {
    Http.Reply name = refused(422, "Invalid", () -> api.post(CMS, "{'metadata':{'name':'Bad_Name'}}"));
    assertThat(name.causeField(0)).isEqualTo("metadata.name");
    Http.Reply label = refused(422, "Invalid", () -> api.post(CMS, "{'metadata':{'name':'ok',"
        + "'labels':{'bad key!':'v'}}}"));
    assertThat(label.causeField(0)).startsWith("metadata.labels");
    Http.Reply value = refused(422, "Invalid", () -> api.post(CMS, "{'metadata':{'name':'ok',"
        + "'labels':{'k':'not a value'}}}"));
    assertThat(value.causeField(0)).startsWith("metadata.labels");
    refused(400, "BadRequest", () -> api.get(CMS + "?labelSelector=a%20in%20(b"));
    refused(400, "BadRequest", () -> api.get(CMS + "?fieldSelector=spec.nope%3Dx"));
    refused(400, "BadRequest", () -> api.call("DELETE", CMS + "?labelSelector=%3D%3D%3D", null, (byte[]) null));
  }

  @Test
  void bodiesOverTheObjectLimit() throws Exception {
    byte[] big = new byte[1536 * 1024 + 1024];
    Arrays.fill(big, (byte) 'x');
    String body = "{\"metadata\":{\"name\":\"huge\"},\"data\":{\"a\":\"" + new String(big, StandardCharsets.US_ASCII)
        + "\"}}";
    refused(413, "RequestEntityTooLarge", () -> api.call("POST", CMS, "application/json",
        body.getBytes(StandardCharsets.US_ASCII)));
  }

  @Test
  void unknownFieldsWithStrictValidation() throws Exception {
    Http.Reply strict = refused(400, "BadRequest", () -> api.post(CMS + "?fieldValidation=Strict",
        "{'metadata':{'name':'strict'},'bogus':1}"));
    assertThat(strict.body().path("message").asText()).contains("unknown field \"bogus\"");
    refused(400, "BadRequest", () -> api.post(CMS + "?fieldValidation=Sometimes",
        "{'metadata':{'name':'strict'}}"));
  }

  @Test
  void aStaleResourceVersion() throws Exception {
    Http.Reply stale = refused(409, "Conflict", () -> api.put(CMS + "/present",
        "{'metadata':{'name':'present','resourceVersion':'1'},'data':{'a':'2'}}"));
    assertThat(stale.body().path("details").path("name").asText()).isEqualTo("present");
    refused(409, "Conflict", () -> api.call("PATCH", CMS + "/present", "application/merge-patch+json",
        "{'metadata':{'resourceVersion':'1'},'data':{'a':'3'}}"));
  }

  @Test
  void deletingWhatDoesNotExist() throws Exception {
    Http.Reply missing = refused(404, "NotFound", () -> api.delete(CMS + "/never-was"));
    assertThat(missing.body().path("details").path("name").asText()).isEqualTo("never-was");
    assertThat(missing.body().path("details").path("kind").asText()).isEqualTo("configmaps");
    refused(404, "NotFound", () -> api.delete("/api/v1/namespaces/default/nonsense/x"));
  }

  @Test
  void forbiddenVerbs() throws Exception {
    Http.Reply create = refused(403, "Forbidden", () -> api.as(robot).post(CMS, "{'metadata':{'name':'robots'}}"));
    assertThat(create.body().path("message").asText()).contains("system:serviceaccount:default:robot")
        .contains("cannot create resource \"configmaps\"");
    refused(403, "Forbidden", () -> api.as(robot).delete(CMS + "/present"));
    refused(403, "Forbidden", () -> api.as(robot).call("PATCH", CMS + "/present", "application/merge-patch+json",
        "{'data':{'a':'robot'}}"));
    refused(401, "Unauthorized", () -> api.as("not-a-token").post(CMS, "{'metadata':{'name':'anon'}}"));
  }

  @Test
  void admissionRefusals() throws Exception {
    Http.Reply pod = refused(403, "Forbidden", () -> api.post("/api/v1/namespaces/default/pods",
        "{'metadata':{'name':'p'},'spec':{'priorityClassName':'nope','containers':[{'name':'c','image':'i'}]}}"));
    assertThat(pod.body().path("message").asText()).contains("no PriorityClass with name nope was found");
    Http.Reply svc = refused(422, "Invalid", () -> api.post("/api/v1/namespaces/default/services",
        "{'metadata':{'name':'s'},'spec':{'type':'NodePort','ports':[{'port':80,'nodePort':80}]}}"));
    assertThat(svc.causeField(0)).isEqualTo("spec.ports[0].nodePort");
    Http.Reply ns = refused(404, "NotFound", () -> api.post("/api/v1/namespaces/nowhere/configmaps",
        "{'metadata':{'name':'lost'}}"));
    assertThat(ns.body().path("details").path("name").asText()).isEqualTo("nowhere");
  }
}
