package io.kafkube.scheduler.plugins;

import static io.kafkube.scheduler.plugins.PodTopologySpread.CONSTRAINTS_NOT_MATCH;
import static io.kafkube.scheduler.plugins.PodTopologySpread.NODE_LABEL_NOT_MATCH;
import static io.kafkube.scheduler.testing.TestCluster.cluster;
import static io.kafkube.scheduler.testing.TestNodes.node;
import static io.kafkube.scheduler.testing.TestPods.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.kafkube.scheduler.framework.Status;
import io.kafkube.scheduler.testing.TestCluster;
import io.kafkube.scheduler.testing.TestPods;
import java.util.List;
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
}
