package io.kafkube.registry.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kafkube.kafka.embedded.EmbeddedKafka;
import io.kafkube.registry.server.RegistryHttp.Answer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Every endpoint and error code of the REST API, against one instance on a real broker. */
@Timeout(120)
class SchemaRegistryServerTest {
  static final String USER_V1 =
      "{\"type\":\"record\",\"name\":\"User\",\"namespace\":\"io.kafkube.test\",\"fields\":["
          + "{\"name\":\"name\",\"type\":\"string\"}]}";
  /** V1 with keys in another order and whitespace: the same schema. */
  static final String USER_V1_RESHUFFLED =
      "{ \"fields\" : [ { \"type\" : \"string\", \"name\" : \"name\" } ],\n  \"namespace\": \"io.kafkube.test\","
          + " \"name\" : \"User\", \"type\" : \"record\" }";
  /** Adds a field with a default: backward compatible. */
  static final String USER_V2 =
      "{\"type\":\"record\",\"name\":\"User\",\"namespace\":\"io.kafkube.test\",\"fields\":["
          + "{\"name\":\"name\",\"type\":\"string\"},{\"name\":\"age\",\"type\":\"int\",\"default\":0}]}";
  /** Adds a field without a default: not backward compatible. */
  static final String USER_BAD =
      "{\"type\":\"record\",\"name\":\"User\",\"namespace\":\"io.kafkube.test\",\"fields\":["
          + "{\"name\":\"name\",\"type\":\"string\"},{\"name\":\"email\",\"type\":\"string\"}]}";

  @TempDir static Path dir;
  static EmbeddedKafka kafka;
  static SchemaRegistryServer server;
  static RegistryHttp http;
  static String topic;
  static final AtomicInteger SUBJECTS = new AtomicInteger();

  @BeforeAll
  static void start() throws Exception {
    kafka = TestBroker.start(dir);
    topic = TestBroker.freshTopic();
    server = TestBroker.startRegistry(kafka, topic);
    await().atMost(Duration.ofSeconds(30)).until(server::isLeader);
    http = new RegistryHttp(server.url());
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
    if (kafka != null) {
      kafka.close();
    }
  }

  static String subject() {
    return "subject-" + SUBJECTS.incrementAndGet() + "-value";
  }

  static int register(String subject, String schema) {
    Answer a = http.post("/subjects/" + subject + "/versions", RegistryHttp.schemaBody(schema));
    assertThat(a.status()).as(a.toString()).isEqualTo(200);
    return a.json().getInteger("id");
  }

