package io.kafkube.agent.lifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import io.kafkube.agent.probe.Prober;
import io.kafkube.agent.runtime.ContainerInstance;
import io.kafkube.agent.runtime.ContainerRuntime;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A container's lifecycle hooks as kubelet runs them: {@code preStop} (exec or httpGet, the same
 * handlers as probes) before the container is sent SIGTERM, within the termination grace period (what
 * the hook used is taken from the grace the container then gets, at least 2 s, as kubelet's
 * {@code minimumGracePeriodInSeconds}); {@code postStart} right after the container started, a failure
 * of which kills the container ({@code FailedPostStartHook}). Hooks run on their own threads, never on
 * the node's sync thread.
 */
public final class Hooks {
  private static final Logger LOG = LoggerFactory.getLogger(Hooks.class);
  static final Duration MINIMUM_GRACE = Duration.ofSeconds(2);
  private static final AtomicInteger THREADS = new AtomicInteger();
  private static final ExecutorService POOL = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "agent-hook-" + THREADS.incrementAndGet());
    t.setDaemon(true);
    return t;
  });

  private Hooks() {}

  /**
   * Stops a running container the kubelet way: its preStop hook first (if any), then SIGTERM with
   * what is left of {@code grace}, then SIGKILL.
   *
   * @param failed told {@code FailedPreStopHook}'s message when the hook fails (the stop goes on)
   */
  public static CompletableFuture<ContainerInstance> stop(ContainerRuntime rt, String podUid, String name,
      JsonNode container, Prober.ProbeRunner runner, Duration grace, Consumer<String> failed) {
    JsonNode preStop = container == null ? null : container.path("lifecycle").get("preStop");
    if (preStop == null || preStop.isNull() || grace.isZero()) {
      return rt.stop(podUid, name, grace);
    }
    return CompletableFuture.supplyAsync(() -> {
      Instant start = Instant.now();
      boolean ok;
      try {
        ok = runner.run(preStop, grace);
      } catch (RuntimeException e) {
        ok = false;
      }
      Duration used = Duration.between(start, Instant.now());
      if (!ok) {
        String msg = "PreStopHook failed";
        LOG.info("[hooks] preStop of {}/{} failed", podUid, name);
        failed.accept(msg);
      }
      Duration left = grace.minus(used);
      return left.compareTo(MINIMUM_GRACE) < 0 ? MINIMUM_GRACE : left;
    }, POOL).thenCompose(left -> rt.stop(podUid, name, left));
  }

  /**
   * Runs a started container's postStart hook, if any; on failure tells {@code failed} (the caller
   * kills the container, as kubelet does).
   */
  public static void postStart(JsonNode container, Prober.ProbeRunner runner, Duration timeout,
      Consumer<String> failed) {
    JsonNode h = container.path("lifecycle").get("postStart");
    if (h == null || h.isNull()) {
      return;
    }
    POOL.execute(() -> {
      boolean ok;
      try {
        ok = runner.run(h, timeout);
      } catch (RuntimeException e) {
        ok = false;
      }
      if (!ok) {
        failed.accept("PostStartHook failed");
      }
    });
  }
}
