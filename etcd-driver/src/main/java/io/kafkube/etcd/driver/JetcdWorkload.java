package io.kafkube.etcd.driver;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.PutOption;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * Client workloads on jetcd, printed as one {@code RESULT <json>} line:
 * <ul>
 *   <li>{@code cas <endpoint> <clients> <increments>}: each of {@code clients} jetcd clients adds
 *       {@code increments} to one counter with get + compare-and-swap (txn on mod_revision), retrying
 *       on conflict; prints the final value and the expected one.</li>
 *   <li>{@code bench <endpoint> <put|get> <clients> <connections> <warmupSeconds> <seconds>}:
 *       closed-loop clients doing puts of 8-byte keys with 256-byte values, or linearizable gets of
 *       such keys; prints throughput and latency percentiles.</li>
 * </ul>
 */
public final class JetcdWorkload {
  private static final int KEYSPACE = 100_000;

  private JetcdWorkload() {}

  public static void main(String[] args) throws Exception {
    switch (args[0]) {
      case "cas" -> cas(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]));
      case "bench" -> bench(args[1], args[2], Integer.parseInt(args[3]), Integer.parseInt(args[4]),
          Integer.parseInt(args[5]), Integer.parseInt(args[6]));
      default -> throw new IllegalArgumentException("unknown workload " + args[0]);
    }
    System.exit(0);
  }

  private static ByteSequence bytes(String s) {
    return ByteSequence.from(s, StandardCharsets.UTF_8);
  }

  static void cas(String endpoint, int clients, int increments) throws Exception {
    ByteSequence key = bytes("cas-counter-" + System.nanoTime());
    AtomicLong conflicts = new AtomicLong();
    AtomicLong failures = new AtomicLong();
    List<Client> all = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      all.add(Client.builder().endpoints(endpoint).build());
    }
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (Client c : all) {
      Thread t = new Thread(() -> {
        KV kv = c.getKVClient();
        try {
          go.await();
          int done = 0;
          while (done < increments) {
            GetResponse r = kv.get(key).get(30, TimeUnit.SECONDS);
            long value = 0;
            long mod = 0;
            if (!r.getKvs().isEmpty()) {
              KeyValue cur = r.getKvs().get(0);
              value = Long.parseLong(cur.getValue().toString(StandardCharsets.UTF_8));
              mod = cur.getModRevision();
            }
            boolean ok = kv.txn().If(new Cmp(key, Cmp.Op.EQUAL, CmpTarget.modRevision(mod)))
                .Then(Op.put(key, bytes(Long.toString(value + 1)), PutOption.DEFAULT))
                .commit().get(30, TimeUnit.SECONDS).isSucceeded();
            if (ok) {
              done++;
            } else {
              conflicts.incrementAndGet();
            }
          }
        } catch (Exception e) {
          failures.incrementAndGet();
          e.printStackTrace();
        }
      });
      threads.add(t);
      t.start();
    }
    long start = System.nanoTime();
    go.countDown();
    for (Thread t : threads) {
      t.join();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    GetResponse fin = all.get(0).getKVClient().get(key).get(30, TimeUnit.SECONDS);
    long value = fin.getKvs().isEmpty() ? 0 : Long.parseLong(fin.getKvs().get(0).getValue().toString(StandardCharsets.UTF_8));
    long version = fin.getKvs().isEmpty() ? 0 : fin.getKvs().get(0).getVersion();
    all.forEach(Client::close);
    System.out.printf(Locale.ROOT, "%s{\"value\":%d,\"expected\":%d,\"version\":%d,\"conflicts\":%d,\"failures\":%d,"
        + "\"seconds\":%.2f}%n", EtcdDriver.RESULT, value, (long) clients * increments, version, conflicts.get(),
        failures.get(), seconds);
  }

  static void bench(String endpoint, String op, int clients, int connections, int warmup, int seconds)
      throws Exception {
    int conns = Math.max(1, Math.min(connections, clients));
    List<Client> pool = new ArrayList<>();
    for (int i = 0; i < conns; i++) {
      pool.add(Client.builder().endpoints(endpoint).build());
    }
    byte[] value = new byte[256];
    ThreadLocalRandom.current().nextBytes(value);
    ByteSequence val = ByteSequence.from(value);
    if (op.equals("get")) { // the keys the gets read
      KV kv = pool.get(0).getKVClient();
      List<java.util.concurrent.CompletableFuture<?>> f = new ArrayList<>();
      for (int i = 0; i < 1000; i++) {
        f.add(kv.put(key(i), val));
        if (f.size() >= 100) {
          for (var x : f) {
            x.get(60, TimeUnit.SECONDS);
          }
          f.clear();
        }
      }
      for (var x : f) {
        x.get(60, TimeUnit.SECONDS);
      }
    }
    long startAt = System.nanoTime() + TimeUnit.SECONDS.toNanos(warmup);
    long endAt = startAt + TimeUnit.SECONDS.toNanos(seconds);
    Histogram[] hs = new Histogram[clients];
    long[] errors = new long[clients];
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      int id = i;
      hs[i] = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
      KV kv = pool.get(i % conns).getKVClient();
      Thread t = new Thread(() -> {
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        while (true) {
          long t0 = System.nanoTime();
          if (t0 >= endAt) {
            break;
          }
          try {
            ByteSequence k = op.equals("get") ? key(rnd.nextInt(1000)) : key(rnd.nextInt(KEYSPACE));
            if (op.equals("get")) {
              kv.get(k).get(60, TimeUnit.SECONDS);
            } else {
              kv.put(k, val).get(60, TimeUnit.SECONDS);
            }
            long t1 = System.nanoTime();
            if (t0 >= startAt && t1 <= endAt) {
              hs[id].recordValue(Math.min(t1 - t0, TimeUnit.SECONDS.toNanos(60)));
            }
          } catch (Exception e) {
            if (System.nanoTime() >= startAt) {
              errors[id]++;
            }
          }
        }
      });
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
    for (Thread t : threads) {
      t.join();
    }
    Histogram total = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
    long errs = 0;
    for (int i = 0; i < clients; i++) {
      total.add(hs[i]);
      errs += errors[i];
    }
    pool.forEach(Client::close);
    long ops = total.getTotalCount();
    System.out.printf(Locale.ROOT, "%s{\"op\":\"%s\",\"clients\":%d,\"connections\":%d,\"ops\":%d,\"seconds\":%d,"
        + "\"throughput\":%.1f,\"p50ms\":%.3f,\"p99ms\":%.3f,\"maxms\":%.3f,\"errors\":%d}%n", EtcdDriver.RESULT, op,
        clients, conns, ops, seconds, ops / (double) seconds, total.getValueAtPercentile(50) / 1e6,
        total.getValueAtPercentile(99) / 1e6, total.getMaxValue() / 1e6, errs);
  }

  /** An 8-byte key. */
  private static ByteSequence key(int i) {
    return bytes(String.format(Locale.ROOT, "k%07d", i));
  }
}