  @Test
  void createsTheTopicCompactedWithOnePartition() throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
      TopicDescription d = admin.describeTopics(java.util.List.of(topic)).allTopicNames().get().get(topic);
      assertThat(d.partitions()).hasSize(1);
      ConfigResource res = new ConfigResource(ConfigResource.Type.TOPIC, topic);
      assertThat(admin.describeConfigs(java.util.List.of(res)).all().get().get(res).get("cleanup.policy").value())
          .isEqualTo("compact");
    }
  }

  @Test
  void registerAnswersIdsAndDedupesOnCanonicalForm() {
    String s = subject();
    Answer first = http.post("/subjects/" + s + "/versions", RegistryHttp.schemaBody(USER_V1));
    assertThat(first.status()).isEqualTo(200);
    assertThat(first.contentType()).startsWith(RegistryHttp.CONTENT_TYPE);
    int id = first.json().getInteger("id");
    assertThat(first.json().fieldNames()).containsExactly("id");

    assertThat(register(s, USER_V1_RESHUFFLED)).isEqualTo(id);
    assertThat(http.get("/subjects/" + s + "/versions").array()).isEqualTo(new JsonArray().add(1));

    String other = subject();
    assertThat(register(other, USER_V1_RESHUFFLED)).as("same schema, other subject: same id").isEqualTo(id);
    assertThat(http.get("/schemas/ids/" + id + "/versions").array()).contains(
        new JsonObject().put("subject", s).put("version", 1),
        new JsonObject().put("subject", other).put("version", 1));
    assertThat(http.get("/schemas/ids/" + id + "/subjects").array()).contains(s, other);

    int id2 = register(s, USER_V2);
    assertThat(id2).isGreaterThan(id);
    assertThat(http.get("/subjects/" + s + "/versions").array()).isEqualTo(new JsonArray().add(1).add(2));
  }

  @Test
  void acceptsPlainJsonContentTypeAndSchemaTypeAvro() {
    String s = subject();
    Answer a = http.send("POST", "/subjects/" + s + "/versions",
        new JsonObject().put("schema", USER_V1).put("schemaType", "AVRO").encode(), "application/json");
    assertThat(a.status()).isEqualTo(200);
    assertThat(a.json().getInteger("id")).isPositive();
  }

  @Test
  void rejectsOtherSchemaTypesAndInvalidSchemas() {
    String s = subject();
    Answer proto = http.post("/subjects/" + s + "/versions",
        new JsonObject().put("schema", "syntax = \"proto3\"; message M {}").put("schemaType", "PROTOBUF"));
    assertThat(proto.status()).isEqualTo(422);
    assertThat(proto.errorCode()).isEqualTo(42201);

    Answer invalid = http.post("/subjects/" + s + "/versions", RegistryHttp.schemaBody("{\"type\":\"recrod\"}"));
    assertThat(invalid.status()).isEqualTo(422);
    assertThat(invalid.errorCode()).isEqualTo(42201);
    assertThat(invalid.json().getString("message")).isNotBlank();

    Answer notJson = http.send("POST", "/subjects/" + s + "/versions", "{not json", RegistryHttp.CONTENT_TYPE);
    assertThat(notJson.status()).isEqualTo(400);
    assertThat(notJson.errorCode()).isEqualTo(400);
    assertThat(http.get("/subjects/" + s + "/versions").errorCode()).as("nothing registered").isEqualTo(40401);
  }

  @Test
  void rejectsIncompatibleSchemasWith409AndTheReasons() {
    String s = subject();
    register(s, USER_V1);
    Answer a = http.post("/subjects/" + s + "/versions", RegistryHttp.schemaBody(USER_BAD));
    assertThat(a.status()).isEqualTo(409);
    assertThat(a.errorCode()).isEqualTo(409);
    assertThat(a.json().getString("message"))
        .contains("incompatible").contains("READER_FIELD_MISSING_DEFAULT_VALUE").contains("email");
    assertThat(http.get("/subjects/" + s + "/versions").array()).containsExactly(1);

    Answer compat = http.post("/compatibility/subjects/" + s + "/versions/latest", RegistryHttp.schemaBody(USER_BAD));
    assertThat(compat.json()).isEqualTo(new JsonObject().put("is_compatible", false));
    Answer verbose = http.post("/compatibility/subjects/" + s + "/versions/latest?verbose=true",
        RegistryHttp.schemaBody(USER_BAD));
    assertThat(verbose.json().getBoolean("is_compatible")).isFalse();
    assertThat(verbose.json().getJsonArray("messages").encode()).contains("READER_FIELD_MISSING_DEFAULT_VALUE");
    assertThat(http.post("/compatibility/subjects/" + s + "/versions/1", RegistryHttp.schemaBody(USER_V2)).json())
        .isEqualTo(new JsonObject().put("is_compatible", true));
    assertThat(http.post("/compatibility/subjects/" + s + "/versions", RegistryHttp.schemaBody(USER_V2)).json()
        .getBoolean("is_compatible")).isTrue();
    assertThat(http.post("/compatibility/subjects/" + s + "/versions/7", RegistryHttp.schemaBody(USER_V2))
        .errorCode()).isEqualTo(40402);
    assertThat(http.post("/compatibility/subjects/" + s + "/versions/x", RegistryHttp.schemaBody(USER_V2))
        .errorCode()).isEqualTo(42202);

    // With NONE on the subject the same schema is accepted as version 2.
    assertThat(http.put("/config/" + s, new JsonObject().put("compatibility", "NONE")).json())
        .isEqualTo(new JsonObject().put("compatibility", "NONE"));
    register(s, USER_BAD);
    assertThat(http.get("/subjects/" + s + "/versions").array()).containsExactly(1, 2);
  }

  @Test
  void forwardCompatibilityIsCheckedTheOtherWayRound() {
    String s = subject();
    http.put("/config/" + s, new JsonObject().put("compatibility", "FORWARD"));
    register(s, USER_V2);
    // Removing a field with a default: old readers fill it in, so forward compatible.
    assertThat(register(s, USER_V1)).isPositive();
    // Adding a field without a default: old readers ignore it, so forward compatible as well.
    register(s, USER_BAD);
    http.put("/config/" + s, new JsonObject().put("compatibility", "FULL_TRANSITIVE"));
    Answer a = http.post("/subjects/" + s + "/versions", RegistryHttp.schemaBody(
        "{\"type\":\"record\",\"name\":\"User\",\"namespace\":\"io.kafkube.test\",\"fields\":[]}"));
    assertThat(a.status()).isEqualTo(409);
  }

  @Test
  void lookupFindsTheVersionOrAnswers40401And40403() {
    String s = subject();
    int id = register(s, USER_V1);
    Answer found = http.post("/subjects/" + s, RegistryHttp.schemaBody(USER_V1_RESHUFFLED));
    assertThat(found.status()).isEqualTo(200);
    JsonObject json = found.json();
    assertThat(json.getString("subject")).isEqualTo(s);
    assertThat(json.getInteger("id")).isEqualTo(id);
    assertThat(json.getInteger("version")).isEqualTo(1);
    assertThat(new org.apache.avro.Schema.Parser().parse(json.getString("schema")).getFullName())
        .isEqualTo("io.kafkube.test.User");
    assertThat(json.containsKey("schemaType")).as("omitted for AVRO, as Confluent does").isFalse();

    Answer noSchema = http.post("/subjects/" + s, RegistryHttp.schemaBody(USER_V2));
    assertThat(noSchema.status()).isEqualTo(404);
    assertThat(noSchema.errorCode()).isEqualTo(40403);
    Answer noSubject = http.post("/subjects/nope-" + s, RegistryHttp.schemaBody(USER_V1));
    assertThat(noSubject.status()).isEqualTo(404);
    assertThat(noSubject.errorCode()).isEqualTo(40401);
  }

  @Test
  void schemasByIdAndTypes() {
    String s = subject();
    int id = register(s, USER_V1_RESHUFFLED);
    Answer a = http.get("/schemas/ids/" + id);
    assertThat(a.status()).isEqualTo(200);
    assertThat(a.json().fieldNames()).containsExactly("schema");
    assertThat(a.json().getString("schema")).isEqualTo(new org.apache.avro.Schema.Parser().parse(USER_V1).toString());
    assertThat(new JsonObject(http.get("/schemas/ids/" + id + "/schema").body()).getString("name")).isEqualTo("User");
    assertThat(http.get("/schemas/types").array()).containsExactly("AVRO");
    Answer missing = http.get("/schemas/ids/999999");
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.errorCode()).isEqualTo(40403);
    assertThat(http.get("/schemas/ids/999999/versions").errorCode()).isEqualTo(40403);
  }

  @Test
  void subjectsAndVersions() {
    String s = subject();
    int id1 = register(s, USER_V1);
    int id2 = register(s, USER_V2);
    assertThat(http.get("/subjects").array()).contains(s);
    assertThat(http.get("/subjects?subjectPrefix=" + s).array()).containsExactly(s);
    JsonObject v1 = http.get("/subjects/" + s + "/versions/1").json();
    assertThat(v1.getString("subject")).isEqualTo(s);
    assertThat(v1.getInteger("version")).isEqualTo(1);
    assertThat(v1.getInteger("id")).isEqualTo(id1);
    for (String latest : new String[] {"latest", "-1", "2"}) {
      JsonObject v = http.get("/subjects/" + s + "/versions/" + latest).json();
      assertThat(v.getInteger("version")).as(latest).isEqualTo(2);
      assertThat(v.getInteger("id")).isEqualTo(id2);
    }
    Answer raw = http.get("/subjects/" + s + "/versions/latest/schema");
    assertThat(new JsonObject(raw.body()).getJsonArray("fields")).hasSize(2);
    assertThat(http.get("/subjects/" + s + "/versions/1/referencedby").array()).isEmpty();

    Answer noVersion = http.get("/subjects/" + s + "/versions/3");
    assertThat(noVersion.status()).isEqualTo(404);
    assertThat(noVersion.errorCode()).isEqualTo(40402);
    for (String bad : new String[] {"0", "-2", "abc", "99999999999"}) {
      Answer invalid = http.get("/subjects/" + s + "/versions/" + bad);
      assertThat(invalid.status()).as(bad).isEqualTo(422);
      assertThat(invalid.errorCode()).as(bad).isEqualTo(42202);
    }
    Answer noSubject = http.get("/subjects/missing-" + s + "/versions");
    assertThat(noSubject.status()).isEqualTo(404);
    assertThat(noSubject.errorCode()).isEqualTo(40401);
    assertThat(http.get("/subjects/missing-" + s + "/versions/latest").errorCode()).isEqualTo(40401);
  }

  @Test
  void softAndPermanentDeleteOfVersions() {
    String s = subject();
    int id1 = register(s, USER_V1.replace("\"User\"", "\"Only" + SUBJECTS.get() + "\""));
    register(s, USER_V2.replace("\"User\"", "\"Only" + SUBJECTS.get() + "\""));
    assertThat(http.delete("/subjects/" + s + "/versions/1?permanent=true").errorCode()).isEqualTo(40407);
    assertThat(http.delete("/subjects/" + s + "/versions/1").body()).isEqualTo("1");
    assertThat(http.delete("/subjects/" + s + "/versions/1").errorCode()).isEqualTo(40406);
    assertThat(http.get("/subjects/" + s + "/versions").array()).containsExactly(2);
    assertThat(http.get("/subjects/" + s + "/versions?deleted=true").array()).containsExactly(1, 2);
    assertThat(http.get("/subjects/" + s + "/versions/1").errorCode()).isEqualTo(40402);
    Answer deleted = http.get("/subjects/" + s + "/versions/1?deleted=true");
    assertThat(deleted.json().getInteger("id")).as(deleted.toString()).isEqualTo(id1);
    assertThat(http.get("/schemas/ids/" + id1).status()).as("soft-deleted ids still resolve").isEqualTo(200);

    assertThat(http.delete("/subjects/" + s + "/versions/1?permanent=true").body()).isEqualTo("1");
    assertThat(http.get("/subjects/" + s + "/versions?deleted=true").array()).containsExactly(2);
    assertThat(http.get("/schemas/ids/" + id1).errorCode()).isEqualTo(40403);
    assertThat(http.delete("/subjects/" + s + "/versions/9").errorCode()).isEqualTo(40402);
    assertThat(http.delete("/subjects/" + s + "/versions/zero").errorCode()).isEqualTo(42202);
    assertThat(http.delete("/subjects/missing-" + s + "/versions/1").errorCode()).isEqualTo(40401);
    assertThat(http.delete("/subjects/" + s + "/versions/latest").body()).isEqualTo("2");
  }

  @Test
  void softAndPermanentDeleteOfSubjects() {
    String s = subject();
    int id = register(s, USER_V1);
    register(s, USER_V2);
    assertThat(http.delete("/subjects/" + s + "?permanent=true").errorCode()).isEqualTo(40405);
    Answer soft = http.delete("/subjects/" + s);
    assertThat(soft.status()).isEqualTo(200);
    assertThat(soft.array()).containsExactly(1, 2);
    assertThat(http.get("/subjects").array()).doesNotContain(s);
    assertThat(http.get("/subjects?deleted=true").array()).contains(s);
    assertThat(http.get("/subjects/" + s + "/versions").errorCode()).isEqualTo(40401);
    assertThat(http.delete("/subjects/" + s).errorCode()).isEqualTo(40404);

    // Re-registering after a soft delete continues the version numbers and keeps the id.
    assertThat(register(s, USER_V1)).isEqualTo(id);
    assertThat(http.get("/subjects/" + s + "/versions").array()).containsExactly(3);
    http.delete("/subjects/" + s);

    Answer hard = http.delete("/subjects/" + s + "?permanent=true");
    assertThat(hard.array()).containsExactly(1, 2, 3);
    assertThat(http.get("/subjects?deleted=true").array()).doesNotContain(s);
    assertThat(http.delete("/subjects/" + s).errorCode()).isEqualTo(40401);
  }

  @Test
  void idsAreNeverReusedAfterPermanentDeletes() {
    String s = subject();
    String fresh = "{\"type\":\"record\",\"name\":\"Fresh" + SUBJECTS.get() + "\",\"fields\":[]}";
    int id = register(s, fresh);
    http.delete("/subjects/" + s);
    http.delete("/subjects/" + s + "?permanent=true");
    assertThat(http.get("/schemas/ids/" + id).errorCode()).isEqualTo(40403);
    int again = register(s, fresh);
    assertThat(again).isGreaterThan(id);
    assertThat(http.get("/subjects/" + s + "/versions").array()).containsExactly(1);
  }

  @Test
  void globalAndSubjectConfig() {
    String s = subject();
    register(s, USER_V1);
    assertThat(http.get("/config").json()).isEqualTo(new JsonObject().put("compatibilityLevel", "BACKWARD"));
    Answer notConfigured = http.get("/config/" + s);
    assertThat(notConfigured.status()).isEqualTo(404);
    assertThat(notConfigured.errorCode()).isEqualTo(40408);
    assertThat(http.get("/config/" + s + "?defaultToGlobal=true").json())
        .isEqualTo(new JsonObject().put("compatibilityLevel", "BACKWARD"));

    assertThat(http.put("/config/" + s, new JsonObject().put("compatibility", "full_transitive")).json())
        .isEqualTo(new JsonObject().put("compatibility", "FULL_TRANSITIVE"));
    assertThat(http.get("/config/" + s).json()).isEqualTo(new JsonObject().put("compatibilityLevel", "FULL_TRANSITIVE"));
    Answer bad = http.put("/config/" + s, new JsonObject().put("compatibility", "SIDEWAYS"));
    assertThat(bad.status()).isEqualTo(422);
    assertThat(bad.errorCode()).isEqualTo(42203);
    assertThat(http.delete("/config/" + s).json()).isEqualTo(new JsonObject().put("compatibilityLevel", "FULL_TRANSITIVE"));
    assertThat(http.get("/config/" + s).errorCode()).isEqualTo(40408);
    assertThat(http.delete("/config/missing-" + s).errorCode()).isEqualTo(40401);

    for (String level : new String[] {"NONE", "BACKWARD", "BACKWARD_TRANSITIVE", "FORWARD", "FORWARD_TRANSITIVE",
        "FULL", "FULL_TRANSITIVE"}) {
      assertThat(http.put("/config", new JsonObject().put("compatibility", level)).json().getString("compatibility"))
          .isEqualTo(level);
      assertThat(http.get("/config").json().getString("compatibilityLevel")).isEqualTo(level);
    }
    assertThat(http.delete("/config").json().getString("compatibilityLevel")).isEqualTo("FULL_TRANSITIVE");
    assertThat(http.get("/config").json().getString("compatibilityLevel")).isEqualTo("BACKWARD");
  }

  @Test
  void modeAndErrorsForUnknownRoutes() {
    assertThat(http.get("/mode").json()).isEqualTo(new JsonObject().put("mode", "READWRITE"));
    assertThat(http.put("/mode", new JsonObject().put("mode", "READONLY")).errorCode()).isEqualTo(42204);
    Answer nowhere = http.get("/nowhere");
    assertThat(nowhere.status()).isEqualTo(404);
    assertThat(nowhere.errorCode()).isEqualTo(404);
    assertThat(http.get("/").json()).isEqualTo(new JsonObject());
  }
}
