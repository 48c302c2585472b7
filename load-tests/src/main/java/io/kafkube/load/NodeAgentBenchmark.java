package io.kafkube.load;

import io.kafkube.agent.AgentConfig;
import io.kafkube.agent.AgentHost;
import io.kafkube.kafka.embedded.EmbeddedKafka;
import io.kafkube.scheduler.SchedulerConfig;
import io.kafkube.scheduler.SchedulerService;
import io.kafkube.schemas.avro.KafkubeSchemas;
import io.kafkube.schemas.envelope.Envelopes;
import io.kafkube.schemas.envelope.Op;
import io.kafkube.schemas.envelope.ReplyView;
import io.kafkube.schemas.envelope.User;
import io.kafkube.schemas.json.KubeJson;
import io.kafkube.schemas.meta.AvroPaths;
import io.kafkube.schemas.resource.ResourceRegistry;
import io.kafkube.schemas.resource.ResourceType;
import io.kafkube.schemas.topic.TopicCatalog;
import io.kafkube.store.StoreConfig;
import io.kafkube.store.StoreService;
import io.kafkube.store.client.CommandClient;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.avro.generic.GenericRecord;
import org.apache.commons.io.file.PathUtils;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The node agent at scale, with {@code --simulate N} (virtual nodes, simulated runtime), after
 * Kubernetes' pod-startup SLO (clusterloader2 "pod startup latency": create → Running as observed by
 * a watcher) and kwok's node density:
 *
 * <ol>
 *   <li><b>startup</b>: N virtual nodes (default 1,000); P pods (default 3,000) created through the
 *       store by concurrent writers, bound by the scheduler, "started" by their agent; latency per pod
 *       = CREATE sent → the pod seen Running on {@code state.pods}.
 *   <li><b>leases</b>: M virtual nodes (default 5,000) registered and renewing their Lease every 10 s;
 *       the agent's retained heap (used heap after full GC, with the agent minus without it), and the
 *       lease renewals per second actually written, over a measured window.
 * </ol>
 * Everything runs in this JVM on loopback: broker, registry, store, scheduler, agent.
 *
 * <p>Usage: {@code NodeAgentBenchmark [--nodes 1000] [--pods 3000] [--lease-nodes 5000]
 * [--lease-seconds 40] [--writers 64] [--rate pods-per-second, 0 = as fast as the writers go] [--partitions 6]
 * [--warmup-pods 6000]}. The warm-up pods are created the same way before the measured ones, as fast as the writers
 * go, and stay on their nodes; they are not measured (the JIT compiles the write path, the scheduler and the agents'
 * sync over the first tens of thousands of writes).
 */
public final class NodeAgentBenchmark {
  private static final ResourceType PODS = ResourceRegistry.kubernetes().byGroupResource("pods").orElseThrow();
  private static final ResourceType LEASES = ResourceRegistry.kubernetes().byGroupResource("leases.coordination.k8s.io")
      .orElseThrow();
  private static final User USER = User.system("bench");

  private NodeAgentBenchmark() {}

