package io.kafkube.scheduler.framework;

import static io.kafkube.scheduler.testing.TestCluster.cluster;
import static io.kafkube.scheduler.testing.TestNodes.node;
import static io.kafkube.scheduler.testing.TestPods.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.kafkube.scheduler.plugins.DefaultProfile;
import io.kafkube.scheduler.testing.TestCluster;
import io.kafkube.scheduler.testing.TestPods;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class PreemptionTest {
  private static final SchedulingAlgorithm ALGORITHM = new SchedulingAlgorithm(DefaultProfile.create());

  /**
   * @param node    the node chosen, null when none
   * @param victims the names of the victims, in eviction order
   * @param message the preemption message when none is chosen
   */
  record Case(String name, TestPods.Builder pod, TestCluster cluster, List<Preemption.Budget> budgets, String node,
      List<String> victims, String message) {
    @Override
    public String toString() {
      return name;
    }
  }

  private static TestPods.Builder low(String name, String cpu, int priority) {
    return pod(name).cpu(cpu).priority(priority);
  }

  private static Preemption.Budget budget(int allowed, String... labels) {
    Map<String, String> m = new java.util.HashMap<>();
    for (int i = 0; i + 1 < labels.length; i += 2) {
      m.put(labels[i], labels[i + 1]);
    }
    return new Preemption.Budget("default", LabelSelector.of(m), allowed);
  }

  static Stream<Case> cases() {
    return Stream.of(
        new Case("evicts the fewest lower-priority pods that make room (the others are reprieved)",
            pod("p").cpu("2").priority(100),
            cluster().node(node("n1").cpu("4"), low("a", "1", 1), low("b", "1", 2), low("c", "1", 3)),
            List.of(), "n1", List.of("a"), null),
        new Case("reprieves the highest priorities first", pod("p").cpu("2").priority(100),
            cluster().node(node("n1").cpu("3"), low("a", "1", 1), low("b", "1", 5), low("c", "1", 3)),
            List.of(), "n1", List.of("c", "a"), null),
        new Case("never evicts equal or higher priorities", pod("p").cpu("2").priority(10),
            cluster().node(node("n1").cpu("2"), low("a", "1", 10), low("b", "1", 50)),
            List.of(), null, List.of(), "0/1 nodes are available: 1 No preemption victims found for incoming pod."),
        new Case("picks the node whose highest victim priority is lowest", pod("p").cpu("2").priority(100),
            cluster().node(node("n1").cpu("2"), low("a", "2", 5)).node(node("n2").cpu("2"), low("b", "2", 1)),
            List.of(), "n2", List.of("b"), null),
        new Case("then the smallest sum of priorities", pod("p").cpu("2").priority(100),
            cluster().node(node("n1").cpu("2"), low("a1", "1", 5), low("a2", "1", 5))
                .node(node("n2").cpu("2"), low("b1", "1", 5), low("b2", "1", 1)),
            List.of(), "n2", List.of("b1", "b2"), null),
        new Case("then the fewest victims", pod("p").cpu("2").priority(100),
            cluster().node(node("n1").cpu("2"), low("a1", "1", 0), low("a2", "1", 0))
                .node(node("n2").cpu("2"), low("b", "2", 0)),
            List.of(), "n2", List.of("b"), null),
        new Case("a node without budget violations wins over one with them", pod("p").cpu("2").priority(100),
            cluster().node(node("n1").cpu("2"), low("a", "2", 1).label("app", "db"))
                .node(node("n2").cpu("2"), low("b", "2", 7)),
            List.of(budget(0, "app", "db")), "n2", List.of("b"), null),
        new Case("a budget that still allows a disruption is no violation", pod("p").cpu("2").priority(100),
            cluster().node(node("n1").cpu("2"), low("a", "2", 1).label("app", "db"))
                .node(node("n2").cpu("2"), low("b", "2", 7)),
            List.of(budget(1, "app", "db")), "n1", List.of("a"), null),
        new Case("budgets are respected where possible: a violation when nothing else works",
            pod("p").cpu("2").priority(100),
            cluster().node(node("n1").cpu("2"), low("a", "2", 1).label("app", "db")),
            List.of(budget(0, "app", "db")), "n1", List.of("a"), null),
        new Case("nodes ruled out by an unresolvable filter are not helpful", pod("p").cpu("2").priority(100),
            cluster().node(node("n1").cpu("8").taint("k", "v", "NoSchedule"), low("a", "1", 0))
                .node(node("n2").cpu("1"), low("b", "1", 0)),
            List.of(), null, List.of(), "0/2 nodes are available: 1 No preemption victims found for incoming pod, "
                + "1 Preemption is not helpful for scheduling."),
        new Case("preemptionPolicy Never", pod("p").cpu("2").priority(100).preemptionPolicy("Never"),
            cluster().node(node("n1").cpu("2"), low("a", "2", 0)), List.of(), null, List.of(), Preemption.POLICY_NEVER),
        new Case("evicting a pod whose anti-affinity keeps the pod away", pod("p").label("app", "web").priority(100),
            cluster().node(node("n1").cpu("2"), low("a", "100m", 0).podAntiAffinity("kubernetes.io/hostname",
                "app=web")),
            List.of(), "n1", List.of("a"), null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void preempt(Case c) {
    PodInfo pod = c.pod().info();
    List<NodeInfo> nodes = c.cluster().nodes();
    ScheduleResult failed = ALGORITHM.schedule(pod, nodes);
    assertThat(failed.isPlaced()).as("the pod fits nowhere before preemption").isFalse();
    Preemption.Outcome out = new Preemption(ALGORITHM).preempt(pod, nodes, failed, c.budgets(), false);
    if (c.node() == null) {
      assertThat(out.chosen()).isNull();
      assertThat(out.message()).isEqualTo(c.message());
      return;
    }
    assertThat(out.chosen().node()).isEqualTo(c.node());
    assertThat(out.chosen().victims()).extracting(PodInfo::name).containsExactlyElementsOf(c.victims());
  }

  @org.junit.jupiter.api.Test
  void aPreemptionUnderWayIsNotRepeated() {
    TestCluster c = cluster().node(node("n1").cpu("2"), low("a", "2", 0));
    PodInfo pod = pod("p").cpu("2").priority(100).info();
    ScheduleResult failed = ALGORITHM.schedule(pod, c.nodes());
    assertThat(new Preemption(ALGORITHM).preempt(pod, c.nodes(), failed, List.of(), true).message())
        .isEqualTo(Preemption.TERMINATING);
  }
}
