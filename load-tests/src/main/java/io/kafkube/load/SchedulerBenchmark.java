package io.kafkube.load;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kafkube.scheduler.SchedulerConfig;
import io.kafkube.scheduler.SchedulerService;
import io.kafkube.schemas.avro.KafkubeSchemas;
import io.kafkube.schemas.envelope.Envelopes;
import io.kafkube.schemas.envelope.Op;
import io.kafkube.schemas.envelope.ReplyView;
import io.kafkube.schemas.envelope.User;
import io.kafkube.schemas.json.Conversion;
import io.kafkube.schemas.json.KubeJson;
import io.kafkube.schemas.meta.AvroPaths;
import io.kafkube.schemas.resource.ResourceRegistry;
import io.kafkube.schemas.resource.ResourceType;
import io.kafkube.schemas.topic.Topic;
import io.kafkube.store.client.CommandClient;
import java.io.PrintStream;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The scheduler's throughput, after kube-scheduler's scheduler_perf {@code SchedulingBasic}: N
 * simulated Node objects, then P pods created through the store by concurrent writers; the scheduler
 * (its Streams topology, exactly-once) binds them through the store. Measures pods bound per second
 * from the first CREATE sent to the last binding seen on {@code state.pods}, and the create→bind
 * latency of each pod (CREATE sent → bound pod seen). Checks that every pod was bound exactly once,
 * that no node is overcommitted and that the workload's constraint holds. Everything runs in this JVM
 * on loopback: the broker, the registry, the store and the scheduler; a fresh cluster per workload.
 *
 * <p>Usage: {@code SchedulerBenchmark [--nodes 5000] [--pods 10000] [--workloads plain,node-affinity,
 * pod-anti-affinity,topology-spread] [--writers 256] [--timeout-seconds 300] [--partitions 6]
 * [--scheduler-commit-ms 50] [--store-commit-ms 10] [--warmup-rounds 3]}.
 *
 * <p>Before the measured workloads, {@code --warmup-rounds} plain workloads of the same size run, each on a
 * throwaway cluster, and are printed but not measured: the JIT compiles the broker's, the store's and the
 * scheduler's paths over the first tens of thousands of pods (on 2 cores, 2.9 ms of CPU per pod in the first
 * round, about 1.2 ms by the fourth), and kube-scheduler, whose numbers these are compared with, is compiled
 * ahead of time. 0 turns the warm-up off and measures a cold JVM.
 */
public final class SchedulerBenchmark {
  private static final ResourceType NODES = ResourceRegistry.kubernetes().byGroupResource("nodes").orElseThrow();
  private static final ResourceType PODS = ResourceRegistry.kubernetes().byGroupResource("pods").orElseThrow();
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final User USER = User.system("bench");
  static final String ZONE = "topology.kubernetes.io/zone";
  static final String HOST = "kubernetes.io/hostname";
  static final int ZONES = 10;
  static final int ANTI_AFFINITY_GROUPS = 4;
  static final long NODE_CPU_MILLI = 4000;
  static final long NODE_MEMORY_MI = 32 * 1024;
  static final int NODE_PODS = 110;
  static final long POD_CPU_MILLI = 100;
  static final long POD_MEMORY_MI = 500;
  /** Longer than the default 30 s: on a loaded machine a BIND can take that long to come back. */
  static final int ASSUME_TIMEOUT_SECONDS = 120;

  /** The four workloads. */
  enum Workload {
    PLAIN("plain", "requests cpu 100m, memory 500Mi (scheduler_perf SchedulingBasic)"),
    NODE_AFFINITY("node-affinity", "plain + required node affinity " + ZONE + " In [zone-0..zone-4] (half the nodes)"),
    POD_ANTI_AFFINITY("pod-anti-affinity", "plain + label group=g0..g" + (ANTI_AFFINITY_GROUPS - 1)
        + " (round robin) and required pod anti-affinity to the own group by " + HOST + " (at most one pod of a group"
        + " per node)"),
    TOPOLOGY_SPREAD("topology-spread", "plain + label app=spread and a topology spread constraint maxSkew 1, "
        + "topologyKey " + ZONE + " (" + ZONES + " zones), whenUnsatisfiable DoNotSchedule, selector app=spread");

