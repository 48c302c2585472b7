package io.kafkube.scheduler.plugins;

import static io.kafkube.scheduler.testing.TestNodes.node;
import static io.kafkube.scheduler.testing.TestPods.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.kafkube.scheduler.framework.CycleState;
import io.kafkube.scheduler.framework.NodeInfo;
import io.kafkube.scheduler.framework.PodInfo;
import io.kafkube.scheduler.framework.Status;
import io.kafkube.scheduler.testing.TestNodes;
import io.kafkube.scheduler.testing.TestPods;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class NodeAffinityTest {
  record Case(String name, TestPods.Builder pod, TestNodes.Builder node, boolean fits) {
    @Override
    public String toString() {
      return name;
    }
  }

  static TestNodes.Builder zoneA() {
    return node("n").label("zone", "a").label("gen", "5").label("disk", "ssd");
  }

  static Stream<Case> cases() {
    return Stream.of(
        new Case("no constraint", pod("p"), zoneA(), true),
        new Case("nodeSelector matches", pod("p").nodeSelector("zone", "a"), zoneA(), true),
        new Case("nodeSelector value differs", pod("p").nodeSelector("zone", "b"), zoneA(), false),
        new Case("nodeSelector label absent", pod("p").nodeSelector("gpu", "true"), zoneA(), false),
        new Case("In matches", pod("p").requiredTerm("zone", "In", "a", "b"), zoneA(), true),
        new Case("In misses", pod("p").requiredTerm("zone", "In", "b", "c"), zoneA(), false),
        new Case("NotIn holds", pod("p").requiredTerm("zone", "NotIn", "b"), zoneA(), true),
        new Case("NotIn fails", pod("p").requiredTerm("zone", "NotIn", "a"), zoneA(), false),
        new Case("NotIn holds for an absent label", pod("p").requiredTerm("rack", "NotIn", "r1"), zoneA(), true),
        new Case("Exists", pod("p").requiredTerm("disk", "Exists"), zoneA(), true),
        new Case("Exists fails", pod("p").requiredTerm("gpu", "Exists"), zoneA(), false),
        new Case("DoesNotExist", pod("p").requiredTerm("gpu", "DoesNotExist"), zoneA(), true),
        new Case("DoesNotExist fails", pod("p").requiredTerm("disk", "DoesNotExist"), zoneA(), false),
        new Case("Gt", pod("p").requiredTerm("gen", "Gt", "4"), zoneA(), true),
        new Case("Gt fails on equal", pod("p").requiredTerm("gen", "Gt", "5"), zoneA(), false),
        new Case("Lt", pod("p").requiredTerm("gen", "Lt", "6"), zoneA(), true),
        new Case("Lt on a non-number fails", pod("p").requiredTerm("zone", "Lt", "6"), zoneA(), false),
        new Case("terms are ORed", pod("p").requiredTerm("zone", "In", "b").requiredTerm("disk", "In", "ssd"),
            zoneA(), true),
        new Case("expressions are ANDed", pod("p").requiredTerm("zone", "In", "a").andExpression("disk", "In", "hdd"),
            zoneA(), false),
        new Case("selector and affinity must both hold",
            pod("p").nodeSelector("zone", "b").requiredTerm("zone", "In", "a"), zoneA(), false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void filter(Case c) {
    Status s = new NodeAffinity().filter(new CycleState(), c.pod().info(), c.node().info());
    if (c.fits()) {
      assertThat(s.isSuccess()).isTrue();
    } else {
      assertThat(s.code()).isEqualTo(Status.Code.UNSCHEDULABLE_AND_UNRESOLVABLE);
      assertThat(s.reasons()).containsExactly("node(s) didn't match Pod's node affinity/selector");
    }
  }

  @Test
  void preferredTermsScoreByWeightNormalizedToTheBest() {
    PodInfo pod = pod("p").preferredTerm(20, "zone", "In", "a").preferredTerm(60, "disk", "In", "ssd").info();
    NodeInfo both = node("both").label("zone", "a").label("disk", "ssd").info();
    NodeInfo zone = node("zone").label("zone", "a").info();
    NodeInfo none = node("none").info();
    NodeAffinity plugin = new NodeAffinity();
    CycleState state = new CycleState();
    long[] scores = {plugin.score(state, pod, both), plugin.score(state, pod, zone), plugin.score(state, pod, none)};
    assertThat(scores).containsExactly(80, 20, 0);
    plugin.normalize(state, pod, scores);
    assertThat(scores).containsExactly(100, 25, 0);
  }
}
