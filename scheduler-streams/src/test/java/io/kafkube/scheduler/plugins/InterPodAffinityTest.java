package io.kafkube.scheduler.plugins;

import static io.kafkube.scheduler.plugins.InterPodAffinity.AFFINITY_NOT_MATCH;
import static io.kafkube.scheduler.plugins.InterPodAffinity.ANTI_AFFINITY_NOT_MATCH;
import static io.kafkube.scheduler.plugins.InterPodAffinity.EXISTING_ANTI_AFFINITY_NOT_MATCH;
import static io.kafkube.scheduler.testing.TestCluster.cluster;
import static io.kafkube.scheduler.testing.TestNodes.node;
import static io.kafkube.scheduler.testing.TestPods.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.kafkube.scheduler.framework.Namespaces;
import io.kafkube.scheduler.framework.Status;
import io.kafkube.scheduler.testing.TestCluster;
import io.kafkube.scheduler.testing.TestPods;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class InterPodAffinityTest {
  private static final String ZONE = "topology.kubernetes.io/zone";
  private static final String HOST = "kubernetes.io/hostname";
  private static final String OK = "";

  record Case(String name, TestPods.Builder pod, TestCluster cluster, List<String> expected) {
    @Override
    public String toString() {
      return name;
    }
  }

  /** Three nodes: n1 and n2 in zone a, n3 in zone b; pods placed as given. */
  private static TestCluster zones(TestPods.Builder[] onN1, TestPods.Builder[] onN2, TestPods.Builder[] onN3) {
    return cluster().node(node("n1").label(ZONE, "a"), onN1).node(node("n2").label(ZONE, "a"), onN2)
        .node(node("n3").label(ZONE, "b"), onN3);
  }

  private static TestPods.Builder[] pods(TestPods.Builder... p) {
    return p;
  }

  private static final TestPods.Builder[] NONE = {};

  static Stream<Case> filterCases() {
    return Stream.of(
        new Case("no terms, no pods", pod("p"), zones(NONE, NONE, NONE), List.of(OK, OK, OK)),
        new Case("affinity by zone: the zone of a matching pod", pod("p").podAffinity(ZONE, "app=db"),
            zones(pods(pod("db").label("app", "db")), NONE, NONE), List.of(OK, OK, AFFINITY_NOT_MATCH)),
        new Case("affinity by hostname: the node of a matching pod", pod("p").podAffinity(HOST, "app=db"),
            zones(pods(pod("db").label("app", "db")), NONE, NONE),
            List.of(OK, AFFINITY_NOT_MATCH, AFFINITY_NOT_MATCH)),
        new Case("affinity with In", pod("p").podAffinity(ZONE, "app In db,cache"),
            zones(NONE, NONE, pods(pod("c").label("app", "cache"))),
            List.of(AFFINITY_NOT_MATCH, AFFINITY_NOT_MATCH, OK)),
        new Case("affinity with NotIn", pod("p").podAffinity(ZONE, "app NotIn db"),
            zones(pods(pod("db").label("app", "db")), NONE, pods(pod("w").label("app", "web"))),
            List.of(AFFINITY_NOT_MATCH, AFFINITY_NOT_MATCH, OK)),
        new Case("affinity with Exists", pod("p").podAffinity(ZONE, "app Exists"),
            zones(NONE, pods(pod("x").label("app", "x")), NONE), List.of(OK, OK, AFFINITY_NOT_MATCH)),
        new Case("affinity with DoesNotExist", pod("p").podAffinity(HOST, "app DoesNotExist"),
            zones(pods(pod("x").label("app", "x")), pods(pod("y").label("tier", "y")), NONE),
            List.of(AFFINITY_NOT_MATCH, OK, AFFINITY_NOT_MATCH)),
        new Case("affinity to pods that exist nowhere", pod("p").podAffinity(ZONE, "app=db"),
            zones(pods(pod("w").label("app", "web")), NONE, NONE),
            List.of(AFFINITY_NOT_MATCH, AFFINITY_NOT_MATCH, AFFINITY_NOT_MATCH)),
        new Case("the first pod of a group with affinity to itself goes anywhere",
            pod("p").label("app", "web").podAffinity(ZONE, "app=web"), zones(NONE, NONE, NONE), List.of(OK, OK, OK)),
        new Case("the first pod of a group still needs the topology label",
            pod("p").label("app", "web").podAffinity("rack", "app=web"), zones(NONE, NONE, NONE),
            List.of(AFFINITY_NOT_MATCH, AFFINITY_NOT_MATCH, AFFINITY_NOT_MATCH)),
        new Case("once a group member exists, self-affinity follows it",
            pod("p").label("app", "web").podAffinity(ZONE, "app=web"),
            zones(NONE, NONE, pods(pod("w").label("app", "web"))), List.of(AFFINITY_NOT_MATCH, AFFINITY_NOT_MATCH, OK)),
        new Case("affinity looks in the pod's own namespace by default", pod("p").podAffinity(ZONE, "app=db"),
            zones(pods(pod("db").namespace("other").label("app", "db")), NONE, NONE),
            List.of(AFFINITY_NOT_MATCH, AFFINITY_NOT_MATCH, AFFINITY_NOT_MATCH)),
        new Case("all required affinity terms are matched by the same pod",
            pod("p").podAffinity(ZONE, "app=db").podAffinity(ZONE, "tier=x"),
            zones(pods(pod("db").label("app", "db")), NONE, pods(pod("dbx").label("app", "db").label("tier", "x"))),
            List.of(AFFINITY_NOT_MATCH, AFFINITY_NOT_MATCH, OK)),
        new Case("anti-affinity by hostname", pod("p").podAntiAffinity(HOST, "app=web"),
            zones(pods(pod("w").label("app", "web")), NONE, NONE), List.of(ANTI_AFFINITY_NOT_MATCH, OK, OK)),
        new Case("anti-affinity by zone", pod("p").podAntiAffinity(ZONE, "app=web"),
            zones(pods(pod("w").label("app", "web")), NONE, NONE),
            List.of(ANTI_AFFINITY_NOT_MATCH, ANTI_AFFINITY_NOT_MATCH, OK)),
        new Case("anti-affinity to a pod in another namespace does not apply", pod("p").podAntiAffinity(HOST, "app=web"),
            zones(pods(pod("w").namespace("other").label("app", "web")), NONE, NONE), List.of(OK, OK, OK)),
        new Case("anti-affinity to listed namespaces", pod("p").podAntiAffinityIn(HOST, List.of("other"), "app=web"),
            zones(pods(pod("w").namespace("other").label("app", "web")), pods(pod("w2").label("app", "web")), NONE),
            List.of(ANTI_AFFINITY_NOT_MATCH, OK, OK)),
        new Case("anti-affinity with an empty namespaceSelector looks everywhere",
            pod("p").podAntiAffinityIn(HOST, List.of("*"), "app=web"),
            zones(pods(pod("w").namespace("other").label("app", "web")), pods(pod("w2").label("app", "web")), NONE),
            List.of(ANTI_AFFINITY_NOT_MATCH, ANTI_AFFINITY_NOT_MATCH, OK)),
        new Case("anti-affinity on a key some nodes lack binds only where it exists",
            pod("p").podAntiAffinity("rack", "app=web"),
            cluster().node(node("n1").label("rack", "r1"), pod("w").label("app", "web")).node(node("n2").label("rack", "r1"))
                .node(node("n3"), pod("w3").label("app", "web")),
            List.of(ANTI_AFFINITY_NOT_MATCH, ANTI_AFFINITY_NOT_MATCH, OK)),
        new Case("an existing pod's anti-affinity keeps a matching pod away (symmetry)", pod("p").label("app", "web"),
            zones(pods(pod("e").podAntiAffinity(HOST, "app=web")), NONE, NONE),
            List.of(EXISTING_ANTI_AFFINITY_NOT_MATCH, OK, OK)),
        new Case("an existing pod's zone anti-affinity covers its zone", pod("p").label("app", "web"),
            zones(NONE, NONE, pods(pod("e").podAntiAffinity(ZONE, "app=web"))),
            List.of(OK, OK, EXISTING_ANTI_AFFINITY_NOT_MATCH)),
        new Case("an existing pod's anti-affinity looks in its own namespace",
            pod("p").namespace("other").label("app", "web"),
            zones(pods(pod("e").podAntiAffinity(HOST, "app=web")), NONE, NONE), List.of(OK, OK, OK)),
        new Case("an existing pod's anti-affinity to other pods does not apply", pod("p").label("app", "db"),
            zones(pods(pod("e").podAntiAffinity(HOST, "app=web")), NONE, NONE), List.of(OK, OK, OK)),
        new Case("affinity and anti-affinity together", pod("p").podAffinity(ZONE, "app=db")
                .podAntiAffinity(HOST, "app=db"),
            zones(pods(pod("db").label("app", "db")), NONE, NONE), List.of(ANTI_AFFINITY_NOT_MATCH, OK,
                AFFINITY_NOT_MATCH)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("filterCases")
  void filter(Case c) {
    Map<String, String> result = c.cluster().filter(new InterPodAffinity(), c.pod().info());
    assertThat(result.values()).containsExactlyElementsOf(c.expected());
  }

  @Test
  void affinityMisfitIsUnresolvableAntiAffinityMisfitIsNot() {
    TestCluster c = zones(pods(pod("w").label("app", "web")), NONE, NONE);
    assertThat(c.codes(new InterPodAffinity(), pod("p").podAffinity(HOST, "app=web").info()).get("n2"))
        .isEqualTo(Status.Code.UNSCHEDULABLE_AND_UNRESOLVABLE);
    assertThat(c.codes(new InterPodAffinity(), pod("p").podAntiAffinity(HOST, "app=web").info()).get("n1"))
        .isEqualTo(Status.Code.UNSCHEDULABLE);
  }

  record ScoreCase(String name, TestPods.Builder pod, TestCluster cluster, List<Long> expected) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<ScoreCase> scoreCases() {
    return Stream.of(
        new ScoreCase("nothing to prefer", pod("p"), zones(NONE, NONE, NONE), List.of(0L, 0L, 0L)),
        new ScoreCase("preferred affinity to the zone of a db pod", pod("p").preferredPodAffinity(80, ZONE, "app=db"),
            zones(pods(pod("db").label("app", "db")), NONE, NONE), List.of(100L, 100L, 0L)),
        new ScoreCase("preferred anti-affinity away from a web pod's host",
            pod("p").preferredPodAntiAffinity(50, HOST, "app=web"),
            zones(pods(pod("w").label("app", "web")), NONE, NONE), List.of(0L, 100L, 100L)),
        new ScoreCase("weights add up per domain", pod("p").preferredPodAffinity(10, ZONE, "app=db")
                .preferredPodAffinity(30, HOST, "app=cache"),
            zones(pods(pod("db").label("app", "db")), NONE, pods(pod("c").label("app", "cache"))),
            // n1: 10, n2: 10, n3: 30 → (s - 10) / 20
            List.of(0L, 0L, 100L)),
        new ScoreCase("an existing pod's preferred affinity to this pod attracts it (symmetry)",
            pod("p").label("app", "web"),
            zones(NONE, NONE, pods(pod("e").preferredPodAffinity(40, ZONE, "app=web"))), List.of(0L, 0L, 100L)),
        new ScoreCase("an existing pod's required affinity counts with weight 1 (symmetry)",
            pod("p").label("app", "web"),
            zones(pods(pod("e").podAffinity(HOST, "app=web")), NONE, NONE), List.of(100L, 0L, 0L)),
        new ScoreCase("an existing pod's preferred anti-affinity repels this pod (symmetry)",
            pod("p").label("app", "web"),
            zones(pods(pod("e").preferredPodAntiAffinity(40, ZONE, "app=web")), NONE, NONE), List.of(0L, 0L, 100L)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scoreCases")
  void score(ScoreCase c) {
    assertThat(c.cluster().score(new InterPodAffinity(), c.pod().info()).values())
        .containsExactlyElementsOf(c.expected());
  }

  /** Namespaces "default" and "other" of team a, "third" of team b; "ghost" has no Namespace object. */
  private static Namespaces teams() {
    Namespaces ns = new Namespaces();
    ns.put("default", Map.of("team", "a"));
    ns.put("other", Map.of("team", "a", "env", "prod"));
    ns.put("third", Map.of("team", "b"));
    return ns;
  }

  static Stream<Case> namespaceSelectorCases() {
    return Stream.of(
        new Case("anti-affinity to the namespaces a selector picks by their labels",
            pod("p").podAntiAffinity(HOST, "app=web").namespaceSelector("team=a"),
            zones(pods(pod("w").namespace("other").label("app", "web")), pods(pod("w3").namespace("third")
                .label("app", "web")), NONE), List.of(ANTI_AFFINITY_NOT_MATCH, OK, OK)),
        new Case("a selector and listed namespaces are a union",
            pod("p").podAntiAffinity(HOST, "app=web").namespaceSelector("team=a").namespaces("third"),
            zones(pods(pod("w").namespace("other").label("app", "web")), pods(pod("w3").namespace("third")
                .label("app", "web")), NONE), List.of(ANTI_AFFINITY_NOT_MATCH, ANTI_AFFINITY_NOT_MATCH, OK)),
        new Case("a selector with expressions", pod("p").podAntiAffinity(HOST, "app=web").namespaceSelector("env Exists"),
            zones(pods(pod("w").label("app", "web")), pods(pod("w2").namespace("other").label("app", "web")), NONE),
            List.of(OK, ANTI_AFFINITY_NOT_MATCH, OK)),
        new Case("listed namespaces alone do not include the pod's own",
            pod("p").podAntiAffinity(HOST, "app=web").namespaces("third"),
            zones(pods(pod("w").label("app", "web")), NONE, NONE), List.of(OK, OK, OK)),
        new Case("a selector leaves out namespaces without a Namespace object",
            pod("p").podAntiAffinity(HOST, "app=web").namespaceSelector("team NotIn b"),
            zones(pods(pod("w").namespace("ghost").label("app", "web")), pods(pod("w2").namespace("other")
                .label("app", "web")), NONE), List.of(OK, ANTI_AFFINITY_NOT_MATCH, OK)),
        new Case("an empty selector is every namespace, known or not",
            pod("p").podAntiAffinity(HOST, "app=web").namespaceSelector(),
            zones(pods(pod("w").namespace("ghost").label("app", "web")), NONE, NONE),
            List.of(ANTI_AFFINITY_NOT_MATCH, OK, OK)),
        new Case("affinity to a zone of pods in selected namespaces",
            pod("p").podAffinity(ZONE, "app=db").namespaceSelector("team=b"),
            zones(pods(pod("db").label("app", "db")), NONE, pods(pod("db3").namespace("third").label("app", "db"))),
            List.of(AFFINITY_NOT_MATCH, AFFINITY_NOT_MATCH, OK)),
        new Case("self-affinity by selector: the first pod of a group in a selected namespace goes anywhere",
            pod("p").label("app", "db").podAffinity(ZONE, "app=db").namespaceSelector("team=a"),
            zones(NONE, NONE, NONE), List.of(OK, OK, OK)),
        new Case("self-affinity by selector that does not select the pod's namespace finds no group",
            pod("p").label("app", "db").podAffinity(ZONE, "app=db").namespaceSelector("team=b"),
            zones(NONE, NONE, NONE), List.of(AFFINITY_NOT_MATCH, AFFINITY_NOT_MATCH, AFFINITY_NOT_MATCH)),
        new Case("an existing pod's anti-affinity selects the incoming pod's namespace by its labels",
            pod("p").namespace("other").label("app", "web"),
            zones(pods(pod("e").namespace("third").podAntiAffinity(HOST, "app=web").namespaceSelector("team=a")),
                pods(pod("f").namespace("third").podAntiAffinity(HOST, "app=web").namespaceSelector("team=b")), NONE),
            List.of(EXISTING_ANTI_AFFINITY_NOT_MATCH, OK, OK)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("namespaceSelectorCases")
  void namespaceSelector(Case c) {
    assertThat(c.cluster().filter(new InterPodAffinity(teams()), c.pod().info()).values())
        .containsExactlyElementsOf(c.expected());
  }

  @Test
  void preferredTermsScoreByNamespaceSelectorToo() {
    TestCluster c = zones(pods(pod("db").namespace("third").label("app", "db")), NONE,
        pods(pod("db3").namespace("other").label("app", "db")));
    assertThat(c.score(new InterPodAffinity(teams()),
        pod("p").preferredPodAffinity(50, ZONE, "app=db").namespaceSelector("team=b").info()).values())
        .containsExactly(100L, 100L, 0L);
    // Without Namespace objects known, the selector selects nothing.
    assertThat(c.score(new InterPodAffinity(),
        pod("p").preferredPodAffinity(50, ZONE, "app=db").namespaceSelector("team=b").info()).values())
        .containsExactly(0L, 0L, 0L);
  }

  @Test
  void namespaceLabelChangesAreReported() {
    Namespaces ns = new Namespaces();
    assertThat(ns.put("a", Map.of("team", "x"))).isTrue();
    assertThat(ns.put("a", Map.of("team", "x"))).isFalse();
    assertThat(ns.put("a", Map.of("team", "y"))).isTrue();
    assertThat(ns.labels("a")).isEqualTo(Map.of("team", "y"));
    assertThat(ns.remove("a")).isTrue();
    assertThat(ns.labels("a")).isNull();
  }
}