  public static void main(String[] args) throws Exception {
    int nodes = 1000;
    int pods = 3000;
    int leaseNodes = 5000;
    int leaseSeconds = 40;
    int writers = 64;
    int partitions = 6;
    int rate = 0;
    int warmup = 6000;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--nodes" -> nodes = Integer.parseInt(args[++i]);
        case "--pods" -> pods = Integer.parseInt(args[++i]);
        case "--lease-nodes" -> leaseNodes = Integer.parseInt(args[++i]);
        case "--lease-seconds" -> leaseSeconds = Integer.parseInt(args[++i]);
        case "--writers" -> writers = Integer.parseInt(args[++i]);
        case "--partitions" -> partitions = Integer.parseInt(args[++i]);
        case "--rate" -> rate = Integer.parseInt(args[++i]);
        case "--warmup-pods" -> warmup = Integer.parseInt(args[++i]);
        case "--store-commit-ms" -> {
          long ms = Long.parseLong(args[++i]);
          java.util.function.UnaryOperator<StoreConfig> before = storeTune;
          storeTune = c -> before.apply(c).withCommitInterval(ms, c.pollMs());
        }
        case "--store-threads" -> {
          int n = Integer.parseInt(args[++i]);
          java.util.function.UnaryOperator<StoreConfig> before = storeTune;
          storeTune = c -> before.apply(c).withThreads(n);
        }
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    PrintStream out = System.out;
    out.printf("node agent benchmark: %d cores, max heap %d MiB, %d partitions, load average at start %.1f%n",
        Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20, partitions,
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    if (nodes > 0 && pods > 0) {
      startup(out, nodes, pods, writers, partitions, rate, warmup);
    }
    if (leaseNodes > 0) {
      leases(out, leaseNodes, leaseSeconds, partitions);
    }
    System.exit(0);
  }

  // ---- pod startup latency ----------------------------------------------------------------------

  static void startup(PrintStream out, int nodes, int pods, int writers, int partitions, int rate, int warmup) throws Exception {
    try (Cluster c = new Cluster(partitions, true)) {
      long t0 = System.nanoTime();
      AgentHost agent = AgentHost.start(c.agentConfig("bench", nodes).build(), c.topics, Duration.ofMinutes(10));
      double registerSec = (System.nanoTime() - t0) / 1e9;
      out.printf(Locale.ROOT, "startup: %d virtual nodes registered (Node + Lease) in %.1f s%n", nodes, registerSec);
      if (warmup > 0) {
        // not measured: the JIT compiles the write path, the scheduler and the agents' sync before the run
        long w0 = System.nanoTime();
        Phase warm = createAtRate(c, "warm", warmup, writers, 0);
        out.printf(Locale.ROOT, "warm-up (not measured): %d pods as fast as %d writers go, %d Running after %.1f s; "
            + "they stay on their nodes%n", warmup, writers, warm.running.size(), (System.nanoTime() - w0) / 1e9);
      }
      ProcessCpu cpu = ProcessCpu.start();
      long start = System.nanoTime();
      Phase run = createAtRate(c, "pod", pods, writers, rate);
      Map<String, Long> sent = run.sent;
      Map<String, Long> bound = run.bound;
      Map<String, Long> running = run.running;
      AtomicLong failures = run.failures;
      double total = (System.nanoTime() - start) / 1e9;
      long[] lat = new long[running.size()];
      int i = 0;
      for (Map.Entry<String, Long> e : running.entrySet()) {
        lat[i++] = (e.getValue() - sent.get(e.getKey())) / 1_000_000;
      }
      Arrays.sort(lat);
      out.printf("%-8s %-8s %-10s %10s %10s %10s %10s %10s %8s%n", "nodes", "pods", "rate", "running", "pods/s",
          "p50 ms", "p99 ms", "max ms", "errors");
      out.printf(Locale.ROOT, "%-8d %-8d %-10s %10d %10.0f %10d %10d %10d %8d%n", nodes, pods,
          rate > 0 ? rate + "/s" : "max", lat.length,
          lat.length / total, pct(lat, 50), pct(lat, 99), lat.length == 0 ? 0 : lat[lat.length - 1], failures.get());
      // where the time goes: created → bound (the scheduler's BIND applied) → Running (the agent's status)
      long[] toBind = stage(sent, bound);
      long[] toRun = stage(bound, running);
      out.printf(Locale.ROOT, "  create→bound p50 %d ms, p99 %d ms; bound→Running p50 %d ms, p99 %d ms%n",
          pct(toBind, 50), pct(toBind, 99), pct(toRun, 50), pct(toRun, 99));
      out.println("  whole JVM (broker, store, scheduler, agent, writers) during the measured run: "
          + cpu.summary(running.size()));
      agent.shutdown(true);
    }
  }

  /** The pods of one phase: when each was sent, seen bound, seen Running; how many writes failed. */
  private record Phase(Map<String, Long> sent, Map<String, Long> bound, Map<String, Long> running,
      AtomicLong failures) {}

  /** Creates {@code count} pods named {@code prefix-i} at {@code rate}/s (0: as fast as the writers go); waits until all run. */
  private static Phase createAtRate(Cluster c, String prefix, int count, int writers, int rate) throws Exception {
    Phase ph = new Phase(new ConcurrentHashMap<>(), new ConcurrentHashMap<>(), new ConcurrentHashMap<>(),
        new AtomicLong());
    Thread watcher = watchRunning(c, ph.sent, ph.bound, ph.running, count);
    Semaphore window = new Semaphore(writers);
    long start = System.nanoTime();
    try (CommandClient client = new CommandClient(c.kafka.bootstrapServers(), c.topics, -1)) {
      for (int i = 0; i < count; i++) {
        String name = prefix + "-" + i;
        String json = """
            {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "%s", "namespace": "default"},
             "spec": {"containers": [{"name": "main", "image": "registry.example/app:1",
                      "resources": {"requests": {"cpu": "10m", "memory": "16Mi"}}}]}}""".formatted(name);
        GenericRecord pod = KubeJson.decode(json.getBytes(StandardCharsets.UTF_8), KafkubeSchemas.kind(PODS)).record();
        String key = PODS.key("default", name).toString();
        GenericRecord cmd = Envelopes.command(Op.CREATE, key, PODS.groupResource(), USER, client.newRequestId())
            .replyPartition(client.replyPartition()).object(pod).build();
        if (rate > 0) {
          long due = start + i * 1_000_000_000L / rate;
          long wait = due - System.nanoTime();
          if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
          }
        }
        window.acquire();
        ph.sent.put(key, System.nanoTime());
        client.send(cmd).whenComplete((ReplyView r, Throwable e) -> {
          window.release();
          if (e != null || r.code() != 201) {
            ph.failures.incrementAndGet();
          }
        });
      }
      watcher.join(TimeUnit.MINUTES.toMillis(10));
    }
    return ph;
  }

