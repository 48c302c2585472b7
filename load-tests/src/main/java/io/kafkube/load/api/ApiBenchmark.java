package io.kafkube.load.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kafkube.api.ApiServer;
import io.kafkube.api.ops.RequestLog;
import io.kafkube.cli.up.LocalCluster;
import io.kafkube.load.BrokerRequests;
import io.kafkube.load.ClientRequests;
import io.kafkube.load.CpuProbe;
import io.kafkube.load.GcPauses;
import io.kafkube.load.HostCpu;
import io.kafkube.load.NativeThreads;
import io.kafkube.load.ProcessCpu;
import io.kafkube.load.StreamLoops;
import io.kafkube.load.ThreadCpu;
import io.kafkube.store.StoreConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;
import org.apache.commons.io.file.PathUtils;

/**
 * The API server under load, as a Kubernetes client sees it: everything in one {@code kafkube up}
 * (broker, registry, store, scheduler, API) in this JVM, requests over HTTPS with the admin's bearer
 * token. Three measurements:
 *
 * <ol>
 *   <li>pod creates with C concurrent clients (each waits for its 201 before the next);
 *   <li>LIST of those pods, namespace and cluster scope, consistent reads (no resourceVersion), JSON
 *       and Table;
 *   <li>watch delivery: W watchers on one namespace, a writer creating pods one after the other; the
 *       latency of each event is the time from the writer's 201 to the watcher reading the event, and
 *       (printed below it) from the writer's POST being sent.
 * </ol>
 *
 * <p>Usage: {@code ApiBenchmark [--clients 64] [--pods 10000] [--lists 20] [--watchers 100]
 * [--watch-writes 200] [--partitions 1] [--nodes 100] [--warmup 250000] [--store-threads 1]}. The nodes are Node objects registered Ready (no agents),
 * so that the scheduler binds the pods as it would in a cluster.
 */
public final class ApiBenchmark {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int WARMUP_ROUND = 5_000;
  /**
   * The warm-up ends after {@link #QUIET_ROUNDS} rounds in a row in which the JIT compiler threads took less
   * than this share of the CPU. At 5% for two rounds, the measured phase still spent 8% of its CPU compiling
   * (the broker's and Streams' per-transaction paths reach C2 last: a transaction carries some sixty creates);
   * at 3% for three it spent 1.4-3.9% in ten runs of thirteen, 5.0-7.7% in the other three.
   */
  private static final double QUIET_JIT_SHARE = 0.03;
  private static final int QUIET_ROUNDS = 3;

  /** What to run. */
  public record Options(int clients, int pods, int lists, int watchers, int watchWrites, int partitions, int nodes,
      int warmup, int storeThreads) {
    public static Options defaults() {
      return new Options(64, 10_000, 20, 100, 200, LocalCluster.DEFAULT_PARTITIONS, 100, 250_000,
          StoreConfig.DEFAULT_THREADS);
    }
  }

  /** One measured phase: how many operations, in what time, with which latencies, how many failed. */
  public record Result(String name, long ops, double seconds, Histogram latencyMicros, long errors) {
    public double perSecond() {
      return ops / seconds;
    }
  }

  private ApiBenchmark() {}

