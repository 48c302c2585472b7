package io.kafkube.cli.up;

import io.kafkube.agent.AgentConfig;
import io.kafkube.agent.AgentHost;
import io.kafkube.agent.proxy.ProxyConfig;
import io.kafkube.agent.proxy.ProxyHost;
import io.kafkube.agent.server.ServerConfig;
import io.kafkube.api.ApiConfig;
import io.kafkube.api.ApiServer;
import io.kafkube.api.tls.ClusterCertificates;
import io.kafkube.cli.common.Endpoints;
import io.kafkube.kafka.embedded.EmbeddedKafka;
import io.kafkube.registry.client.CachedSchemaRegistryClient;
import io.kafkube.registry.client.SchemaRegistryClient;
import io.kafkube.registry.serde.AvroSerde;
import io.kafkube.registry.serde.AvroSerializer;
import io.kafkube.registry.server.RegistryConfig;
import io.kafkube.registry.server.SchemaRegistryServer;
import io.kafkube.scheduler.SchedulerConfig;
import io.kafkube.scheduler.SchedulerService;
import io.kafkube.schemas.topic.KafkubeTopics;
import io.kafkube.schemas.topic.TopicAdmin;
import io.kafkube.schemas.topic.TopicCatalog;
import io.kafkube.store.SharedObjectRules;
import io.kafkube.store.StoreConfig;
import io.kafkube.store.StoreService;
import io.kafkube.store.client.CommandClient;
import io.kafkube.store.etcd.EtcdConfig;
import io.kafkube.store.etcd.EtcdServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole cluster in one process: a real KRaft broker, the schema registry, the topics, the store,
 * the scheduler, the API server (and every further component as it comes to exist), started in dependency order and stopped in
 * reverse. Data lives under one directory that a later start reuses.
 */
