package io.kafkube.agent;

import io.kafkube.agent.node.NodeObjects;
import io.kafkube.agent.probe.Prober;
import io.kafkube.agent.runtime.ContainerRuntime;
import io.kafkube.agent.runtime.ProcessRuntime;
import io.kafkube.agent.runtime.SimulatedRuntime;
import io.kafkube.agent.server.AgentServer;
import io.kafkube.agent.server.PodDirectory;
import io.kafkube.schemas.topic.TopicCatalog;
import io.kafkube.store.StoreTopology;
import io.kafkube.store.client.CommandClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node agent process: one node (process runtime) or N virtual nodes ({@code --simulate N},
 * simulated runtime) sharing one command client, one consumer of the nodes' {@code assignments}
 * partitions, one view of ConfigMaps and Secrets, and a few threads, as kwok does for Kubernetes.
 */
public final class AgentHost implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AgentHost.class);

  private final AgentConfig cfg;
  private final CommandClient client;
  private final ScheduledExecutorService timer;
  private final ExecutorService syncPool;
  private final ExecutorService probePool;
  private final Map<String, NodeAgent> nodes = new LinkedHashMap<>();
  private final List<TopicFollower> followers = new ArrayList<>();
  private final ConfigCache config;
  private volatile io.kafkube.agent.volume.ApiTokenSource.Access apiAccess;
  private final io.kafkube.agent.volume.ApiTokenSource tokens = new io.kafkube.agent.volume.ApiTokenSource(
      () -> java.util.Optional.ofNullable(apiAccess), java.time.Clock.systemUTC());
  private AgentServer server;

  private AgentHost(AgentConfig cfg, TopicCatalog topics) {
    this.cfg = cfg;
    this.client = new CommandClient(cfg.bootstrapServers(), topics, -1);
    this.timer = Executors.newScheduledThreadPool(cfg.simulate() > 0 ? 2 : 1, threads("agent-timer"));
    this.syncPool = Executors.newFixedThreadPool(cfg.simulate() > 0 ? 2 : 1, threads("agent-sync"));
    this.probePool = Executors.newCachedThreadPool(threads("agent-probe"));
    this.config = new ConfigCache(this::resyncAll);
  }

  private static ThreadFactory threads(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /** The names of the nodes a configuration runs: the node name, or {@code <name>-0 … <name>-(N-1)}. */
  public static List<String> nodeNames(AgentConfig cfg) {
    if (cfg.simulate() == 0) {
      return List.of(cfg.nodeName());
    }
    List<String> names = new ArrayList<>(cfg.simulate());
    for (int i = 0; i < cfg.simulate(); i++) {
      names.add(cfg.nodeName() + "-" + i);
    }
    return names;
  }

  /**
   * Starts the agent: registers the node(s), reads their assignments and starts reconciling.
   * Returns once every node is registered and has read its initial assignments.
   */
  public static AgentHost start(AgentConfig cfg, TopicCatalog topics, Duration timeout)
      throws InterruptedException, TimeoutException {
    AgentHost host = new AgentHost(cfg, topics);
    try {
      host.startAll(topics, timeout);
      return host;
    } catch (InterruptedException | TimeoutException | RuntimeException e) {
      host.close();
      throw e;
    }
  }

  private void startAll(TopicCatalog topics, Duration timeout) throws InterruptedException, TimeoutException {
    Prober prober = new Prober(timer, probePool);
    List<String> names = nodeNames(cfg);
    boolean sim = cfg.runtime().equals("simulated");
    SimulatedRuntime.Settings simSettings = new SimulatedRuntime.Settings(cfg.simStartDelay(), cfg.simRunTime(),
        cfg.simExitCode());
    for (int i = 0; i < names.size(); i++) {
      String n = names.get(i);
      ContainerRuntime rt;
      java.util.function.Supplier<NodeObjects.Machine> machine;
      String cidr;
      if (sim) {
        rt = new SimulatedRuntime(simSettings, timer, "10." + (64 + (i >> 8) % 64) + "." + (i & 255));
        NodeObjects.Machine fixed = NodeObjects.Machine.simulated(cfg.cpu(), cfg.memory(), cfg.maxPods());
        machine = () -> fixed;
        cidr = null;
      } else {
        rt = new ProcessRuntime(cfg.dataDir().resolve(n), cfg.podCidr(),
            io.kafkube.agent.cgroup.Cgroups.detect().withPodMaxPids(cfg.podMaxPids()),
            io.kafkube.agent.volume.MountNamespaces.available());
        // measured again at every node status report: pressure conditions follow the machine
        machine = () -> NodeObjects.Machine.measure(cfg.dataDir(), cfg.cpu(), cfg.memory(), cfg.maxPods());
        cidr = cfg.podCidr();
      }
      NodeAgent na = new NodeAgent(n, cfg, cidr, rt, machine, client, config, prober, timer, syncPool);
      na.tokens(tokens);
      nodes.put(n, na);
    }

    Map<String, Deserializer<GenericRecord>> cfgValues = Map.of(
        topics.state(ConfigCache.CONFIGMAPS).name(), topics.state(ConfigCache.CONFIGMAPS).valueSerde().deserializer(),
        topics.state(ConfigCache.SECRETS).name(), topics.state(ConfigCache.SECRETS).valueSerde().deserializer());
    List<TopicPartition> cfgParts = new ArrayList<>();
    for (String t : cfgValues.keySet()) {
      for (int p = 0; p < topics.partitions(); p++) {
        cfgParts.add(new TopicPartition(t, p));
      }
    }
    if (cfg.server() != null) {
      try {
        server = AgentServer.start(cfg.server(), this::findPod, timeout);
      } catch (Exception e) {
        throw new IllegalStateException("the agent server cannot start: " + e.getMessage(), e);
      }
      nodes.values().forEach(a -> a.kubeletPort(server.port()));
    }

    followers.add(new TopicFollower("agent-config", cfg.bootstrapServers(), cfgParts, cfgValues, config).start());

    Set<Integer> partitions = new TreeSet<>();
    for (String n : names) {
      partitions.add(StoreTopology.assignmentPartition(n, topics.assignments().partitions()));
    }
    List<TopicPartition> aParts = partitions.stream()
        .map(p -> new TopicPartition(topics.assignments().name(), p)).toList();
    TopicFollower assignments = new TopicFollower("agent-assignments", cfg.bootstrapServers(), aParts,
        Map.of(topics.assignments().name(), topics.assignments().valueSerde().deserializer()),
        new TopicFollower.Handler() {
          @Override
          public void record(String topic, String key, GenericRecord value) {
            String node = StoreTopology.nodeOfAssignmentKey(key);
            NodeAgent a = nodes.get(node);
            if (a != null) {
              a.onAssignment(key.substring(node.length()), value);
            }
          }

          @Override
          public void caughtUp() {
            nodes.values().forEach(NodeAgent::onSynced);
          }
        });
    followers.add(assignments);

    List<CompletableFuture<Void>> registered = new ArrayList<>();
    long spread = cfg.leaseRenewInterval().toMillis();
    int i = 0;
    for (NodeAgent a : nodes.values()) {
      // Spread the heartbeats of many virtual nodes over the renew interval.
      registered.add(a.start(Duration.ofMillis(names.size() == 1 ? spread : (spread * i++) / names.size())));
    }
    try {
      CompletableFuture.allOf(registered.toArray(CompletableFuture[]::new))
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException("node registration failed: " + e.getCause().getMessage(), e.getCause());
    }
    assignments.start();
    if (!assignments.awaitCaughtUp(timeout)) {
      throw new TimeoutException("the agent did not read its assignments within " + timeout);
    }
    LOG.info("[agent] running {} node(s) with the {} runtime: {}", nodes.size(), cfg.runtime(),
        names.size() <= 3 ? names : names.get(0) + " … " + names.get(names.size() - 1));
  }

  /** A pod assigned to one of this host's nodes (the agent server's lookups). */
  private Optional<PodDirectory.Target> findPod(String namespace, String name) {
    for (NodeAgent a : nodes.values()) {
      Optional<PodDirectory.Target> t = a.pod(namespace, name);
      if (t.isPresent()) {
        return t;
      }
    }
    return Optional.empty();
  }

  /** The port of the agent's server, or 0 when it runs none. */
  public int serverPort() {
    return server == null ? 0 : server.port();
  }

  private void resyncAll() {
    nodes.values().forEach(NodeAgent::resync);
  }

  /**
   * Gives the agent access to the API server (HTTPS URL, bearer token, cluster CA), through which it
   * requests ServiceAccount tokens for projected volumes, as kubelet does. Until then such volumes
   * fail with FailedMount, saying so.
   */
  public void apiAccess(String url, String bearerToken, java.nio.file.Path caCertificate) {
    this.apiAccess = new io.kafkube.agent.volume.ApiTokenSource.Access(url, bearerToken, caCertificate);
    resyncAll();
  }

  public NodeAgent node(String name) {
    return nodes.get(name);
  }

  public Map<String, NodeAgent> nodes() {
    return nodes;
  }

  public CommandClient client() {
    return client;
  }

  /** Stops the agent; containers keep running unless configured otherwise (kubelet's behaviour). */
  @Override
  public void close() {
    shutdown(cfg.stopContainersOnExit());
  }

  /** Stops the agent, and its containers when {@code stopContainers}. */
  public void shutdown(boolean stopContainers) {
    followers.forEach(TopicFollower::close);
    if (server != null) {
      server.close();
    }
    nodes.values().forEach(n -> n.close(stopContainers));
    timer.shutdownNow();
    syncPool.shutdownNow();
    probePool.shutdownNow();
    try {
      syncPool.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    client.close();
  }
}
