package io.kafkube.api.history;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.kafkube.api.Http;
import io.kafkube.api.TestCluster;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * LIST with {@code resourceVersionMatch} on a real broker and store: objects created, changed and
 * deleted, then listed at every resourceVersion seen on the way (object revisions and list
 * resourceVersions) from {@code kafkube.history}; NotOlderThan; kube's errors for bad combinations,
 * a resourceVersion from the future (504) and history whose beginning was removed (410).
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class TimeTravelTest {
  private static final String CMS = "/api/v1/namespaces/default/configmaps";
  private static final String SELECT = "?labelSelector=tt%3Dyes";
  @TempDir
  static Path dir;
  static TestCluster cluster;
  static Http api;

  @BeforeAll
  static void start() throws Exception {
    cluster = TestCluster.start(dir);
    api = new Http(cluster.api.insecureUrl(), cluster.api.adminToken());
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  static String cm(String name, String value, String rv) {
    return "{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'" + name + "','labels':{'tt':'yes'}"
        + (rv == null ? "" : ",'resourceVersion':'" + rv + "'") + "},'data':{'v':'" + value + "'}}";
  }

  /** name=value of each item, in order. */
  static List<String> items(Http.Reply list) {
    List<String> out = new ArrayList<>();
    for (JsonNode i : list.body().path("items")) {
      out.add(i.path("metadata").path("name").asText() + "=" + i.path("data").path("v").asText());
    }
    return out;
  }

  static long rv(Http.Reply r) {
    return Long.parseLong(r.body().path("metadata").path("resourceVersion").asText());
  }

  @Test
  void listsTheStateAtEveryResourceVersion() throws Exception {
    // list resourceVersions are points in time: per history partition, how far the view had read
    Map<String, List<String>> atList = new LinkedHashMap<>();
    Http.Reply a = api.post(CMS, cm("a", "1", null));
    assertThat(a.code()).as(a.raw()).isEqualTo(201);
    Http.Reply list1 = api.get(CMS + SELECT);
    atList.put(list1.body().path("metadata").path("resourceVersion").asText(), List.of("a=1"));

    Http.Reply a2 = api.put(CMS + "/a", cm("a", "2", a.body().path("metadata").path("resourceVersion").asText()));
    assertThat(a2.code()).as(a2.raw()).isEqualTo(200);
    Http.Reply list2 = api.get(CMS + SELECT);
    atList.put(list2.body().path("metadata").path("resourceVersion").asText(), List.of("a=2"));

    Http.Reply b = api.post(CMS, cm("b", "1", null));
    assertThat(b.code()).isEqualTo(201);
    Http.Reply list3 = api.get(CMS + SELECT);
    assertThat(items(list3)).containsExactly("a=2", "b=1");
    atList.put(list3.body().path("metadata").path("resourceVersion").asText(), List.of("a=2", "b=1"));

    Http.Reply gone = api.delete(CMS + "/a");
    assertThat(gone.code()).isEqualTo(200);
    Http.Reply list4 = api.get(CMS + SELECT);
    assertThat(items(list4)).containsExactly("b=1");
    atList.put(list4.body().path("metadata").path("resourceVersion").asText(), List.of("b=1"));

    for (Map.Entry<String, List<String>> e : atList.entrySet()) {
      Http.Reply at = api.get(CMS + SELECT + "&resourceVersionMatch=Exact&resourceVersion=" + e.getKey());
      assertThat(at.code()).as(e.getKey() + ": " + at.raw()).isEqualTo(200);
      assertThat(items(at)).as("at " + e.getKey()).isEqualTo(e.getValue());
      assertThat(at.body().path("metadata").path("resourceVersion").asText()).isEqualTo(e.getKey());
      assertThat(at.body().path("kind").asText()).isEqualTo("ConfigMapList");
    }

    // an object's resourceVersion R: every change with a revision <= R (revisions increase per key and
    // interleave across partitions, so the expectation is computed from the revisions themselves)
    long ra1 = rv(a);
    long ra2 = rv(a2);
    long rb1 = rv(b);
    for (long r : List.of(ra1, ra2, rb1)) {
      List<String> want = new ArrayList<>();
      if (r >= ra2) {
        want.add("a=2");
      } else if (r >= ra1) {
        want.add("a=1");
      }
      if (r >= rb1) {
        want.add("b=1");
      }
      Http.Reply at = api.get(CMS + SELECT + "&resourceVersionMatch=Exact&resourceVersion=" + r);
      assertThat(at.code()).as(at.raw()).isEqualTo(200);
      assertThat(items(at)).as("at revision " + r).isEqualTo(want);
    }

    // across namespaces and one object's exact past
    String firstList = list1.body().path("metadata").path("resourceVersion").asText();
    Http.Reply all = api.get("/api/v1/configmaps" + SELECT + "&resourceVersionMatch=Exact&resourceVersion="
        + firstList);
    assertThat(items(all)).containsExactly("a=1");

    // NotOlderThan an old point: the current state
    String old = list1.body().path("metadata").path("resourceVersion").asText();
    Http.Reply notOlder = api.get(CMS + SELECT + "&resourceVersionMatch=NotOlderThan&resourceVersion=" + old);
    assertThat(notOlder.code()).isEqualTo(200);
    assertThat(items(notOlder)).containsExactly("b=1");

    // from the future
    Http.Reply future = api.get(CMS + "?resourceVersionMatch=Exact&resourceVersion=k1-99999-99999-99999");
    assertThat(future.code()).as(future.raw()).isEqualTo(504);
    assertThat(future.body().path("reason").asText()).isEqualTo("Timeout");
    assertThat(future.body().path("message").asText()).startsWith("Too large resource version");
    assertThat(api.get(CMS + "?resourceVersionMatch=Exact&resourceVersion=999999999").code()).isEqualTo(504);
    Http.Reply notOlderFuture = api.get(CMS + "?resourceVersionMatch=NotOlderThan&resourceVersion=k1-99999-99999-99999");
    assertThat(notOlderFuture.code()).isEqualTo(504);

    // kube's ListOptions validation
    Http.Reply noRv = api.get(CMS + "?resourceVersionMatch=Exact");
    assertThat(noRv.code()).isEqualTo(422);
    assertThat(noRv.causeField(0)).isEqualTo("resourceVersionMatch");
    assertThat(noRv.body().path("message").asText()).contains("resourceVersionMatch is forbidden unless "
        + "resourceVersion is provided");
    assertThat(api.get(CMS + "?resourceVersionMatch=Exact&resourceVersion=0").code()).isEqualTo(422);
    Http.Reply odd = api.get(CMS + "?resourceVersionMatch=Sometimes&resourceVersion=1");
    assertThat(odd.code()).isEqualTo(422);
    assertThat(odd.body().path("message").asText()).contains("Unsupported value: \"Sometimes\"");
    assertThat(api.get(CMS + "?resourceVersionMatch=Exact&resourceVersion=k1-x").code()).isEqualTo(400);

    // history whose beginning is gone cannot rebuild a past state: 410
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrap))) {
      Map<TopicPartition, RecordsToDelete> cut = new LinkedHashMap<>();
      for (int p = 0; p < TestCluster.PARTITIONS; p++) {
        cut.put(new TopicPartition(cluster.topics.history().name(), p), RecordsToDelete.beforeOffset(1));
      }
      admin.deleteRecords(cut).all().get(30, TimeUnit.SECONDS);
    }
    Http.Reply expired = api.get(CMS + SELECT + "&resourceVersionMatch=Exact&resourceVersion=" + old);
    assertThat(expired.code()).as(expired.raw()).isEqualTo(410);
    assertThat(expired.body().path("reason").asText()).isEqualTo("Expired");
  }
}