    final String id;
    final String description;

    Workload(String id, String description) {
      this.id = id;
      this.description = description;
    }

    static Workload of(String id) {
      for (Workload w : values()) {
        if (w.id.equals(id)) {
          return w;
        }
      }
      throw new IllegalArgumentException("unknown workload " + id);
    }
  }

  /** One measured workload. */
  record Result(Workload workload, int pods, int bound, double seconds, Histogram latencyMicros, long createErrors,
      List<String> violations) {
    double perSecond() {
      return bound / seconds;
    }
  }

  private static SchedulerConfig schedulerConfig = SchedulerConfig.defaults();
  private static long storeCommitMs = io.kafkube.store.StoreConfig.defaults().commitIntervalMs();

  private SchedulerBenchmark() {}

  public static void main(String[] args) throws Exception {
    int nodes = 5000;
    int pods = 10_000;
    int writers = 256;
    int timeoutSeconds = 300;
    int partitions = 6;
    long commitMs = SchedulerConfig.defaults().commitIntervalMs();
    List<Workload> workloads = List.of(Workload.values());
    int warmupRounds = 3;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--nodes" -> nodes = Integer.parseInt(args[++i]);
        case "--pods" -> pods = Integer.parseInt(args[++i]);
        case "--writers" -> writers = Integer.parseInt(args[++i]);
        case "--timeout-seconds" -> timeoutSeconds = Integer.parseInt(args[++i]);
        case "--partitions" -> partitions = Integer.parseInt(args[++i]);
        case "--scheduler-commit-ms" -> commitMs = Long.parseLong(args[++i]);
        case "--store-commit-ms" -> storeCommitMs = Long.parseLong(args[++i]);
        case "--warmup-rounds" -> warmupRounds = Integer.parseInt(args[++i]);
        case "--workloads" -> workloads = java.util.Arrays.stream(args[++i].split(",")).map(Workload::of).toList();
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    PrintStream out = System.out;
    out.printf("scheduler benchmark: %d nodes (Node objects, no agents; allocatable cpu 4, memory 32Gi, pods %d; "
            + "labels %s, %s = zone-(i mod %d)), %d pods created through the store by %d concurrent writers; "
            + "broker, registry, store and scheduler in this JVM (loopback, RF 1, exactly_once_v2), %d partitions, "
            + "%d cores, max heap %d MiB; a fresh cluster per workload%n",
        nodes, NODE_PODS, HOST, ZONE, ZONES, pods, writers, partitions, Runtime.getRuntime().availableProcessors(),
        Runtime.getRuntime().maxMemory() >> 20);
    SchedulerConfig defaults = SchedulerConfig.defaults().withCommitInterval(commitMs, SchedulerConfig.defaults().pollMs());
    schedulerConfig = defaults;
    out.printf("scheduler: punctuate every %d ms, batch %d, assume timeout %d s, percentageOfNodesToScore %d "
            + "(adaptive: %d of %d nodes), scheduler commit.interval.ms %d, store commit.interval.ms %d%n", defaults.punctuateInterval().toMillis(),
        defaults.batchSize(), ASSUME_TIMEOUT_SECONDS,
        defaults.percentageOfNodesToScore(),
        io.kafkube.scheduler.framework.SchedulingAlgorithm.numFeasibleNodesToFind(0, nodes), nodes,
        defaults.commitIntervalMs(), storeCommitMs);
    for (int r = 1; r <= warmupRounds; r++) {
      out.printf("warm-up %d of %d (not measured): plain, %d pods on %d nodes, a throwaway cluster%n", r, warmupRounds,
          pods, nodes);
      run(Workload.PLAIN, nodes, pods, writers, timeoutSeconds, partitions, out);
    }
    List<Result> results = new ArrayList<>();
    for (Workload w : workloads) {
      out.printf("workload %s: %s%n", w.id, w.description);
      results.add(run(w, nodes, pods, writers, timeoutSeconds, partitions, out));
    }
    out.println();
    out.printf("%-18s %8s %8s %10s %10s %10s %10s %8s %s%n", "workload", "pods", "bound", "seconds", "pods/s",
        "p50 ms", "p99 ms", "errors", "violations");
    for (Result r : results) {
      out.printf(Locale.ROOT, "%-18s %8d %8d %10.2f %10.0f %10.1f %10.1f %8d %s%n", r.workload().id, r.pods(),
          r.bound(), r.seconds(), r.perSecond(), r.latencyMicros().getValueAtPercentile(50) / 1000.0,
          r.latencyMicros().getValueAtPercentile(99) / 1000.0, r.createErrors(),
          r.violations().isEmpty() ? "none" : r.violations());
    }
    System.exit(0);
  }

