package io.kafkube.load.apply;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kafkube.api.apply.FieldManager;
import io.kafkube.api.apply.ManagedEntry;
import io.kafkube.api.apply.Shape;
import io.kafkube.schemas.avro.KafkubeSchemas;
import io.kafkube.schemas.resource.ResourceRegistry;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.HdrHistogram.Histogram;

/**
 * The cost of resolving one server-side apply in the API server (no I/O): a Deployment with
 * {@code --containers C} containers (each with env and ports) owned by an Update manager, re-applied
 * by another manager with one image changed, {@code --iterations N} times after a warm-up. Prints
 * applies per second and the latency percentiles of {@link FieldManager#apply} (merge, prune,
 * ownership and conflict check) and of {@link FieldManager#update} (an ordinary write's bookkeeping).
 *
 * <pre>java -cp ... io.kafkube.load.apply.ApplyBenchmark [--containers 10] [--iterations 20000]</pre>
 */
public final class ApplyBenchmark {
  private static final ObjectMapper M = new ObjectMapper();

  private ApplyBenchmark() {}

  public static void main(String[] args) {
    int containers = 10;
    int iterations = 20_000;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--containers" -> containers = Integer.parseInt(args[i + 1]);
        case "--iterations" -> iterations = Integer.parseInt(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    FieldManager fm = new FieldManager(Shape.root(KafkubeSchemas.kind(
        ResourceRegistry.kubernetes().byGroupResource("deployments.apps").orElseThrow())), "apps/v1");
    ObjectNode live = deployment(containers, "nginx:1");
    List<ManagedEntry> managed = fm.update(null, live, List.of(), "kubectl-create", null, Instant.EPOCH);
    ObjectNode config = deployment(containers, "nginx:2");
    Histogram applies = run(iterations, () -> fm.apply(live, managed, config, "kubectl", true, Instant.EPOCH));
    Histogram updates = run(iterations, () -> fm.update(live, config, managed, "kubectl-edit", null, Instant.EPOCH));
    System.out.printf(Locale.ROOT, "deployment with %d containers, %d iterations%n", containers, iterations);
    print("apply (forced, 1 image changed)", applies);
    print("update bookkeeping", updates);
  }

  private static Histogram run(int iterations, Runnable op) {
    for (int i = 0; i < Math.max(1000, iterations / 5); i++) {
      op.run();
    }
    Histogram h = new Histogram(3);
    for (int i = 0; i < iterations; i++) {
      long t = System.nanoTime();
      op.run();
      h.recordValue(System.nanoTime() - t);
    }
    return h;
  }

  private static void print(String what, Histogram h) {
    System.out.printf(Locale.ROOT, "%-34s %9.0f ops/s  p50 %7.1f us  p99 %7.1f us  max %8.1f us%n", what,
        1e9 / h.getMean(), h.getValueAtPercentile(50) / 1e3, h.getValueAtPercentile(99) / 1e3,
        h.getMaxValue() / 1e3);
  }

  static ObjectNode deployment(int containers, String image) {
    ObjectNode d = M.createObjectNode().put("apiVersion", "apps/v1").put("kind", "Deployment");
    d.putObject("metadata").put("name", "web").put("namespace", "default").putObject("labels").put("app", "web");
    ObjectNode spec = d.putObject("spec").put("replicas", 3);
    spec.putObject("selector").putObject("matchLabels").put("app", "web");
    ObjectNode tpl = spec.putObject("template");
    tpl.putObject("metadata").putObject("labels").put("app", "web");
    ArrayNode cs = tpl.putObject("spec").putArray("containers");
    for (int i = 0; i < containers; i++) {
      ObjectNode c = cs.addObject().put("name", "c" + i).put("image", i == 0 ? image : "busybox:1");
      c.putArray("ports").addObject().put("containerPort", 8000 + i).put("protocol", "TCP");
      ArrayNode env = c.putArray("env");
      for (int e = 0; e < 5; e++) {
        env.addObject().put("name", "VAR" + e).put("value", "v" + e);
      }
      c.putArray("args").add("--port").add(Integer.toString(8000 + i));
    }
    return d;
  }
}
