package io.kafkube.scheduler;

import io.kafkube.scheduler.internal.SchedulerProcessor;
import io.kafkube.schemas.config.Flags;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * The scheduler's typed configuration, parsed once: defaults, then {@code KAFKUBE_*} environment
 * variables, then {@code --name=value} flags.
 *
 * @param commitIntervalMs  Streams' commit interval. Every commit is a Kafka transaction (markers on each
 *                          partition written, offsets, EndTxn), and a BIND reaches the store only once its
 *                          transaction commits: 50 ms keeps that cost to 20 commits a second under load
 *                          while adding at most 50 ms to a pod's create → bind
 * @param punctuateInterval how often the queue is drained (wall clock)
 * @param batchSize         at most this many scheduling cycles per punctuation
 * @param assumeTimeout     a BIND not seen applied within this time is taken as refused
 * @param initialBackoff    the first wait of a pod that did not fit; doubles per attempt
 * @param maxBackoff        the longest wait
 * @param standbyReplicas   Streams standby replicas: a warm copy of the task's stores elsewhere
 * @param sessionTimeoutMs  how long the group waits for a silent instance before its task moves:
 *                          the failover time of the active scheduler
 * @param percentageOfNodesToScore kube-scheduler's setting: a cycle stops filtering once this share of
 *                          the nodes (at least 100) is found feasible; 0 = adaptive (50% at 100 nodes
 *                          down to 10% at 5,000, at least 5%); 100 = every node
 */