  static Result run(Workload w, int nodes, int pods, int writers, int timeoutSeconds, int partitions,
      PrintStream out) throws Exception {
    try (BenchCluster cluster = new BenchCluster(partitions, c -> c.withCommitInterval(storeCommitMs, c.pollMs()));
         CommandClient client = new CommandClient(cluster.kafka.bootstrapServers(), cluster.topics, -1)) {
      SchedulerConfig cfg = schedulerConfig.withBootstrapServers(cluster.kafka.bootstrapServers())
          .withRegistryUrl(cluster.registry.url()).withPartitions(partitions)
          .withStateDir(Files.createTempDirectory("kafkube-bench-scheduler-"))
          .withAssumeTimeout(Duration.ofSeconds(ASSUME_TIMEOUT_SECONDS));
      long t0 = System.nanoTime();
      Semaphore window = new Semaphore(writers);
      AtomicLong errors = new AtomicLong();
      for (int i = 0; i < nodes; i++) {
        send(client, window, errors, Op.CREATE, NODES.key(null, nodeName(i)).toString(), NODES, node(i), null);
      }
      window.acquire(writers);
      window.release(writers);
      out.printf(Locale.ROOT, "  %d nodes created in %.1f s (%d errors)%n", nodes, (System.nanoTime() - t0) / 1e9,
          errors.get());
      try (SchedulerService scheduler = SchedulerService.start(cfg, cluster.topics, Duration.ofMinutes(2));
           BindWatcher watcher = new BindWatcher(cluster, pods)) {
        awaitCaughtUp(cluster, cluster.topics.state(NODES), Duration.ofSeconds(120));
        Map<String, Long> created = new ConcurrentHashMap<>();
        AtomicLong createErrors = new AtomicLong();
        ProcessCpu cpu = ProcessCpu.start();
        long start = System.nanoTime();
        for (int i = 0; i < pods; i++) {
          String name = "pod-" + i;
          String key = PODS.key("default", name).toString();
          created.put(key, System.nanoTime());
          send(client, window, createErrors, Op.CREATE, key, PODS, pod(w, i), null);
        }
        long sent = System.nanoTime();
        long deadline = start + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        window.acquire(writers);
        window.release(writers);
        long acked = System.nanoTime();
        out.printf(Locale.ROOT, "  %d pod CREATEs sent in %.2f s, all acknowledged after %.2f s (%d bound by then)%n",
            pods, (sent - start) / 1e9, (acked - start) / 1e9, watcher.bindNanos.size());
        watcher.awaitAll(deadline);
        long end = watcher.lastBindNanos();
        window.acquire(writers);
        window.release(writers);
        Histogram h = new Histogram(TimeUnit.SECONDS.toMicros(3600), 3);
        watcher.bindNanos.forEach((key, at) -> {
          Long c = created.get(key);
          if (c != null) {
            h.recordValue(Math.max(0, Math.min((at - c) / 1000, h.getHighestTrackableValue())));
          }
        });
        List<String> violations = watcher.check(w, nodes);
        out.println("  " + watcher.bindSendSpan(start));
        out.println("  whole JVM (broker, store, scheduler, writers) until the last bind: "
            + cpu.summary(watcher.bindNanos.size()));
        int bound = watcher.bindNanos.size();
        double seconds = (Math.max(end, start) - start) / 1e9;
        out.printf(Locale.ROOT, "  %d/%d pods bound in %.2f s: %.0f pods/s, create→bind p50 %.1f ms, p99 %.1f ms, "
                + "max %.1f ms; %d create errors; %s%n", bound, pods, seconds, bound / seconds,
            h.getValueAtPercentile(50) / 1000.0, h.getValueAtPercentile(99) / 1000.0, h.getMaxValue() / 1000.0,
            createErrors.get(), violations.isEmpty() ? "every pod bound once, no overcommit, constraint held"
                : "VIOLATIONS " + violations);
        return new Result(w, pods, bound, seconds, h, createErrors.get(), violations);
      }
    }
  }