  private static long pct(long[] sorted, double p) {
    if (sorted.length == 0) {
      return 0;
    }
    int idx = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, idx))];
  }

  /** Follows state.pods and records when each sent pod is first seen Running; returns when all are. */
  /** The sorted milliseconds from one stage to the next of the pods seen at both. */
  private static long[] stage(Map<String, Long> from, Map<String, Long> to) {
    long[] out = to.entrySet().stream().filter(e -> from.containsKey(e.getKey()))
        .mapToLong(e -> (e.getValue() - from.get(e.getKey())) / 1_000_000).sorted().toArray();
    return out;
  }

  private static Thread watchRunning(Cluster c, Map<String, Long> sent, Map<String, Long> bound,
      Map<String, Long> running, int expected) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, c.kafka.bootstrapServers());
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "20");
    KafkaConsumer<String, GenericRecord> consumer = new KafkaConsumer<>(p, new StringDeserializer(),
        c.topics.state(PODS).valueSerde().deserializer());
    List<TopicPartition> parts = new ArrayList<>();
    for (int i = 0; i < c.topics.partitions(); i++) {
      parts.add(new TopicPartition(c.topics.state(PODS).name(), i));
    }
    consumer.assign(parts);
    consumer.seekToEnd(parts);
    parts.forEach(consumer::position);
    Thread t = new Thread(() -> {
      try (consumer) {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        while (running.size() < expected && System.nanoTime() < deadline) {
          for (ConsumerRecord<String, GenericRecord> r : consumer.poll(Duration.ofMillis(50))) {
            if (r.value() == null || !sent.containsKey(r.key())) {
              continue;
            }
            long now = System.nanoTime();
            String node = AvroPaths.string(AvroPaths.record(r.value(), "spec"), "nodeName");
            if (node != null && !node.isEmpty()) {
              bound.putIfAbsent(r.key(), now);
            }
            if ("Running".equals(AvroPaths.string(AvroPaths.record(r.value(), "status"), "phase"))) {
              running.putIfAbsent(r.key(), now);
            }
          }
        }
      }
    }, "bench-watch");
    t.start();
    return t;
  }

  // ---- lease renewal and heap -------------------------------------------------------------------

  static void leases(PrintStream out, int nodes, int seconds, int partitions) throws Exception {
    try (Cluster c = new Cluster(partitions, false)) {
      long before = usedAfterGc();
      long t0 = System.nanoTime();
      AgentHost agent = AgentHost.start(c.agentConfig("lease", nodes).syncPeriod(Duration.ofSeconds(10)).build(),
          c.topics, Duration.ofMinutes(10));
      double registerSec = (System.nanoTime() - t0) / 1e9;
      Thread.sleep(15_000); // every node has renewed at least once
      AtomicLong renewals = new AtomicLong();
      Thread counter = countLeaseWrites(c, renewals, seconds);
      counter.join();
      long after = usedAfterGc();
      double perNodeKiB = (after - before) / 1024.0 / nodes;
      out.printf("%-8s %12s %14s %16s %16s %14s%n", "nodes", "register s", "renewals/s", "expected/s",
          "agent heap MiB", "KiB per node");
      out.printf(Locale.ROOT, "%-8d %12.1f %14.0f %16.0f %16.1f %14.1f%n", nodes, registerSec,
          renewals.get() / (double) seconds, nodes / 10.0, (after - before) / 1048576.0, perNodeKiB);
      agent.shutdown(true);
    }
  }

  /** Counts the Lease writes seen on state.leases during {@code seconds}. */
  private static Thread countLeaseWrites(Cluster c, AtomicLong count, int seconds) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, c.kafka.bootstrapServers());
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p, new StringDeserializer(),
        new org.apache.kafka.common.serialization.ByteArrayDeserializer());
    List<TopicPartition> parts = new ArrayList<>();
    for (int i = 0; i < c.topics.partitions(); i++) {
      parts.add(new TopicPartition(c.topics.state(LEASES).name(), i));
    }
    consumer.assign(parts);
    consumer.seekToEnd(parts);
    parts.forEach(consumer::position);
    Thread t = new Thread(() -> {
      try (consumer) {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < end) {
          count.addAndGet(consumer.poll(Duration.ofMillis(100)).count());
        }
      }
    }, "bench-leases");
    t.start();
    return t;
  }

  private static long usedAfterGc() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(200);
    }
    Runtime rt = Runtime.getRuntime();
    return rt.totalMemory() - rt.freeMemory();
  }

  /** Broker, registry, store (and scheduler) in this JVM on fresh data. */
  /** The store's settings a run asks for (its defaults unless told otherwise). */
  private static java.util.function.UnaryOperator<StoreConfig> storeTune = c -> c;

  private static final class Cluster implements AutoCloseable {
    final BenchCluster bench;
    final EmbeddedKafka kafka;
    final TopicCatalog topics;
    final SchedulerService scheduler;
    final Path dir;

    Cluster(int partitions, boolean withScheduler) throws Exception {
      bench = new BenchCluster(partitions, storeTune);
      kafka = bench.kafka;
      topics = bench.topics;
      dir = Files.createTempDirectory("kafkube-agent-bench-");
      try (CommandClient client = new CommandClient(kafka.bootstrapServers(), topics, -1)) {
        StoreService.bootstrapNamespaces(client, Duration.ofSeconds(60));
      }
      scheduler = withScheduler ? SchedulerService.start(SchedulerConfig.defaults()
          .withBootstrapServers(kafka.bootstrapServers()).withRegistryUrl(bench.registry.url()).withPartitions(partitions)
          .withStateDir(dir.resolve("scheduler")), topics, Duration.ofMinutes(2)) : null;
    }

    AgentConfig.Builder agentConfig(String name, int simulate) {
      return AgentConfig.defaults().toBuilder().bootstrapServers(kafka.bootstrapServers()).registryUrl(bench.registry.url())
          .partitions(topics.partitions()).nodeName(name).simulate(simulate).dataDir(dir.resolve("agent"))
          .syncPeriod(Duration.ofSeconds(5));
    }

    @Override
    public void close() {
      if (scheduler != null) {
        scheduler.close();
      }
      bench.close();
      try {
        PathUtils.deleteDirectory(dir);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
