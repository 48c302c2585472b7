package io.kafkube.store;

import io.kafkube.schemas.config.Flags;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * The store's typed configuration, parsed once: defaults, then environment variables
 * ({@code KAFKUBE_BOOTSTRAP_SERVERS}, …), then flags ({@code --bootstrap-servers=…}).
 *
 * @param commitIntervalMs Streams' commit interval; with {@code pollMs} it bounds write latency
 * @param pollMs           Streams' {@code poll.ms}; must be lowered together with the commit interval
 */
public record StoreConfig(
    String bootstrapServers,
    String registryUrl,
    String prefix,
    int partitions,
    short replicationFactor,
    Path stateDir,
    long commitIntervalMs,
    long pollMs,
    int threads) {

  public static final int DEFAULT_PARTITIONS = 6;
  public static final int DEFAULT_THREADS = 1;

  public StoreConfig {
    Objects.requireNonNull(bootstrapServers, "bootstrapServers");
    Objects.requireNonNull(registryUrl, "registryUrl");
    Objects.requireNonNull(prefix, "prefix");
    Objects.requireNonNull(stateDir, "stateDir");
    if (partitions < 1 || threads < 1 || commitIntervalMs < 0 || pollMs < 0) {
      throw new IllegalArgumentException("invalid store configuration");
    }
  }

  /**
   * One stream thread committing every 5 ms. Every commit is a Kafka transaction, and a transaction costs
   * the broker about six requests (the produce, two partition additions, the offsets, the end, the markers)
   * whatever it carries. Two threads at 10 ms made twice the transactions of one thread at 10 ms for the same
   * writes, and one thread at 10 ms waited too long per write. One thread at 5 ms commits 55-65 times a second
   * under the API benchmark, carrying all six tasks' writes: 0.5-0.7 broker requests per create instead of 0.8.
   * Two threads at 5 ms (one commits while the other works) kept the 2-core machine busier (1.86-1.92 cores
   * instead of 1.68-1.75) but took 0.9-1.4 broker requests per create and more CPU; in four pairs of API
   * benchmark runs one after the other, two threads won one (1,993 against 1,914 creates/s) and lost three
   * (1,469 against 1,612, 1,318 against 1,593, and at 2 partitions 826 against 1,185), so
   * {@link #DEFAULT_THREADS} stays 1 on two cores.
   */
  public static StoreConfig defaults() {
    return new StoreConfig("127.0.0.1:9092", "http://127.0.0.1:8081", "kafkube", DEFAULT_PARTITIONS, (short) 1,
        Path.of("data", "store"), 5, 5, DEFAULT_THREADS);
  }

  public StoreConfig withBootstrapServers(String v) {
    return new StoreConfig(v, registryUrl, prefix, partitions, replicationFactor, stateDir, commitIntervalMs,
        pollMs, threads);
  }

  public StoreConfig withRegistryUrl(String v) {
    return new StoreConfig(bootstrapServers, v, prefix, partitions, replicationFactor, stateDir, commitIntervalMs,
        pollMs, threads);
  }

  public StoreConfig withStateDir(Path v) {
    return new StoreConfig(bootstrapServers, registryUrl, prefix, partitions, replicationFactor, v,
        commitIntervalMs, pollMs, threads);
  }

  public StoreConfig withPartitions(int v) {
    return new StoreConfig(bootstrapServers, registryUrl, prefix, v, replicationFactor, stateDir,
        commitIntervalMs, pollMs, threads);
  }

  public StoreConfig withPrefix(String v) {
    return new StoreConfig(bootstrapServers, registryUrl, v, partitions, replicationFactor, stateDir,
        commitIntervalMs, pollMs, threads);
  }

  public StoreConfig withThreads(int v) {
    return new StoreConfig(bootstrapServers, registryUrl, prefix, partitions, replicationFactor, stateDir,
        commitIntervalMs, pollMs, v);
  }

  public StoreConfig withCommitInterval(long commitMs, long pollMs) {
    return new StoreConfig(bootstrapServers, registryUrl, prefix, partitions, replicationFactor, stateDir,
        commitMs, pollMs, threads);
  }

  /** Applies {@code KAFKUBE_*} environment variables and then {@code --name=value} flags. */
  public static StoreConfig parse(Map<String, String> env, String[] args) {
    return Flags.parse(defaults(), env, Map.of("KAFKUBE_BOOTSTRAP_SERVERS", "bootstrap-servers", "KAFKUBE_REGISTRY_URL", "registry-url",
        "KAFKUBE_PREFIX", "prefix", "KAFKUBE_PARTITIONS", "partitions", "KAFKUBE_STATE_DIR", "state-dir"), args, StoreConfig::apply);
  }

  private static StoreConfig apply(StoreConfig c, String name, String value) {
    if (value == null) {
      return c;
    }
    return switch (name) {
      case "bootstrap-servers" -> c.withBootstrapServers(value);
      case "registry-url" -> c.withRegistryUrl(value);
      case "prefix" -> c.withPrefix(value);
      case "partitions" -> c.withPartitions(Integer.parseInt(value));
      case "state-dir" -> c.withStateDir(Path.of(value));
      case "commit-interval-ms" -> c.withCommitInterval(Long.parseLong(value), Long.parseLong(value));
      case "replication-factor" -> new StoreConfig(c.bootstrapServers, c.registryUrl, c.prefix, c.partitions,
          Short.parseShort(value), c.stateDir, c.commitIntervalMs, c.pollMs, c.threads);
      case "threads" -> c.withThreads(Integer.parseInt(value));
      default -> throw new IllegalArgumentException("unknown option --" + name);
    };
  }
}
