package io.kafkube.kafka.embedded;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node KRaft Kafka broker (combined broker and controller) inside this JVM, as
 * {@code kafka-storage format} and {@code kafka.Kafka} would start it. Listeners bind to
 * 127.0.0.1 only. The storage directory is formatted on first start and reused afterwards, so a
 * broker restarted on the same directory keeps its topics and data.
 *
 * <p>These are Kafka's internal classes: the Kafka version is pinned in the build.
 */
public final class EmbeddedKafka implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);
  /** Objects are at most 1.5 MiB (etcd's limit); leave room for the envelope around them. */
  public static final int MAX_MESSAGE_BYTES = 2 * 1024 * 1024;

  private final Path dataDir;
  private final int port;
  private final int controllerPort;
  private final Map<String, String> overrides;
  private KafkaRaftServer server;

  private EmbeddedKafka(Builder b) {
    this.dataDir = b.dataDir;
    this.port = b.port == 0 ? freePort() : b.port;
    this.controllerPort = b.controllerPort == 0 ? freePortOtherThan(this.port) : b.controllerPort;
    this.overrides = Map.copyOf(b.overrides);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Formats the storage when it is new and starts the broker; returns when it accepts clients. */
  public synchronized EmbeddedKafka start() {
    if (server != null) {
      return this;
    }
    try {
      Files.createDirectories(dataDir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, String> props = brokerConfig();
    format(props);
    KafkaConfig config = new KafkaConfig(props, false);
    server = new KafkaRaftServer(config, Time.SYSTEM);
    server.startup();
    awaitReady();
    LOG.info("Kafka broker listening on {} (data in {})", bootstrapServers(), dataDir);
    return this;
  }

  public String bootstrapServers() {
    return "127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  public Path dataDir() {
    return dataDir;
  }

  /** Client properties that reach this broker. */
  public Properties clientProperties() {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    return p;
  }

  @Override
  public synchronized void close() {
    if (server == null) {
      return;
    }
    server.shutdown();
    server.awaitShutdown();
    server = null;
  }

  /** Stops the broker and deletes its data directory; for tests. */
  public void closeAndDelete() {
    close();
    deleteRecursively(dataDir);
  }

  private Map<String, String> brokerConfig() {
    Path logDir = dataDir.resolve("kraft");
    Map<String, String> p = new HashMap<>();
    p.put("process.roles", "broker,controller");
    p.put("node.id", "1");
    p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
    p.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
    p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
    p.put("controller.listener.names", "CONTROLLER");
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.put("log.dirs", logDir.toString());
    p.put("metadata.log.dir", logDir.toString());
    p.put("offsets.topic.replication.factor", "1");
    p.put("offsets.topic.num.partitions", "5");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("transaction.state.log.num.partitions", "5");
    p.put("share.coordinator.state.topic.replication.factor", "1");
    p.put("share.coordinator.state.topic.min.isr", "1");
    p.put("default.replication.factor", "1");
    p.put("min.insync.replicas", "1");
    p.put("num.partitions", "1");
    p.put("group.initial.rebalance.delay.ms", "0");
    p.put("auto.create.topics.enable", "false");
    // The default 128 MB dedupe buffer is allocated on the heap at start-up.
    p.put("log.cleaner.dedupe.buffer.size", "2097152");
    p.put("message.max.bytes", Integer.toString(MAX_MESSAGE_BYTES));
    p.put("replica.fetch.max.bytes", Integer.toString(MAX_MESSAGE_BYTES));
    p.put("log.flush.interval.messages", Long.toString(Long.MAX_VALUE));
    p.putAll(overrides);
    return p;
  }

  private void format(Map<String, String> props) {
    String logDir = props.get("log.dirs");
    if (Files.exists(Path.of(logDir, "meta.properties"))) {
      return; // formatted by an earlier start: keep its cluster id and data
    }
    try (PrintStream quiet = new PrintStream(OutputStream.nullOutputStream())) {
      new Formatter()
          .setPrintStream(quiet)
          .setNodeId(1)
          .setClusterId(Uuid.randomUuid().toString())
          .setDirectories(List.of(logDir))
          .setMetadataLogDirectory(logDir)
          .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
          .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
          .setControllerListenerName("CONTROLLER")
          .setIgnoreFormatted(true)
          .run();
    } catch (Exception e) {
      throw new IllegalStateException("cannot format Kafka storage in " + logDir, e);
    }
  }

  private void awaitReady() {
    Properties p = clientProperties();
    p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "60000");
    try (Admin admin = Admin.create(p)) {
      admin.describeCluster().nodes().get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the broker", e);
    } catch (Exception e) {
      throw new IllegalStateException("the embedded broker did not become ready", e);
    }
  }

  /** A free port that is not {@code taken}: two free ports asked for one after the other may be the same one. */
  static int freePortOtherThan(int taken) {
    for (int i = 0; i < 100; i++) {
      int p = freePort();
      if (p != taken) {
        return p;
      }
    }
    throw new IllegalStateException("no free port other than " + taken);
  }

  /** A port that is free on 127.0.0.1 right now. */
  public static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Configures an {@link EmbeddedKafka}. */
  public static final class Builder {
    private Path dataDir;
    private int port;
    private int controllerPort;
    private final Map<String, String> overrides = new HashMap<>();

    private Builder() {}

    /** Where the broker keeps its log; reused when it already holds a formatted log. */
    public Builder dataDir(Path dir) {
      this.dataDir = dir;
      return this;
    }

    /** The client port on 127.0.0.1; 0 (the default) picks a free one. */
    public Builder port(int port) {
      this.port = port;
      return this;
    }

    /** The controller port on 127.0.0.1; 0 (the default) picks a free one. */
    public Builder controllerPort(int port) {
      this.controllerPort = port;
      return this;
    }

    /** Any broker property, applied last. */
    public Builder config(String key, String value) {
      overrides.put(key, value);
      return this;
    }

    public EmbeddedKafka build() {
      if (dataDir == null) {
        try {
          dataDir = Files.createTempDirectory("kafkube-kafka-");
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      return new EmbeddedKafka(this);
    }
  }
}