  private static void send(CommandClient client, Semaphore window, AtomicLong errors, Op op, String key,
      ResourceType type, GenericRecord obj, String rv) throws InterruptedException {
    window.acquire();
    GenericRecord cmd = Envelopes.command(op, key, type.groupResource(), USER, client.newRequestId()).object(obj)
        .replyPartition(client.replyPartition()).build();
    client.send(cmd).whenComplete((ReplyView r, Throwable e) -> {
      if (e != null || !r.success()) {
        errors.incrementAndGet();
      }
      window.release();
    });
  }

  /** Waits until the scheduler's consumer group has committed the end of the topic. */
  private static void awaitCaughtUp(BenchCluster cluster, Topic<String, GenericRecord> topic, Duration timeout)
      throws Exception {
    String group = cluster.topics.applicationId("scheduler");
    long deadline = System.nanoTime() + timeout.toNanos();
    try (Admin admin = Admin.create(cluster.kafka.clientProperties())) {
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      for (int p = 0; p < topic.partitions(); p++) {
        latest.put(new TopicPartition(topic.name(), p), OffsetSpec.latest());
      }
      var ends = admin.listOffsets(latest).all().get();
      while (System.nanoTime() < deadline) {
        Map<TopicPartition, OffsetAndMetadata> committed =
            admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
        boolean caughtUp = true;
        for (var e : ends.entrySet()) {
          OffsetAndMetadata c = committed.get(e.getKey());
          if (e.getValue().offset() > 0 && (c == null || c.offset() < e.getValue().offset())) {
            caughtUp = false;
          }
        }
        if (caughtUp) {
          Thread.sleep(1000); // the repartitioned events reach the task
          return;
        }
        Thread.sleep(200);
      }
      throw new IllegalStateException("the scheduler did not read the nodes within " + timeout);
    }
  }

  static String nodeName(int i) {
    return String.format(Locale.ROOT, "node-%05d", i);
  }

  static String zone(int i) {
    return "zone-" + (i % ZONES);
  }

  static GenericRecord node(int i) {
    ObjectNode root = F.objectNode();
    root.put("apiVersion", "v1");
    root.put("kind", "Node");
    ObjectNode meta = root.putObject("metadata");
    meta.put("name", nodeName(i));
    ObjectNode labels = meta.putObject("labels");
    labels.put(HOST, nodeName(i));
    labels.put(ZONE, zone(i));
    ObjectNode status = root.putObject("status");
    ObjectNode alloc = status.putObject("allocatable");
    alloc.put("cpu", "4");
    alloc.put("memory", "32Gi");
    alloc.put("pods", Integer.toString(NODE_PODS));
    status.set("capacity", alloc.deepCopy());
    ObjectNode ready = status.putArray("conditions").addObject();
    ready.put("type", "Ready");
    ready.put("status", "True");
    return avro(root, NODES);
  }

