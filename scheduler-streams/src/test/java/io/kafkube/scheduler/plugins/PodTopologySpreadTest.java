package io.kafkube.scheduler.plugins;

import static io.kafkube.scheduler.plugins.PodTopologySpread.CONSTRAINTS_NOT_MATCH;
import static io.kafkube.scheduler.plugins.PodTopologySpread.NODE_LABEL_NOT_MATCH;
import static io.kafkube.scheduler.testing.TestCluster.cluster;
import static io.kafkube.scheduler.testing.TestNodes.node;
import static io.kafkube.scheduler.testing.TestPods.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.kafkube.scheduler.framework.LabelSelector;
import io.kafkube.scheduler.framework.Status;
import io.kafkube.scheduler.framework.Workloads;
import io.kafkube.scheduler.testing.TestCluster;
import io.kafkube.scheduler.testing.TestPods;
import io.kafkube.scheduler.testing.TestWorkloads;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class PodTopologySpreadTest {
  private static final String ZONE = "zone";
  private static final String HOST = "kubernetes.io/hostname";
  private static final String OK = "";
  private static final String HARD = "DoNotSchedule";
  private static final String SOFT = "ScheduleAnyway";

  record Case(String name, TestPods.Builder pod, TestCluster cluster, List<String> expected) {
    @Override
    public String toString() {
      return name;
    }
  }

  private static TestPods.Builder foo(String name) {
    return pod(name).label("app", "foo");
  }

  /** n1, n2 in zone a; n3, n4 in zone b; two foo pods on n1, one on n3. */
  private static TestCluster twoZones() {
    return cluster().node(node("n1").label(ZONE, "a"), foo("f1"), foo("f2")).node(node("n2").label(ZONE, "a"))
        .node(node("n3").label(ZONE, "b"), foo("f3")).node(node("n4").label(ZONE, "b"));
  }

  static Stream<Case> filterCases() {
    return Stream.of(
        new Case("no constraints", foo("p"), twoZones(), List.of(OK, OK, OK, OK)),
        new Case("zone skew 1: only the emptier zone", foo("p").spread(1, ZONE, HARD, null, "app=foo"), twoZones(),
            List.of(CONSTRAINTS_NOT_MATCH, CONSTRAINTS_NOT_MATCH, OK, OK)),
        new Case("a pod outside its own selector adds nothing to the skew",
            pod("p").spread(1, ZONE, HARD, null, "app=foo"), twoZones(), List.of(OK, OK, OK, OK)),
        new Case("zone skew 2 allows both", foo("p").spread(2, ZONE, HARD, null, "app=foo"), twoZones(),
            List.of(OK, OK, OK, OK)),
        new Case("ScheduleAnyway is not a filter", foo("p").spread(1, ZONE, SOFT, null, "app=foo"), twoZones(),
            List.of(OK, OK, OK, OK)),
        new Case("hostname skew 1: the nodes without foo", foo("p").spread(1, HOST, HARD, null, "app=foo"), twoZones(),
            List.of(CONSTRAINTS_NOT_MATCH, OK, CONSTRAINTS_NOT_MATCH, OK)),
        new Case("a node without the key is ruled out", foo("p").spread(1, ZONE, HARD, null, "app=foo"),
            twoZones().node(node("n5")), List.of(CONSTRAINTS_NOT_MATCH, CONSTRAINTS_NOT_MATCH, OK, OK,
                NODE_LABEL_NOT_MATCH)),
        new Case("minDomains above the domain count makes the minimum 0",
            foo("p").spread(2, ZONE, HARD, 3, "app=foo"), twoZones(),
            List.of(CONSTRAINTS_NOT_MATCH, CONSTRAINTS_NOT_MATCH, OK, OK)),
        new Case("minDomains met keeps the real minimum", foo("p").spread(2, ZONE, HARD, 2, "app=foo"), twoZones(),
            List.of(OK, OK, OK, OK)),
        new Case("nodeAffinityPolicy Honor: only nodes matching the pod's selector make domains",
            foo("p").nodeSelector(ZONE, "a").spread(1, ZONE, HARD, null, "app=foo"), twoZones(),
            List.of(OK, OK, OK, OK)),
        new Case("nodeAffinityPolicy Ignore: every node makes domains",
            foo("p").nodeSelector(ZONE, "a").spread(1, ZONE, HARD, null, "app=foo")
                .spreadPolicy("nodeAffinityPolicy", "Ignore"), twoZones(),
            List.of(CONSTRAINTS_NOT_MATCH, CONSTRAINTS_NOT_MATCH, OK, OK)),
        new Case("nodeTaintsPolicy Honor: untolerated tainted nodes make no domain",
            foo("p").spread(1, ZONE, HARD, null, "app=foo").spreadPolicy("nodeTaintsPolicy", "Honor"),
            cluster().node(node("n1").label(ZONE, "a"), foo("f1")).node(node("n3").label(ZONE, "b")
                .taint("k", "v", "NoSchedule")), List.of(OK, OK)),
        new Case("nodeTaintsPolicy Ignore (default): tainted nodes count",
            foo("p").spread(1, ZONE, HARD, null, "app=foo"),
            cluster().node(node("n1").label(ZONE, "a"), foo("f1")).node(node("n3").label(ZONE, "b")
                .taint("k", "v", "NoSchedule")), List.of(CONSTRAINTS_NOT_MATCH, OK)),
        new Case("terminating pods do not count", foo("p").spread(1, ZONE, HARD, null, "app=foo"),
            cluster().node(node("n1").label(ZONE, "a"), foo("f1").deleting()).node(node("n3").label(ZONE, "b")),
            List.of(OK, OK)),
        new Case("pods of other namespaces do not count", foo("p").spread(1, ZONE, HARD, null, "app=foo"),
            cluster().node(node("n1").label(ZONE, "a"), foo("f1").namespace("other")).node(node("n3").label(ZONE, "b")),
            List.of(OK, OK)),
        new Case("two constraints must both hold", foo("p").spread(1, ZONE, HARD, null, "app=foo")
                .spread(1, HOST, HARD, null, "app=foo"),
            twoZones().node(node("n5").label(ZONE, "b"), foo("f5")),
            // zones a=2, b=2; hosts n1=2 n2=0 n3=1 n4=0 n5=1
            List.of(CONSTRAINTS_NOT_MATCH, OK, CONSTRAINTS_NOT_MATCH, OK, CONSTRAINTS_NOT_MATCH)),
        new Case("selector with In", foo("p").spread(1, ZONE, HARD, null, "app In foo,bar"),
            twoZones().node(node("n5").label(ZONE, "b"), pod("b1").label("app", "bar")),
            List.of(OK, OK, OK, OK, OK)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("filterCases")
  void filter(Case c) {
    assertThat(c.cluster().filter(new PodTopologySpread(), c.pod().info()).values())
        .containsExactlyElementsOf(c.expected());
  }

  @Test
  void missingLabelIsUnresolvableSkewIsNot() {
    TestCluster c = twoZones().node(node("n5"));
    var codes = c.codes(new PodTopologySpread(), foo("p").spread(1, ZONE, HARD, null, "app=foo").info());
    assertThat(codes.get("n5")).isEqualTo(Status.Code.UNSCHEDULABLE_AND_UNRESOLVABLE);
    assertThat(codes.get("n1")).isEqualTo(Status.Code.UNSCHEDULABLE);
  }

  record ScoreCase(String name, TestPods.Builder pod, TestCluster cluster, List<Long> expected) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<ScoreCase> scoreCases() {
    return Stream.of(
        new ScoreCase("no soft constraints: no preference", foo("p"), twoZones(), List.of(0L, 0L, 0L, 0L)),
        // zone a: 2 x ln 4 = 2.77 → 3, zone b: 1.39 → 1; normalized 100 x (3 + 1 - s) / 3
        new ScoreCase("ScheduleAnyway by zone prefers the emptier zone", foo("p").spread(1, ZONE, SOFT, null, "app=foo"),
            twoZones(), List.of(33L, 33L, 100L, 100L)),
        // hosts: 2, 0, 1, 0 with weight ln 6 = 1.79 → 4, 0, 2, 0; max 4, min 0
        new ScoreCase("ScheduleAnyway by hostname prefers empty nodes", foo("p").spread(1, HOST, SOFT, null, "app=foo"),
            twoZones(), List.of(0L, 100L, 50L, 100L)),
        new ScoreCase("a feasible node without the key scores 0", foo("p").spread(1, ZONE, SOFT, null, "app=foo"),
            twoZones().node(node("n5")), List.of(33L, 33L, 100L, 100L, 0L)),
        new ScoreCase("no matching pods anywhere: every node scores 100",
            foo("p").spread(1, ZONE, SOFT, null, "app=none"), twoZones(), List.of(100L, 100L, 100L, 100L)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scoreCases")
  void score(ScoreCase c) {
    assertThat(c.cluster().score(new PodTopologySpread(), c.pod().info()).values())
        .containsExactlyElementsOf(c.expected());
  }

  /** A Service "web" (app=web) and a ReplicaSet "web-1" (app=web, hash=1) in default; a StatefulSet "db" (app=db). */
  private static Workloads workloads() {
    Workloads w = new Workloads();
    w.put(Workloads.Kind.SERVICE, TestWorkloads.record("services",
        TestWorkloads.serviceJson("default", "web", Map.of("app", "web"))));
    w.put(Workloads.Kind.SERVICE, TestWorkloads.record("services",
        TestWorkloads.serviceJson("default", "headless", null)));
    w.put(Workloads.Kind.SERVICE, TestWorkloads.record("services",
        TestWorkloads.serviceJson("other", "tier", Map.of("tier", "front"))));
    w.put(Workloads.Kind.REPLICA_SET, TestWorkloads.record("replicasets.apps",
        TestWorkloads.controllerJson("default", "web-1", "app=web", "hash=1")));
    w.put(Workloads.Kind.STATEFUL_SET, TestWorkloads.record("statefulsets.apps",
        TestWorkloads.controllerJson("default", "db", "app=db", "role In primary,replica")));
    return w;
  }

  record SelectorCase(String name, TestPods.Builder pod, String expected) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<SelectorCase> defaultSelectorCases() {
    return Stream.of(
        new SelectorCase("nothing groups a pod without labels or owner", pod("p"), null),
        new SelectorCase("a Service selecting the pod", pod("p").label("app", "web").label("tier", "front"),
            "[app In [web]]"),
        new SelectorCase("a Service of another namespace does not count", pod("p").namespace("default")
            .label("tier", "front"), null),
        new SelectorCase("the Services' selectors and the ReplicaSet's requirements together",
            pod("p").label("app", "web").label("hash", "1").controlledBy("ReplicaSet", "web-1"),
            "[app In [web], app In [web], hash In [1]]"),
        new SelectorCase("a StatefulSet's selector with expressions",
            pod("p").label("app", "db").label("role", "primary").controlledBy("StatefulSet", "db"),
            "[app In [db], role In [primary, replica]]"),
        new SelectorCase("a controller not known adds nothing",
            pod("p").label("app", "cache").controlledBy("ReplicaSet", "cache-1"), null),
        new SelectorCase("an owner of another kind adds nothing", pod("p").label("app", "db")
            .controlledBy("DaemonSet", "db"), null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("defaultSelectorCases")
  void defaultSelector(SelectorCase c) {
    LabelSelector s = workloads().defaultSelector(c.pod().info());
    assertThat(s.isEmpty() ? null : s.requirements().stream()
        .map(r -> r.key() + " " + r.operator() + " " + r.values()).toList().toString()).isEqualTo(c.expected());
  }

  /** n1 with two web pods and n2 in zone a, n3 in zone b. */
  private static TestCluster webZones() {
    TestPods.Builder w1 = pod("w1").label("app", "web").label("hash", "1").controlledBy("ReplicaSet", "web-1");
    TestPods.Builder w2 = pod("w2").label("app", "web").label("hash", "1").controlledBy("ReplicaSet", "web-1");
    return cluster().node(node("n1").label(TOPOLOGY_ZONE, "a"), w1, w2).node(node("n2").label(TOPOLOGY_ZONE, "a"))
        .node(node("n3").label(TOPOLOGY_ZONE, "b"));
  }

  private static final String TOPOLOGY_ZONE = "topology.kubernetes.io/zone";

  private static TestPods.Builder web() {
    return pod("p").label("app", "web").label("hash", "1").controlledBy("ReplicaSet", "web-1");
  }

  static Stream<ScoreCase> systemDefaultCases() {
    return Stream.of(
        // hostname (maxSkew 3, weight ln 5) and zone (maxSkew 5, weight ln 4): n1 2·1.61+2 + 2·1.39+4 = 12,
        // n2 2 + 6.77 = 9, n3 2 + 4 = 6; normalized 100·(max+min−s)/max.
        new ScoreCase("a ReplicaSet's pod is spread by host and zone", web(), webZones(), List.of(50L, 75L, 100L)),
        new ScoreCase("a pod nothing groups is not scored", pod("p").label("app", "cache"), webZones(),
            List.of(0L, 0L, 0L)),
        new ScoreCase("a pod with constraints of its own gets no defaults",
            web().spread(1, HOST, SOFT, null, "app=none"), webZones(), List.of(100L, 100L, 100L)),
        // A node without the zone label is scored (its missing label a zone domain of its own), not ignored:
        // two zone domains and two hosts, weights ln 4: n1 1.39+2 + 1.39+4 = 9, n2 2 (no zone part).
        new ScoreCase("with system defaults a node without the zone label is still scored",
            pod("p").label("app", "web"), cluster().node(node("n1").label(TOPOLOGY_ZONE, "a"),
                pod("w").label("app", "web")).node(node("n2")), List.of(22L, 100L)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("systemDefaultCases")
  void systemDefaults(ScoreCase c) {
    assertThat(c.cluster().score(new PodTopologySpread(workloads()), c.pod().info()).values())
        .containsExactlyElementsOf(c.expected());
  }

  @Test
  void ownSoftConstraintsStillIgnoreNodesWithoutTheKey() {
    TestCluster c = cluster().node(node("n1").label(TOPOLOGY_ZONE, "a"), pod("w").label("app", "web"))
        .node(node("n2"));
    assertThat(c.score(new PodTopologySpread(workloads()),
        pod("p").label("app", "web").spread(1, TOPOLOGY_ZONE, SOFT, null, "app=web").info()).values())
        .containsExactly(100L, 0L);
  }

  @Test
  void selectorChangesAreReported() {
    Workloads w = new Workloads();
    var rs = TestWorkloads.controllerJson("default", "web-1", "app=web");
    assertThat(w.put(Workloads.Kind.REPLICA_SET, TestWorkloads.record("replicasets.apps", rs))).isTrue();
    rs.putObject("status").put("replicas", 3);
    assertThat(w.put(Workloads.Kind.REPLICA_SET, TestWorkloads.record("replicasets.apps", rs)))
        .as("a status update changes nothing the scheduler reads").isFalse();
    assertThat(w.remove(Workloads.Kind.REPLICA_SET, "default", "web-1")).isTrue();
    assertThat(w.remove(Workloads.Kind.REPLICA_SET, "default", "web-1")).isFalse();
  }
}
