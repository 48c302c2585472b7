package io.kafkube.registry.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kafkube.kafka.embedded.EmbeddedKafka;
import io.kafkube.registry.server.RegistryHttp.Answer;
import io.vertx.core.json.JsonArray;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Restarts, several instances on one topic, writer fail-over: state survives and ids stay unique. */
@Timeout(180)
class RegistryClusterTest {
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

  static String schema(String name) {
    return "{\"type\":\"record\",\"name\":\"" + name + "\",\"fields\":[{\"name\":\"f\",\"type\":\"long\"}]}";
  }

  static int register(RegistryHttp http, String subject, String schema) {
    Answer a = http.post("/subjects/" + subject + "/versions", RegistryHttp.schemaBody(schema));
    assertThat(a.status()).as(a.toString()).isEqualTo(200);
    return a.json().getInteger("id");
  }

  static SchemaRegistryServer leaderOf(SchemaRegistryServer... servers) {
    for (SchemaRegistryServer s : servers) {
      if (s.isLeader()) {
        return s;
      }
    }
    return null;
  }

  @Test
  void restartRebuildsSubjectsVersionsAndIdsFromTheTopic() throws Exception {
    String topic = TestBroker.freshTopic();
    Map<String, Integer> ids = new HashMap<>();
    JsonArray subjectsBefore;
    try (SchemaRegistryServer first = TestBroker.startRegistry(kafka, topic)) {
      RegistryHttp http = new RegistryHttp(first.url());
      for (int i = 0; i < 5; i++) {
        ids.put("s" + i, register(http, "s" + i + "-value", schema("R" + i)));
      }
      http.put("/config/s0-value", new io.vertx.core.json.JsonObject().put("compatibility", "NONE"));
      http.delete("/subjects/s4-value");
      http.delete("/subjects/s4-value?permanent=true");
      subjectsBefore = http.get("/subjects").array();
    }
    try (SchemaRegistryServer second = TestBroker.startRegistry(kafka, topic)) {
      RegistryHttp http = new RegistryHttp(second.url());
      assertThat(http.get("/subjects").array()).isEqualTo(subjectsBefore).hasSize(4);
      for (int i = 0; i < 4; i++) {
        assertThat(http.get("/subjects/s" + i + "-value/versions/latest").json().getInteger("id"))
            .isEqualTo(ids.get("s" + i));
        assertThat(register(http, "s" + i + "-value", schema("R" + i))).isEqualTo(ids.get("s" + i));
      }
      assertThat(http.get("/config/s0-value").json().getString("compatibilityLevel")).isEqualTo("NONE");
      int max = ids.values().stream().mapToInt(Integer::intValue).max().orElseThrow();
      // The highest id belonged to the permanently deleted subject: it is not handed out again.
      assertThat(ids.get("s4")).isEqualTo(max);
      assertThat(register(http, "s4-value", schema("R4"))).isGreaterThan(max);
      assertThat(register(http, "new-value", schema("New"))).isGreaterThan(max + 1);
    }
  }

  @Test
  void twoInstancesElectOneWriterAndForwardWrites() throws Exception {
    String topic = TestBroker.freshTopic();
    SchemaRegistryServer a = TestBroker.startRegistry(kafka, topic);
    SchemaRegistryServer b = TestBroker.startRegistry(kafka, topic);
    SchemaRegistryServer c = null;
    try {
      await().atMost(Duration.ofSeconds(30)).until(() -> leaderOf(a, b) != null);
      await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(10))
          .until(() -> a.isLeader() ^ b.isLeader());
      List<RegistryHttp> clients = List.of(new RegistryHttp(a.url()), new RegistryHttp(b.url()));

      // Different record names share subjects here: no compatibility rule (written through either).
      assertThat(clients.get(1).put("/config", new io.vertx.core.json.JsonObject().put("compatibility", "NONE"))
          .status()).isEqualTo(200);
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
          assertThat(clients.get(0).get("/config").json().getString("compatibilityLevel")).isEqualTo("NONE"));
      // Concurrent writes through both: distinct schemas get distinct ids, equal schemas equal ids.
      Map<String, Set<Integer>> idsBySchema = new ConcurrentHashMap<>();
      ExecutorService pool = Executors.newFixedThreadPool(8);
      List<Future<?>> futures = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        int n = i;
        futures.add(pool.submit(() -> {
          RegistryHttp http = clients.get(n % 2);
          String name = "C" + (n % 20);
          int id = register(http, "c" + (n % 7) + "-value", schema(name));
          idsBySchema.computeIfAbsent(name, k -> ConcurrentHashMap.newKeySet()).add(id);
          // read-your-writes on the instance that answered, writer or not
          assertThat(http.get("/schemas/ids/" + id).status()).isEqualTo(200);
        }));
      }
      for (Future<?> f : futures) {
        f.get(60, TimeUnit.SECONDS);
      }
      pool.shutdown();
      assertThat(idsBySchema).hasSize(20);
      Set<Integer> all = new HashSet<>();
      idsBySchema.forEach((name, ids) -> {
        assertThat(ids).as(name).hasSize(1);
        all.addAll(ids);
      });
      assertThat(all).as("no id shared by two schemas").hasSize(20);

      // Both views agree.
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
        assertThat(clients.get(0).get("/subjects").body()).isEqualTo(clients.get(1).get("/subjects").body());
        for (int s = 0; s < 7; s++) {
          assertThat(clients.get(0).get("/subjects/c" + s + "-value/versions").body())
              .isEqualTo(clients.get(1).get("/subjects/c" + s + "-value/versions").body());
        }
      });

      // A write through the non-writer is forwarded and readable there at once.
      SchemaRegistryServer follower = a.isLeader() ? b : a;
      RegistryHttp followerHttp = new RegistryHttp(follower.url());
      int viaFollower = register(followerHttp, "forwarded-value", schema("Forwarded"));
      assertThat(followerHttp.get("/subjects/forwarded-value/versions/latest").json().getInteger("id"))
          .isEqualTo(viaFollower);
      assertThat(followerHttp.post("/subjects/forwarded-value/versions", RegistryHttp.schemaBody("{\"type\":\"nope\"}"))
          .errorCode()).as("errors of the writer are relayed").isEqualTo(42201);

      // The writer leaves: the other instance takes over and keeps allocating fresh ids.
      SchemaRegistryServer leader = leaderOf(a, b);
      leader.close();
      await().atMost(Duration.ofSeconds(30)).until(follower::isLeader);
      int afterFailover = register(followerHttp, "after-value", schema("After"));
      assertThat(afterFailover).isGreaterThan(all.stream().mapToInt(Integer::intValue).max().orElseThrow())
          .isGreaterThan(viaFollower);

      // A newcomer does not take the writer role away, and writes through it still work.
      c = TestBroker.startRegistry(kafka, topic);
      RegistryHttp newcomer = new RegistryHttp(c.url());
      int viaNewcomer = register(newcomer, "newcomer-value", schema("Newcomer"));
      assertThat(viaNewcomer).isGreaterThan(afterFailover);
      assertThat(follower.isLeader()).isTrue();
      assertThat(c.isLeader()).isFalse();
      assertThat(newcomer.get("/schemas/ids/" + viaFollower).status()).isEqualTo(200);
    } finally {
      a.close();
      b.close();
      if (c != null) {
        c.close();
      }
    }
  }
}