  static GenericRecord pod(Workload w, int i) {
    ObjectNode root = F.objectNode();
    root.put("apiVersion", "v1");
    root.put("kind", "Pod");
    ObjectNode meta = root.putObject("metadata");
    meta.put("name", "pod-" + i);
    meta.put("namespace", "default");
    ObjectNode labels = meta.putObject("labels");
    ObjectNode spec = root.putObject("spec");
    ObjectNode c = spec.putArray("containers").addObject();
    c.put("name", "pause");
    c.put("image", "registry.k8s.io/pause:3.10");
    ObjectNode req = c.putObject("resources").putObject("requests");
    req.put("cpu", POD_CPU_MILLI + "m");
    req.put("memory", POD_MEMORY_MI + "Mi");
    switch (w) {
      case PLAIN -> { }
      case NODE_AFFINITY -> {
        ObjectNode expr = spec.putObject("affinity").putObject("nodeAffinity")
            .putObject("requiredDuringSchedulingIgnoredDuringExecution").putArray("nodeSelectorTerms").addObject()
            .putArray("matchExpressions").addObject();
        expr.put("key", ZONE);
        expr.put("operator", "In");
        ArrayNode values = expr.putArray("values");
        for (int z = 0; z < ZONES / 2; z++) {
          values.add("zone-" + z);
        }
      }
      case POD_ANTI_AFFINITY -> {
        String group = "g" + (i % ANTI_AFFINITY_GROUPS);
        labels.put("group", group);
        ObjectNode term = spec.putObject("affinity").putObject("podAntiAffinity")
            .putArray("requiredDuringSchedulingIgnoredDuringExecution").addObject();
        term.put("topologyKey", HOST);
        term.putObject("labelSelector").putObject("matchLabels").put("group", group);
      }
      case TOPOLOGY_SPREAD -> {
        labels.put("app", "spread");
        ObjectNode tsc = spec.putArray("topologySpreadConstraints").addObject();
        tsc.put("maxSkew", 1);
        tsc.put("topologyKey", ZONE);
        tsc.put("whenUnsatisfiable", "DoNotSchedule");
        tsc.putObject("labelSelector").putObject("matchLabels").put("app", "spread");
      }
    }
    return avro(root, PODS);
  }

  private static GenericRecord avro(ObjectNode json, ResourceType type) {
    Conversion c = KubeJson.toAvro(json, KafkubeSchemas.kind(type));
    if (!c.clean()) {
      throw new IllegalStateException("bad benchmark object: " + c.problems());
    }
    return c.record();
  }

  /** Reads {@code state.pods} and notes when each pod is first seen bound, and to which node. */
  static final class BindWatcher implements AutoCloseable {
    final Map<String, Long> bindNanos = new ConcurrentHashMap<>();
    final Map<String, String> boundTo = new ConcurrentHashMap<>();
    final Map<String, String> podGroup = new ConcurrentHashMap<>();
    final List<String> rebinds = java.util.Collections.synchronizedList(new ArrayList<>());
    private final int expected;
    private final KafkaConsumer<String, GenericRecord> consumer;
    private final KafkaConsumer<String, GenericRecord> commandsConsumer;
    private final Thread commandsThread;
    /** When each BIND command was seen on the commands topic (sent by the scheduler, committed). */
    final Map<String, Long> bindSentNanos = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long lastBind;

