package io.kafkube.scheduler.bench;

import static io.kafkube.scheduler.testing.TestNodes.node;
import static io.kafkube.scheduler.testing.TestPods.pod;

import io.kafkube.scheduler.framework.NodeInfo;
import io.kafkube.scheduler.framework.PodInfo;
import io.kafkube.scheduler.framework.ScheduleResult;
import io.kafkube.scheduler.framework.SchedulingAlgorithm;
import io.kafkube.scheduler.plugins.DefaultProfile;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How many scheduling cycles per second the plugins manage on their own (no Kafka): {@code NODES}
 * nodes, {@code PODS} plain pods (kube-scheduler's SchedulingBasic shape). Run by hand:
 * {@code java -cp … io.kafkube.scheduler.bench.AlgorithmBench [nodes] [pods]}; not a test.
 */
public final class AlgorithmBench {
  private AlgorithmBench() {}

  public static void main(String[] args) {
    int nodes = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
    int pods = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
    Map<String, NodeInfo> byName = new HashMap<>();
    List<NodeInfo> list = new ArrayList<>();
    for (int i = 0; i < nodes; i++) {
      NodeInfo n = node(String.format("node-%05d", i)).cpu("4").memory("32Gi").pods(110).info();
      byName.put(n.name(), n);
      list.add(n);
    }
    SchedulingAlgorithm algorithm = new SchedulingAlgorithm(DefaultProfile.create());
    PodInfo template = pod("p").cpu("100m").memory("500Mi").info();
    long start = System.nanoTime();
    int placed = 0;
    for (int i = 0; i < pods; i++) {
      ScheduleResult r = algorithm.schedule(template, list);
      if (r.isPlaced()) {
        byName.get(r.node()).addPod(template.requests());
        placed++;
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf("%d nodes, %d pods: %d placed in %.1f s = %.0f cycles/s%n", nodes, pods, placed, seconds,
        pods / seconds);
  }
}