public record SchedulerConfig(
    String bootstrapServers,
    String registryUrl,
    String prefix,
    int partitions,
    short replicationFactor,
    Path stateDir,
    long commitIntervalMs,
    long pollMs,
    Duration punctuateInterval,
    int batchSize,
    Duration assumeTimeout,
    Duration initialBackoff,
    Duration maxBackoff,
    int standbyReplicas,
    int sessionTimeoutMs,
    int percentageOfNodesToScore) {

  public SchedulerConfig {
    Objects.requireNonNull(bootstrapServers, "bootstrapServers");
    Objects.requireNonNull(registryUrl, "registryUrl");
    Objects.requireNonNull(prefix, "prefix");
    Objects.requireNonNull(stateDir, "stateDir");
    if (partitions < 1 || batchSize < 1 || commitIntervalMs < 0 || pollMs < 0 || standbyReplicas < 0
        || punctuateInterval.toMillis() < 1 || initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0
        || assumeTimeout.toMillis() < 1 || sessionTimeoutMs < 1 || percentageOfNodesToScore < 0) {
      throw new IllegalArgumentException("invalid scheduler configuration");
    }
  }

  public static SchedulerConfig defaults() {
    return new SchedulerConfig("127.0.0.1:9092", "http://127.0.0.1:8081", "kafkube", 6, (short) 1,
        Path.of("data", "scheduler"), 50, 10, Duration.ofMillis(20), 1000, Duration.ofSeconds(30),
        Duration.ofSeconds(1), Duration.ofSeconds(10), 0, 10_000, 0);
  }

  /** What the scheduling task itself needs. */
  public SchedulerProcessor.Settings processorSettings() {
    return new SchedulerProcessor.Settings(punctuateInterval, batchSize, assumeTimeout, initialBackoff, maxBackoff,
        percentageOfNodesToScore);
  }

  public SchedulerConfig withBootstrapServers(String v) {
    return new SchedulerConfig(v, registryUrl, prefix, partitions, replicationFactor, stateDir, commitIntervalMs,
        pollMs, punctuateInterval, batchSize, assumeTimeout, initialBackoff, maxBackoff, standbyReplicas,
        sessionTimeoutMs, percentageOfNodesToScore);
  }

  public SchedulerConfig withRegistryUrl(String v) {
    return new SchedulerConfig(bootstrapServers, v, prefix, partitions, replicationFactor, stateDir,
        commitIntervalMs, pollMs, punctuateInterval, batchSize, assumeTimeout, initialBackoff, maxBackoff,
        standbyReplicas, sessionTimeoutMs, percentageOfNodesToScore);
  }

  public SchedulerConfig withPrefix(String v) {
    return new SchedulerConfig(bootstrapServers, registryUrl, v, partitions, replicationFactor, stateDir,
        commitIntervalMs, pollMs, punctuateInterval, batchSize, assumeTimeout, initialBackoff, maxBackoff,
        standbyReplicas, sessionTimeoutMs, percentageOfNodesToScore);
  }

  public SchedulerConfig withPartitions(int v) {
    return new SchedulerConfig(bootstrapServers, registryUrl, prefix, v, replicationFactor, stateDir,
        commitIntervalMs, pollMs, punctuateInterval, batchSize, assumeTimeout, initialBackoff, maxBackoff,
        standbyReplicas, sessionTimeoutMs, percentageOfNodesToScore);
  }

  public SchedulerConfig withReplicationFactor(short v) {
    return new SchedulerConfig(bootstrapServers, registryUrl, prefix, partitions, v, stateDir,
        commitIntervalMs, pollMs, punctuateInterval, batchSize, assumeTimeout, initialBackoff, maxBackoff,
        standbyReplicas, sessionTimeoutMs, percentageOfNodesToScore);
  }

  public SchedulerConfig withStateDir(Path v) {
    return new SchedulerConfig(bootstrapServers, registryUrl, prefix, partitions, replicationFactor, v,
        commitIntervalMs, pollMs, punctuateInterval, batchSize, assumeTimeout, initialBackoff, maxBackoff,
        standbyReplicas, sessionTimeoutMs, percentageOfNodesToScore);
  }

  public SchedulerConfig withCommitInterval(long commitMs, long poll) {
    return new SchedulerConfig(bootstrapServers, registryUrl, prefix, partitions, replicationFactor, stateDir,
        commitMs, poll, punctuateInterval, batchSize, assumeTimeout, initialBackoff, maxBackoff, standbyReplicas,
        sessionTimeoutMs, percentageOfNodesToScore);
  }

  public SchedulerConfig withPunctuateInterval(Duration v) {
    return new SchedulerConfig(bootstrapServers, registryUrl, prefix, partitions, replicationFactor, stateDir,
        commitIntervalMs, pollMs, v, batchSize, assumeTimeout, initialBackoff, maxBackoff, standbyReplicas,
        sessionTimeoutMs, percentageOfNodesToScore);
  }

  public SchedulerConfig withBatchSize(int v) {
    return new SchedulerConfig(bootstrapServers, registryUrl, prefix, partitions, replicationFactor, stateDir,
        commitIntervalMs, pollMs, punctuateInterval, v, assumeTimeout, initialBackoff, maxBackoff, standbyReplicas,
        sessionTimeoutMs, percentageOfNodesToScore);
  }

  public SchedulerConfig withAssumeTimeout(Duration v) {
    return new SchedulerConfig(bootstrapServers, registryUrl, prefix, partitions, replicationFactor, stateDir,
        commitIntervalMs, pollMs, punctuateInterval, batchSize, v, initialBackoff, maxBackoff, standbyReplicas,
        sessionTimeoutMs, percentageOfNodesToScore);
  }

  public SchedulerConfig withBackoff(Duration initial, Duration max) {
    return new SchedulerConfig(bootstrapServers, registryUrl, prefix, partitions, replicationFactor, stateDir,
        commitIntervalMs, pollMs, punctuateInterval, batchSize, assumeTimeout, initial, max, standbyReplicas,
        sessionTimeoutMs, percentageOfNodesToScore);
  }

  public SchedulerConfig withStandbyReplicas(int v) {
    return new SchedulerConfig(bootstrapServers, registryUrl, prefix, partitions, replicationFactor, stateDir,
        commitIntervalMs, pollMs, punctuateInterval, batchSize, assumeTimeout, initialBackoff, maxBackoff, v,
        sessionTimeoutMs, percentageOfNodesToScore);
  }

  public SchedulerConfig withSessionTimeoutMs(int v) {
    return new SchedulerConfig(bootstrapServers, registryUrl, prefix, partitions, replicationFactor, stateDir,
        commitIntervalMs, pollMs, punctuateInterval, batchSize, assumeTimeout, initialBackoff, maxBackoff,
        standbyReplicas, v, percentageOfNodesToScore);
  }

  public SchedulerConfig withPercentageOfNodesToScore(int v) {
    return new SchedulerConfig(bootstrapServers, registryUrl, prefix, partitions, replicationFactor, stateDir,
        commitIntervalMs, pollMs, punctuateInterval, batchSize, assumeTimeout, initialBackoff, maxBackoff,
        standbyReplicas, sessionTimeoutMs, v);
  }

  /** Applies {@code KAFKUBE_*} environment variables and then {@code --name=value} flags. */
  public static SchedulerConfig parse(Map<String, String> env, String[] args) {
    return Flags.parse(defaults(), env, Map.of("KAFKUBE_BOOTSTRAP_SERVERS", "bootstrap-servers",
        "KAFKUBE_REGISTRY_URL", "registry-url", "KAFKUBE_PREFIX", "prefix", "KAFKUBE_PARTITIONS", "partitions",
        "KAFKUBE_SCHEDULER_STATE_DIR", "state-dir"), args, SchedulerConfig::apply);
  }

  private static SchedulerConfig apply(SchedulerConfig c, String name, String value) {
    if (value == null) {
      return c;
    }
    return switch (name) {
      case "bootstrap-servers" -> c.withBootstrapServers(value);
      case "registry-url" -> c.withRegistryUrl(value);
      case "prefix" -> c.withPrefix(value);
      case "partitions" -> c.withPartitions(Integer.parseInt(value));
      case "replication-factor" -> c.withReplicationFactor(Short.parseShort(value));
      case "state-dir" -> c.withStateDir(Path.of(value));
      case "commit-interval-ms" -> c.withCommitInterval(Long.parseLong(value), Long.parseLong(value));
      case "punctuate-interval-ms" -> c.withPunctuateInterval(Duration.ofMillis(Long.parseLong(value)));
      case "batch-size" -> c.withBatchSize(Integer.parseInt(value));
      case "assume-timeout-ms" -> c.withAssumeTimeout(Duration.ofMillis(Long.parseLong(value)));
      case "standby-replicas" -> c.withStandbyReplicas(Integer.parseInt(value));
      case "session-timeout-ms" -> c.withSessionTimeoutMs(Integer.parseInt(value));
      case "percentage-of-nodes-to-score" -> c.withPercentageOfNodesToScore(Integer.parseInt(value));
      default -> throw new IllegalArgumentException("unknown option --" + name);
    };
  }
}
