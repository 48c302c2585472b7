package io.kafkube.api;

import io.kafkube.schemas.config.Flags;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * The API server's typed configuration, parsed once: defaults, then {@code KAFKUBE_*} environment
 * variables, then {@code --name=value} flags.
 *
 * @param bindAddress      the address both ports listen on ({@code 127.0.0.1})
 * @param securePort       the HTTPS port; 0 picks a free one
 * @param insecurePort     an optional plain-HTTP port (still token-authenticated); -1 for none, 0 for any
 * @param dataDir          where the CA, serving certificate, token file and kubeconfig live
 * @param watchWindow      how many recent changes a watch can resume from
 * @param bookmarkInterval how often a watch that allows bookmarks gets one
 * @param requestTimeout   how long a write waits for the store's reply
 * @param auditPolicy      an {@code audit.k8s.io/v1 Policy} file, or null: every request audited at level Metadata
 * @param allocationRepairInterval how often ClusterIP/NodePort claims are compared with the Services
 * @param allocationRepairGrace    how long a claim no Service holds is kept before it is released
 */
public record ApiConfig(
    String bootstrapServers,
    String registryUrl,
    String prefix,
    String bindAddress,
    int securePort,
    int insecurePort,
    Path dataDir,
    int watchWindow,
    Duration bookmarkInterval,
    Duration requestTimeout,
    Path auditPolicy,
    Duration allocationRepairInterval,
    Duration allocationRepairGrace) {

  public ApiConfig {
    Objects.requireNonNull(bootstrapServers, "bootstrapServers");
    Objects.requireNonNull(registryUrl, "registryUrl");
    Objects.requireNonNull(prefix, "prefix");
    Objects.requireNonNull(bindAddress, "bindAddress");
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(allocationRepairInterval, "allocationRepairInterval");
    Objects.requireNonNull(allocationRepairGrace, "allocationRepairGrace");
    if (securePort < 0 || insecurePort < -1 || watchWindow < 1 || allocationRepairInterval.isNegative()
        || allocationRepairInterval.isZero() || allocationRepairGrace.isNegative()) {
      throw new IllegalArgumentException("invalid API configuration");
    }
  }

  public static ApiConfig defaults() {
    return new ApiConfig("127.0.0.1:9092", "http://127.0.0.1:8081", "kafkube", "127.0.0.1", 6443, -1,
        Path.of("data", "api"), 20_000, Duration.ofSeconds(60), Duration.ofSeconds(30), null,
        Duration.ofMinutes(3), Duration.ofMinutes(10));
  }

  public ApiConfig withBootstrapServers(String v) {
    return new ApiConfig(v, registryUrl, prefix, bindAddress, securePort, insecurePort, dataDir, watchWindow,
        bookmarkInterval, requestTimeout, auditPolicy, allocationRepairInterval, allocationRepairGrace);
  }

  public ApiConfig withRegistryUrl(String v) {
    return new ApiConfig(bootstrapServers, v, prefix, bindAddress, securePort, insecurePort, dataDir, watchWindow,
        bookmarkInterval, requestTimeout, auditPolicy, allocationRepairInterval, allocationRepairGrace);
  }

  public ApiConfig withPrefix(String v) {
    return new ApiConfig(bootstrapServers, registryUrl, v, bindAddress, securePort, insecurePort, dataDir,
        watchWindow, bookmarkInterval, requestTimeout, auditPolicy, allocationRepairInterval, allocationRepairGrace);
  }

  public ApiConfig withPorts(int secure, int insecure) {
    return new ApiConfig(bootstrapServers, registryUrl, prefix, bindAddress, secure, insecure, dataDir, watchWindow,
        bookmarkInterval, requestTimeout, auditPolicy, allocationRepairInterval, allocationRepairGrace);
  }

  public ApiConfig withDataDir(Path v) {
    return new ApiConfig(bootstrapServers, registryUrl, prefix, bindAddress, securePort, insecurePort, v,
        watchWindow, bookmarkInterval, requestTimeout, auditPolicy, allocationRepairInterval, allocationRepairGrace);
  }

  public ApiConfig withWatchWindow(int v) {
    return new ApiConfig(bootstrapServers, registryUrl, prefix, bindAddress, securePort, insecurePort, dataDir, v,
        bookmarkInterval, requestTimeout, auditPolicy, allocationRepairInterval, allocationRepairGrace);
  }

  public ApiConfig withBookmarkInterval(Duration v) {
    return new ApiConfig(bootstrapServers, registryUrl, prefix, bindAddress, securePort, insecurePort, dataDir,
        watchWindow, v, requestTimeout, auditPolicy, allocationRepairInterval, allocationRepairGrace);
  }

  public ApiConfig withAuditPolicy(Path v) {
    return new ApiConfig(bootstrapServers, registryUrl, prefix, bindAddress, securePort, insecurePort, dataDir,
        watchWindow, bookmarkInterval, requestTimeout, v, allocationRepairInterval, allocationRepairGrace);
  }

  /** How often allocations are repaired, and how long a claim no Service holds is kept first. */
  public ApiConfig withAllocationRepair(Duration interval, Duration grace) {
    return new ApiConfig(bootstrapServers, registryUrl, prefix, bindAddress, securePort, insecurePort, dataDir,
        watchWindow, bookmarkInterval, requestTimeout, auditPolicy, interval, grace);
  }

  /** Applies {@code KAFKUBE_*} environment variables and then {@code --name=value} flags. */
  public static ApiConfig parse(Map<String, String> env, String[] args) {
    return Flags.parse(defaults(), env, Map.of("KAFKUBE_BOOTSTRAP_SERVERS", "bootstrap-servers", "KAFKUBE_REGISTRY_URL", "registry-url",
        "KAFKUBE_PREFIX", "prefix", "KAFKUBE_API_DATA_DIR", "data-dir", "KAFKUBE_AUDIT_POLICY_FILE", "audit-policy-file"), args, ApiConfig::apply);
  }

  private static ApiConfig apply(ApiConfig c, String name, String value) {
    if (value == null) {
      return c;
    }
    return switch (name) {
      case "bootstrap-servers" -> c.withBootstrapServers(value);
      case "registry-url" -> c.withRegistryUrl(value);
      case "prefix" -> c.withPrefix(value);
      case "data-dir" -> c.withDataDir(Path.of(value));
      case "secure-port" -> c.withPorts(Integer.parseInt(value), c.insecurePort);
      case "insecure-port" -> c.withPorts(c.securePort, Integer.parseInt(value));
      case "watch-window" -> c.withWatchWindow(Integer.parseInt(value));
      case "audit-policy-file" -> c.withAuditPolicy(Path.of(value));
      case "allocation-repair-interval-seconds" -> c.withAllocationRepair(
          Duration.ofSeconds(Long.parseLong(value)), c.allocationRepairGrace);
      case "allocation-repair-grace-seconds" -> c.withAllocationRepair(c.allocationRepairInterval,
          Duration.ofSeconds(Long.parseLong(value)));
      case "bind-address" -> new ApiConfig(c.bootstrapServers, c.registryUrl, c.prefix, value, c.securePort,
          c.insecurePort, c.dataDir, c.watchWindow, c.bookmarkInterval, c.requestTimeout, c.auditPolicy,
          c.allocationRepairInterval, c.allocationRepairGrace);
      default -> throw new IllegalArgumentException("unknown option --" + name);
    };
  }
}
