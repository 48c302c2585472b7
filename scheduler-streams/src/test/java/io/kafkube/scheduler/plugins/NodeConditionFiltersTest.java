package io.kafkube.scheduler.plugins;

import static io.kafkube.scheduler.testing.TestNodes.node;
import static io.kafkube.scheduler.testing.TestPods.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.kafkube.scheduler.framework.CycleState;
import io.kafkube.scheduler.framework.FilterPlugin;
import io.kafkube.scheduler.framework.Status;
import io.kafkube.scheduler.testing.TestNodes;
import io.kafkube.scheduler.testing.TestPods;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** NodeUnschedulable (cordon), NodeReady and NodeName. */
class NodeConditionFiltersTest {
  record Case(String name, FilterPlugin plugin, TestPods.Builder pod, TestNodes.Builder node, Status.Code code,
      String reason) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> cases() {
    FilterPlugin cordon = new NodeUnschedulable();
    FilterPlugin ready = new NodeReady();
    FilterPlugin name = new NodeName();
    return Stream.of(
        new Case("schedulable node", cordon, pod("p"), node("n"), Status.Code.SUCCESS, null),
        new Case("cordoned node", cordon, pod("p"), node("n").unschedulable(),
            Status.Code.UNSCHEDULABLE_AND_UNRESOLVABLE, "node(s) were unschedulable"),
        new Case("cordon tolerated", cordon,
            pod("p").toleration("node.kubernetes.io/unschedulable", "Exists", null, "NoSchedule"),
            node("n").unschedulable(), Status.Code.SUCCESS, null),
        new Case("cordon not tolerated by a NoExecute toleration", cordon,
            pod("p").toleration("node.kubernetes.io/unschedulable", "Exists", null, "NoExecute"),
            node("n").unschedulable(), Status.Code.UNSCHEDULABLE_AND_UNRESOLVABLE, "node(s) were unschedulable"),
        new Case("ready node", ready, pod("p"), node("n").ready(true), Status.Code.SUCCESS, null),
        new Case("node without conditions", ready, pod("p"), node("n"), Status.Code.SUCCESS, null),
        new Case("not ready node", ready, pod("p"), node("n").ready(false), Status.Code.UNSCHEDULABLE,
            "node(s) were not ready"),
        new Case("no node name", name, pod("p"), node("n"), Status.Code.SUCCESS, null),
        new Case("matching node name", name, pod("p").nodeName("n"), node("n"), Status.Code.SUCCESS, null),
        new Case("other node name", name, pod("p").nodeName("m"), node("n"),
            Status.Code.UNSCHEDULABLE_AND_UNRESOLVABLE, "node(s) didn't match the requested node name"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void filter(Case c) {
    Status s = c.plugin().filter(new CycleState(), c.pod().info(), c.node().info());
    assertThat(s.code()).isEqualTo(c.code());
    if (c.reason() != null) {
      assertThat(s.reasons()).containsExactly(c.reason());
    }
  }
}