    BindWatcher(BenchCluster cluster, int expected) {
      this.expected = expected;
      Topic<String, GenericRecord> pods = cluster.topics.state(PODS);
      Properties p = new Properties();
      p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.kafka.bootstrapServers());
      p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
      p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
      p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "5");
      consumer = new KafkaConsumer<>(p, new StringDeserializer(), pods.valueSerde().deserializer());
      List<TopicPartition> parts = new ArrayList<>();
      for (int i = 0; i < pods.partitions(); i++) {
        parts.add(new TopicPartition(pods.name(), i));
      }
      consumer.assign(parts);
      consumer.seekToBeginning(parts);
      parts.forEach(consumer::position);
      thread = new Thread(this::poll, "bind-watcher");
      thread.setDaemon(true);
      thread.start();
      Topic<String, GenericRecord> commands = cluster.topics.commands();
      commandsConsumer = new KafkaConsumer<>(p, new StringDeserializer(), commands.valueSerde().deserializer());
      List<TopicPartition> cparts = new ArrayList<>();
      for (int i = 0; i < commands.partitions(); i++) {
        cparts.add(new TopicPartition(commands.name(), i));
      }
      commandsConsumer.assign(cparts);
      commandsConsumer.seekToEnd(cparts);
      cparts.forEach(commandsConsumer::position);
      commandsThread = new Thread(this::pollCommands, "bind-command-watcher");
      commandsThread.setDaemon(true);
      commandsThread.start();
    }

    private void pollCommands() {
      while (running) {
        for (ConsumerRecord<String, GenericRecord> r : commandsConsumer.poll(Duration.ofMillis(50))) {
          if (r.value() != null && "BIND".equals(String.valueOf(r.value().get("op")))) {
            bindSentNanos.putIfAbsent(r.key(), System.nanoTime());
          }
        }
      }
    }

    /** The span over which the scheduler's BINDs appeared on the commands topic, in seconds from {@code start}. */
    String bindSendSpan(long start) {
      long first = Long.MAX_VALUE;
      long last = 0;
      for (long t : bindSentNanos.values()) {
        first = Math.min(first, t);
        last = Math.max(last, t);
      }
      if (bindSentNanos.isEmpty()) {
        return "no BIND seen on the commands topic";
      }
      return String.format(Locale.ROOT, "%d BINDs on the commands topic between %.2f s and %.2f s (%.0f/s)",
          bindSentNanos.size(), (first - start) / 1e9, (last - start) / 1e9,
          bindSentNanos.size() / Math.max(1e-3, (last - first) / 1e9));
    }

    private void poll() {
      while (running) {
        for (ConsumerRecord<String, GenericRecord> r : consumer.poll(Duration.ofMillis(50))) {
          if (r.value() == null) {
            continue;
          }
          String node = AvroPaths.string(AvroPaths.record(r.value(), "spec"), "nodeName");
          if (node == null || node.isEmpty()) {
            continue;
          }
          long now = System.nanoTime();
          String before = boundTo.putIfAbsent(r.key(), node);
          if (before == null) {
            bindNanos.put(r.key(), now);
            lastBind = now;
            var labels = io.kafkube.schemas.meta.Meta.labels(r.value());
            if (labels.containsKey("group")) {
              podGroup.put(r.key(), labels.get("group"));
            }
          } else if (!before.equals(node)) {
            rebinds.add(r.key() + " " + before + "->" + node);
          }
        }
      }
    }

    void awaitAll(long deadlineNanos) throws InterruptedException {
      while (bindNanos.size() < expected && System.nanoTime() < deadlineNanos) {
        Thread.sleep(20);
      }
    }

    long lastBindNanos() {
      return lastBind;
    }

    /** Overcommit, rebinding and the workload's constraint, over the final placement. */
    List<String> check(Workload w, int nodes) {
      List<String> v = new ArrayList<>(rebinds);
      Map<String, Integer> perNode = new HashMap<>();
      boundTo.values().forEach(n -> perNode.merge(n, 1, Integer::sum));
      perNode.forEach((n, count) -> {
        if (count > NODE_PODS || count * POD_CPU_MILLI > NODE_CPU_MILLI || count * POD_MEMORY_MI > NODE_MEMORY_MI) {
          v.add("overcommitted " + n + " with " + count + " pods");
        }
      });
      switch (w) {
        case NODE_AFFINITY -> boundTo.forEach((pod, n) -> {
          int i = Integer.parseInt(n.substring("node-".length()));
          if (i % ZONES >= ZONES / 2) {
            v.add(pod + " on " + n + " outside its node affinity");
          }
        });
        case POD_ANTI_AFFINITY -> {
          Map<String, Integer> groupsOnNode = new HashMap<>();
          boundTo.forEach((pod, n) -> groupsOnNode.merge(n + "/" + podGroup.get(pod), 1, Integer::sum));
          groupsOnNode.forEach((k, count) -> {
            if (count > 1) {
              v.add(count + " pods of group " + k + " on one node");
            }
          });
        }
        case TOPOLOGY_SPREAD -> {
          int[] perZone = new int[ZONES];
          boundTo.values().forEach(n -> perZone[Integer.parseInt(n.substring("node-".length())) % ZONES]++);
          int min = java.util.Arrays.stream(perZone).min().orElse(0);
          int max = java.util.Arrays.stream(perZone).max().orElse(0);
          if (max - min > 1) {
            v.add("zone skew " + (max - min) + " " + java.util.Arrays.toString(perZone));
          }
        }
        default -> { }
      }
      return v;
    }

    @Override
    public void close() throws InterruptedException {
      running = false;
      thread.join(5000);
      commandsThread.join(5000);
      consumer.close();
      commandsConsumer.close();
    }
  }
}