  public static void main(String[] args) throws Exception {
    // One log line per request (tens of thousands) would bury the figures; the audit events are still written.
    System.setProperty("org.slf4j.simpleLogger.log." + RequestLog.LOGGER, "warn");
    Options d = Options.defaults();
    int clients = d.clients();
    int pods = d.pods();
    int lists = d.lists();
    int watchers = d.watchers();
    int watchWrites = d.watchWrites();
    int partitions = d.partitions();
    int nodes = d.nodes();
    int warmup = d.warmup();
    int storeThreads = d.storeThreads();
    for (int i = 0; i + 1 < args.length; i += 2) {
      int v = Integer.parseInt(args[i + 1]);
      switch (args[i]) {
        case "--clients" -> clients = v;
        case "--pods" -> pods = v;
        case "--lists" -> lists = v;
        case "--watchers" -> watchers = v;
        case "--watch-writes" -> watchWrites = v;
        case "--partitions" -> partitions = v;
        case "--nodes" -> nodes = v;
        case "--warmup" -> warmup = v;
        case "--store-threads" -> storeThreads = v;
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    Options o = new Options(clients, pods, lists, watchers, watchWrites, partitions, nodes, warmup, storeThreads);
    Path dir = Files.createTempDirectory("kafkube-api-bench");
    PrintStream out = System.out;
    // No node agent: the benchmark's pods go to Node objects it registers, never to processes of this machine.
    try (LocalCluster cluster = LocalCluster.start(new LocalCluster.Settings(dir, "kafkube", o.partitions(), 0, 0, 0,
        0).withStoreThreads(o.storeThreads()), 0)) {
      out.printf(Locale.ROOT, "API benchmark: one kafkube up in this JVM (broker, registry, store, scheduler, API), "
              + "%d partitions, %d store threads, HTTPS + bearer token, HTTP/1.1 keep-alive, %d cores, max heap %d MiB%n",
          o.partitions(), o.storeThreads(), Runtime.getRuntime().availableProcessors(),
          Runtime.getRuntime().maxMemory() >> 20);
      out.printf("%d Ready nodes registered (Node objects, no agents); the scheduler binds every pod; the request log "
          + "is at WARN (audit events are written)%n", o.nodes());
      List<Result> results = run(cluster.api(), o, out);
      out.println();
      out.printf("%-34s %8s %10s %10s %10s %10s %7s%n", "phase", "ops", "ops/s", "p50 ms", "p99 ms", "p99.9 ms",
          "errors");
      for (Result r : results) {
        out.printf(Locale.ROOT, "%-34s %8d %10.1f %10.2f %10.2f %10.2f %7d%n", r.name(), r.ops(), r.perSecond(),
            ms(r, 50), ms(r, 99), ms(r, 99.9), r.errors());
      }
      out.println("targets: creates >= 2,000/s with p99 <= 1 s at 64 clients; LIST of 10,000 pods p99 <= 1 s; "
          + "watch delivery p99 <= 100 ms");
    } finally {
      PathUtils.deleteDirectory(dir); // a run leaves a gigabyte of logs and state otherwise
    }
    System.exit(0);
  }

  private static double ms(Result r, double percentile) {
    return r.latencyMicros().getValueAtPercentile(percentile) / 1000.0;
  }

  private static final String TABLE = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json";

  /** Runs the three phases against an API server; prints progress lines. */
  public static List<Result> run(ApiServer api, Options o, PrintStream out) throws Exception {
    ApiHttp http = new ApiHttp(api.url(), api.caCertPath(), api.adminToken());
    registerNodes(http, o.nodes());
    createNamespace(http, "bench");
    createNamespace(http, "watch");
    List<Result> results = new ArrayList<>();
    try (AsyncCreates creators = new AsyncCreates(api.url(), api.caCertPath(), api.adminToken(), o.clients())) {
      results.add(createPhase(creators, http, o, out));
    }
    // The scheduler is still binding the last pods when the last create is answered: the LISTs measure a
    // cluster at rest, not one busy with that backlog.
    out.printf(Locale.ROOT, "all pods bound %.0f ms after the last create was answered%n",
        awaitBound(http, "bench") / 1e6);

    results.add(lists(http, "LIST ns pods JSON (" + o.pods() + ")", "/api/v1/namespaces/bench/pods",
        "application/json", o.lists(), o.pods(), out));
    results.add(lists(http, "LIST ns pods Table (" + o.pods() + ")", "/api/v1/namespaces/bench/pods", TABLE,
        o.lists(), o.pods(), out));
    results.add(lists(http, "LIST all pods JSON (cluster scope)", "/api/v1/pods", "application/json", o.lists(), -1,
        out));

    results.addAll(watch(http, o.watchers(), o.watchWrites()));
    return results;
  }

  /**
   * The warm-up rounds, then the measured creates, over the same client connections; prints what each
   * took, and for the measured phase where its CPU went.
   */
  private static Result createPhase(AsyncCreates creators, ApiHttp http, Options o, PrintStream out)
      throws Exception {
    // warm-up: JIT, connections, schema ids; not measured. The JIT compiles the write path over the first
    // hundred thousand writes or so, and one quiet round is often followed by a burst of recompilation: rounds
    // of creates until the compiler threads' share of the CPU stays under QUIET_JIT_SHARE for QUIET_ROUNDS
    // rounds in a row, at most --warmup creates. Each round's pods are then deleted at once (grace 0: no agent
    // would end them).
    createNamespace(http, "warmup");
    int round = 0;
    int quietRounds = 0;
    int done = 0;
    for (; done < o.warmup(); round++) {
      int n = Math.min(WARMUP_ROUND, o.warmup() - done);
      Map<String, Long> jit0 = NativeThreads.snapshot();
      ProcessCpu cpu = ProcessCpu.start();
      HostCpu host = HostCpu.start();
      AsyncCreates.Outcome warmed = creates(creators, "warmup", n, "w" + round);
      Result warm = warmed.result();
      double jitShare = NativeThreads.jitUsed(jit0, NativeThreads.snapshot())
          / (double) Math.max(1, cpu.cpuNanos());
      out.printf(Locale.ROOT, "warm-up round %d (not measured): %d creates, %.0f/s, %s, JIT %.1f%% of it; host %s; "
          + "probe %.1f ms; %d connections opened%n", round, warm.ops(), warm.perSecond(), cpu.summary(warm.ops()),
          100 * jitShare, host.summary(), CpuProbe.millis(), warmed.connectionsOpened());
      // The read path warms up too (a cold JVM interprets a LIST's first thousands of items): one LIST of
      // each measured kind over the round's pods.
      for (String[] list : List.of(new String[] {"/api/v1/namespaces/warmup/pods", "application/json"},
          new String[] {"/api/v1/namespaces/warmup/pods", TABLE}, new String[] {"/api/v1/pods", "application/json"})) {
        if (http.get(list[0], list[1]).statusCode() != 200) {
          throw new IllegalStateException("warm-up LIST " + list[0] + " failed");
        }
      }
      HttpResponse<String> gone = http.delete("/api/v1/namespaces/warmup/pods?gracePeriodSeconds=0");
      if (gone.statusCode() != 200) {
        throw new IllegalStateException("deletecollection of the warm-up pods: " + gone.statusCode());
      }
      done += n;
      quietRounds = jitShare < QUIET_JIT_SHARE ? quietRounds + 1 : 0;
      if (quietRounds == QUIET_ROUNDS) {
        round++;
        break;
      }
    }
    out.printf(Locale.ROOT, "warm-up of %d creates in %d rounds: %s%n", done, round, quietRounds == QUIET_ROUNDS
        ? String.format(Locale.ROOT, "the JIT took under %.0f%% of the CPU in each of the last %d",
            100 * QUIET_JIT_SHARE, QUIET_ROUNDS)
        : "stopped at --warmup " + o.warmup() + (done == 0 ? "" : " before the JIT was quiet"));

    // The warm-up's pods are deleted, but their objects fill the old generation: a full collection of them
    // in the measured phase would be the warm-up's cost, not the creates'. Collected here, as JMH can between
    // iterations; the collections the measured creates cause are printed below.
    long gcStart = System.nanoTime();
    System.gc();
    out.printf(Locale.ROOT, "collected the warm-up's garbage in %d ms (System.gc) and waited %d ms for the JVM to be "
        + "quiet (under 0.2 cores busy)%n", (System.nanoTime() - gcStart) / 1_000_000, ProcessCpu.awaitQuiet(0.2, 15_000));
    double probeBefore = CpuProbe.millis();
    ThreadCpu cpu = ThreadCpu.start();
    BrokerRequests requests = BrokerRequests.start();
    StreamLoops loops = StreamLoops.start();
    ClientRequests clients = ClientRequests.start();
    HostCpu host = HostCpu.start();
    AsyncCreates.Outcome measured;
    try (GcPauses gc = GcPauses.start()) {
      measured = creates(creators, "bench", o.pods(), "p");
      gc.print(out);
    }
    Result create = measured.result();
    if (cpu != null) {
      cpu.add("benchmark clients (their own Vert.x event loop)", measured.clientCpuNanos());
      cpu.print(out, create.ops(), 25);
    }
    out.printf(Locale.ROOT, "host CPU in the phase (the whole machine, from /proc/stat): %s; machine speed probe "
        + "(fixed work on every core at once, lower is faster): %.1f ms before the phase, %.1f ms after%n",
        host.summary(), probeBefore, CpuProbe.millis());
    requests.print(out, create.ops());
    clients.print(out, create.ops());
    loops.print(out);
    out.printf(Locale.ROOT, "created %d pods in %.1f s; the clients opened %d connections in the phase (the warm-up "
        + "opened the others)%n", create.ops(), create.seconds(), measured.connectionsOpened());
    return new Result(String.format(Locale.ROOT, "create pod (%d clients)", o.clients()), create.ops(),
        create.seconds(), create.latencyMicros(), create.errors());
  }

  /** Waits until no pod of the namespace is unbound (at most two minutes); the nanoseconds it took. */
  private static long awaitBound(ApiHttp http, String namespace) throws IOException, InterruptedException {
    long start = System.nanoTime();
    String unbound = "/api/v1/namespaces/" + namespace + "/pods?fieldSelector=spec.nodeName%3D&limit=1";
    while (System.nanoTime() - start < TimeUnit.MINUTES.toNanos(2)) {
      HttpResponse<byte[]> r = http.get(unbound, "application/json");
      if (r.statusCode() == 200 && JSON.readTree(r.body()).path("items").isEmpty()) {
        return System.nanoTime() - start;
      }
      Thread.sleep(20);
    }
    throw new IllegalStateException("pods of " + namespace + " still unbound after two minutes");
  }

  /** Ready nodes with room for every pod, as node agents would register them. */
  private static void registerNodes(ApiHttp http, int nodes) throws IOException, InterruptedException {
    for (int i = 0; i < nodes; i++) {
      String name = "bench-node-" + i;
      HttpResponse<String> r = http.post("/api/v1/nodes", "{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{"
          + "\"name\":\"" + name + "\",\"labels\":{\"kubernetes.io/hostname\":\"" + name + "\"}},\"status\":{"
          + "\"capacity\":{\"cpu\":\"64\",\"memory\":\"256Gi\",\"pods\":\"500\"},"
          + "\"allocatable\":{\"cpu\":\"64\",\"memory\":\"256Gi\",\"pods\":\"500\"},"
          + "\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\",\"reason\":\"KubeletReady\"}]}}");
      if (r.statusCode() != 201 && r.statusCode() != 409) {
        throw new IllegalStateException("node " + name + ": " + r.statusCode() + " " + r.body());
      }
    }
  }

  private static void createNamespace(ApiHttp http, String name) throws IOException, InterruptedException {
    HttpResponse<String> r = http.post("/api/v1/namespaces",
        "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"" + name + "\"}}");
    if (r.statusCode() != 201 && r.statusCode() != 409) {
      throw new IllegalStateException("namespace " + name + ": " + r.statusCode() + " " + r.body());
    }
  }

  private static String pod(String name) {
    return "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"" + name
        + "\",\"labels\":{\"app\":\"bench\"}},\"spec\":{\"containers\":[{\"name\":\"app\",\"image\":\"busybox\","
        + "\"command\":[\"sleep\",\"3600\"],\"resources\":{\"requests\":{\"cpu\":\"10m\",\"memory\":\"16Mi\"}}}]}}";
  }

  /** {@code total} pod creates by {@code clients}, each client with one request in flight. */
  static AsyncCreates.Outcome creates(AsyncCreates clients, String namespace, int total, String prefix)
      throws Exception {
    return clients.run("/api/v1/namespaces/" + namespace + "/pods", total, i -> pod(prefix + "-" + i));
  }

  /** {@code n} sequential LISTs; checks the item count when {@code expected >= 0}. */
  static Result lists(ApiHttp http, String name, String path, String accept, int n, int expected, PrintStream out)
      throws IOException, InterruptedException {
    Histogram h = new Histogram(TimeUnit.MINUTES.toMicros(2), 3);
    long errors = 0;
    long start = System.nanoTime();
    for (int i = 0; i < n; i++) {
      long t0 = System.nanoTime();
      HttpResponse<byte[]> r = http.get(path, accept);
      record(h, t0);
      if (i == 0) {
        out.printf(Locale.ROOT, "%s: the first took %.0f ms (it renders the objects the creates and bindings "
            + "left)%n", name, (System.nanoTime() - t0) / 1e6);
      }
      if (r.statusCode() != 200) {
        errors++;
        continue;
      }
      if (expected >= 0 && (i == 0 || i == n - 1)) {
        JsonNode body = JSON.readTree(r.body());
        int count = body.has("rows") ? body.get("rows").size() : body.get("items").size();
        if (count != expected) {
          throw new IllegalStateException(name + ": " + count + " items, expected " + expected);
        }
      }
    }
    return new Result(name, n - errors, (System.nanoTime() - start) / 1e9, h, errors);
  }

  /**
   * W watchers on namespace {@code watch}; one writer creates {@code writes} pods one after the other. For each
   * (watcher, pod): time from the writer's 201 to the ADDED event read by that watcher (0 when the event came
   * first), and time from the writer's POST being sent to the event. The API answers a create once its view
   * has applied it, after handing the event to the watches, so the first is mostly 0; the second bounds the
   * delivery from above (it includes the write itself).
   */
  static List<Result> watch(ApiHttp http, int watchers, int writes) throws Exception {
    Map<String, Long> sent = new ConcurrentHashMap<>();
    Map<String, Long> acked = new ConcurrentHashMap<>();
    List<Map<String, Long>> received = new ArrayList<>();
    List<Stream<String>> streams = new ArrayList<>();
    CountDownLatch allSeen = new CountDownLatch(watchers);
    for (int w = 0; w < watchers; w++) {
      Map<String, Long> seen = new ConcurrentHashMap<>();
      received.add(seen);
      HttpResponse<Stream<String>> r = http.stream("/api/v1/namespaces/watch/pods?watch=true&timeoutSeconds=600");
      if (r.statusCode() != 200) {
        throw new IllegalStateException("watch: " + r.statusCode());
      }
      streams.add(r.body());
      Thread t = new Thread(() -> {
        try {
          r.body().forEach(line -> {
            long now = System.nanoTime();
            try {
              JsonNode ev = JSON.readTree(line);
              if ("ADDED".equals(ev.path("type").asText())) {
                seen.putIfAbsent(ev.path("object").path("metadata").path("name").asText(), now);
                if (seen.size() == writes) {
                  allSeen.countDown();
                }
              }
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          });
        } catch (RuntimeException e) {
          // the stream ends when the benchmark closes it
        }
      }, "watcher-" + w);
      t.setDaemon(true);
      t.start();
    }
    Thread.sleep(500); // watches registered before the first write
    long errors = 0;
    long start = System.nanoTime();
    for (int i = 0; i < writes; i++) {
      String name = "w-" + i;
      sent.put(name, System.nanoTime());
      HttpResponse<String> r = http.post("/api/v1/namespaces/watch/pods", pod(name));
      acked.put(name, System.nanoTime());
      if (r.statusCode() != 201) {
        errors++;
      }
      Thread.sleep(10);
    }
    boolean complete = allSeen.await(60, TimeUnit.SECONDS);
    double seconds = (System.nanoTime() - start) / 1e9;
    Histogram h = new Histogram(TimeUnit.MINUTES.toMicros(2), 3);
    Histogram fromSent = new Histogram(TimeUnit.MINUTES.toMicros(2), 3);
    long missing = 0;
    for (Map<String, Long> seen : received) {
      for (Map.Entry<String, Long> a : acked.entrySet()) {
        Long at = seen.get(a.getKey());
        if (at == null) {
          missing++;
        } else {
          h.recordValue(Math.max(0, (at - a.getValue()) / 1000));
          fromSent.recordValue(Math.max(0, (at - sent.get(a.getKey())) / 1000));
        }
      }
    }
    streams.forEach(Stream::close);
    if (!complete) {
      errors += missing;
    }
    return List.of(
        new Result(String.format(Locale.ROOT, "watch delivery (%d watchers)", watchers), h.getTotalCount(), seconds,
            h, errors),
        new Result("  same, from the POST sent", fromSent.getTotalCount(), seconds, fromSent, errors));
  }

  private static void record(Histogram h, long t0) {
    long micros = (System.nanoTime() - t0) / 1000;
    synchronized (h) {
      h.recordValue(Math.min(micros, h.getHighestTrackableValue()));
    }
  }
}
