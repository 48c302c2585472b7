package io.kafkube.api.history;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.kafkube.api.Http;
import io.kafkube.api.TestCluster;
import io.kafkube.api.view.KeyPage;
import io.kafkube.api.view.Position;
import io.kafkube.api.view.StateView;
import io.kafkube.api.view.ViewEvent;
import io.kafkube.schemas.meta.Meta;
import io.kafkube.schemas.resource.ResourceType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Paginated LISTs at a past point ({@code resourceVersionMatch=Exact} with {@code limit} and
 * {@code continue}) on a real broker and store: every page is the state at that point (not the
 * current one), the continue token carries the point, and the pages after the first, like a LIST at
 * a later point, do not read history from its start again.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class TimeTravelPagingTest {
  private static final String CMS = "/api/v1/namespaces/default/configmaps";
  private static final String SELECT = "?labelSelector=pg%3Dyes";
  @TempDir
  static Path dir;
  static TestCluster cluster;
  static Http api;
  static String before;
  static String after;
  static long p1Revision;

  static String cm(String name, String value, String rv) {
    return "{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'" + name + "','labels':{'pg':'yes'}"
        + (rv == null ? "" : ",'resourceVersion':'" + rv + "'") + "},'data':{'v':'" + value + "'}}";
  }

  @BeforeAll
  static void start() throws Exception {
    cluster = TestCluster.start(dir);
    api = new Http(cluster.api.insecureUrl(), cluster.api.adminToken());
    String p1Rv = null;
    for (int i = 0; i < 7; i++) {
      Http.Reply r = api.post(CMS, cm("p" + i, "old", null));
      assertThat(r.code()).as(r.raw()).isEqualTo(201);
      if (i == 1) {
        p1Rv = r.body().path("metadata").path("resourceVersion").asText();
      }
    }
    before = api.get(CMS + SELECT).body().path("metadata").path("resourceVersion").asText();
    Http.Reply changed = api.put(CMS + "/p1", cm("p1", "new", p1Rv));
    assertThat(changed.code()).as(changed.raw()).isEqualTo(200);
    p1Revision = Long.parseLong(changed.body().path("metadata").path("resourceVersion").asText());
    assertThat(api.delete(CMS + "/p2").code()).isEqualTo(200);
    assertThat(api.post(CMS, cm("p7", "old", null)).code()).isEqualTo(201);
    after = api.get(CMS + SELECT).body().path("metadata").path("resourceVersion").asText();
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  static List<String> items(JsonNode list) {
    List<String> out = new ArrayList<>();
    for (JsonNode i : list.path("items")) {
      out.add(i.path("metadata").path("name").asText() + "=" + i.path("data").path("v").asText());
    }
    return out;
  }

  /** Follows the continue tokens of a LIST from its first page, asserting each page's size and point. */
  static List<String> allPages(String first, String rv, int limit) throws Exception {
    List<String> all = new ArrayList<>();
    Http.Reply page = api.get(first);
    int pages = 0;
    while (true) {
      assertThat(page.code()).as(page.raw()).isEqualTo(200);
      assertThat(page.body().path("metadata").path("resourceVersion").asText()).isEqualTo(rv);
      assertThat(page.body().path("items").size()).isLessThanOrEqualTo(limit);
      all.addAll(items(page.body()));
      pages++;
      String next = page.body().path("metadata").path("continue").asText("");
      if (next.isEmpty()) {
        break;
      }
      page = api.get(CMS + SELECT + "&limit=" + limit + "&continue=" + next);
    }
    assertThat(pages).isEqualTo((all.size() + limit - 1) / limit);
    return all;
  }

  @Test
  void pagesOfAListAtAPastPointAreThatPointsState() throws Exception {
    List<String> then = allPages(CMS + SELECT + "&resourceVersionMatch=Exact&limit=2&resourceVersion=" + before,
        before, 2);
    assertThat(then).containsExactly("p0=old", "p1=old", "p2=old", "p3=old", "p4=old", "p5=old", "p6=old");
    List<String> later = allPages(CMS + SELECT + "&resourceVersionMatch=Exact&limit=3&resourceVersion=" + after,
        after, 3);
    assertThat(later).containsExactly("p0=old", "p1=new", "p3=old", "p4=old", "p5=old", "p6=old", "p7=old");
    // an unfiltered table page, as kubectl asks, counts what is left
    Http.Reply table = api.call("GET", CMS + "?resourceVersionMatch=Exact&limit=5&resourceVersion=" + before,
        null, (byte[]) null);
    assertThat(table.body().path("metadata").path("remainingItemCount").asLong()).isEqualTo(2);
  }

  @Test
  void aContinueWithAResourceVersionIsABadRequest() throws Exception {
    Http.Reply first = api.get(CMS + SELECT + "&resourceVersionMatch=Exact&limit=2&resourceVersion=" + before);
    String next = first.body().path("metadata").path("continue").asText();
    assertThat(next).isNotEmpty();
    Http.Reply both = api.get(CMS + SELECT + "&limit=2&continue=" + next + "&resourceVersion=" + before
        + "&resourceVersionMatch=Exact");
    assertThat(both.code()).as(both.raw()).isEqualTo(400);
    assertThat(both.body().path("message").asText()).contains("specifying resource version is not allowed");
    Http.Reply garbage = api.get(CMS + "?limit=2&continue=" + java.util.Base64.getUrlEncoder()
        .encodeToString("{\"rv\":1}".getBytes(StandardCharsets.UTF_8)));
    assertThat(garbage.code()).isEqualTo(400);
  }

  @Test
  void pagesAreSlicesOfOneRebuiltStateAndLaterPointsReadOnlyTheHistoryBetween() throws Exception {
    TimeTravel tt = new TimeTravel(cluster.bootstrap, cluster.topics, 4);
    ResourceType cms = cluster.api.view().registry().byGroupResource("configmaps").orElseThrow();
    List<String> names = new ArrayList<>();
    KeyPage page = tt.listAt(cms, "default", o -> true, before, null, 3);
    names.addAll(names(page.items()));
    assertThat(page.remaining()).isEqualTo(4);
    long readByFirst = tt.recordsRead();
    while (page.lastKey() != null) {
      page = tt.listAt(cms, "default", o -> true, before, page.lastKey(), 3);
      names.addAll(names(page.items()));
    }
    assertThat(names).containsExactly("p0", "p1", "p2", "p3", "p4", "p5", "p6");
    assertThat(tt.scans()).isEqualTo(1);
    assertThat(tt.recordsRead()).isEqualTo(readByFirst);

    // a later point starts from the kept one: only the history between the two is read
    List<GenericRecord> later = tt.listAt(cms, "default", o -> true, after);
    assertThat(names(later)).containsExactly("p0", "p1", "p3", "p4", "p5", "p6", "p7");
    assertThat(tt.scans()).isEqualTo(2);
    long between = total(after) - total(before);
    assertThat(tt.recordsRead() - readByFirst).isLessThanOrEqualTo(between + 1).isLessThan(total(after));

    // an object's revision: every change with a revision up to it (revisions interleave across
    // partitions), whether rebuilt from a kept state or from the start by a TimeTravel that keeps nothing
    String revision = Long.toString(p1Revision);
    List<GenericRecord> atRevision = tt.listAt(cms, "default", o -> true, revision);
    List<GenericRecord> fresh = new TimeTravel(cluster.bootstrap, cluster.topics, 0)
        .listAt(cms, "default", o -> true, revision);
    assertThat(names(atRevision)).isEqualTo(names(fresh)).contains("p1");
    assertThat(atRevision.stream().filter(o -> Meta.name(o).equals("p1")).findFirst().orElseThrow()
        .get("data").toString()).contains("new");
    assertThat(tt.cachedSnapshots()).isEqualTo(3);
    // a later revision from the kept state at p1's
    long lastRevision = Long.parseLong(api.get(CMS + "/p7").body().path("metadata").path("resourceVersion").asText());
    TimeTravel none = new TimeTravel(cluster.bootstrap, cluster.topics, 0);
    for (long r = p1Revision + 1; r <= lastRevision; r++) {
      assertThat(names(tt.listAt(cms, "default", o -> true, Long.toString(r))))
          .as("at revision %d", r).isEqualTo(names(none.listAt(cms, "default", o -> true, Long.toString(r))));
    }
    assertThat(none.cachedSnapshots()).isZero();
    // other resources are not in any kept state of configmaps
    ResourceType secrets = cluster.api.view().registry().byGroupResource("secrets").orElseThrow();
    assertThat(tt.listAt(secrets, "default", o -> true, before)).isEmpty();
    assertThat(tt.cachedSnapshots()).isEqualTo(4);
    assertThat(names(tt.listAt(cms, "default", o -> true, after))).contains("p7");
  }

  @Test
  void theWatchWindowHoldsAnUpdatedObjectsEarlierVersionOnce() throws Exception {
    StateView view = cluster.api.view();
    view.sync().get(30, TimeUnit.SECONDS);
    ResourceType cms = view.registry().byGroupResource("configmaps").orElseThrow();
    String p1 = cms.key("default", "p1").toString();
    StateView.Subscription s = view.subscribe(cms, "default", o -> true, false, null, 0, e -> { });
    try {
      List<ViewEvent> changes = s.backlog().stream().filter(e -> e.key().equals(p1)).toList();
      assertThat(changes).hasSize(2);
      assertThat(changes.get(0).before()).isNull();
      // the update's "before" is the object the create left in the view, not a second decoding of it
      assertThat(changes.get(1).before()).isSameAs(changes.get(0).after());
      assertThat(changes.get(1).after().get("data").toString()).contains("new");
    } finally {
      s.handle().close();
    }
  }

  static List<String> names(List<GenericRecord> objs) {
    return objs.stream().map(Meta::name).toList();
  }

  static long total(String rv) {
    Position p = Position.decode(rv, TestCluster.PARTITIONS).orElseThrow();
    long n = 0;
    for (int i = 0; i < p.partitions(); i++) {
      n += p.offset(i);
    }
    return n;
  }
}
