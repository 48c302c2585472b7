package io.kafkube.registry.server;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one registry instance until the JVM is stopped.
 *
 * <pre>
 * --bootstrap-servers HOST:PORT   (required)
 * --topic NAME                    (default kafkube._schemas)
 * --host ADDRESS                  (default 127.0.0.1)
 * --port N                        (default 8081; 0 = a free port)
 * --replication-factor N          (default 1; used when creating the topic)
 * --advertised-url URL            (default http://host:port; where other instances forward writes)
 * </pre>
 */
public final class SchemaRegistryMain {
  private static final Logger LOG = LoggerFactory.getLogger(SchemaRegistryMain.class);
  /** kafkube's registry topic; the topic catalogue of the schemas module names the same. */
  public static final String DEFAULT_TOPIC = "kafkube._schemas";

  private SchemaRegistryMain() {}

  public static void main(String[] args) throws Exception {
    RegistryConfig config = parse(args);
    SchemaRegistryServer server = SchemaRegistryServer.startAndWait(config, Duration.ofMinutes(2));
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      stopped.countDown();
    }, "registry-shutdown"));
    LOG.info("Schema registry listening on {}", server.url());
    stopped.await();
  }

  /** Parses the flags; throws IllegalArgumentException on a bad or missing one. */
  public static RegistryConfig parse(String[] args) {
    String bootstrap = null;
    String topic = DEFAULT_TOPIC;
    String host = RegistryConfig.DEFAULT_HOST;
    int port = 8081;
    int rf = 1;
    String advertised = null;
    for (int i = 0; i < args.length; i++) {
      String flag = args[i];
      String value;
      int eq = flag.indexOf('=');
      if (eq > 0) {
        value = flag.substring(eq + 1);
        flag = flag.substring(0, eq);
      } else {
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException("missing value for " + flag);
        }
        value = args[++i];
      }
      switch (flag) {
        case "--bootstrap-servers" -> bootstrap = value;
        case "--topic" -> topic = value;
        case "--host" -> host = value;
        case "--port" -> port = Integer.parseInt(value);
        case "--replication-factor" -> rf = Integer.parseInt(value);
        case "--advertised-url" -> advertised = value;
        default -> throw new IllegalArgumentException("unknown flag " + flag);
      }
    }
    if (bootstrap == null) {
      throw new IllegalArgumentException("--bootstrap-servers is required");
    }
    return RegistryConfig.builder(bootstrap, topic).host(host).port(port).replicationFactor(rf)
        .advertisedUrl(advertised).build();
  }
}
