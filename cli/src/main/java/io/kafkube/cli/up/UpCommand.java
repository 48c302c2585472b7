package io.kafkube.cli.up;

import io.kafkube.api.audit.AuditPolicy;
import io.kafkube.cli.common.Endpoints;
import io.kafkube.schemas.topic.KafkubeTopics;
import io.kafkube.store.StoreConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code kafkube up}: the whole cluster in this process, until Ctrl-C or SIGTERM. */
@Command(name = "up", mixinStandardHelpOptions = true,
    description = "Starts the whole cluster in one process on an embedded Kafka broker.")
public final class UpCommand implements Callable<Integer> {
  @Option(names = "--data-dir", defaultValue = "data", description = "where the cluster keeps its data; reused on the next start (default: ${DEFAULT-VALUE})")
  Path dataDir;

  @Option(names = "--ports", defaultValue = "fixed", description = "fixed (the well-known defaults and the --*-port options) or auto (free ports)")
  String ports;

  @Option(names = "--kafka-port", defaultValue = "9092", description = "Kafka client port (default: ${DEFAULT-VALUE})")
  int kafkaPort;

  @Option(names = "--kafka-controller-port", defaultValue = "9093", description = "KRaft controller port (default: ${DEFAULT-VALUE})")
  int controllerPort;

  @Option(names = "--registry-port", defaultValue = "8081", description = "schema registry port (default: ${DEFAULT-VALUE})")
  int registryPort;

  @Option(names = "--api-port", defaultValue = "6443", description = "Kubernetes API (HTTPS) port (default: ${DEFAULT-VALUE})")
  int apiPort;

  @Option(names = "--etcd-port", defaultValue = "2379", description = "etcd v3 gRPC endpoint port (default: ${DEFAULT-VALUE})")
  int etcdPort;

  @Option(names = "--ingress-port", defaultValue = "8080",
      description = "the Ingress proxy's HTTP port on 127.0.0.1 (default: ${DEFAULT-VALUE})")
  int ingressPort;

  @Option(names = "--partitions", defaultValue = "" + LocalCluster.DEFAULT_PARTITIONS,
      description = "P, the partition count of the keyed topics, fixed when the cluster is created (default: ${DEFAULT-VALUE})")
  int partitions;

  @Option(names = "--store-threads", defaultValue = "" + StoreConfig.DEFAULT_THREADS, paramLabel = "N",
      description = "the store's stream threads, each committing its share of the P partitions (default: ${DEFAULT-VALUE})")
  int storeThreads;

  @Option(names = "--prefix", defaultValue = KafkubeTopics.DEFAULT_PREFIX, description = "topic prefix (default: ${DEFAULT-VALUE})")
  String prefix;

  @Option(names = "--nodes", defaultValue = "1",
      description = "node agents (process runtime: pods run as processes of this machine on loopback addresses) (default: ${DEFAULT-VALUE})")
  int nodes;

  @Option(names = "--audit-policy", paramLabel = "FILE",
      description = "an audit.k8s.io/v1 Policy (YAML): the first matching rule decides each request's audit level "
          + "(None, Metadata, Request, RequestResponse); without it every request is audited at Metadata")
  Path auditPolicy;

  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    boolean auto = switch (ports) {
      case "auto" -> true;
      case "fixed" -> false;
      default -> throw new picocli.CommandLine.ParameterException(spec.commandLine(),
          "--ports must be fixed or auto, not " + ports);
    };
    LocalCluster.Settings s = new LocalCluster.Settings(dataDir, prefix, partitions,
        auto ? 0 : kafkaPort, auto ? 0 : controllerPort, auto ? 0 : registryPort, auto ? 0 : apiPort,
        auto ? 0 : etcdPort, auto ? 0 : ingressPort, auditPolicy);
    if (storeThreads < 1) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(),
          "--store-threads must be at least 1, not " + storeThreads);
    }
    s = s.withStoreThreads(storeThreads);
    if (auditPolicy != null) {
      try {
        AuditPolicy.load(auditPolicy); // checked before anything starts: a bad policy names its field
      } catch (IllegalArgumentException | java.io.IOException e) {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(),
            "--audit-policy " + auditPolicy + ": " + e.getMessage());
      }
    }
    PrintWriter out = spec.commandLine().getOut();
    out.println("kafkube: starting (data in " + dataDir.toAbsolutePath() + ") ...");
    out.flush();
    CountDownLatch stopped = new CountDownLatch(1);
    LocalCluster cluster = LocalCluster.start(s, nodes);
    Thread hook = new Thread(() -> {
      cluster.close();
      stopped.countDown();
    }, "kafkube-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    Endpoints e = cluster.endpoints();
    out.println();
    out.println("kafkube is up.");
    out.printf("  Kubernetes API   %s%n", e.get("api"));
    out.printf("  Kafka broker     %s%n", e.get("kafka"));
    out.printf("  Schema registry  %s%n", e.get("registry"));
    out.printf("  etcd v3 (gRPC)   %s%n", e.get("etcd"));
    out.printf("  Topics           %s.commands, %s.state.<resource>, %s.history, ... (P = %s)%n",
        e.get("prefix"), e.get("prefix"), e.get("prefix"), e.get("partitions"));
    out.printf("  Nodes            %s (pods run as processes of this machine on 127.2.0.0/16, ...)%n",
        e.get("nodes").isEmpty() ? "none" : e.get("nodes"));
    if (!e.get("ingress").isEmpty()) {
      out.printf("  Services         ClusterIPs on 127.1.0.0/16, NodePorts on 127.0.0.1; Ingress at %s%n", e.get("ingress"));
    }
    out.printf("  Endpoints        %s%n", dataDir.toAbsolutePath().resolve(Endpoints.FILE));
    out.println();
    out.println("Use kubectl against it:");
    out.printf("  export KUBECONFIG=%s%n", e.get("kubeconfig"));
    out.println("  kubectl get namespaces");
    out.println("  kubectl run web --image=python:3 --port 8080 -- python3 -m http.server 8080 --bind '$(POD_IP)'");
    out.println("  kubectl get pods -o wide   # Running, with its own loopback address as pod IP");
    out.println("etcdctl against it (raw keys, and the Kubernetes objects under /registry/):");
    out.printf("  ETCDCTL_API=3 etcdctl --endpoints=%s get /registry/ --prefix --keys-only%n", e.get("etcd"));
    out.println("History and audit, straight from Kafka:");
    out.printf("  ./kafkube history namespaces/default --data-dir %s%n", dataDir);
    out.printf("  ./kafkube replay --data-dir %s%n", dataDir);
    out.println("Ctrl-C stops the cluster; starting again reuses its data.");
    out.flush();
    stopped.await();
    return 0;
  }
}
