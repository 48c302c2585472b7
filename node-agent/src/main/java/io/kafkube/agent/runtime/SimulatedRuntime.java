package io.kafkube.agent.runtime;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Containers that "run" without processes (kwok's role): a container is created, becomes running
 * after a start delay and, for pods that should finish, exits after a run time with an exit code.
 * Defaults come from the settings; a pod overrides them with annotations
 * {@value #START_DELAY_ANNOTATION}, {@value #RUN_ANNOTATION} and {@value #EXIT_CODE_ANNOTATION}.
 * One instance can serve many virtual nodes (pod uids are unique); timers run on a shared scheduler.
 */
public final class SimulatedRuntime implements ContainerRuntime {
  public static final String START_DELAY_ANNOTATION = "sim.kafkube.io/start-delay-ms";
  public static final String RUN_ANNOTATION = "sim.kafkube.io/run-ms";
  public static final String EXIT_CODE_ANNOTATION = "sim.kafkube.io/exit-code";

  /**
   * @param startDelay how long a container is "created" before it runs
   * @param runTime    how long it runs before it exits; null runs until stopped
   * @param exitCode   the exit code when it exits by itself
   */
  public record Settings(Duration startDelay, Duration runTime, int exitCode) {
    public static Settings defaults() {
      return new Settings(Duration.ZERO, null, 0);
    }
  }

  private final Settings settings;
  private final ScheduledExecutorService timers;
  private final Map<String, Pod> pods = new ConcurrentHashMap<>();
  private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();
  private final AtomicLong ips = new AtomicLong();
  private final String ipPrefix;

  private static final class Pod {
    final String ip;
    final Map<String, List<ContainerInstance>> containers = new LinkedHashMap<>();
    final Map<String, ScheduledFuture<?>> timers = new LinkedHashMap<>();

    Pod(String ip) {
      this.ip = ip;
    }
  }

  /**
   * @param ipPrefix the first two octets of the addresses handed out, e.g. {@code 10.244}: simulated
   *                 pods get addresses that nothing listens on
   */
  public SimulatedRuntime(Settings settings, ScheduledExecutorService timers, String ipPrefix) {
    this.settings = settings;
    this.timers = timers;
    this.ipPrefix = ipPrefix;
  }

  @Override
  public String name() {
    return "simulated";
  }

  @Override
  public String sandbox(PodRef pod) {
    return pods.computeIfAbsent(pod.uid(), u -> {
      long n = ips.incrementAndGet();
      return new Pod(ipPrefix + "." + ((n >> 8) & 255) + "." + (n & 255));
    }).ip;
  }

  @Override
  public void pullImage(String image) throws ImageException {
    if (image == null || image.isBlank()) {
      throw new ImageException("no image given");
    }
  }

  @Override
  public ContainerInstance start(PodRef ref, StartSpec spec) {
    sandbox(ref);
    Pod pod = pods.get(ref.uid());
    Duration delay = duration(ref.annotations().get(START_DELAY_ANNOTATION), settings.startDelay());
    Duration run = duration(ref.annotations().get(RUN_ANNOTATION), settings.runTime());
    int exit = settings.exitCode();
    String code = ref.annotations().get(EXIT_CODE_ANNOTATION);
    if (code != null) {
      try {
        exit = Integer.parseInt(code.trim());
      } catch (NumberFormatException e) {
        // keep the default
      }
    }
    Instant now = Instant.now();
    String id = "simulated://" + ref.uid() + "/" + spec.container() + "/" + spec.attempt();
    ContainerInstance inst;
    synchronized (pod) {
      List<ContainerInstance> list = pod.containers.computeIfAbsent(spec.container(), k -> new ArrayList<>());
      for (ContainerInstance i : list) {
        if (i.attempt() >= spec.attempt() || !i.exited()) {
          return i;
        }
      }
      inst = delay.isZero() ? ContainerInstance.running(spec.container(), spec.attempt(), id, now, now)
          : ContainerInstance.created(spec.container(), spec.attempt(), id, now);
      list.add(inst);
      while (list.size() > 2) {
        list.remove(0);
      }
      int exitCode = exit;
      if (!delay.isZero()) {
        pod.timers.put(spec.container(), timers.schedule(() -> {
          transition(ref.uid(), spec.container(), spec.attempt(), i -> i.state() == ContainerInstance.State.CREATED
              ? ContainerInstance.running(i.name(), i.attempt(), i.id(), i.createdAt(), Instant.now()) : i);
          scheduleExit(ref.uid(), spec.container(), spec.attempt(), run, exitCode);
        }, delay.toMillis(), TimeUnit.MILLISECONDS));
      } else {
        scheduleExit(ref.uid(), spec.container(), spec.attempt(), run, exitCode);
      }
    }
    return inst;
  }

  private void scheduleExit(String uid, String container, int attempt, Duration run, int exitCode) {
    if (run == null) {
      return;
    }
    Pod pod = pods.get(uid);
    if (pod == null) {
      return;
    }
    synchronized (pod) {
      pod.timers.put(container, timers.schedule(() -> transition(uid, container, attempt,
          i -> i.running() ? i.exited(exitCode, Instant.now(), null) : i), run.toMillis(), TimeUnit.MILLISECONDS));
    }
  }

  private ContainerInstance transition(String uid, String container, int attempt,
      java.util.function.UnaryOperator<ContainerInstance> f) {
    Pod pod = pods.get(uid);
    if (pod == null) {
      return null;
    }
    ContainerInstance after;
    boolean changed;
    synchronized (pod) {
      List<ContainerInstance> list = pod.containers.get(container);
      if (list == null || list.isEmpty() || list.get(list.size() - 1).attempt() != attempt) {
        return null;
      }
      ContainerInstance before = list.get(list.size() - 1);
      after = f.apply(before);
      changed = after != before;
      list.set(list.size() - 1, after);
    }
    if (changed) {
      listeners.forEach(l -> l.accept(uid));
    }
    return after;
  }

  @Override
  public CompletableFuture<ContainerInstance> stop(String podUid, String container, Duration grace) {
    Pod pod = pods.get(podUid);
    if (pod == null) {
      return CompletableFuture.completedFuture(null);
    }
    int attempt;
    synchronized (pod) {
      ScheduledFuture<?> t = pod.timers.remove(container);
      if (t != null) {
        t.cancel(false);
      }
      List<ContainerInstance> list = pod.containers.get(container);
      if (list == null || list.isEmpty()) {
        return CompletableFuture.completedFuture(null);
      }
      attempt = list.get(list.size() - 1).attempt();
    }
    // A simulated container honours SIGTERM at once: exit code 143 (128 + SIGTERM), as most servers do.
    ContainerInstance after = transition(podUid, container, attempt,
        i -> i.exited() ? i : i.exited(143, Instant.now(), null));
    return CompletableFuture.completedFuture(after);
  }

  @Override
  public List<ContainerInstance> containers(String podUid) {
    Pod pod = pods.get(podUid);
    if (pod == null) {
      return List.of();
    }
    List<ContainerInstance> out = new ArrayList<>();
    synchronized (pod) {
      for (List<ContainerInstance> list : pod.containers.values()) {
        for (int i = list.size() - 1; i >= 0; i--) {
          out.add(list.get(i));
        }
      }
    }
    return out;
  }

  @Override
  public Set<String> pods() {
    return Set.copyOf(pods.keySet());
  }

  @Override
  public void removePod(String podUid) {
    Pod pod = pods.remove(podUid);
    if (pod != null) {
      synchronized (pod) {
        pod.timers.values().forEach(t -> t.cancel(false));
      }
    }
  }

  /** What the simulated runtime did with the instance (no process prints anything): created, started, exited. */
  @Override
  public Optional<String> logs(String podUid, String container, boolean previous) {
    Pod pod = pods.get(podUid);
    if (pod == null) {
      return Optional.empty();
    }
    ContainerInstance i;
    synchronized (pod) {
      List<ContainerInstance> list = pod.containers.get(container);
      int idx = list == null ? -1 : list.size() - (previous ? 2 : 1);
      if (idx < 0) {
        return Optional.empty();
      }
      i = list.get(idx);
    }
    StringBuilder out = new StringBuilder();
    out.append(i.createdAt()).append(" simulated container ").append(i.id()).append(" created\n");
    if (i.startedAt() != null && !"StartError".equals(i.reason())) {
      out.append(i.startedAt()).append(" simulated container ").append(i.id()).append(" started\n");
    }
    if (i.exited()) {
      out.append(i.finishedAt()).append(" simulated container ").append(i.id()).append(" exited with code ")
          .append(i.exitCode()).append(" (").append(i.reason()).append(")\n");
    }
    return Optional.of(out.toString());
  }

  @Override
  public int exec(String podUid, String container, List<String> command, Duration timeout) {
    return 0;
  }

  @Override
  public boolean realNetwork() {
    return false;
  }

  @Override
  public void onChange(Consumer<String> podUidListener) {
    listeners.add(podUidListener);
  }

  @Override
  public void close() {
    listeners.clear();
  }

  @Override
  public void stopAll(Duration grace) {
    for (String uid : pods()) {
      removePod(uid);
    }
    close();
  }

  private static Duration duration(String millis, Duration dflt) {
    if (millis == null) {
      return dflt == null ? null : dflt;
    }
    try {
      return Duration.ofMillis(Long.parseLong(millis.trim()));
    } catch (NumberFormatException e) {
      return dflt;
    }
  }
}
