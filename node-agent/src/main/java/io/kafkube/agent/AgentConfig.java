package io.kafkube.agent;

import io.kafkube.agent.server.ServerConfig;
import io.kafkube.schemas.config.Flags;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The node agent's typed configuration: defaults, then {@code KAFKUBE_*} environment variables, then
 * {@code --name=value} flags.
 *
 * @param nodeName          the Node this agent is (default: the host name); with {@code simulate > 0}
 *                          the prefix of the virtual nodes' names ({@code <name>-0} …)
 * @param dataDir           pods' working directories, logs, container state (adoption after a restart)
 * @param runtime           {@code process} or {@code simulated}
 * @param simulate          0 for one real node; N &gt; 0 for N virtual nodes in this process (simulated runtime)
 * @param podCidr           the node's pod range; pods get addresses from it (loopback by default)
 * @param cpu               capacity reported for cpu; null: the machine's
 * @param memory            capacity reported for memory; null: the machine's
 * @param nodeStatusReportPeriod how often the Node's status is posted when nothing changed (kubelet's
 *                          nodeStatusReportFrequency, 5 min; the Lease is the heartbeat)
 * @param syncPeriod        level-triggered resync of every pod, besides the event-driven syncs
 * @param stopContainersOnExit whether {@link AgentHost#close()} stops the containers (kubelet leaves them running)
 * @param server            the agent's HTTPS server for logs and exec (kubelet's port 10250); null: none
 * @param podMaxPids        the most processes a pod may have (kubelet's {@code --pod-max-pids}); -1: unlimited
 */
public record AgentConfig(
    String bootstrapServers,
    String registryUrl,
    String prefix,
    int partitions,
    String nodeName,
    Path dataDir,
    String runtime,
    int simulate,
    String podCidr,
    String cpu,
    String memory,
    int maxPods,
    Duration leaseDuration,
    Duration leaseRenewInterval,
    Duration nodeStatusReportPeriod,
    Duration syncPeriod,
    Duration backoffInitial,
    Duration backoffMax,
    Duration simStartDelay,
    Duration simRunTime,
    int simExitCode,
    boolean stopContainersOnExit,
    ServerConfig server,
    long podMaxPids) {

  public AgentConfig {
    Objects.requireNonNull(bootstrapServers, "bootstrapServers");
    Objects.requireNonNull(registryUrl, "registryUrl");
    Objects.requireNonNull(prefix, "prefix");
    Objects.requireNonNull(nodeName, "nodeName");
    Objects.requireNonNull(dataDir, "dataDir");
    if (!runtime.equals("process") && !runtime.equals("simulated")) {
      throw new IllegalArgumentException("--runtime must be process or simulated, not " + runtime);
    }
    if (partitions < 1 || simulate < 0 || maxPods < 1 || leaseRenewInterval.toMillis() < 1
        || syncPeriod.toMillis() < 1 || backoffMax.compareTo(backoffInitial) < 0) {
      throw new IllegalArgumentException("invalid node agent configuration");
    }
    if (podMaxPids == 0 || podMaxPids < -1) {
      throw new IllegalArgumentException("--pod-max-pids must be -1 (unlimited) or at least 1, not " + podMaxPids);
    }
    if (simulate > 0 && runtime.equals("process")) {
      runtime = "simulated";
    }
  }

  public static AgentConfig defaults() {
    return new AgentConfig("127.0.0.1:9092", "http://127.0.0.1:8081", "kafkube", 6, hostName(), Path.of("data", "agent"),
        "process", 0, "127.2.0.0/16", null, null, 110, Duration.ofSeconds(40), Duration.ofSeconds(10),
        Duration.ofMinutes(5), Duration.ofSeconds(1), Duration.ofSeconds(10), Duration.ofMinutes(5), Duration.ZERO, null,
        0, false, null, -1);
  }

  static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.-]", "-");
    } catch (UnknownHostException e) {
      return "node-1";
    }
  }

  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Applies {@code KAFKUBE_*} environment variables and then {@code --name=value} flags. */
  public static AgentConfig parse(Map<String, String> env, String[] args) {
    return Flags.parse(defaults().toBuilder(), env, Map.of("KAFKUBE_BOOTSTRAP_SERVERS", "bootstrap-servers",
        "KAFKUBE_REGISTRY_URL", "registry-url", "KAFKUBE_PREFIX", "prefix", "KAFKUBE_PARTITIONS", "partitions",
        "KAFKUBE_NODE_NAME", "node-name", "KAFKUBE_AGENT_DATA_DIR", "data-dir"), args, Builder::set).build();
  }

  /** Mutable copy for tests and flag parsing. */
  public static final class Builder {
    private String bootstrapServers;
    private String registryUrl;
    private String prefix;
    private int partitions;
    private String nodeName;
    private Path dataDir;
    private String runtime;
    private int simulate;
    private String podCidr;
    private String cpu;
    private String memory;
    private int maxPods;
    private Duration leaseDuration;
    private Duration leaseRenewInterval;
    private Duration nodeStatusReportPeriod;
    private Duration syncPeriod;
    private Duration backoffInitial;
    private Duration backoffMax;
    private Duration simStartDelay;
    private Duration simRunTime;
    private int simExitCode;
    private boolean stopContainersOnExit;
    private ServerConfig server;
    private long podMaxPids;
    private String serverAddress = "127.0.0.1";
    private int serverPort;
    private Path tlsCertFile;
    private Path tlsKeyFile;
    private Path clientCaFile;

    Builder(AgentConfig c) {
      bootstrapServers = c.bootstrapServers;
      registryUrl = c.registryUrl;
      prefix = c.prefix;
      partitions = c.partitions;
      nodeName = c.nodeName;
      dataDir = c.dataDir;
      runtime = c.runtime;
      simulate = c.simulate;
      podCidr = c.podCidr;
      cpu = c.cpu;
      memory = c.memory;
      maxPods = c.maxPods;
      leaseDuration = c.leaseDuration;
      leaseRenewInterval = c.leaseRenewInterval;
      nodeStatusReportPeriod = c.nodeStatusReportPeriod;
      syncPeriod = c.syncPeriod;
      backoffInitial = c.backoffInitial;
      backoffMax = c.backoffMax;
      simStartDelay = c.simStartDelay;
      simRunTime = c.simRunTime;
      simExitCode = c.simExitCode;
      stopContainersOnExit = c.stopContainersOnExit;
      server = c.server;
      podMaxPids = c.podMaxPids;
    }

    public Builder bootstrapServers(String v) { bootstrapServers = v; return this; }
    public Builder registryUrl(String v) { registryUrl = v; return this; }
    public Builder prefix(String v) { prefix = v; return this; }
    public Builder partitions(int v) { partitions = v; return this; }
    public Builder nodeName(String v) { nodeName = v; return this; }
    public Builder dataDir(Path v) { dataDir = v; return this; }
    public Builder runtime(String v) { runtime = v; return this; }
    public Builder simulate(int v) { simulate = v; return this; }
    public Builder podCidr(String v) { podCidr = v; return this; }
    public Builder cpu(String v) { cpu = v; return this; }
    public Builder memory(String v) { memory = v; return this; }
    public Builder maxPods(int v) { maxPods = v; return this; }
    public Builder leaseDuration(Duration v) { leaseDuration = v; return this; }
    public Builder leaseRenewInterval(Duration v) { leaseRenewInterval = v; return this; }
    public Builder nodeStatusReportPeriod(Duration v) { nodeStatusReportPeriod = v; return this; }
    public Builder syncPeriod(Duration v) { syncPeriod = v; return this; }
    public Builder backoff(Duration initial, Duration max) { backoffInitial = initial; backoffMax = max; return this; }
    public Builder simStartDelay(Duration v) { simStartDelay = v; return this; }
    public Builder simRunTime(Duration v) { simRunTime = v; return this; }
    public Builder simExitCode(int v) { simExitCode = v; return this; }
    public Builder stopContainersOnExit(boolean v) { stopContainersOnExit = v; return this; }
    public Builder server(ServerConfig v) { server = v; return this; }
    public Builder podMaxPids(long v) { podMaxPids = v; return this; }

    Builder set(String name, String value) {
      if (value == null) {
        return this;
      }
      switch (name) {
        case "bootstrap-servers" -> bootstrapServers = value;
        case "registry-url" -> registryUrl = value;
        case "prefix" -> prefix = value;
        case "partitions" -> partitions = Integer.parseInt(value);
        case "node-name" -> nodeName = value;
        case "data-dir" -> dataDir = Path.of(value);
        case "runtime" -> runtime = value;
        case "simulate" -> simulate = Integer.parseInt(value);
        case "pod-cidr" -> podCidr = value;
        case "cpu" -> cpu = value;
        case "memory" -> memory = value;
        case "max-pods" -> maxPods = Integer.parseInt(value);
        case "lease-renew-interval-ms" -> leaseRenewInterval = Duration.ofMillis(Long.parseLong(value));
        case "sync-period-ms" -> syncPeriod = Duration.ofMillis(Long.parseLong(value));
        case "sim-start-delay-ms" -> simStartDelay = Duration.ofMillis(Long.parseLong(value));
        case "sim-run-ms" -> simRunTime = Duration.ofMillis(Long.parseLong(value));
        case "sim-exit-code" -> simExitCode = Integer.parseInt(value);
        case "stop-containers-on-exit" -> stopContainersOnExit = Boolean.parseBoolean(value);
        case "pod-max-pids" -> podMaxPids = Long.parseLong(value);
        // the agent's server, with kubelet's flag names: it runs when the three files are given
        case "address" -> serverAddress = value;
        case "port" -> serverPort = Integer.parseInt(value);
        case "tls-cert-file" -> tlsCertFile = Path.of(value);
        case "tls-private-key-file" -> tlsKeyFile = Path.of(value);
        case "client-ca-file" -> clientCaFile = Path.of(value);
        default -> throw new IllegalArgumentException("unknown option --" + name);
      }
      return this;
    }

    public AgentConfig build() {
      if (server == null && tlsCertFile != null && tlsKeyFile != null && clientCaFile != null) {
        server = new ServerConfig(serverAddress, serverPort, tlsCertFile, tlsKeyFile, clientCaFile);
      }
      return new AgentConfig(bootstrapServers, registryUrl, prefix, partitions, nodeName, dataDir, runtime, simulate,
          podCidr, cpu, memory, maxPods, leaseDuration, leaseRenewInterval, nodeStatusReportPeriod, syncPeriod,
          backoffInitial, backoffMax, simStartDelay, simRunTime, simExitCode, stopContainersOnExit, server, podMaxPids);
    }
  }
}
