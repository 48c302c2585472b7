package io.kafkube.scheduler.framework;

import static io.kafkube.scheduler.testing.TestNodes.node;
import static io.kafkube.scheduler.testing.TestPods.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.kafkube.scheduler.plugins.BalancedAllocation;
import io.kafkube.scheduler.plugins.DefaultProfile;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SchedulingAlgorithmTest {
  private final SchedulingAlgorithm algorithm = new SchedulingAlgorithm(DefaultProfile.create());

  private static NodeInfo used(NodeInfo n, String cpu, String memory) {
    n.addPod(Resources.parse(Map.of("cpu", cpu, "memory", memory)));
    return n;
  }

  @Test
  void leastAllocatedNodeWins() {
    List<NodeInfo> nodes = List.of(used(node("a").cpu("4").memory("8Gi").info(), "3", "6Gi"),
        used(node("b").cpu("4").memory("8Gi").info(), "1", "2Gi"),
        used(node("c").cpu("4").memory("8Gi").info(), "2", "4Gi"));
    assertThat(algorithm.schedule(pod("p").cpu("500m").memory("1Gi").info(), nodes).node()).isEqualTo("b");
  }

  @Test
  void balancedAllocationPrefersEvenUseOfCpuAndMemory() {
    NodeInfo uneven = used(node("a").cpu("4").memory("4Gi").info(), "3", "0");
    NodeInfo even = used(node("b").cpu("4").memory("4Gi").info(), "1500m", "1536Mi");
    PodInfo p = pod("p").cpu("500m").memory("512Mi").info();
    BalancedAllocation plugin = new BalancedAllocation();
    // a ends at 87.5% cpu and 12.5% memory: std 0.375; b at 50% and 50%: std 0
    assertThat(plugin.score(new CycleState(), p, uneven)).isEqualTo(62);
    assertThat(plugin.score(new CycleState(), p, even)).isEqualTo(100);
    assertThat(algorithm.schedule(p, List.of(uneven, even)).node()).isEqualTo("b");
  }

  @Test
  void preferredAffinityAndTaintPreferenceOutweighASmallResourceDifference() {
    List<NodeInfo> nodes = List.of(node("a").cpu("4").memory("8Gi").info(),
        used(node("b").cpu("4").memory("8Gi").label("zone", "z1").info(), "500m", "1Gi"));
    assertThat(algorithm.schedule(pod("p").cpu("100m").preferredTerm(50, "zone", "In", "z1").info(), nodes).node())
        .isEqualTo("b");
    List<NodeInfo> tainted = List.of(node("a").cpu("4").memory("8Gi").taint("spot", null, "PreferNoSchedule").info(),
        used(node("b").cpu("4").memory("8Gi").info(), "500m", "1Gi"));
    assertThat(algorithm.schedule(pod("p").cpu("100m").info(), tainted).node()).isEqualTo("b");
  }

  @Test
  void tiesGoToTheFirstNodeByName() {
    List<NodeInfo> nodes = List.of(node("a").cpu("4").memory("8Gi").info(), node("b").cpu("4").memory("8Gi").info());
    assertThat(algorithm.schedule(pod("p").cpu("1").info(), nodes).node()).isEqualTo("a");
  }

  @Test
  void aMisfitExplainsItselfAsKubeSchedulerDoes() {
    String cp = "node-role.kubernetes.io/control-plane";
    List<NodeInfo> nodes = List.of(
        node("cp1").cpu("8").taint(cp, null, "NoSchedule").info(),
        node("cp2").cpu("8").taint(cp, null, "NoSchedule").info(),
        node("w1").cpu("1").info(), node("w2").cpu("1").info(), node("w3").cpu("1").info());
    ScheduleResult r = algorithm.schedule(pod("p").cpu("2").info(), nodes);
    assertThat(r.isPlaced()).isFalse();
    assertThat(r.message()).isEqualTo("0/5 nodes are available: 2 node(s) had untolerated taint {" + cp + ": }, "
        + "3 Insufficient cpu. preemption: 0/5 nodes are available: 2 Preemption is not helpful for scheduling, "
        + "3 No preemption victims found for incoming pod."); // sorted as strings, as Go's sort.Strings
  }

  /** A filter and score whose PreFilter and PreScore say Skip when told to, and that count their calls. */
  private static final class Skippable implements FilterPlugin, PreFilterPlugin, ScorePlugin, PreScorePlugin {
    final boolean skip;
    final String refuse;
    int filtered;
    int scored;

    Skippable(boolean skip, String refuse) {
      this.skip = skip;
      this.refuse = refuse;
    }

    @Override
    public String name() {
      return "Skippable";
    }

    @Override
    public Status preFilter(CycleState state, PodInfo pod, List<NodeInfo> allNodes) {
      return skip ? Status.SKIP : Status.SUCCESS;
    }

    @Override
    public Status filter(CycleState state, PodInfo pod, NodeInfo node) {
      filtered++;
      return node.name().equals(refuse) ? Status.unschedulable("refused by Skippable") : Status.SUCCESS;
    }

    @Override
    public Status preScore(CycleState state, PodInfo pod, List<NodeInfo> feasible, List<NodeInfo> allNodes) {
      return skip ? Status.SKIP : Status.SUCCESS;
    }

    @Override
    public long score(CycleState state, PodInfo pod, NodeInfo node) {
      scored++;
      return node.name().equals("b") ? 100 : 0;
    }
  }

  @Test
  void aPluginWhosePreFilterAndPreScoreSaySkipIsNeitherFilteredNorScoredInThatCycle() {
    List<NodeInfo> nodes = List.of(node("a").cpu("4").info(), node("b").cpu("4").info(), node("c").cpu("4").info());
    Skippable skipped = new Skippable(true, "b");
    SchedulingAlgorithm withSkip = new SchedulingAlgorithm(new Profile(List.of(skipped),
        List.of(new Profile.WeightedScore(skipped, 1))));
    // its filter would refuse b and its score prefer b: neither runs, so a (the first) is chosen
    assertThat(withSkip.schedule(pod("p").info(), nodes).node()).isEqualTo("a");
    assertThat(skipped.filtered).isZero();
    assertThat(skipped.scored).isZero();

    Skippable running = new Skippable(false, "a");
    SchedulingAlgorithm without = new SchedulingAlgorithm(new Profile(List.of(running),
        List.of(new Profile.WeightedScore(running, 1))));
    assertThat(without.schedule(pod("p").info(), nodes).node()).isEqualTo("b");
    assertThat(running.filtered).isEqualTo(3);
    assertThat(running.scored).isEqualTo(2);
  }

  @Test
  void aSkippedFilterRunsWhereNominatedPodsAreAddedForAWhatIf() {
    List<NodeInfo> nodes = List.of(node("a").cpu("4").info(), node("b").cpu("4").info());
    Skippable skipped = new Skippable(true, "a");
    SchedulingAlgorithm algo = new SchedulingAlgorithm(new Profile(List.of(skipped), List.of()));
    PodInfo nominated = pod("waiting").priority(1000).info();
    // a holds a pod nominated to it: the what-if with it runs every filter (an added pod may matter to one)
    ScheduleResult r = algo.schedule(pod("p").info(), nodes, node -> node.equals("a") ? List.of(nominated) : List.of());
    assertThat(r.node()).isEqualTo("b");
    assertThat(skipped.filtered).isEqualTo(1);
  }

  @Test
  void noNodesAtAll() {
    ScheduleResult r = algorithm.schedule(pod("p").info(), List.of());
    assertThat(r.message()).isEqualTo(
        ScheduleResult.NO_NODES);
  }
}
