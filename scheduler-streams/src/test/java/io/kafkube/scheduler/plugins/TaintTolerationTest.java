package io.kafkube.scheduler.plugins;

import static io.kafkube.scheduler.testing.TestNodes.node;
import static io.kafkube.scheduler.testing.TestPods.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.kafkube.scheduler.framework.CycleState;
import io.kafkube.scheduler.framework.PodInfo;
import io.kafkube.scheduler.framework.Status;
import io.kafkube.scheduler.testing.TestNodes;
import io.kafkube.scheduler.testing.TestPods;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class TaintTolerationTest {
  record Case(String name, TestPods.Builder pod, TestNodes.Builder node, String reason) {
    @Override
    public String toString() {
      return name;
    }
  }

  static final String CP = "node-role.kubernetes.io/control-plane";

  static Stream<Case> cases() {
    return Stream.of(
        new Case("no taints", pod("p"), node("n"), null),
        new Case("untolerated NoSchedule", pod("p"), node("n").taint(CP, null, "NoSchedule"),
            "node(s) had untolerated taint {" + CP + ": }"),
        new Case("untolerated NoExecute with value", pod("p"), node("n").taint("dedicated", "db", "NoExecute"),
            "node(s) had untolerated taint {dedicated: db}"),
        new Case("PreferNoSchedule does not filter", pod("p"), node("n").taint("x", null, "PreferNoSchedule"), null),
        new Case("Exists toleration", pod("p").toleration(CP, "Exists", null, "NoSchedule"),
            node("n").taint(CP, null, "NoSchedule"), null),
        new Case("Equal toleration (default operator)", pod("p").toleration("dedicated", null, "db", null),
            node("n").taint("dedicated", "db", "NoSchedule"), null),
        new Case("Equal toleration, other value", pod("p").toleration("dedicated", "Equal", "web", null),
            node("n").taint("dedicated", "db", "NoSchedule"), "node(s) had untolerated taint {dedicated: db}"),
        new Case("toleration of another effect", pod("p").toleration("dedicated", "Exists", null, "NoExecute"),
            node("n").taint("dedicated", "db", "NoSchedule"), "node(s) had untolerated taint {dedicated: db}"),
        new Case("NoExecute toleration", pod("p").toleration("dedicated", "Exists", null, "NoExecute"),
            node("n").taint("dedicated", "db", "NoExecute"), null),
        new Case("empty key Exists tolerates everything", pod("p").toleration(null, "Exists", null, null),
            node("n").taint("a", "1", "NoSchedule").taint("b", null, "NoExecute"), null),
        new Case("first untolerated of several", pod("p").toleration("a", "Exists", null, null),
            node("n").taint("a", "1", "NoSchedule").taint("b", null, "NoExecute"),
            "node(s) had untolerated taint {b: }"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void filter(Case c) {
    Status s = new TaintToleration().filter(new CycleState(), c.pod().info(), c.node().info());
    if (c.reason() == null) {
      assertThat(s.isSuccess()).isTrue();
    } else {
      assertThat(s.code()).isEqualTo(Status.Code.UNSCHEDULABLE_AND_UNRESOLVABLE);
      assertThat(s.reasons()).containsExactly(c.reason());
    }
  }

  @Test
  void fewerUntoleratedPreferNoScheduleTaintsScoreHigher() {
    PodInfo pod = pod("p").toleration("tolerated", "Exists", null, null).info();
    TaintToleration plugin = new TaintToleration();
    CycleState state = new CycleState();
    long[] scores = {
        plugin.score(state, pod, node("clean").info()),
        plugin.score(state, pod, node("one").taint("x", null, "PreferNoSchedule").info()),
        plugin.score(state, pod, node("two").taint("x", null, "PreferNoSchedule").taint("y", "1", "PreferNoSchedule")
            .taint("tolerated", null, "PreferNoSchedule").info())};
    assertThat(scores).containsExactly(0, 1, 2);
    plugin.normalize(state, pod, scores);
    assertThat(scores).containsExactly(100, 50, 0);
  }
}
