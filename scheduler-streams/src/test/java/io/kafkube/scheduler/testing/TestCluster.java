package io.kafkube.scheduler.testing;

import io.kafkube.scheduler.framework.CycleState;
import io.kafkube.scheduler.framework.FilterPlugin;
import io.kafkube.scheduler.framework.NodeInfo;
import io.kafkube.scheduler.framework.PodInfo;
import io.kafkube.scheduler.framework.PreFilterPlugin;
import io.kafkube.scheduler.framework.PreScorePlugin;
import io.kafkube.scheduler.framework.ScorePlugin;
import io.kafkube.scheduler.framework.Status;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Nodes with pods on them, for plugin tests: {@code cluster().node(node("n1"), pod("a"), pod("b"))}. */
public final class TestCluster {
  private final List<NodeInfo> nodes = new ArrayList<>();

  public static TestCluster cluster() {
    return new TestCluster();
  }

  public TestCluster node(TestNodes.Builder node, TestPods.Builder... pods) {
    NodeInfo n = node.info();
    for (TestPods.Builder p : pods) {
      n.addPod(p.nodeName(n.name()).info());
    }
    nodes.add(n);
    return this;
  }

  public List<NodeInfo> nodes() {
    return nodes;
  }

  /** Pre-filter then filter every node: node name → the failure reason, or "" when it fits. */
  public <P extends FilterPlugin & PreFilterPlugin> Map<String, String> filter(P plugin, PodInfo pod) {
    CycleState state = new CycleState();
    Status pre = plugin.preFilter(state, pod, nodes);
    Map<String, String> out = new LinkedHashMap<>();
    for (NodeInfo n : nodes) {
      // a Skip: the plugin passes every node (its filter, run anyway, must agree)
      Status s = pre.isSuccess() || pre.isSkip() ? plugin.filter(state, pod, n) : pre;
      if (pre.isSkip() && !s.isSuccess()) {
        throw new AssertionError(plugin.name() + " skipped its filter for " + pod.key() + " but fails " + n.name());
      }
      out.put(n.name(), s.isSuccess() ? "" : String.join(", ", s.reasons()));
    }
    return out;
  }

  /** The code of each node's filter status. */
  public <P extends FilterPlugin & PreFilterPlugin> Map<String, Status.Code> codes(P plugin, PodInfo pod) {
    CycleState state = new CycleState();
    plugin.preFilter(state, pod, nodes);
    Map<String, Status.Code> out = new LinkedHashMap<>();
    for (NodeInfo n : nodes) {
      out.put(n.name(), plugin.filter(state, pod, n).code());
    }
    return out;
  }

  /** Pre-score, score and normalize with every node feasible: node name → normalized score. */
  public <P extends ScorePlugin & PreScorePlugin> Map<String, Long> score(P plugin, PodInfo pod) {
    CycleState state = new CycleState();
    Status pre = plugin.preScore(state, pod, nodes, nodes);
    long[] s = new long[nodes.size()];
    for (int i = 0; i < s.length; i++) {
      s[i] = plugin.score(state, pod, nodes.get(i));
    }
    plugin.normalize(state, pod, s);
    // a Skip: the plugin would give every node the same score (scored anyway here, it must)
    if (pre.isSkip() && Arrays.stream(s).distinct().count() > 1) {
      throw new AssertionError(plugin.name() + " skipped its score for " + pod.key() + " but scores "
          + Arrays.toString(s));
    }
    Map<String, Long> out = new LinkedHashMap<>();
    for (int i = 0; i < s.length; i++) {
      out.put(nodes.get(i).name(), s[i]);
    }
    return out;
  }
}
