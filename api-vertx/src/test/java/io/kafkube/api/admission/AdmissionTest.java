package io.kafkube.api.admission;

import static org.assertj.core.api.Assertions.assertThat;

import io.kafkube.api.ApiServer;
import io.kafkube.api.Http;
import io.kafkube.api.TestCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Admission on a real broker and store, through two API servers of one cluster: Service ClusterIPs
 * and NodePorts (allocated, requested, refused when taken even under concurrent creates on both
 * instances, kept on update, released on delete) and pod priorities from PriorityClasses.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class AdmissionTest {
  private static final String SVCS = "/api/v1/namespaces/default/services";
  private static final String PODS = "/api/v1/namespaces/default/pods";
  @TempDir
  static Path dir;
  static TestCluster cluster;
  static ApiServer second;
  static Http api;
  static Http api2;

  @BeforeAll
  static void start() throws Exception {
    cluster = TestCluster.start(dir);
    second = cluster.startSecondApi(dir, 0);
    api = new Http(cluster.api.insecureUrl(), cluster.api.adminToken());
    api2 = new Http(second.insecureUrl(), cluster.api.adminToken());
  }

  @AfterAll
  static void stop() {
    if (second != null) {
      second.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  /** An address of the Service range that no Service holds: other tests of this class are given random ones. */
  static String freeAddress() throws Exception {
    Set<String> held = new HashSet<>();
    for (var svc : api.get("/api/v1/services").body().path("items")) {
      held.add(svc.path("spec").path("clusterIP").asText());
    }
    int last = 9;
    while (held.contains("127.1.201." + last)) {
      last++;
    }
    return "127.1.201." + last;
  }

  /** A node port that no Service holds: other tests of this class are given random ones (about thirty). */
  static int freeNodePort() throws Exception {
    Set<Integer> held = new HashSet<>();
    for (var svc : api.get("/api/v1/services").body().path("items")) {
      svc.path("spec").path("ports").forEach(p -> held.add(p.path("nodePort").asInt()));
    }
    int port = 31999;
    while (held.contains(port)) {
      port--;
    }
    return port;
  }

  static String svc(String name, String spec) {
    return "{'apiVersion':'v1','kind':'Service','metadata':{'name':'" + name + "'},'spec':{'selector':{'app':'"
        + name + "'},'ports':[{'port':80}]" + spec + "}}";
  }

  static String pod(String name, String spec) {
    return "{'apiVersion':'v1','kind':'Pod','metadata':{'name':'" + name + "'},'spec':{'containers':[{'name':'c',"
        + "'image':'busybox'}]" + spec + "}}";
  }

  @Test
  void clusterIpComesFromTheLoopbackRange() throws Exception {
    Http.Reply r = api.post(SVCS, svc("auto", ""));
    assertThat(r.code()).as(r.raw()).isEqualTo(201);
    String ip = r.body().path("spec").path("clusterIP").asText();
    assertThat(ip).startsWith("127.1.");
    assertThat(r.body().path("spec").path("clusterIPs").path(0).asText()).isEqualTo(ip);
    assertThat(api.get(SVCS + "/auto").body().path("spec").path("clusterIP").asText()).isEqualTo(ip);
  }

  @Test
  void aRequestedIpIsHonoredOnceThenRefused() throws Exception {
    String free = freeAddress();
    Http.Reply r = api.post(SVCS, svc("wanted", ",'clusterIP':'" + free + "'"));
    assertThat(r.code()).as(r.raw()).isEqualTo(201);
    assertThat(r.body().path("spec").path("clusterIP").asText()).isEqualTo(free);
    Http.Reply taken = api2.post(SVCS, svc("wanted-too", ",'clusterIP':'" + free + "'"));
    assertThat(taken.code()).as(taken.raw()).isEqualTo(422);
    assertThat(taken.body().path("reason").asText()).isEqualTo("Invalid");
    assertThat(taken.causeField(0)).isEqualTo("spec.clusterIPs");
    assertThat(taken.body().path("message").asText()).isEqualTo("The Service \"wanted-too\" is invalid: spec.clusterIPs: "
        + "Invalid value: []string{\"" + free + "\"}: failed to allocate IP " + free + ": provided IP is already allocated");
    assertThat(api.get(SVCS + "/wanted-too").code()).isEqualTo(404);

    Http.Reply outside = api.post(SVCS, svc("outside", ",'clusterIP':'10.96.0.10'"));
    assertThat(outside.code()).isEqualTo(422);
    assertThat(outside.causeField(0)).isEqualTo("spec.clusterIPs");
    assertThat(outside.body().path("message").asText()).contains("is not in the valid range")
        .contains("127.1.0.0/16");
  }

  @Test
  void headlessServicesGetNoAddress() throws Exception {
    Http.Reply r = api.post(SVCS, svc("headless", ",'clusterIP':'None'"));
    assertThat(r.code()).as(r.raw()).isEqualTo(201);
    assertThat(r.body().path("spec").path("clusterIP").asText()).isEqualTo("None");
  }

  @Test
  void nodePortsAreAllocatedRequestedAndRefused() throws Exception {
    Http.Reply auto = api.post(SVCS, svc("np-auto", ",'type':'NodePort'"));
    assertThat(auto.code()).as(auto.raw()).isEqualTo(201);
    int port = auto.body().path("spec").path("ports").path(0).path("nodePort").asInt();
    assertThat(port).isBetween(30000, 32767);

    String fixed = "{'apiVersion':'v1','kind':'Service','metadata':{'name':'NAME'},'spec':{'type':'NodePort',"
        + "'selector':{'app':'x'},'ports':[{'port':80,'nodePort':PORT}]}}";
    int free = freeNodePort();
    Http.Reply wanted = api.post(SVCS, fixed.replace("NAME", "np-fixed").replace("PORT", "" + free));
    assertThat(wanted.code()).as(wanted.raw()).isEqualTo(201);
    assertThat(wanted.body().path("spec").path("ports").path(0).path("nodePort").asInt()).isEqualTo(free);
    Http.Reply taken = api2.post(SVCS, fixed.replace("NAME", "np-taken").replace("PORT", "" + free));
    assertThat(taken.code()).as(taken.raw()).isEqualTo(422);
    assertThat(taken.causeField(0)).isEqualTo("spec.ports[0].nodePort");
    assertThat(taken.body().path("message").asText()).isEqualTo("The Service \"np-taken\" is invalid: "
        + "spec.ports[0].nodePort: Invalid value: " + free + ": provided port is already allocated");
    Http.Reply low = api.post(SVCS, fixed.replace("NAME", "np-low").replace("PORT", "8080"));
    assertThat(low.code()).isEqualTo(422);
    assertThat(low.body().path("message").asText()).contains("provided port is not in the valid range")
        .contains("30000-32767");
    // a refused create gives back the address it was given first
    assertThat(api.get(SVCS + "/np-taken").code()).isEqualTo(404);
  }

  @Test
  void updatesKeepTheAddressAndPorts() throws Exception {
    Http.Reply created = api.post(SVCS, svc("keep", ",'type':'NodePort'"));
    assertThat(created.code()).as(created.raw()).isEqualTo(201);
    String ip = created.body().path("spec").path("clusterIP").asText();
    int port = created.body().path("spec").path("ports").path(0).path("nodePort").asInt();
    String rv = created.body().path("metadata").path("resourceVersion").asText();
    Http.Reply updated = api2.put(SVCS + "/keep", "{'apiVersion':'v1','kind':'Service','metadata':{'name':'keep',"
        + "'resourceVersion':'" + rv + "','labels':{'changed':'yes'}},'spec':{'type':'NodePort','selector':{'app':'keep'},"
        + "'ports':[{'port':80}]}}");
    assertThat(updated.code()).as(updated.raw()).isEqualTo(200);
    assertThat(updated.body().path("spec").path("clusterIP").asText()).isEqualTo(ip);
    assertThat(updated.body().path("spec").path("ports").path(0).path("nodePort").asInt()).isEqualTo(port);
    assertThat(updated.body().path("metadata").path("labels").path("changed").asText()).isEqualTo("yes");
  }

  @Test
  void aPatchToNodePortClaimsAPortAndCannotTakeAnother() throws Exception {
    Http.Reply created = api.post(SVCS, svc("patched", ""));
    assertThat(created.code()).as(created.raw()).isEqualTo(201);
    String ip = created.body().path("spec").path("clusterIP").asText();
    Http.Reply patched = api.call("PATCH", SVCS + "/patched", "application/merge-patch+json",
        "{'spec':{'type':'NodePort'}}");
    assertThat(patched.code()).as(patched.raw()).isEqualTo(200);
    assertThat(patched.body().path("spec").path("clusterIP").asText()).isEqualTo(ip);
    int port = patched.body().path("spec").path("ports").path(0).path("nodePort").asInt();
    assertThat(port).isBetween(30000, 32767);

    Http.Reply other = api.post(SVCS, svc("patched-other", ",'type':'NodePort'"));
    assertThat(other.code()).as(other.raw()).isEqualTo(201);
    Http.Reply steal = api2.call("PATCH", SVCS + "/patched-other", "application/strategic-merge-patch+json",
        "{'spec':{'ports':[{'port':80,'nodePort':" + port + "}]}}");
    assertThat(steal.code()).as(steal.raw()).isEqualTo(422);
    assertThat(steal.body().path("message").asText()).contains("provided port is already allocated");
  }

  @Test
  void deleteReleasesTheAddressAndPort() throws Exception {
    String ip = freeAddress();
    int port = freeNodePort();
    String body = "{'apiVersion':'v1','kind':'Service','metadata':{'name':'NAME'},'spec':{'type':'NodePort',"
        + "'clusterIP':'" + ip + "','selector':{'app':'x'},'ports':[{'port':80,'nodePort':" + port + "}]}}";
    Http.Reply first = api.post(SVCS, body.replace("NAME", "first"));
    assertThat(first.code()).as(first.raw()).isEqualTo(201);
    Http.Reply second = api.post(SVCS, body.replace("NAME", "second"));
    assertThat(second.code()).as(second.raw()).isEqualTo(422);
    assertThat(api.delete(SVCS + "/first").code()).isEqualTo(200);
    // the release follows the delete's reply asynchronously
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
        .untilAsserted(() -> {
          Http.Reply again = api2.post(SVCS, body.replace("NAME", "second"));
          assertThat(again.code()).as(again.raw()).isEqualTo(201);
          assertThat(again.body().path("spec").path("clusterIP").asText()).isEqualTo(ip);
        });
  }

  @Test
  void concurrentCreatesOnTwoInstancesNeverShareAnAddress() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Http.Reply>> same = new ArrayList<>();
      String free = freeAddress();
      for (int i = 0; i < 12; i++) {
        Http h = i % 2 == 0 ? api : api2;
        String name = "race-" + i;
        same.add(pool.submit((Callable<Http.Reply>) () -> h.post(SVCS, svc(name, ",'clusterIP':'" + free + "'"))));
      }
      int won = 0;
      for (Future<Http.Reply> f : same) {
        Http.Reply r = f.get(60, TimeUnit.SECONDS);
        if (r.code() == 201) {
          won++;
        } else {
          assertThat(r.code()).as(r.raw()).isEqualTo(422);
          assertThat(r.body().path("message").asText()).contains("provided IP is already allocated");
        }
      }
      assertThat(won).isEqualTo(1);

      List<Future<Http.Reply>> auto = new ArrayList<>();
      for (int i = 0; i < 24; i++) {
        Http h = i % 2 == 0 ? api : api2;
        String name = "many-" + i;
        auto.add(pool.submit((Callable<Http.Reply>) () -> h.post(SVCS, svc(name, ",'type':'NodePort'"))));
      }
      Set<String> ips = new HashSet<>();
      Set<Integer> ports = new HashSet<>();
      for (Future<Http.Reply> f : auto) {
        Http.Reply r = f.get(60, TimeUnit.SECONDS);
        assertThat(r.code()).as(r.raw()).isEqualTo(201);
        assertThat(ips.add(r.body().path("spec").path("clusterIP").asText())).isTrue();
        assertThat(ports.add(r.body().path("spec").path("ports").path(0).path("nodePort").asInt())).isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  // ---- ServiceAccount

  @Test
  void aPodWithoutAServiceAccountRunsAsTheDefaultOneAndANamedOneIsKept() throws Exception {
    Http.Reply plain = api.post(PODS, pod("sa-none", ""));
    assertThat(plain.code()).as(plain.raw()).isEqualTo(201);
    assertThat(plain.body().path("spec").path("serviceAccountName").asText()).isEqualTo("default");
    assertThat(api.get(PODS + "/sa-none").body().path("spec").path("serviceAccountName").asText())
        .as("stored so").isEqualTo("default");

    Http.Reply named = api.post(PODS, pod("sa-named", ",'serviceAccountName':'builder'"));
    assertThat(named.code()).as(named.raw()).isEqualTo(201);
    assertThat(named.body().path("spec").path("serviceAccountName").asText()).isEqualTo("builder");

    Http.Reply deprecated = api2.post(PODS, pod("sa-old", ",'serviceAccount':'legacy'"));
    assertThat(deprecated.code()).as(deprecated.raw()).isEqualTo(201);
    assertThat(deprecated.body().path("spec").path("serviceAccountName").asText())
        .as("the deprecated field names it when the name is empty, as kube's conversion reads it").isEqualTo("legacy");
    assertThat(deprecated.body().path("spec").path("serviceAccount").asText()).isEqualTo("legacy");

    Http.Reply dry = api.post(PODS + "?dryRun=All", pod("sa-dry", ""));
    assertThat(dry.code()).as(dry.raw()).isEqualTo(201);
    assertThat(dry.body().path("spec").path("serviceAccountName").asText()).isEqualTo("default");
    assertThat(api.get(PODS + "/sa-dry").code()).isEqualTo(404);
  }

  // ---- priority

  @Test
  void systemClassesExistAndResolve() throws Exception {
    Http.Reply pc = api.get("/apis/scheduling.k8s.io/v1/priorityclasses/system-node-critical");
    assertThat(pc.code()).as(pc.raw()).isEqualTo(200);
    assertThat(pc.body().path("value").asLong()).isEqualTo(2_000_001_000L);
    Http.Reply p = api.post(PODS, pod("critical", ",'priorityClassName':'system-cluster-critical'"));
    assertThat(p.code()).as(p.raw()).isEqualTo(201);
    assertThat(p.body().path("spec").path("priority").asLong()).isEqualTo(2_000_000_000L);
    assertThat(p.body().path("spec").path("preemptionPolicy").asText()).isEqualTo("PreemptLowerPriority");
  }

  @Test
  void aClassSetsPriorityAndPreemptionPolicy() throws Exception {
    Http.Reply pc = api.post("/apis/scheduling.k8s.io/v1/priorityclasses", "{'apiVersion':'scheduling.k8s.io/v1',"
        + "'kind':'PriorityClass','metadata':{'name':'batch-low'},'value':1000,'preemptionPolicy':'Never'}");
    assertThat(pc.code()).as(pc.raw()).isEqualTo(201);
    // the other instance may not have seen the class yet: it reads through before refusing
    Http.Reply p = api2.post(PODS, pod("batch", ",'priorityClassName':'batch-low'"));
    assertThat(p.code()).as(p.raw()).isEqualTo(201);
    assertThat(p.body().path("spec").path("priority").asInt()).isEqualTo(1000);
    assertThat(p.body().path("spec").path("preemptionPolicy").asText()).isEqualTo("Never");
  }

  @Test
  void unknownClassesAndDirectPrioritiesAreForbidden() throws Exception {
    Http.Reply unknown = api.post(PODS, pod("lost", ",'priorityClassName':'nope'"));
    assertThat(unknown.code()).as(unknown.raw()).isEqualTo(403);
    assertThat(unknown.body().path("reason").asText()).isEqualTo("Forbidden");
    assertThat(unknown.body().path("message").asText())
        .isEqualTo("pods \"lost\" is forbidden: no PriorityClass with name nope was found");
    assertThat(api.get(PODS + "/lost").code()).isEqualTo(404);

    Http.Reply direct = api.post(PODS, pod("direct", ",'priority':5"));
    assertThat(direct.code()).as(direct.raw()).isEqualTo(403);
    assertThat(direct.body().path("message").asText()).isEqualTo("pods \"direct\" is forbidden: the integer value "
        + "of priority (5) must not be provided in pod spec; priority admission controller computed 0 from the given "
        + "PriorityClass name");
    assertThat(api.get(PODS + "/direct").code()).isEqualTo(404);

    Http.Reply plain = api.post(PODS, pod("plain", ""));
    assertThat(plain.code()).as(plain.raw()).isEqualTo(201);
    assertThat(plain.body().path("spec").path("priority").asInt()).isZero();
  }

  @Test
  void theGlobalDefaultClassAppliesWhenNoneIsNamed() throws Exception {
    String path = "/apis/scheduling.k8s.io/v1/priorityclasses";
    Http.Reply pc = api.post(path, "{'apiVersion':'scheduling.k8s.io/v1','kind':'PriorityClass',"
        + "'metadata':{'name':'everyone'},'value':77,'globalDefault':true}");
    assertThat(pc.code()).as(pc.raw()).isEqualTo(201);
    try {
      // like kube's informer, the default class is looked up in the view: wait until it has it
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20))
          .until(() -> api.get(path + "/everyone?resourceVersion=0").code() == 200);
      Http.Reply p = api.post(PODS, pod("defaulted", ""));
      assertThat(p.code()).as(p.raw()).isEqualTo(201);
      assertThat(p.body().path("spec").path("priority").asInt()).isEqualTo(77);
      assertThat(p.body().path("spec").path("priorityClassName").asText()).isEqualTo("everyone");
    } finally {
      assertThat(api.delete(path + "/everyone").code()).isEqualTo(200);
    }
  }
}