public final class LocalCluster implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LocalCluster.class);
  private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

  /**
   * P of a cluster that {@code kafkube up} creates: one. Every component of it runs in this process, and the
   * store's one stream thread commits all P partitions together, so more partitions buy no parallelism here;
   * they cost a partition per topic in every transaction, fetch and marker, and with one the scheduler's events
   * skip its internal topic. In two pairs of API benchmark runs, one partition and then six, the creates per
   * second were 1,803 against 1,208 and 1,828 against 1,378. A cluster whose store is to scale out over
   * instances is created with more ({@code --partitions}); a data directory keeps the P it was created with.
   */
  public static final int DEFAULT_PARTITIONS = 1;

  /**
   * What to start, and where. Port 0 means any free port. {@code auditPolicy}: the API server's
   * {@code audit.k8s.io/v1 Policy} file, or null (every request audited at level Metadata).
   * {@code storeThreads}: the store's stream threads, 0 for its default.
   */
  public record Settings(Path dataDir, String prefix, int partitions, int kafkaPort, int controllerPort,
      int registryPort, int apiPort, int etcdPort, int ingressPort, Path auditPolicy, int storeThreads) {
    public Settings {
      if (storeThreads < 0) {
        throw new IllegalArgumentException("storeThreads must not be negative");
      }
    }

    /** With the store's default number of stream threads. */
    public Settings(Path dataDir, String prefix, int partitions, int kafkaPort, int controllerPort,
        int registryPort, int apiPort, int etcdPort, int ingressPort, Path auditPolicy) {
      this(dataDir, prefix, partitions, kafkaPort, controllerPort, registryPort, apiPort, etcdPort, ingressPort,
          auditPolicy, 0);
    }

    /** These settings with {@code n} store stream threads (0: the store's default). */
    public Settings withStoreThreads(int n) {
      return new Settings(dataDir, prefix, partitions, kafkaPort, controllerPort, registryPort, apiPort, etcdPort,
          ingressPort, auditPolicy, n);
    }

    /** Without an audit policy file. */
    public Settings(Path dataDir, String prefix, int partitions, int kafkaPort, int controllerPort,
        int registryPort, int apiPort, int etcdPort, int ingressPort) {
      this(dataDir, prefix, partitions, kafkaPort, controllerPort, registryPort, apiPort, etcdPort, ingressPort, null);
    }

    /** Without an Ingress port: the Ingress proxy takes any free port. */
    public Settings(Path dataDir, String prefix, int partitions, int kafkaPort, int controllerPort,
        int registryPort, int apiPort, int etcdPort) {
      this(dataDir, prefix, partitions, kafkaPort, controllerPort, registryPort, apiPort, etcdPort, 0);
    }

    /** Without an etcd port: the etcd endpoint takes any free port. */
    public Settings(Path dataDir, String prefix, int partitions, int kafkaPort, int controllerPort,
        int registryPort, int apiPort) {
      this(dataDir, prefix, partitions, kafkaPort, controllerPort, registryPort, apiPort, 0);
    }
  }

  private final Deque<AutoCloseable> running = new ArrayDeque<>();
  private final Settings settings;
  private int nodes;
  private Endpoints endpoints;
  private TopicCatalog topics;
  private ApiServer api;

  private LocalCluster(Settings settings) {
    this.settings = settings;
  }

  public static LocalCluster start(Settings s) throws Exception {
    return start(s, 1);
  }

  /**
   * Starts the cluster with {@code nodes} node agents (process runtime: pods run as processes of this
   * machine; node i takes its pod addresses from {@code 127.(2+i).0.0/16}); 0 starts none.
   */
  public static LocalCluster start(Settings s, int nodes) throws Exception {
    if (nodes < 0 || nodes > 250) {
      throw new IllegalArgumentException("--nodes must be between 0 and 250: " + nodes);
    }
    LocalCluster c = new LocalCluster(s);
    c.nodes = nodes;
    try {
      c.startAll();
      return c;
    } catch (Exception | Error e) {
      c.close();
      throw e;
    }
  }

  private void startAll() throws Exception {
    Path dataDir = settings.dataDir().toAbsolutePath();
    Files.createDirectories(dataDir);
    Endpoints.delete(dataDir);

    EmbeddedKafka kafka = EmbeddedKafka.builder().dataDir(dataDir.resolve("kafka"))
        .port(settings.kafkaPort()).controllerPort(settings.controllerPort()).build().start();
    running.push(kafka);
    String bootstrap = kafka.bootstrapServers();

    int partitions = existingPartitions(kafka, TopicCatalog.commandsTopicName(settings.prefix()))
        .orElse(settings.partitions());
    int registryPort = settings.registryPort() == 0 ? EmbeddedKafka.freePort() : settings.registryPort();
    String registryUrl = "http://127.0.0.1:" + registryPort;
    SchemaRegistryClient registryClient = new CachedSchemaRegistryClient(registryUrl);
    topics = KafkubeTopics.catalog(settings.prefix(), partitions, schema -> AvroSerde.generic(registryClient, schema, false));

    SchemaRegistryServer registry = SchemaRegistryServer.startAndWait(
        RegistryConfig.builder(bootstrap, topics.schemas().name()).port(registryPort).build(), START_TIMEOUT);
    running.push(registry);

    try (Admin admin = Admin.create(kafka.clientProperties())) {
      List<String> created = TopicAdmin.ensureCreated(admin, topics.all(), (short) 1);
      if (!created.isEmpty()) {
        LOG.info("created {} topics (P = {})", created.size(), partitions);
      }
    }

    StoreConfig storeConfig = StoreConfig.defaults().withBootstrapServers(bootstrap).withRegistryUrl(registryUrl)
        .withPrefix(settings.prefix()).withPartitions(partitions).withStateDir(dataDir.resolve("store"));
    if (settings.storeThreads() > 0) {
      storeConfig = storeConfig.withThreads(settings.storeThreads());
    }
    StoreService store = StoreService.start(storeConfig, topics, AvroSerializer.generic(registryClient, false),
        new SharedObjectRules(), START_TIMEOUT);
    running.push(store);

    try (CommandClient client = new CommandClient(bootstrap, topics, -1)) {
      StoreService.bootstrapNamespaces(client, Duration.ofSeconds(60));
    }

    EtcdServer etcd = EtcdServer.start(EtcdConfig.defaults(bootstrap).withPort(settings.etcdPort()), topics,
        START_TIMEOUT);
    running.push(etcd);

    SchedulerService scheduler = SchedulerService.start(SchedulerConfig.defaults().withBootstrapServers(bootstrap)
        .withRegistryUrl(registryUrl).withPrefix(settings.prefix()).withPartitions(partitions)
        .withStateDir(dataDir.resolve("scheduler")), topics, START_TIMEOUT);
    running.push(scheduler);

    // The cluster CA (the API server's) signs each agent's serving certificate; agents accept the API server's
    // kubelet-client certificate from the same CA, as kubelet with --client-ca-file.
    ClusterCertificates pki = ClusterCertificates.loadOrCreate(dataDir.resolve("api").resolve("pki"));
    List<String> nodeNames = new java.util.ArrayList<>();
    List<AgentHost> agents = new java.util.ArrayList<>();
    for (int i = 0; i < nodes; i++) {
      Path agentPki = dataDir.resolve("agent").resolve(nodeName(i)).resolve("pki");
      pki.issueNodeServing(nodeName(i), agentPki.resolve("kubelet.crt"), agentPki.resolve("kubelet.key"));
      ServerConfig server = new ServerConfig("127.0.0.1", 0, agentPki.resolve("kubelet.crt"),
          agentPki.resolve("kubelet.key"), pki.caCertPath());
      AgentHost agent = AgentHost.start(AgentConfig.defaults().toBuilder().bootstrapServers(bootstrap)
          .registryUrl(registryUrl).prefix(settings.prefix()).partitions(partitions).nodeName(nodeName(i))
          .dataDir(dataDir.resolve("agent")).podCidr("127." + (2 + i) + ".0.0/16").stopContainersOnExit(true)
          .server(server).build(),
          topics, START_TIMEOUT);
      running.push(agent);
      agents.add(agent);
      nodeNames.add(nodeName(i));
    }

    String ingress = "";
    if (nodes > 0) {
      // One kube-proxy for the machine: every node of this process shares its loopback addresses.
      ProxyHost proxy = ProxyHost.start(ProxyConfig.defaults(bootstrap).withIngressPort(settings.ingressPort()),
          topics, START_TIMEOUT);
      running.push(proxy);
      ingress = "http://127.0.0.1:" + proxy.ingressPort();
    }

    api = ApiServer.start(ApiConfig.defaults().withBootstrapServers(bootstrap).withRegistryUrl(registryUrl)
        .withPrefix(settings.prefix()).withDataDir(dataDir.resolve("api")).withPorts(settings.apiPort(), -1)
        .withAuditPolicy(settings.auditPolicy()),
        topics, START_TIMEOUT);
    running.push(api);
    // the agents request ServiceAccount tokens (projected volumes) from the API, as kubelets do
    for (AgentHost agent : agents) {
      agent.apiAccess(api.url(), api.adminToken(), api.caCertPath());
    }

    Map<String, String> e = new LinkedHashMap<>();
    e.put("kafka", bootstrap);
    e.put("registry", registryUrl);
    e.put("api", api.url());
    e.put("kubeconfig", api.kubeconfigPath().toAbsolutePath().toString());
    e.put("etcd", etcd.url());
    e.put("nodes", String.join(",", nodeNames));
    e.put("ingress", ingress);
    e.put("prefix", settings.prefix());
    e.put("partitions", Integer.toString(partitions));
    endpoints = new Endpoints(e);
    endpoints.write(dataDir);
  }

  private static java.util.Optional<Integer> existingPartitions(EmbeddedKafka kafka, String commandsTopic)
      throws Exception {
    try (Admin admin = Admin.create(kafka.clientProperties())) {
      Set<String> names = admin.listTopics().names().get();
      if (!names.contains(commandsTopic)) {
        return java.util.Optional.empty();
      }
      TopicDescription d = admin.describeTopics(List.of(commandsTopic)).allTopicNames().get().get(commandsTopic);
      return java.util.Optional.of(d.partitions().size());
    }
  }

  /** The name of the i-th node agent that {@code up} starts (from 0). */
  public static String nodeName(int i) {
    return "kafkube-node-" + (i + 1);
  }

  public Endpoints endpoints() {
    return endpoints;
  }

  public TopicCatalog topics() {
    return topics;
  }

  /** The API server of this cluster (its URL, CA certificate and admin token). */
  public ApiServer api() {
    return api;
  }

  @Override
  public void close() {
    if (endpoints != null) {
      Endpoints.delete(settings.dataDir().toAbsolutePath());
    }
    while (!running.isEmpty()) {
      AutoCloseable c = running.pop();
      try {
        c.close();
      } catch (Exception e) {
        LOG.warn("error while stopping {}", c.getClass().getSimpleName(), e);
      }
    }
  }
}
