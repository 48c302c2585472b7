package io.kafkube.load;

import io.kafkube.schemas.avro.KafkubeSchemas;
import io.kafkube.schemas.envelope.Envelopes;
import io.kafkube.schemas.envelope.Op;
import io.kafkube.schemas.envelope.ReplyView;
import io.kafkube.schemas.envelope.User;
import io.kafkube.schemas.meta.AvroPaths;
import io.kafkube.schemas.meta.Meta;
import io.kafkube.schemas.resource.ResourceRegistry;
import io.kafkube.schemas.resource.ResourceType;
import io.kafkube.store.client.CommandClient;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/**
 * The store's write path without HTTP: C concurrent writers send CREATE and UPDATE commands of
 * objects with a 256-byte value and wait for each reply. Prints acknowledged writes/s and latency
 * percentiles for each C. Everything runs in this JVM: the broker, the registry, the store.
 *
 * <p>Usage: {@code StoreWriteBenchmark [--seconds S] [--clients 1,16,256] [--partitions P]}.
 */
public final class StoreWriteBenchmark {
  private static final ResourceType CONFIGMAPS = ResourceRegistry.kubernetes().byGroupResource("configmaps").orElseThrow();
  private static final String VALUE = "v".repeat(256);

  private StoreWriteBenchmark() {}

  /** One measured level. */
  public record Result(int clients, long writes, double seconds, Histogram latencyMicros, long failures) {
    double perSecond() {
      return writes / seconds;
    }
  }

  public static void main(String[] args) throws Exception {
    int seconds = 15;
    int partitions = 6;
    int[] levels = {1, 16, 256};
    long commitMs = io.kafkube.store.StoreConfig.defaults().commitIntervalMs();
    int threads = io.kafkube.store.StoreConfig.defaults().threads();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--seconds" -> seconds = Integer.parseInt(args[++i]);
        case "--partitions" -> partitions = Integer.parseInt(args[++i]);
        case "--store-commit-ms" -> commitMs = Long.parseLong(args[++i]);
        case "--store-threads" -> threads = Integer.parseInt(args[++i]);
        case "--clients" -> levels = java.util.Arrays.stream(args[++i].split(",")).mapToInt(Integer::parseInt).toArray();
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    PrintStream out = System.out;
    long commit = commitMs;
    int storeThreads = threads;
    try (BenchCluster cluster = new BenchCluster(partitions,
        c -> c.withCommitInterval(commit, c.pollMs()).withThreads(storeThreads));
         CommandClient client = new CommandClient(cluster.kafka.bootstrapServers(), cluster.topics, -1)) {
      out.printf("store write benchmark: %d partitions, exactly_once_v2, %d stream threads, commit.interval.ms=%d, poll.ms=%d, "
              + "producer acks=all idempotent, broker in this JVM (RF 1, no fsync per write: Kafka relies on "
              + "replication, log.flush.interval.messages unlimited), %d cores, max heap %d MiB%n",
          partitions, cluster.storeConfig.threads(), cluster.storeConfig.commitIntervalMs(), cluster.storeConfig.pollMs(),
          Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);
      out.println("objects: ConfigMap with one 256-byte value; each writer alternates CREATE of a new object and "
          + "UPDATE of it (precondition: its resourceVersion)");
      run(client, 64, 10, "warm-up"); // JIT and page cache, not measured
      out.printf("%-8s %10s %10s %10s %10s %10s %8s  %s%n", "clients", "writes", "writes/s", "p50 ms", "p99 ms",
          "p99.9 ms", "errors", "JVM CPU");
      for (int c : levels) {
        ProcessCpu cpu = ProcessCpu.start();
        Result r = run(client, c, seconds, "c" + c);
        out.printf(Locale.ROOT, "%-8d %10d %10.0f %10.2f %10.2f %10.2f %8d  %s%n", c, r.writes(), r.perSecond(),
            r.latencyMicros().getValueAtPercentile(50) / 1000.0, r.latencyMicros().getValueAtPercentile(99) / 1000.0,
            r.latencyMicros().getValueAtPercentile(99.9) / 1000.0, r.failures(), cpu.summary(r.writes()));
      }
    }
    System.exit(0);
  }

  /** C writers, each with one command in flight, for {@code seconds}. */
  public static Result run(CommandClient client, int clients, int seconds, String tag) throws InterruptedException {
    Histogram h = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
    AtomicLong writes = new AtomicLong();
    AtomicLong failures = new AtomicLong();
    AtomicLong seq = new AtomicLong();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    CountDownLatch done = new CountDownLatch(clients);
    long start = System.nanoTime();
    for (int w = 0; w < clients; w++) {
      new Writer(client, tag + "-w" + w, h, writes, failures, seq, deadline, done).next(null);
    }
    done.await();
    double elapsed = (System.nanoTime() - start) / 1e9;
    return new Result(clients, writes.get(), elapsed, h, failures.get());
  }

  /** One writer: create an object, update it, create the next, … each after the previous reply. */
  private static final class Writer {
    private final CommandClient client;
    private final String prefix;
    private final Histogram histogram;
    private final AtomicLong writes;
    private final AtomicLong failures;
    private final AtomicLong seq;
    private final long deadline;
    private final CountDownLatch done;

    Writer(CommandClient client, String prefix, Histogram h, AtomicLong writes, AtomicLong failures, AtomicLong seq,
        long deadline, CountDownLatch done) {
      this.client = client;
      this.prefix = prefix;
      this.histogram = h;
      this.writes = writes;
      this.failures = failures;
      this.seq = seq;
      this.deadline = deadline;
      this.done = done;
    }

    void next(GenericRecord last) {
      if (System.nanoTime() >= deadline) {
        done.countDown();
        return;
      }
      GenericRecord cmd;
      if (last == null) {
        String name = prefix + "-" + seq.incrementAndGet();
        GenericRecord cm = new GenericData.Record(KafkubeSchemas.kind(CONFIGMAPS));
        Meta.set(cm, "name", name);
        Meta.set(cm, "namespace", "default");
        cm.put("data", Map.of("value", VALUE));
        cmd = Envelopes.command(Op.CREATE, CONFIGMAPS.key("default", name).toString(), CONFIGMAPS.groupResource(),
            User.system("bench"), client.newRequestId()).object(cm).replyPartition(client.replyPartition()).build();
      } else {
        GenericRecord cm = AvroPaths.copy(last);
        cm.put("data", Map.of("value", VALUE, "updated", "yes"));
        cmd = Envelopes.command(Op.UPDATE, CONFIGMAPS.key("default", Meta.name(cm)).toString(),
            CONFIGMAPS.groupResource(), User.system("bench"), client.newRequestId()).object(cm)
            .replyPartition(client.replyPartition()).build();
      }
      long t0 = System.nanoTime();
      boolean wasCreate = last == null;
      client.send(cmd).whenComplete((ReplyView r, Throwable e) -> {
        long micros = (System.nanoTime() - t0) / 1000;
        synchronized (histogram) {
          histogram.recordValue(Math.min(micros, histogram.getHighestTrackableValue()));
        }
        if (e != null || !r.success()) {
          failures.incrementAndGet();
          next(null);
          return;
        }
        writes.incrementAndGet();
        next(wasCreate ? r.object() : null);
      });
    }
  }
}
